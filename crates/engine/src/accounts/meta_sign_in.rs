//! Signing in to Meta: Facebook Login for Devices, then choosing which Pages and
//! Instagram accounts become brand accounts.
//!
//! CONTRACT STUB (owned by the engine helper).

use switchboard_core::{
    ApiError, ErrorCode, MetaAccountChoice, MetaAppSetup, MetaDeviceCode, SignInOutcome,
};

use crate::Engine;

impl Engine {
    /// The Meta app this workspace signs in with.
    pub async fn meta_app_setup(&self) -> Result<MetaAppSetup, ApiError> {
        Err(not_yet())
    }

    /// Starts a device login; see the command's doc.
    pub async fn start_meta_sign_in(
        &self,
        app_id: Option<String>,
        client_token: Option<String>,
    ) -> Result<MetaDeviceCode, ApiError> {
        let _ = (app_id, client_token);
        Err(not_yet())
    }

    /// Waits for the device login's approval and lists the choices.
    pub async fn finish_meta_sign_in(&self) -> Result<Vec<MetaAccountChoice>, ApiError> {
        Err(not_yet())
    }

    /// Adds the chosen accounts.
    pub async fn add_meta_accounts(
        &self,
        choices: Vec<String>,
    ) -> Result<Vec<SignInOutcome>, ApiError> {
        let _ = choices;
        Err(not_yet())
    }
}

fn not_yet() -> ApiError {
    ApiError::new(ErrorCode::Internal, "Meta sign-in is being built")
}
