//! The managed settings as the window shows them.

use switchboard_core::{ApiError, ManagedView};

use super::{account_key, Managed};
use crate::Console;

impl Managed {
    /// What the window shows.
    pub fn view(&self) -> ManagedView {
        ManagedView {
            managed: self.is_managed(),
            source: self.source().map(str::to_owned),
            problem: self.problem().map(|why| {
                format!(
                    "Your organisation's managed settings ({}) could not be used: {why}. \
                     Until IT fixes them, no new brand account can be added, no local \
                     workspace created and no team joined.",
                    self.source().unwrap_or_default()
                )
            }),
            locked: self.locked(),
            allowed_accounts: self
                .allowed_accounts()
                .unwrap_or_default()
                .iter()
                .map(account_key)
                .collect(),
            local_workspaces_allowed: self.local_workspaces_allowed(),
            demo_allowed: self.demo_allowed(),
            join_servers: self.join_servers().unwrap_or_default().to_vec(),
        }
    }
}

impl Console {
    /// The settings the organisation enforces.
    pub async fn managed_settings(&self) -> Result<ManagedView, ApiError> {
        Ok(self.managed().view())
    }
}
