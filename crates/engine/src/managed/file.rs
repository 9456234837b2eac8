//! The Linux (and other Unix) source: a TOML file only root may change.
//!
//! The **system file** is `/etc/switchboard/managed.toml`. It is trusted when it is owned
//! by root and writable by nobody else (mode `0644` or stricter); one that others could
//! change, or that cannot be read or understood, **locks down** (it says a
//! setting exists, so Switchboard does not open up). Only when there is no system file is
//! the **override** (`SWITCHBOARD_MANAGED_FILE`, for tests and trials) read, under the
//! same check; an override that others than root could change is a **user-writable copy**:
//! ignored, with a logged warning.

use std::path::{Path, PathBuf};

use super::{Managed, ManagedSettings};

/// Where the system's managed file is.
pub const SYSTEM_FILE: &str = "/etc/switchboard/managed.toml";

/// The files to read, in order, and who may own them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSources {
    /// The system file (absent: look at the override).
    pub system: PathBuf,
    /// The override, read only when the system file does not exist.
    pub override_path: Option<PathBuf>,
    /// The user id a trusted file is owned by: root (0). Tests give their own.
    pub trusted_owner: u32,
}

impl FileSources {
    /// `/etc/switchboard/managed.toml`, then `override_path`; trusted when owned by root.
    pub fn system(override_path: Option<PathBuf>) -> FileSources {
        FileSources {
            system: PathBuf::from(SYSTEM_FILE),
            override_path,
            trusted_owner: 0,
        }
    }
}

/// What reading one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRead {
    /// There is no such file.
    Absent,
    /// The file is trusted; its text.
    Trusted(String),
    /// Someone other than the trusted owner may change it; why, in plain words.
    Untrusted(String),
    /// It exists but cannot be read; why.
    Unreadable(String),
}

/// Reads `path` if it is owned by `trusted_owner` and writable by nobody else.
pub fn read(path: &Path, trusted_owner: u32) -> FileRead {
    let metadata = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileRead::Absent,
        Err(e) => return FileRead::Unreadable(format!("it cannot be read: {e}")),
    };
    if !metadata.is_file() {
        return FileRead::Unreadable("it is not a file".into());
    }
    if let Some(why) = untrusted(&metadata, trusted_owner) {
        return FileRead::Untrusted(why);
    }
    match std::fs::read_to_string(path) {
        Ok(text) => FileRead::Trusted(text),
        Err(e) => FileRead::Unreadable(format!("it cannot be read: {e}")),
    }
}

#[cfg(unix)]
fn untrusted(metadata: &std::fs::Metadata, trusted_owner: u32) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let mode = metadata.mode() & 0o777;
    if metadata.uid() != trusted_owner {
        return Some(format!(
            "it is owned by user id {} instead of root, so it can be changed without IT",
            metadata.uid()
        ));
    }
    if mode & 0o022 != 0 {
        return Some(format!(
            "its mode {mode:04o} lets others than root change it (it should be 0644)"
        ));
    }
    None
}

#[cfg(not(unix))]
fn untrusted(_metadata: &std::fs::Metadata, _trusted_owner: u32) -> Option<String> {
    None
}

/// The managed settings the files give (see the module doc).
pub fn load(sources: &FileSources) -> Managed {
    let system = sources.system.display().to_string();
    match read(&sources.system, sources.trusted_owner) {
        FileRead::Absent => {}
        FileRead::Untrusted(why) => {
            tracing::warn!(path = %system, %why, "the managed settings file is not trusted: locked down");
            return Managed::LockedDown {
                source: system,
                why: format!("the file is not trusted: {why}"),
            };
        }
        found => return settle(system, found),
    }
    let Some(path) = &sources.override_path else {
        return Managed::NotManaged;
    };
    let shown = path.display().to_string();
    match read(path, sources.trusted_owner) {
        FileRead::Absent => {
            tracing::warn!(path = %shown, "the managed settings file named by {} does not exist; ignored", super::MANAGED_FILE_ENV);
            Managed::NotManaged
        }
        FileRead::Untrusted(why) => {
            tracing::warn!(path = %shown, %why, "ignoring a user-writable copy of the managed settings");
            Managed::NotManaged
        }
        found => settle(shown, found),
    }
}

fn settle(source: String, read: FileRead) -> Managed {
    let parsed = match read {
        FileRead::Trusted(text) => {
            ManagedSettings::from_toml(&text).map_err(|e| format!("the file is not valid: {e}"))
        }
        FileRead::Unreadable(why) | FileRead::Untrusted(why) => Err(format!("the file {why}")),
        FileRead::Absent => return Managed::NotManaged,
    };
    match parsed {
        Ok(settings) => {
            tracing::info!(path = %source, locked = ?settings.locked(), "managed settings in force");
            Managed::InForce { source, settings }
        }
        Err(why) => {
            tracing::error!(path = %source, %why, "the managed settings cannot be used: locked down");
            Managed::LockedDown { source, why }
        }
    }
}
