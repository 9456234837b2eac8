//! Engine configuration: where data lives, which keychain namespace holds sign-ins, and
//! how the demo network plays.

use std::path::{Path, PathBuf};

/// The id (and database file stem) of the built-in demo workspace.
pub const DEMO_WORKSPACE_ID: &str = "demo";
/// The demo workspace's display name.
pub const DEMO_WORKSPACE_NAME: &str = "Demo — Northwind Coffee";

/// How to run the engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The app's data directory (the OS app-data dir, or a test's temporary dir).
    pub data_dir: PathBuf,
    /// Seed of the demo crowd.
    pub demo_seed: u64,
    /// Demo pace multiplier: 1 = a new item every 2–6 s, 0 = paused.
    pub demo_speed: f64,
    /// Who is using this laptop: the name actions are recorded under.
    pub me: String,
    /// The OS keychain namespace (service name) sign-ins are kept under; development
    /// builds use their own.
    pub keychain_namespace: String,
    /// Polls brand accounts this often instead of the platform client's adaptive pace
    /// (still within the platform's budget). For tests and troubleshooting:
    /// `SWITCHBOARD_POLL_INTERVAL_MS`.
    pub poll_interval: Option<std::time::Duration>,
}

impl EngineConfig {
    /// Defaults for `data_dir`, then `SWITCHBOARD_DEMO_SPEED` and `SWITCHBOARD_DEMO_SEED`
    /// from the environment when set and valid (an invalid value is logged and ignored).
    pub fn from_env(data_dir: PathBuf) -> Self {
        EngineConfig {
            data_dir,
            demo_seed: env_number("SWITCHBOARD_DEMO_SEED").unwrap_or(2026),
            demo_speed: env_number("SWITCHBOARD_DEMO_SPEED").unwrap_or(1.0),
            me: person_from_env(),
            keychain_namespace: std::env::var("SWITCHBOARD_KEYCHAIN_NAMESPACE")
                .ok()
                .filter(|ns| !ns.trim().is_empty())
                .unwrap_or_else(|| switchboard_vault::default_namespace().to_owned()),
            poll_interval: env_number::<u64>("SWITCHBOARD_POLL_INTERVAL_MS")
                .map(std::time::Duration::from_millis),
        }
    }

    /// Where workspace databases live.
    pub fn workspaces_dir(&self) -> PathBuf {
        self.data_dir.join("workspaces")
    }
}

/// Which workspace to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSpec {
    /// Stable id; names its files and its keychain entries.
    pub id: String,
    /// What people see.
    pub name: String,
    /// Whether it is the built-in simulated workspace.
    pub is_demo: bool,
    /// Whether it is shared with a team (its join code is in the keychain).
    pub is_team: bool,
}

impl WorkspaceSpec {
    /// The built-in demo workspace.
    pub fn demo() -> Self {
        WorkspaceSpec {
            id: DEMO_WORKSPACE_ID.into(),
            name: DEMO_WORKSPACE_NAME.into(),
            is_demo: true,
            is_team: false,
        }
    }
}

/// The files of one workspace: its database (with SQLite's WAL and shared-memory files)
/// and its policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFiles {
    /// The directory they live in.
    pub dir: PathBuf,
    /// `<id>.sqlite3`.
    pub database: PathBuf,
    /// `<id>.policy.toml`.
    pub policy: PathBuf,
}

impl WorkspaceFiles {
    /// The files of workspace `id` in `dir`.
    pub fn new(dir: &Path, id: &str) -> Self {
        WorkspaceFiles {
            dir: dir.to_owned(),
            database: dir.join(format!("{id}.sqlite3")),
            policy: dir.join(format!("{id}.policy.toml")),
        }
    }

    /// Every file that may exist for the workspace.
    pub fn all(&self) -> Vec<PathBuf> {
        let db = self.database.display().to_string();
        vec![
            self.database.clone(),
            PathBuf::from(format!("{db}-wal")),
            PathBuf::from(format!("{db}-shm")),
            PathBuf::from(format!("{db}-journal")),
            self.policy.clone(),
        ]
    }
}

/// `SWITCHBOARD_USER`, else the OS user name, else "me".
fn person_from_env() -> String {
    ["SWITCHBOARD_USER", "USER", "USERNAME"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| "me".into())
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    let raw = std::env::var(name).ok()?;
    match raw.trim().parse() {
        Ok(value) => Some(value),
        Err(_) => {
            tracing::warn!(%name, value = %raw, "ignoring a setting that is not a number");
            None
        }
    }
}
