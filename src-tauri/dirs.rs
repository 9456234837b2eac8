//! Where the app keeps its data and logs: the OS conventions (XDG on Linux, Application
//! Support on macOS, AppData on Windows), unless `SWITCHBOARD_DATA_DIR` /
//! `SWITCHBOARD_LOG_DIR` point elsewhere (tests use throwaway directories).

use std::path::PathBuf;

use tauri::{AppHandle, Manager};

/// The app's directories.
pub struct AppDirs {
    /// Workspace databases live under here.
    pub data_dir: PathBuf,
    /// Daily log files live here.
    pub log_dir: PathBuf,
}

impl AppDirs {
    /// The OS directories, or the ones the environment names.
    pub fn resolve(app: &AppHandle) -> tauri::Result<AppDirs> {
        let data_dir = match std::env::var_os("SWITCHBOARD_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => app.path().app_data_dir()?,
        };
        let log_dir = match std::env::var_os("SWITCHBOARD_LOG_DIR") {
            Some(dir) => PathBuf::from(dir),
            None if std::env::var_os("SWITCHBOARD_DATA_DIR").is_some() => data_dir.join("logs"),
            None => app.path().app_log_dir()?,
        };
        Ok(AppDirs { data_dir, log_dir })
    }
}
