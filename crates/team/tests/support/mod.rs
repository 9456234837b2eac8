//! A throwaway PostgreSQL for the team tests: one cluster per test process (started on
//! first use, on 127.0.0.1 and a free port, in a temporary directory), one fresh
//! database per test.
//!
//! The cluster runs as the `postgres` user when the tests run as root (initdb refuses
//! root). Host connections use SCRAM passwords, so members' passwords are really
//! checked. A small shell wrapper owns the server: when this process exits, however it
//! exits, the wrapper's stdin closes and it stops the server and removes the directory.
//! When PostgreSQL is not installed the tests fail with a message saying so.
#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use switchboard_team::admin::{Admin, NewMember};
use switchboard_team::{JoinCode, TeamClient};
use uuid::Uuid;

/// The superuser's password in the throwaway cluster.
const ADMIN_PASSWORD: &str = "test-admin-password";

/// The running cluster.
pub struct Cluster {
    pub port: u16,
    pub bin: PathBuf,
    pub dir: PathBuf,
    owner: Option<(u32, u32)>,
    _server: Mutex<Child>,
}

fn bin_dir() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    let on_path = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match on_path {
        Some(initdb) => Path::new(&initdb).parent().unwrap().to_path_buf(),
        None => panic!(
            "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH); \
             the team tests need it: run scripts/setup --test (Debian package `postgresql`)"
        ),
    }
}

/// The `postgres` user's uid and gid when running as root (initdb refuses root).
fn owner() -> Option<(u32, u32)> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return None;
    }
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("id runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("running as root needs a `postgres` user to run PostgreSQL as")
    };
    Some((id("-u"), id("-g")))
}

fn as_owner(command: &mut Command, owner: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = owner {
        command.uid(uid).gid(gid);
    }
    command
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .unwrap()
        .port()
}

fn start() -> Cluster {
    let bin = bin_dir();
    let owner = owner();
    let dir = tempfile::Builder::new()
        .prefix("switchboard-team-pg-")
        .tempdir()
        .expect("a temporary directory")
        .keep();
    let pwfile = dir.join("pw");
    std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
    if let Some((uid, gid)) = owner {
        chown(&dir, Some(uid), Some(gid)).unwrap();
        chown(&pwfile, Some(uid), Some(gid)).unwrap();
    }
    let data = dir.join("data");
    let init = as_owner(&mut Command::new(bin.join("initdb")), owner)
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
        ])
        .arg(format!("--pwfile={}", pwfile.display()))
        .args(["-E", "UTF8", "--no-sync", "--no-instructions"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .output()
        .expect("initdb runs");
    assert!(
        init.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let port = free_port();
    // The wrapper stops the server and removes the directory when our end of its stdin
    // closes, i.e. when this test process exits.
    let script = format!(
        "'{postgres}' -D '{data}' -p {port} -k '{dir}' -c listen_addresses=127.0.0.1 \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
         -c max_connections=300 -c shared_buffers=16MB >'{dir}/log' 2>&1 & pid=$!; \
         read _; kill -QUIT $pid 2>/dev/null; wait $pid; rm -rf '{dir}'",
        postgres = bin.join("postgres").display(),
        data = data.display(),
        dir = dir.display(),
    );
    let server = as_owner(Command::new("sh").args(["-c", &script]), owner)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the PostgreSQL wrapper starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "PostgreSQL did not start within 30 s; its log: {}",
            std::fs::read_to_string(dir.join("log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Cluster {
        port,
        bin,
        dir,
        owner,
        _server: Mutex::new(server),
    }
}

/// The cluster of this test process.
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(start)
}

impl Cluster {
    /// The superuser's address for `database`.
    pub fn admin_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres:{ADMIN_PASSWORD}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// Runs `pg_dump` of `database` and returns the dump.
    pub fn pg_dump(&self, database: &str) -> String {
        let out = Command::new(self.bin.join("pg_dump"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .arg(database)
            .env("PGPASSWORD", ADMIN_PASSWORD)
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

/// A fresh database with the schema, as its administrator.
pub struct TestDb {
    pub name: String,
    pub url: String,
    pub admin: Admin,
}

/// Creates a fresh database in the cluster and runs `init` for nothing yet (teams are
/// created by the tests with [`TestDb::team`]).
pub async fn database() -> TestDb {
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
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut postgres)
        .await
        .expect("a fresh database");
    let url = cluster.admin_url(&name);
    let admin = Admin::connect(&url)
        .await
        .expect("the administrator connects");
    TestDb { name, url, admin }
}

impl TestDb {
    /// Creates the team `name`.
    pub async fn team(&self, name: &str) -> Uuid {
        self.admin.init(name).await.expect("init")
    }

    /// Adds a member called `name` and returns their join code.
    pub async fn member(&self, team: Uuid, name: &str) -> JoinCode {
        self.admin
            .add_member(
                team,
                &NewMember {
                    name: name.into(),
                    email: format!("{name}@example.com"),
                    queues: vec!["support".into()],
                    lead: false,
                },
                None,
            )
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
}
