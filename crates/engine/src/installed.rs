//! The console as installed on a work laptop: managed settings, starting at login,
//! updates and the last crash. (Contract stub: the issue-19 work fills it in.)

use switchboard_core::{ApiError, CrashNotice, ErrorCode, ManagedView, StartupView, UpdateView};

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

    /// Whether Switchboard starts at login.
    pub async fn startup_settings(&self) -> Result<StartupView, ApiError> {
        Ok(StartupView {
            available: false,
            start_at_login: false,
            asked: true,
        })
    }

    /// Turns starting at login on or off (and remembers that the person was asked).
    pub async fn set_start_at_login(&self, _enabled: bool) -> Result<StartupView, ApiError> {
        Err(not_here())
    }

    /// The crash of the last run, if it ended in one and the person has not dismissed it.
    pub async fn last_crash(&self) -> Result<Option<CrashNotice>, ApiError> {
        Ok(None)
    }

    /// Forgets the last crash's notice (the report stays on disk).
    pub async fn dismiss_crash(&self) -> Result<(), ApiError> {
        Ok(())
    }

    /// Opens the folder with the crash reports.
    pub async fn open_crash_folder(&self) -> Result<(), ApiError> {
        Err(not_here())
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
