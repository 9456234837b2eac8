//! Administration without a server of ours: what `switchboard-team` does, run by whoever
//! administers the database (the owner of the `switchboard` schema).
//!
//! - [`Admin::init`]: the schema and its migrations, row-level security, the team and
//!   the team's **group role** (`switchboard_team_<id>`, no login): membership in it is
//!   what row-level security checks.
//! - [`Admin::add_member`]: a **login role** for the member with a random password (sent
//!   to PostgreSQL as a SCRAM verifier, never in clear), no superuser/createrole/createdb/
//!   replication/BYPASSRLS, NOINHERIT (its privileges are granted to it directly, so
//!   nothing depends on inheritance), a member of the team's group role; returns the
//!   one-time [`JoinCode`].
//! - [`Admin::remove_member`]: stops the role from logging in, takes it out of the team,
//!   ends its open sessions and drops it.
//!
//! The administrator needs no superuser rights: owning the database and CREATEROLE is
//! enough (what managed PostgreSQL services give).
//! - [`Admin::status`]: teams, members, log size, live claims and poll leases.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Row};
use switchboard_vault::Sensitive;
use uuid::Uuid;

use crate::connect::connect_options;
use crate::schema::{migrate, team_role, MIGRATOR};
use crate::{scram, JoinCode, TeamError};

/// Most connections a laptop may open as one member (two per laptop, a few laptops).
pub const MEMBER_CONNECTION_LIMIT: u32 = 8;

/// What members may do, table by table (no UPDATE or DELETE on the log, items, policy).
const MEMBER_GRANTS: &[(&str, &str)] = &[
    ("SELECT", "switchboard.teams, switchboard.members"),
    (
        "SELECT, INSERT",
        "switchboard.events, switchboard.items, switchboard.policy, switchboard.approvals",
    ),
    (
        "SELECT, INSERT, UPDATE",
        "switchboard.claims, switchboard.poll_leases, switchboard.presence, \
         switchboard.member_seen",
    ),
];

/// The administrator's connection.
pub struct Admin {
    pool: PgPool,
    url: String,
}

/// A member to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// Their name, as shown to the team.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// The queues they work (their roles), e.g. `sales`, `support`.
    pub queues: Vec<String>,
    /// Whether they are a lead (may publish the team's policy).
    pub lead: bool,
    /// Whether their replies wait for a lead's approval.
    pub trainee: bool,
}

/// A member as [`Admin::status`] reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberStatus {
    /// Login role.
    pub login_role: String,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Queues.
    pub queues: Vec<String>,
    /// Lead or not.
    pub lead: bool,
    /// Trainee or not (their replies wait for a lead's approval).
    pub trainee: bool,
    /// Removed (the role no longer exists).
    pub removed: bool,
    /// Open database sessions of the role.
    pub sessions: i64,
}

/// A team as [`Admin::status`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamStatus {
    /// Team id.
    pub team: Uuid,
    /// Team name.
    pub name: String,
    /// Members, removed ones included.
    pub members: Vec<MemberStatus>,
    /// Events in the log.
    pub events: i64,
    /// Highest server sequence.
    pub last_server_seq: i64,
    /// Claims not yet expired.
    pub live_claims: i64,
    /// Poll leases: (platform, account, holder device, live).
    pub poll_leases: Vec<(String, String, String, bool)>,
}

/// The database as [`Admin::status`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Highest applied migration, None before `init`.
    pub schema_version: Option<i64>,
    /// Latest migration this program knows.
    pub known_version: i64,
    /// Teams.
    pub teams: Vec<TeamStatus>,
}

/// Quotes an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Serialises the administrator's changes to roles and grants: PostgreSQL refuses two
/// concurrent GRANTs on the same table ("tuple concurrently updated").
async fn admin_lock(tx: &mut sqlx::PgConnection) -> Result<(), TeamError> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('switchboard.admin'))")
        .execute(tx)
        .await?;
    Ok(())
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes
}

/// A login role name for `name`: `sb_<letters of the name>_<8 random hex digits>`.
fn login_role_for(name: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(20)
        .collect();
    let suffix: String = random_bytes::<4>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sb_{slug}_{suffix}")
}

impl Admin {
    /// Connects as the administrator (`url` carries the administrator's credentials;
    /// the transport rule of [`crate::connect`] applies).
    pub async fn connect(url: &str) -> Result<Self, TeamError> {
        let options = connect_options(url)?.options([("search_path", "switchboard")]);
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Admin {
            pool,
            url: url.to_owned(),
        })
    }

    /// The administrator's pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Creates or updates the schema, then the team named `team_name` (or finds it) and
    /// its group role. Returns the team's id. Safe to run again.
    pub async fn init(&self, team_name: &str) -> Result<Uuid, TeamError> {
        migrate(&self.pool).await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT team_id::text FROM switchboard.teams WHERE name = $1")
                .bind(team_name)
                .fetch_optional(&self.pool)
                .await?;
        let team = match existing {
            Some(id) => Uuid::parse_str(&id).map_err(|e| TeamError::BadAddress(e.to_string()))?,
            None => Uuid::now_v7(),
        };
        let mut tx = self.pool.begin().await?;
        admin_lock(&mut tx).await?;
        let role = team_role(team);
        let role_exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
                .bind(&role)
                .fetch_one(&mut *tx)
                .await?;
        if !role_exists {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE ROLE {} NOLOGIN NOINHERIT",
                ident(&role)
            )))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO switchboard.teams (team_id, name) VALUES ($1::uuid, $2) \
             ON CONFLICT (team_id) DO NOTHING",
        )
        .bind(team.to_string())
        .bind(team_name)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(team)
    }

    /// Adds `member` to `team` and returns their join code. `public_url` is the address
    /// members use (defaults to the administrator's address without its credentials).
    pub async fn add_member(
        &self,
        team: Uuid,
        member: &NewMember,
        public_url: Option<&str>,
    ) -> Result<JoinCode, TeamError> {
        self.require_team(team).await?;
        let role = login_role_for(&member.name);
        let password = Sensitive::new(URL_SAFE_NO_PAD.encode(random_bytes::<32>()));
        let verifier = scram::verifier(password.expose(), &random_bytes::<16>());
        let mut tx = self.pool.begin().await?;
        admin_lock(&mut tx).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE ROLE {} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION \
             NOBYPASSRLS CONNECTION LIMIT {MEMBER_CONNECTION_LIMIT} PASSWORD '{verifier}'",
            ident(&role)
        )))
        .execute(&mut *tx)
        .await?;
        let mut statements = vec![
            format!("GRANT {} TO {}", ident(&team_role(team)), ident(&role)),
            format!("GRANT USAGE ON SCHEMA switchboard TO {}", ident(&role)),
        ];
        for (privileges, tables) in MEMBER_GRANTS {
            statements.push(format!(
                "GRANT {privileges} ON {tables} TO {}",
                ident(&role)
            ));
        }
        for statement in statements {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO switchboard.members \
             (team_id, login_role, name, email, queues, lead, trainee) \
             VALUES ($1::uuid, $2, $3, $4, $5, $6, $7)",
        )
        .bind(team.to_string())
        .bind(&role)
        .bind(&member.name)
        .bind(&member.email)
        .bind(&member.queues)
        .bind(member.lead)
        .bind(member.trainee)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        JoinCode::new(public_url.unwrap_or(&self.url), team, &role, password)
    }

    /// Removes the member whose login role is `login_role` from `team` at once: the role
    /// can no longer log in, leaves the team, its open sessions are ended and it is
    /// dropped. The member's events stay in the log.
    pub async fn remove_member(&self, team: Uuid, login_role: &str) -> Result<(), TeamError> {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM switchboard.members \
             WHERE team_id = $1::uuid AND login_role = $2 AND removed_at IS NULL)",
        )
        .bind(team.to_string())
        .bind(login_role)
        .fetch_one(&self.pool)
        .await?;
        if !known {
            return Err(TeamError::NotFound(format!(
                "{login_role} is not a member of team {team}"
            )));
        }
        let role = ident(login_role);
        let mut tx = self.pool.begin().await?;
        admin_lock(&mut tx).await?;
        // Membership in the member's role lets an administrator without superuser rights
        // (as on managed services) end its sessions and drop what it holds.
        for statement in [
            format!("ALTER ROLE {role} NOLOGIN"),
            format!("REVOKE {} FROM {role}", ident(&team_role(team))),
            format!("GRANT {role} TO CURRENT_USER"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE switchboard.members SET removed_at = now() \
             WHERE team_id = $1::uuid AND login_role = $2",
        )
        .bind(team.to_string())
        .bind(login_role)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1")
            .bind(login_role)
            .execute(&self.pool)
            .await?;
        let mut tx = self.pool.begin().await?;
        admin_lock(&mut tx).await?;
        for statement in [format!("DROP OWNED BY {role}"), format!("DROP ROLE {role}")] {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn require_team(&self, team: Uuid) -> Result<(), TeamError> {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM switchboard.teams WHERE team_id = $1::uuid)",
        )
        .bind(team.to_string())
        .fetch_one(&self.pool)
        .await?;
        if known {
            Ok(())
        } else {
            Err(TeamError::NotFound(format!(
                "there is no team {team} in this database (run init first)"
            )))
        }
    }

    /// The state of the team database.
    pub async fn status(&self) -> Result<Status, TeamError> {
        let known_version = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let initialised: bool =
            sqlx::query_scalar("SELECT to_regclass('switchboard.teams') IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        if !initialised {
            return Ok(Status {
                schema_version: None,
                known_version,
                teams: Vec::new(),
            });
        }
        let schema_version: Option<i64> = sqlx::query_scalar(
            "SELECT max(version) FROM switchboard._sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        let teams = sqlx::query(
            "SELECT t.team_id::text, t.name, \
               (SELECT count(*) FROM switchboard.events e WHERE e.team_id = t.team_id), \
               (SELECT coalesce(max(server_seq), 0) FROM switchboard.events e WHERE e.team_id = t.team_id), \
               (SELECT count(*) FROM switchboard.claims c WHERE c.team_id = t.team_id AND c.expires_at > now()) \
             FROM switchboard.teams t ORDER BY t.created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in teams {
            let id: String = row.try_get(0)?;
            let members = sqlx::query(
                "SELECT m.login_role, m.name, m.email, m.queues, m.lead, m.removed_at IS NOT NULL, \
                   (SELECT count(*) FROM pg_stat_activity a WHERE a.usename = m.login_role), \
                   m.trainee \
                 FROM switchboard.members m WHERE m.team_id = $1::uuid ORDER BY m.created_at",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|m| {
                Ok(MemberStatus {
                    login_role: m.try_get(0)?,
                    name: m.try_get(1)?,
                    email: m.try_get(2)?,
                    queues: m.try_get(3)?,
                    lead: m.try_get(4)?,
                    removed: m.try_get(5)?,
                    sessions: m.try_get(6)?,
                    trainee: m.try_get(7)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let poll_leases = sqlx::query(
                "SELECT platform, account, holder_device, expires_at > now() \
                 FROM switchboard.poll_leases WHERE team_id = $1::uuid ORDER BY platform, account",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|l| Ok((l.try_get(0)?, l.try_get(1)?, l.try_get(2)?, l.try_get(3)?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            out.push(TeamStatus {
                team: Uuid::parse_str(&id).map_err(|e| TeamError::BadAddress(e.to_string()))?,
                name: row.try_get(1)?,
                members,
                events: row.try_get(2)?,
                last_server_seq: row.try_get(3)?,
                live_claims: row.try_get(4)?,
                poll_leases,
            });
        }
        Ok(Status {
            schema_version,
            known_version,
            teams: out,
        })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.schema_version {
            None => {
                return writeln!(
                    f,
                    "Not set up yet: run `switchboard-team init --team NAME`."
                )
            }
            Some(v) => writeln!(
                f,
                "Schema version {v} (this program knows {}).",
                self.known_version
            )?,
        }
        for team in &self.teams {
            writeln!(f, "\nTeam {} ({})", team.name, team.team)?;
            writeln!(
                f,
                "  log: {} events, last server_seq {}; live claims: {}",
                team.events, team.last_server_seq, team.live_claims
            )?;
            for m in &team.members {
                let state = if m.removed {
                    "removed".to_owned()
                } else {
                    format!("{} open sessions", m.sessions)
                };
                writeln!(
                    f,
                    "  member {} <{}> as {}{}{}; queues: {}; {state}",
                    m.name,
                    m.email,
                    m.login_role,
                    if m.lead { ", lead" } else { "" },
                    if m.trainee { ", trainee" } else { "" },
                    m.queues.join(", ")
                )?;
            }
            for (platform, account, device, live) in &team.poll_leases {
                writeln!(
                    f,
                    "  poll lease {platform} {account}: {device}{}",
                    if *live { "" } else { " (expired)" }
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_roles_are_plain_and_distinct() {
        let a = login_role_for("Ana María O'Neil; DROP ROLE x");
        let b = login_role_for("Ana María O'Neil; DROP ROLE x");
        assert_ne!(a, b);
        assert!(a.starts_with("sb_anamaraoneil"), "{a}");
        assert!(
            a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{a}"
        );
        assert!(a.len() <= 63);
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(ident(r#"a"b"#), r#""a""b""#);
    }
}
