//! **Managed settings**: what the company's IT fixes for Switchboard on a work laptop, in
//! a place the person cannot change.
//!
//! Terms:
//! - the **source** is where the settings are read: on Linux the file
//!   `/etc/switchboard/managed.toml` (see [`file`]), on macOS the configuration profile
//!   installed in managed preferences (see [`plist`]), on Windows the registry key
//!   `HKLM\Software\Policies\Switchboard` (see [`registry`]);
//! - a setting the source gives is **locked**: the window shows "Managed by your
//!   organisation" next to it and the person cannot change it;
//! - **locked down**: the source exists but cannot be trusted, read or understood (a
//!   file writable by others than root, unreadable, not valid TOML, an unknown key, a
//!   bad account). Switchboard then does not open up: no new brand account is admitted,
//!   no local workspace is created, the demo is not used and no team is joined, and the
//!   window says why ([`Managed::problem`]);
//! - **enforcement**: a brand account not on `allowed_accounts` cannot be signed in to
//!   (the refusal names the managed list, the fresh sign-in is revoked); one signed in
//!   before the list was in force is **paused** (no sync, nothing sent, the accounts
//!   screen says why); the console neither lists nor opens the demo when `demo = false`,
//!   refuses new local workspaces when `local_workspaces = false`, and refuses join codes
//!   for servers not in `join_servers` before connecting. The keychain namespace replaces
//!   the configured one ([`Managed::apply_to`]); the shell applies the log level and the
//!   updater reads [`Managed::update_url`] / [`Managed::update_channel`];
//! - a **user-writable copy**: a managed file that someone other than root may change
//!   (e.g. one `SWITCHBOARD_MANAGED_FILE` points at in the person's home). It is ignored
//!   with a logged warning; it never replaces the system file.
//!
//! # The file (`/etc/switchboard/managed.toml`)
//!
//! Every key is optional; a key that is absent is not managed (the person's own
//! settings and the workspace policy apply).
//!
//! ```toml
//! # Brand accounts the person may sign in to, `platform:account` (the account as a
//! # workspace policy's [[brand_account]] names it: handle or stable id). No other
//! # account can be added, whatever the workspace policy says.
//! allowed_accounts = ["mastodon:northwind@social.example", "bluesky:northwind.bsky.social"]
//! # Whether local (non-team) workspaces may be created (default true).
//! local_workspaces = false
//! # Whether the demo workspace may be used (default true).
//! demo = false
//! # Team database servers join codes may point at, host:port (port 5432 if left out).
//! join_servers = ["db.acme.example:5432"]
//! # The OS keychain service name sign-ins are kept under.
//! keychain_namespace = "com.acme.switchboard"
//! # How much the app logs: error, warn, info, debug or trace.
//! log_level = "info"
//! # Where updates come from (none by default: no phoning home) and which channel.
//! update_url = "https://updates.acme.example/switchboard/{{target}}/{{current_version}}"
//! update_channel = "stable"
//! ```
//!
//! macOS and Windows use the same names: plist keys in the profile's payload, registry
//! values (`REG_MULTI_SZ` for lists, `REG_DWORD` 0/1 for yes/no, `REG_SZ` otherwise).

mod enforce;
pub mod file;
pub mod plist;
pub mod registry;
mod schema;
mod view;

use switchboard_core::{AllowedAccount, Platform};

pub use schema::{ManagedSettings, RawSettings};

/// The environment variable naming another managed file (for tests and trials). It is
/// read only when the system file does not exist, and the permission check still
/// applies.
pub const MANAGED_FILE_ENV: &str = "SWITCHBOARD_MANAGED_FILE";

/// The managed settings in force on this laptop, as read at start.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Managed {
    /// Nothing is managed: no source exists (or only an ignored user-writable copy).
    #[default]
    NotManaged,
    /// The settings `settings`, read from `source`.
    InForce {
        /// Where they were read (a path, "configuration profile …", a registry key).
        source: String,
        /// What they say.
        settings: ManagedSettings,
    },
    /// The source exists but could not be trusted, read or understood: locked down.
    LockedDown {
        /// Where.
        source: String,
        /// Why, in plain words.
        why: String,
    },
}

impl Managed {
    /// Reads the managed settings of this operating system (see the module doc); on
    /// Linux `SWITCHBOARD_MANAGED_FILE` is consulted when the system file is absent.
    pub fn load_system() -> Managed {
        #[cfg(target_os = "macos")]
        {
            plist::load_system()
        }
        #[cfg(windows)]
        {
            registry::load_system()
        }
        #[cfg(not(any(target_os = "macos", windows)))]
        {
            let override_path = std::env::var_os(MANAGED_FILE_ENV)
                .filter(|v| !v.is_empty())
                .map(std::path::PathBuf::from);
            file::load(&file::FileSources::system(override_path))
        }
    }

    /// Whether a source was found (in force or locked down).
    pub fn is_managed(&self) -> bool {
        !matches!(self, Managed::NotManaged)
    }

    /// The settings in force, if they could be read.
    pub fn settings(&self) -> Option<&ManagedSettings> {
        match self {
            Managed::InForce { settings, .. } => Some(settings),
            _ => None,
        }
    }

    /// Where the settings come from.
    pub fn source(&self) -> Option<&str> {
        match self {
            Managed::NotManaged => None,
            Managed::InForce { source, .. } | Managed::LockedDown { source, .. } => Some(source),
        }
    }

    /// Why the managed settings could not be used (then Switchboard is locked down).
    pub fn problem(&self) -> Option<&str> {
        match self {
            Managed::LockedDown { why, .. } => Some(why),
            _ => None,
        }
    }

    /// The brand accounts allowed: `None` when not managed, empty when locked down.
    pub fn allowed_accounts(&self) -> Option<&[AllowedAccount]> {
        match self {
            Managed::NotManaged => None,
            Managed::InForce { settings, .. } => settings.allowed_accounts.as_deref(),
            Managed::LockedDown { .. } => Some(&[]),
        }
    }

    /// Whether local (non-team) workspaces may be created.
    pub fn local_workspaces_allowed(&self) -> bool {
        match self {
            Managed::NotManaged => true,
            Managed::InForce { settings, .. } => settings.local_workspaces.unwrap_or(true),
            Managed::LockedDown { .. } => false,
        }
    }

    /// Whether the demo workspace may be used.
    pub fn demo_allowed(&self) -> bool {
        match self {
            Managed::NotManaged => true,
            Managed::InForce { settings, .. } => settings.demo.unwrap_or(true),
            Managed::LockedDown { .. } => false,
        }
    }

    /// The team database servers join codes may point at (`None`: any).
    pub fn join_servers(&self) -> Option<&[String]> {
        match self {
            Managed::NotManaged => None,
            Managed::InForce { settings, .. } => settings.join_servers.as_deref(),
            Managed::LockedDown { .. } => Some(&[]),
        }
    }

    /// The keychain namespace the organisation fixes, if it does.
    pub fn keychain_namespace(&self) -> Option<&str> {
        self.settings()?.keychain_namespace.as_deref()
    }

    /// The log level the organisation fixes (`error` … `trace`), if it does.
    pub fn log_level(&self) -> Option<&str> {
        self.settings()?.log_level.as_deref()
    }

    /// Where updates come from (none unless managed: no phoning home).
    pub fn update_url(&self) -> Option<&str> {
        self.settings()?.update_url.as_deref()
    }

    /// The update channel, if managed.
    pub fn update_channel(&self) -> Option<&str> {
        self.settings()?.update_channel.as_deref()
    }

    /// The names of the settings the organisation fixes (see
    /// [`switchboard_core::ManagedView::locked`]). Locked down: everything that depends
    /// on them.
    pub fn locked(&self) -> Vec<String> {
        match self {
            Managed::NotManaged => Vec::new(),
            Managed::InForce { settings, .. } => settings.locked(),
            Managed::LockedDown { .. } => [
                "allowed_accounts",
                "local_workspaces",
                "demo",
                "join_servers",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        }
    }

    /// Applies the managed keychain namespace to `config` (the other settings are read
    /// where they apply).
    pub fn apply_to(&self, config: &mut crate::EngineConfig) {
        if let Some(namespace) = self.keychain_namespace() {
            config.keychain_namespace = namespace.to_owned();
        }
    }

    /// Whether a join code for `server` (`host:port`) may be used; `Err` says why not.
    pub fn check_join_server(&self, server: &str) -> Result<(), String> {
        if let Managed::LockedDown { source, why } = self {
            return Err(format!(
                "Could not join: your organisation's managed settings ({source}) could not \
                 be used ({why}), so no team can be joined until IT fixes them."
            ));
        }
        let Some(servers) = self.join_servers() else {
            return Ok(());
        };
        let server = server.to_lowercase();
        if servers.contains(&server) {
            return Ok(());
        }
        Err(format!(
            "Could not join: this join code is for the team database at {server}, and your \
             organisation only allows teams on {} (managed by {}). Ask your administrator \
             for a code for your organisation's team.",
            if servers.is_empty() {
                "no server".to_owned()
            } else {
                servers.join(", ")
            },
            self.source().unwrap_or("your organisation")
        ))
    }

    /// Why a new local workspace may not be created, if it may not.
    pub fn check_local_workspace(&self) -> Result<(), String> {
        if self.local_workspaces_allowed() {
            return Ok(());
        }
        Err(match self {
            Managed::LockedDown { source, why } => format!(
                "Local workspaces cannot be created: your organisation's managed settings \
                 ({source}) could not be used ({why})."
            ),
            _ => format!(
                "Your organisation does not allow local workspaces on this laptop (managed \
                 by {}): join your team's workspace with the join code your administrator \
                 sent.",
                self.source().unwrap_or("your organisation")
            ),
        })
    }
}

/// `platform:account` as written in the managed settings and shown in the window.
pub fn account_key(account: &AllowedAccount) -> String {
    format!("{}:{}", account.platform.as_str(), account.account)
}

/// Reads `platform:account`.
pub(crate) fn parse_account(text: &str) -> Result<AllowedAccount, String> {
    let (platform, account) = text.split_once(':').ok_or_else(|| {
        format!(
            "the allowed account \"{text}\" has no platform: write it as platform:account, \
             e.g. mastodon:northwind@social.example"
        )
    })?;
    let platform = platform.trim().to_lowercase();
    let platform = Platform::ALL
        .into_iter()
        .find(|p| p.as_str() == platform)
        .ok_or_else(|| {
            format!(
                "the allowed account \"{text}\" names the platform \"{platform}\", which \
                 Switchboard does not know (it knows {})",
                Platform::ALL.map(|p| p.as_str()).join(", ")
            )
        })?;
    let account = account.trim();
    if account.is_empty() {
        return Err(format!("the allowed account \"{text}\" names no account"));
    }
    Ok(AllowedAccount {
        platform,
        account: account.to_owned(),
    })
}
