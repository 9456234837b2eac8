//! Joining a team: a new workspace whose link to the team is the join code an
//! administrator handed over. The code is checked against the team database first (so a
//! wrong or revoked code, an unreachable server or a TLS failure is said at once, in plain
//! words), then kept in the keychain only — never in a file or the workspace database.

use std::sync::Arc;

use switchboard_core::{ApiError, ErrorCode, WorkspaceEntry};
use switchboard_team::{JoinCode, TeamClient};
use switchboard_vault::Sensitive;

use super::JOIN_CODE_ENTRY;
use crate::accounts::Keychain;
use crate::Console;

impl Console {
    /// Joins the team of join code `code` as a new workspace called `name`, and opens it.
    pub async fn join_team(&self, name: &str, code: String) -> Result<WorkspaceEntry, ApiError> {
        let code = Sensitive::new(code);
        let decoded = JoinCode::decode(code.expose())
            .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("{e}.")))?;
        let client = TeamClient::join(&decoded, "join-check")
            .await
            .map_err(|e| ApiError::new(ErrorCode::Platform, format!("Could not join: {e}.")))?;
        client.pool().close().await;
        let vault = Arc::clone(self.vault());
        self.create_workspace_with(name, true, move |id| async move {
            Keychain::new(vault, &id)
                .store(JOIN_CODE_ENTRY, code)
                .await
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::Keychain,
                        format!("The join code could not be kept in the keychain: {e}."),
                    )
                })
        })
        .await
    }
}
