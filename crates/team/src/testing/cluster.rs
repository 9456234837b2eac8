//! The throwaway cluster: one per test run (started on first use, on 127.0.0.1 and a
//! free port, in a temporary directory; shared by the test processes of one
//! `cargo nextest` run, keyed by `NEXTEST_RUN_ID`).
//!
//! The cluster runs as the `postgres` user when the tests run as root (initdb refuses
//! root). Host connections use SCRAM passwords, so members' passwords are really
//! checked. A watchdog stops the cluster and removes its data a few seconds after the
//! last test process using it exited (see `start`). It allows 600 connections (tests
//! run up to a few hundred replicas of two connections each) with small shared buffers.
//! When PostgreSQL is not installed, [`cluster`] panics with a message saying so.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::chown;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The superuser's password in the throwaway cluster.
pub(super) const ADMIN_PASSWORD: &str = "test-admin-password";

/// The running cluster.
pub struct Cluster {
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    /// The directory of PostgreSQL's programs (`initdb`, `pg_ctl`, `pg_dump`, …).
    pub bin: PathBuf,
    /// The cluster's directory (its data, log and test CA under `tls/`).
    pub dir: PathBuf,
    _user: Mutex<Child>,
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

/// Run as the cluster's owner under the exclusive `start.lock`: reuse the running
/// cluster, or create and start one (with a watchdog) and print its port.
const START: &str = r#"
set -e
export PATH="$1:$PATH"
# Reuse the cluster only if it is ours (its postmaster.pid names the port) and up.
if [ -f port ] && [ -f data/postmaster.pid ] \
   && [ "$(sed -n 4p data/postmaster.pid)" = "$(cat port)" ] \
   && pg_isready -q -h 127.0.0.1 -p "$(cat port)"; then
  cat port
  exit 0
fi
command -v openssl >/dev/null || { echo 'openssl is not installed (the TLS test needs it)' >&2; exit 1; }
rm -rf data log port
initdb -D data -U postgres --auth-local=trust --auth-host=scram-sha-256 --pwfile=pw \
  -E UTF8 --no-sync --no-instructions >/dev/null
# A test CA and a server certificate for "localhost", for the verify-full test.
rm -rf tls && mkdir tls && cd tls
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=Switchboard test CA" -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
  -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile ext -out server.pem 2>/dev/null
chmod 600 server.key ca.key
cd ..
pg_ctl -D data -l log -w -t 30 start -o "-p $2 -k $PWD -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600 \
  -c shared_buffers=32MB -c ssl=on -c ssl_cert_file=$PWD/tls/server.pem \
  -c ssl_key_file=$PWD/tls/server.key" >/dev/null || { cat log >&2; exit 1; }
setsid sh -c "$3" watchdog "$1" </dev/null >/dev/null 2>&1 &
echo "$2" > port
cat port
"#;

/// The watchdog: once no test process has held `users.lock` for three seconds in a
/// row, it stops the cluster and removes its files (under both locks, so a test
/// process never finds a cluster that is being stopped).
const WATCHDOG: &str = r#"
export PATH="$1:$PATH"
idle=0
while [ -f data/postmaster.pid ]; do
  sleep 1
  if flock -n -x users.lock true; then idle=$((idle + 1)); else idle=0; fi
  if [ "$idle" -ge 3 ]; then
    flock -x start.lock flock -n -x users.lock \
      sh -c 'rm -f port; pg_ctl -D data -m immediate -w stop >/dev/null 2>&1; rm -rf data log tls' \
      && exit 0
    idle=0
  fi
done
"#;

/// Starts the cluster, or joins the one other processes of the same test run use
/// (`cargo nextest` runs every test in its own process; they share one cluster per
/// run, keyed by `NEXTEST_RUN_ID`). This process holds a shared lock on `users.lock`
/// for as long as it lives (a `flock` child whose stdin is ours: it lets go when we
/// exit, however we exit); the cluster's watchdog stops the cluster once nobody holds it.
fn start() -> Cluster {
    let bin = bin_dir();
    let owner = owner();
    let key =
        std::env::var("NEXTEST_RUN_ID").unwrap_or_else(|_| format!("pid{}", std::process::id()));
    let dir = std::env::temp_dir().join(format!("switchboard-team-pg-{key}"));
    std::fs::create_dir_all(&dir).expect("the cluster's directory");
    let pwfile = dir.join("pw");
    if !pwfile.exists() {
        std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
    }
    if let Some((uid, gid)) = owner {
        chown(&dir, Some(uid), Some(gid)).unwrap();
        chown(&pwfile, Some(uid), Some(gid)).unwrap();
    }

    let mut user = as_owner(&mut Command::new("flock"), owner)
        .args(["-s", "-o", "users.lock", "sh", "-c", "echo locked; read _"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("flock (util-linux) runs");
    let mut line = String::new();
    BufReader::new(user.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "locked", "holding the cluster's users.lock");

    let started = as_owner(&mut Command::new("flock"), owner)
        .args(["-x", "-o", "start.lock", "sh", "-c", START, "start"])
        .arg(&bin)
        .arg(free_port().to_string())
        .arg(WATCHDOG)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .expect("flock (util-linux) runs");
    assert!(
        started.status.success(),
        "starting PostgreSQL failed: {}",
        String::from_utf8_lossy(&started.stderr)
    );
    let port = String::from_utf8_lossy(&started.stdout)
        .trim()
        .parse()
        .expect("the cluster's port");
    Cluster {
        port,
        bin,
        dir,
        _user: Mutex::new(user),
    }
}

/// The cluster of this test process (started, or joined, on first use).
pub fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(start)
}

impl Cluster {
    /// The superuser's address for `database`.
    pub fn admin_url(&self, database: &str) -> String {
        format!(
            "postgres://postgres:{ADMIN_PASSWORD}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    /// The superuser's address for `database` over TLS to `host`, checking the server's
    /// certificate (issued for `localhost` by the cluster's test CA) with `sslmode`.
    pub fn tls_url(&self, host: &str, database: &str, with_test_ca: bool) -> String {
        let root = if with_test_ca {
            format!("&sslrootcert={}", self.dir.join("tls/ca.pem").display())
        } else {
            String::new()
        };
        format!(
            "postgres://postgres:{ADMIN_PASSWORD}@{host}:{}/{database}?sslmode=verify-full{root}",
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
