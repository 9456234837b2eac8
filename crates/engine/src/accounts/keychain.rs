//! One workspace's keychain entries, reached off the async threads: the keychain blocks
//! on D-Bus, so every call runs on the blocking pool.

use switchboard_vault::{Sensitive, Vault, VaultError};

/// The keychain entries of workspace `workspace`, one per account key.
#[derive(Debug, Clone)]
pub(crate) struct Keychain {
    vault: Vault,
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
    pub fn new(namespace: &str, workspace: &str) -> Self {
        Keychain {
            vault: Vault::new(namespace),
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

    fn parts(&self, account: &str) -> (Vault, String, String) {
        (
            self.vault.clone(),
            self.workspace.clone(),
            account.to_owned(),
        )
    }
}
