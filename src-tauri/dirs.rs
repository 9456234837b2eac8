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

/// Where exported event logs go: `SWITCHBOARD_EXPORT_DIR`, else the OS Downloads folder,
/// else `exports/` in the data directory.
pub fn export_dir(app: &AppHandle) -> PathBuf {
    if let Some(dir) = std::env::var_os("SWITCHBOARD_EXPORT_DIR") {
        return PathBuf::from(dir);
    }
    match app.path().download_dir() {
        Ok(dir) => dir,
        Err(_) => match AppDirs::resolve(app) {
            Ok(dirs) => dirs.data_dir.join("exports"),
            Err(_) => std::env::temp_dir(),
        },
    }
}
