//! The desktop shell's services for the console ([`DesktopShell`]): starting Switchboard
//! at login (Tauri's autostart plugin: a login start is launched with [`HIDDEN_ARG`] and
//! stays hidden in the tray), opening a folder (the opener plugin), where crash reports
//! are written, and signed updates (see `updates.rs`).

use std::path::{Path, PathBuf};

use switchboard_core::UpdateView;
use switchboard_engine::{DesktopShell, ShellFuture};
use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;

/// The argument a start at login is launched with: the window stays hidden until the
/// person opens it from the tray.
pub const HIDDEN_ARG: &str = "--hidden";

/// The autostart plugin, registering Switchboard to start at login with [`HIDDEN_ARG`].
pub fn autostart_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri_plugin_autostart::Builder::new()
        .arg(HIDDEN_ARG)
        .build()
}

/// Whether this launch was a start at login (then the window stays hidden).
pub fn launched_hidden() -> bool {
    std::env::args().any(|arg| arg == HIDDEN_ARG)
}

/// The Tauri app's [`DesktopShell`].
pub struct TauriShell {
    app: AppHandle,
    crash_dir: PathBuf,
}

impl TauriShell {
    /// The shell of `app`, whose crash reports go to `crash_dir`.
    pub fn new(app: AppHandle, crash_dir: PathBuf) -> Self {
        TauriShell { app, crash_dir }
    }
}

impl DesktopShell for TauriShell {
    fn start_at_login(&self) -> Result<bool, String> {
        self.app
            .autolaunch()
            .is_enabled()
            .map_err(|e| e.to_string())
    }

    fn set_start_at_login(&self, enabled: bool) -> Result<(), String> {
        let autolaunch = self.app.autolaunch();
        let done = if enabled {
            autolaunch.enable()
        } else {
            autolaunch.disable()
        };
        done.map_err(|e| e.to_string())?;
        tracing::info!(enabled, "start at login changed");
        Ok(())
    }

    fn open_folder(&self, folder: &Path) -> Result<(), String> {
        use tauri_plugin_opener::OpenerExt;
        self.app
            .opener()
            .open_path(folder.to_string_lossy(), None::<&str>)
            .map_err(|e| e.to_string())
    }

    fn crash_dir(&self) -> Option<PathBuf> {
        Some(self.crash_dir.clone())
    }

    fn check_for_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView> {
        Box::pin(crate::updates::check(&self.app, url, channel))
    }

    fn install_update<'a>(
        &'a self,
        url: &'a str,
        channel: Option<&'a str>,
    ) -> ShellFuture<'a, UpdateView> {
        Box::pin(crate::updates::install(&self.app, url, channel))
    }
}
