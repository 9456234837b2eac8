//! The console as installed on a work laptop: managed settings, starting at login,
//! updates and the last crash. (Contract stub: the issue-19 work fills it in.)

pub(crate) mod crash;
mod startup;

use switchboard_core::{ApiError, ErrorCode, ManagedView, UpdateView};

use crate::Console;

fn not_here() -> ApiError {
    ApiError::new(ErrorCode::Internal, "Not available in this build yet.")
}

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

    /// Looks for an update where the managed settings say.
    pub async fn check_for_update(&self) -> Result<UpdateView, ApiError> {
        Ok(UpdateView {
            configured: false,
            channel: None,
            available: None,
            message: Some("No update address is configured.".into()),
        })
    }

    /// Installs the update found, when its signature checks out.
    pub async fn install_update(&self) -> Result<UpdateView, ApiError> {
        Err(not_here())
    }
}
