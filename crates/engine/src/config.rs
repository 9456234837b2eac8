//! Engine configuration: where data lives and how the demo network plays.

use std::path::PathBuf;

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
        }
    }

    /// Where workspace databases live.
    pub fn workspaces_dir(&self) -> PathBuf {
        self.data_dir.join("workspaces")
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
