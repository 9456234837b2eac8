//! What the machine says: PostgreSQL's connections and CPU, this process's CPU, memory and
//! threads, the load average.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use switchboard_team::testing;

/// Counts the replicas' connections to the test database (the feeder's left out) once a
/// second until `stop`.
pub(crate) async fn sample_connections(
    admin_url: &str,
    db_name: &str,
    feeder: &str,
    into: &Mutex<Vec<i64>>,
    stop: &tokio::sync::Notify,
) {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await
        .expect("the sampler connects");
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.notified() => break,
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = $1 AND backend_type = 'client backend' \
               AND pid <> pg_backend_pid() AND usename <> 'postgres' AND usename <> $2",
        )
        .bind(db_name)
        .bind(feeder)
        .fetch_one(&pool)
        .await
        .expect("counting connections");
        into.lock().unwrap().push(count);
    }
    pool.close().await;
}

/// The cluster's CPU: its processes' utime + stime at the start, per process.
pub(crate) struct PgCpu {
    pub(crate) start: HashMap<u32, u64>,
}

impl PgCpu {
    pub(crate) fn new() -> PgCpu {
        PgCpu { start: Self::now() }
    }

    /// Ticks per process of the cluster (the postmaster and its children).
    pub(crate) fn now() -> HashMap<u32, u64> {
        let pid_file = testing::cluster().dir.join("data/postmaster.pid");
        let postmaster: u32 = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|s| s.lines().next()?.trim().parse().ok())
            .expect("the postmaster's pid");
        let mut ticks = HashMap::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, t)) = stat(pid) {
                if pid == postmaster || ppid == postmaster {
                    ticks.insert(pid, t);
                }
            }
        }
        ticks
    }

    /// CPU seconds of the cluster since [`PgCpu::new`] (processes that ended meanwhile
    /// are left out).
    pub(crate) fn seconds(&self) -> f64 {
        let total: u64 = Self::now()
            .into_iter()
            .map(|(pid, t)| t.saturating_sub(self.start.get(&pid).copied().unwrap_or(0)))
            .sum();
        total as f64 / clock_ticks()
    }
}

/// A process's parent and utime + stime (ticks), from `/proc/<pid>/stat`.
pub(crate) fn stat(pid: u32) -> Option<(u32, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    let ppid = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((ppid, utime + stime))
}

pub(crate) fn proc_cpu_ticks(pid: u32) -> u64 {
    stat(pid).map(|(_, t)| t).unwrap_or(0)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
pub(crate) fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// The value of a line of `/proc/self/status` (`VmRSS:`, `Threads:`, …).
pub(crate) fn status_line(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| Some(l.split_whitespace().nth(1)?.to_owned()))
        })
        .unwrap_or_default()
}

/// A memory line of `/proc/self/status` (`VmRSS:`, `VmHWM:`), in MiB.
pub(crate) fn memory_mib(key: &str) -> f64 {
    status_line(key)
        .parse::<f64>()
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The machine's 1-minute load average (other work running next to the bench).
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| Some(s.split_whitespace().next()?.to_owned()))
        .unwrap_or_default()
}
