//! [`MemoryVault`]: a keychain that lives in the process's memory — for tests,
//! benchmarks and the team test worker, never for real sign-ins (its secrets vanish with
//! the process, and nothing protects them while it runs).

use std::collections::HashMap;
use std::sync::Mutex;

use switchboard_vault::{Sensitive, VaultError};

use super::SecretVault;

/// Secrets by (workspace, account), in memory.
#[derive(Default)]
pub struct MemoryVault(Mutex<HashMap<(String, String), String>>);

impl MemoryVault {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretVault for MemoryVault {
    fn check(&self) -> Result<(), VaultError> {
        Ok(())
    }

    fn store(
        &self,
        workspace: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), VaultError> {
        self.entries()
            .insert((workspace.into(), account.into()), secret.expose().clone());
        Ok(())
    }

    fn read(
        &self,
        workspace: &str,
        account: &str,
    ) -> Result<Option<Sensitive<String>>, VaultError> {
        Ok(self
            .entries()
            .get(&(workspace.into(), account.into()))
            .cloned()
            .map(Sensitive::new))
    }

    fn delete(&self, workspace: &str, account: &str) -> Result<(), VaultError> {
        self.entries().remove(&(workspace.into(), account.into()));
        Ok(())
    }
}
