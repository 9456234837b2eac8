//! One workspace's keychain entries, reached off the async threads: the keychain blocks
//! on D-Bus, so every call runs on the blocking pool.
//!
//! The keychain is reached through [`SecretVault`]: the OS keychain ([`Vault`]) in the app,
//! a stand-in in tests (one that fails on purpose, for instance).

use std::sync::Arc;

use switchboard_vault::{Sensitive, Vault, VaultError};

/// Where sign-ins are kept: one secret per workspace and account. Calls may block.
pub trait SecretVault: Send + Sync + 'static {
    /// Whether the keychain is there and unlocked.
    fn check(&self) -> Result<(), VaultError>;
    /// Stores (or replaces) the secret of `account` in `workspace`.
    fn store(
        &self,
        workspace: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), VaultError>;
    /// The secret of `account` in `workspace`, if there is one.
    fn read(&self, workspace: &str, account: &str)
        -> Result<Option<Sensitive<String>>, VaultError>;
    /// Deletes the secret of `account` in `workspace`; a missing one is not an error.
    fn delete(&self, workspace: &str, account: &str) -> Result<(), VaultError>;
}

impl SecretVault for Vault {
    fn check(&self) -> Result<(), VaultError> {
        Vault::check(self)
    }

    fn store(
        &self,
        workspace: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), VaultError> {
        Vault::store(self, workspace, account, secret)
    }

    fn read(
        &self,
        workspace: &str,
        account: &str,
    ) -> Result<Option<Sensitive<String>>, VaultError> {
        Vault::read(self, workspace, account)
    }

    fn delete(&self, workspace: &str, account: &str) -> Result<(), VaultError> {
        Vault::delete(self, workspace, account)
    }
}

/// The keychain entries of workspace `workspace`, one per account key.
#[derive(Clone)]
pub(crate) struct Keychain {
    vault: Arc<dyn SecretVault>,
    workspace: String,
}

async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    tokio::task::spawn_blocking(call)
        .await
        .map_err(|e| VaultError::Failed(e.to_string()))?
}

impl Keychain {
    pub fn new(vault: Arc<dyn SecretVault>, workspace: &str) -> Self {
        Keychain {
            vault,
            workspace: workspace.to_owned(),
        }
    }

    /// Whether a keychain is there and unlocked.
    pub async fn check(&self) -> Result<(), VaultError> {
        let vault = self.vault.clone();
        blocking(move || vault.check()).await
    }

    pub async fn store(&self, account: &str, secret: Sensitive<String>) -> Result<(), VaultError> {
        let (vault, workspace, account) = self.parts(account);
        blocking(move || vault.store(&workspace, &account, &secret)).await
    }

    pub async fn read(&self, account: &str) -> Result<Option<Sensitive<String>>, VaultError> {
        let (vault, workspace, account) = self.parts(account);
        blocking(move || vault.read(&workspace, &account)).await
    }

    pub async fn delete(&self, account: &str) -> Result<(), VaultError> {
        let (vault, workspace, account) = self.parts(account);
        blocking(move || vault.delete(&workspace, &account)).await
    }

    /// Stores `secret` from a synchronous callback (a refreshed session), without waiting.
    pub fn store_in_background(&self, account: &str, secret: Sensitive<String>) {
        let (vault, workspace, account) = self.parts(account);
        std::thread::spawn(move || {
            if let Err(e) = vault.store(&workspace, &account, &secret) {
                tracing::warn!(%account, error = %e, "could not keep a refreshed sign-in");
            }
        });
    }

    fn parts(&self, account: &str) -> (Arc<dyn SecretVault>, String, String) {
        (
            Arc::clone(&self.vault),
            self.workspace.clone(),
            account.to_owned(),
        )
    }
}
