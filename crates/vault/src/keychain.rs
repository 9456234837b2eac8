//! The keychain behind the vault, through the `keyring` crate.

use keyring::Entry;

use crate::Sensitive;

/// Why the vault could not do what was asked. Messages are plain words and never contain
/// the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// There is no keychain to talk to, or it is locked.
    #[error(
        "No system keychain is available, so Switchboard cannot keep sign-ins. {hint} \
         Nothing was saved. (Details: {detail})"
    )]
    Unavailable {
        /// What to install or start, for this OS.
        hint: &'static str,
        /// What the keychain library said.
        detail: String,
    },
    /// The keychain answered but the operation failed.
    #[error("The system keychain refused: {0}")]
    Failed(String),
}

/// What to do when there is no keychain, per OS.
fn hint() -> &'static str {
    if cfg!(target_os = "macos") {
        "Unlock the login keychain in Keychain Access and try again."
    } else if cfg!(target_os = "windows") {
        "Make sure the Credential Manager service is running and try again."
    } else {
        "Install and start a Secret Service provider — GNOME Keyring (package \
         `gnome-keyring`) or KWallet — and unlock it (logging in to the desktop usually does), \
         then try again."
    }
}

fn to_vault_error(error: keyring::Error) -> VaultError {
    match error {
        keyring::Error::PlatformFailure(e) => VaultError::Unavailable {
            hint: hint(),
            detail: e.to_string(),
        },
        keyring::Error::NoStorageAccess(e) => VaultError::Unavailable {
            hint: hint(),
            detail: e.to_string(),
        },
        other => VaultError::Failed(other.to_string()),
    }
}

/// The keychain entries of one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vault {
    namespace: String,
}

impl Vault {
    /// The vault of `namespace` (see [`crate::default_namespace`]).
    pub fn new(namespace: impl Into<String>) -> Self {
        Vault {
            namespace: namespace.into(),
        }
    }

    /// The namespace (the keychain's service name).
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn entry(&self, workspace: &str, account: &str) -> Result<Entry, VaultError> {
        Entry::new(&self.namespace, &format!("{workspace}/{account}")).map_err(to_vault_error)
    }

    /// Checks that a keychain is there and unlocked by reading an entry that does not
    /// exist. Blocks on D-Bus: call it off the UI thread.
    pub fn check(&self) -> Result<(), VaultError> {
        self.read("-", "-").map(|_| ())
    }

    /// Stores (or replaces) the secret of `account` in `workspace`. Blocks on D-Bus.
    pub fn store(
        &self,
        workspace: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), VaultError> {
        self.entry(workspace, account)?
            .set_password(secret.expose())
            .map_err(to_vault_error)?;
        tracing::info!(workspace, account, "secret stored in the keychain");
        Ok(())
    }

    /// The secret of `account` in `workspace`, if there is one. Blocks on D-Bus.
    pub fn read(
        &self,
        workspace: &str,
        account: &str,
    ) -> Result<Option<Sensitive<String>>, VaultError> {
        match self.entry(workspace, account)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(to_vault_error(e)),
        }
    }

    /// Deletes the secret of `account` in `workspace`; deleting a missing one is not an
    /// error. Blocks on D-Bus.
    pub fn delete(&self, workspace: &str, account: &str) -> Result<(), VaultError> {
        match self.entry(workspace, account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {
                tracing::info!(workspace, account, "secret deleted from the keychain");
                Ok(())
            }
            Err(e) => Err(to_vault_error(e)),
        }
    }
}
