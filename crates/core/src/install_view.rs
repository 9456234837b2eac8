//! What the window shows of Switchboard as installed on a work laptop: the settings the
//! company's IT enforces (**managed settings**), starting at login, updates, and a crash
//! of the last run.
//!
//! Terms:
//! - **managed settings** are read from a file (Linux `/etc/switchboard/managed.toml`), a
//!   configuration profile (macOS) or the registry (Windows) that the person cannot
//!   change; a setting they fix is **locked** in the window ("Managed by your
//!   organisation"). A managed file that cannot be read or is invalid **locks down**:
//!   no new brand account is admitted, and the window says why;
//! - **start at login**: the OS starts Switchboard hidden in the tray when the person
//!   logs in;
//! - an **update** is a new version offered at the address the managed settings give,
//!   installed only when its signature checks out.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Timestamp;

/// The settings the organisation enforces, as the window shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ManagedView {
    /// Whether managed settings are in force.
    pub managed: bool,
    /// Where they come from (the file's path, "configuration profile", the registry key).
    pub source: Option<String>,
    /// Why the managed settings could not be read (then everything that depends on them
    /// is locked down), in plain words.
    pub problem: Option<String>,
    /// The settings the organisation fixes, by name: `allowed_accounts`,
    /// `local_workspaces`, `demo`, `join_servers`, `keychain_namespace`, `log_level`,
    /// `update_channel`, `update_url`.
    pub locked: Vec<String>,
    /// The brand accounts allowed, `platform:account` (empty when not managed).
    pub allowed_accounts: Vec<String>,
    /// Whether local (non-team) workspaces may be created.
    pub local_workspaces_allowed: bool,
    /// Whether the demo workspace may be used.
    pub demo_allowed: bool,
    /// The team database servers join codes may point at (empty: any).
    pub join_servers: Vec<String>,
}

/// Starting Switchboard when the person logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StartupView {
    /// Whether this desktop can start it at login at all.
    pub available: bool,
    /// Whether it starts at login now.
    pub start_at_login: bool,
    /// Whether the person was asked once already (the first run asks).
    pub asked: bool,
}

/// The last run ended in a crash: what the window says at the next start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CrashNotice {
    /// When it crashed.
    pub at: Timestamp,
    /// The folder with the crash report (next to the logs).
    pub folder: String,
    /// What happened, in one line (no secrets: the report is redacted).
    pub summary: String,
}

/// Where updates stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdateView {
    /// Whether an update address is configured (none by default: no phoning home).
    pub configured: bool,
    /// The update channel, when managed.
    pub channel: Option<String>,
    /// The version offered, when one is newer than this one and its signature checks out.
    pub available: Option<String>,
    /// What happened, in plain words ("Switchboard is up to date.", "The update's
    /// signature does not match: nothing was installed.").
    pub message: Option<String>,
}
