//! Starting Switchboard when the person logs in.
//!
//! Terms:
//! - **start at login**: the OS starts Switchboard hidden in the tray at login (the
//!   desktop shell registers it; the engine only asks the shell);
//! - **asked**: the person answered the first-run question ("Start Switchboard when you
//!   log in?") or changed the setting, so the window does not ask again. Kept in
//!   `startup.json` in the data directory.
//!
//! Joining a team workspace turns starting at login on when the person was never asked
//! (a team's conversations need someone watching); the setting turns it off again.

use std::path::Path;

use serde::{Deserialize, Serialize};
use switchboard_core::{ApiError, ErrorCode, StartupView};

use crate::Console;

/// The file, in the data directory, that remembers whether the person was asked.
const STARTUP_FILE: &str = "startup.json";

/// What `startup.json` holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct StartupFile {
    /// The person answered the first-run question or changed the setting.
    #[serde(default)]
    asked: bool,
}

/// Whether the person was asked already (an unreadable file counts as not asked).
fn asked(data_dir: &Path) -> bool {
    std::fs::read_to_string(data_dir.join(STARTUP_FILE))
        .ok()
        .and_then(|text| serde_json::from_str::<StartupFile>(&text).ok())
        .is_some_and(|file| file.asked)
}

/// Remembers that the person was asked (written whole, then renamed into place).
fn mark_asked(data_dir: &Path) -> std::io::Result<()> {
    let text = serde_json::to_string(&StartupFile { asked: true })?;
    write_atomically(&data_dir.join(STARTUP_FILE), text.as_bytes())
}

fn not_available() -> ApiError {
    ApiError::new(
        ErrorCode::NotAllowed,
        "Starting at login is not available here (only in the desktop app).",
    )
}

impl Console {
    /// Whether Switchboard starts at login.
    pub async fn startup_settings(&self) -> Result<StartupView, ApiError> {
        let Some(shell) = self.shell() else {
            // Nothing to ask outside the desktop app.
            return Ok(StartupView {
                available: false,
                start_at_login: false,
                asked: true,
            });
        };
        let start_at_login = match shell.start_at_login() {
            Ok(on) => on,
            Err(e) => {
                tracing::warn!(error = %e, "could not tell whether Switchboard starts at login");
                false
            }
        };
        Ok(StartupView {
            available: true,
            start_at_login,
            asked: asked(self.data_dir()),
        })
    }

    /// Turns starting at login on or off (and remembers that the person was asked).
    pub async fn set_start_at_login(&self, enabled: bool) -> Result<StartupView, ApiError> {
        let shell = self.shell().ok_or_else(not_available)?;
        shell.set_start_at_login(enabled).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("Could not change starting at login: {e}."),
            )
        })?;
        if let Err(e) = mark_asked(self.data_dir()) {
            tracing::warn!(error = %e, "could not remember the start-at-login answer");
        }
        self.startup_settings().await
    }

    /// After a team workspace was joined: turns starting at login on when the person was
    /// never asked (and counts that as asked; the setting turns it off again).
    pub(crate) async fn start_at_login_for_team(&self) {
        let Some(shell) = self.shell() else { return };
        if asked(self.data_dir()) {
            return;
        }
        match shell.set_start_at_login(true) {
            Ok(()) => {
                tracing::info!("joined a team workspace: Switchboard now starts at login");
                if let Err(e) = mark_asked(self.data_dir()) {
                    tracing::warn!(error = %e, "could not remember the start-at-login answer");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not turn on starting at login"),
        }
    }
}

/// Writes `bytes` to `path` whole: into a temporary file next to it, then renamed over it,
/// so a crash never leaves half a file.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}
