//! A *test database*: a fresh database in the throwaway [`cluster`] for one test, with
//! its administrator connected ([`TestDb::admin`]). Teams are created by the test with
//! [`TestDb::team`], members with [`TestDb::member`].

use std::sync::atomic::{AtomicU32, Ordering};

use uuid::Uuid;

use super::cluster::{cluster, ADMIN_PASSWORD};
use crate::admin::{Admin, NewMember};
use crate::{JoinCode, TeamClient};

/// A fresh database, as its administrator.
pub struct TestDb {
    /// The database's name.
    pub name: String,
    /// The administrator's address for this database (with the password).
    pub url: String,
    /// The connected administrator.
    pub admin: Admin,
}

/// Creates a fresh database in the cluster, administered by the cluster's superuser.
pub async fn database() -> TestDb {
    fresh_database(false).await
}

/// A fresh database administered by a role that is *not* a superuser — as on a managed
/// PostgreSQL service: it may create roles (CREATEROLE) and owns the database.
pub async fn database_with_plain_administrator() -> TestDb {
    fresh_database(true).await
}

async fn fresh_database(plain_administrator: bool) -> TestDb {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster = cluster();
    let name = format!(
        "team_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut postgres =
        <sqlx::PgConnection as sqlx::Connection>::connect(&cluster.admin_url("postgres"))
            .await
            .expect("the superuser connects");
    let url = if plain_administrator {
        let admin = format!("{name}_admin");
        for statement in [
            format!("CREATE ROLE {admin} LOGIN CREATEROLE NOSUPERUSER PASSWORD '{ADMIN_PASSWORD}'"),
            format!("CREATE DATABASE {name} OWNER {admin}"),
        ] {
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                .execute(&mut postgres)
                .await
                .expect("a fresh database and its administrator");
        }
        format!(
            "postgres://{admin}:{ADMIN_PASSWORD}@127.0.0.1:{}/{name}?sslmode=disable",
            cluster.port
        )
    } else {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut postgres)
            .await
            .expect("a fresh database");
        cluster.admin_url(&name)
    };
    drop(sqlx::Connection::close(postgres).await);
    let admin = Admin::connect(&url)
        .await
        .expect("the administrator connects");
    TestDb { name, url, admin }
}

impl TestDb {
    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The administrator's address for this database (with the password).
    pub fn admin_url(&self) -> &str {
        &self.url
    }

    /// Creates the team `name`.
    pub async fn team(&self, name: &str) -> Uuid {
        self.admin.init(name).await.expect("init")
    }

    /// Adds a member called `name` and returns their join code.
    pub async fn member(&self, team: Uuid, name: &str) -> JoinCode {
        self.member_as(team, name, false).await
    }

    /// Adds a member called `name`, a lead or not, and returns their join code.
    pub async fn member_as(&self, team: Uuid, name: &str, lead: bool) -> JoinCode {
        self.member_with(
            team,
            &NewMember {
                name: name.into(),
                email: format!("{name}@example.com"),
                queues: vec!["support".into()],
                lead,
                trainee: false,
            },
        )
        .await
    }

    /// Adds `member` (any queues, lead, trainee) and returns their join code.
    pub async fn member_with(&self, team: Uuid, member: &NewMember) -> JoinCode {
        self.admin
            .add_member(team, member, None)
            .await
            .expect("add-member")
    }

    /// Adds a member and connects them as `device`.
    pub async fn client(&self, team: Uuid, name: &str, device: &str) -> (JoinCode, TeamClient) {
        let code = self.member(team, name).await;
        let client = TeamClient::join(&code, device)
            .await
            .expect("the member connects");
        (code, client)
    }

    /// Runs `sql` as the administrator.
    pub async fn exec(&self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(self.admin.pool())
            .await
            .expect("administrator's statement");
    }

    /// Ends every connection of the login role `login_role` to this database
    /// (`pg_terminate_backend`, waiting up to 5 s for each to be gone) and returns how
    /// many there were. The member's next
    /// statement on such a connection fails; a pool then opens a new one.
    pub async fn terminate_connections_of(&self, login_role: &str) -> usize {
        let ended: i64 = sqlx::query_scalar(
            "WITH targets AS MATERIALIZED ( \
               SELECT pid FROM pg_stat_activity \
               WHERE datname = current_database() AND usename = $1 \
                 AND pid <> pg_backend_pid()) \
             SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM targets",
        )
        .bind(login_role)
        .fetch_one(self.admin.pool())
        .await
        .expect("terminating a role's connections");
        usize::try_from(ended).unwrap_or(0)
    }

    /// How many client connections this database has, the administrator's own left out
    /// (every connection of the administrator's role, and any with the application name
    /// [`ADMIN_APPLICATION_NAME`]): in practice, the members' connections.
    pub async fn count_connections(&self) -> i64 {
        sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND backend_type = 'client backend' \
               AND usename IS DISTINCT FROM current_user \
               AND application_name IS DISTINCT FROM $1",
        )
        .bind(ADMIN_APPLICATION_NAME)
        .fetch_one(self.admin.pool())
        .await
        .expect("counting the database's connections")
    }
}

/// The application name a test's own administrative connections may carry so that
/// [`TestDb::count_connections`] leaves them out. (The pool of [`TestDb::admin`] is left
/// out by its role: `Admin::connect` names its connections `switchboard`.)
pub const ADMIN_APPLICATION_NAME: &str = "switchboard-test-admin";
