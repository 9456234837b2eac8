//! The console as installed on a work laptop: managed settings, starting at login,
//! updates and the last crash. (Contract stub: the issue-19 work fills it in.)

pub(crate) mod crash;
mod startup;
mod updates;

use switchboard_core::{ApiError, ManagedView};

use crate::Console;

impl Console {
    /// The settings the organisation enforces.
    pub async fn managed_settings(&self) -> Result<ManagedView, ApiError> {
        Ok(ManagedView {
            managed: false,
            source: None,
            problem: None,
            locked: Vec::new(),
            allowed_accounts: Vec::new(),
            local_workspaces_allowed: true,
            demo_allowed: true,
            join_servers: Vec::new(),
        })
    }
}
