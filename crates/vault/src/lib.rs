//! The token vault: secrets live only in the OS keychain.
//!
//! A **secret** is whatever lets Switchboard act as a brand account: OAuth access and
//! refresh tokens, a Bluesky app password or session. Each is one keychain entry, found by
//! a **namespace** (the service name; development builds use a different one than
//! releases, so a developer's experiments never touch their real entries), the
//! **workspace** id and the **account** key. Two workspaces signed in to the same account
//! keep two separate entries.
//!
//! In memory a secret is a [`Sensitive`], which redacts itself and cannot be serialized.
//! When no keychain is available the vault refuses with [`VaultError::Unavailable`],
//! whose message says what to install or start; it never falls back to a file.

mod keychain;
mod sensitive;

pub use keychain::{Vault, VaultError};
pub use sensitive::Sensitive;

/// The namespace of release builds.
pub const RELEASE_NAMESPACE: &str = "app.switchboard.desktop";
/// The namespace of development builds (debug assertions on).
pub const DEVELOPMENT_NAMESPACE: &str = "app.switchboard.desktop.dev";

/// The namespace for this build: development builds never see release entries.
pub fn default_namespace() -> &'static str {
    if cfg!(debug_assertions) {
        DEVELOPMENT_NAMESPACE
    } else {
        RELEASE_NAMESPACE
    }
}
