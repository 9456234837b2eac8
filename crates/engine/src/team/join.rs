//! Joining a team: a new workspace whose link to the team is the join code an
//! administrator handed over. The code is checked against the team database first (so a
//! wrong or revoked code, an unreachable server or a TLS failure is said at once, in plain
//! words), then kept in the keychain only — never in a file or the workspace database.

use std::sync::Arc;

use switchboard_core::{ApiError, ErrorCode, JoinPreview, WorkspaceEntry};
use switchboard_team::{JoinCode, TeamClient};
use switchboard_vault::Sensitive;

use super::JOIN_CODE_ENTRY;
use crate::accounts::Keychain;
use crate::Console;

impl Console {
    /// What join code `code` leads to, checked against the team database.
    pub async fn preview_join(&self, code: String) -> Result<JoinPreview, ApiError> {
        let code = Sensitive::new(code);
        let decoded = JoinCode::decode(code.expose())
            .map_err(|e| ApiError::new(ErrorCode::InvalidInput, format!("{e}.")))?;
        let client = TeamClient::join(&decoded, "join-check")
            .await
            .map_err(|e| ApiError::new(ErrorCode::Platform, format!("Could not join: {e}.")))?;
        let members = client.members().await;
        client.pool().close().await;
        let me = members
            .map_err(|e| ApiError::new(ErrorCode::Platform, format!("Could not join: {e}.")))?
            .into_iter()
            .find(|m| m.login_role == decoded.member)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotAllowed,
                    "This join code's member was removed from the team. Ask your administrator for a new code.",
                )
            })?;
        // TODO(issue 17): the team's name and the server come from the team-view work.
        Ok(JoinPreview {
            team_name: String::new(),
            server: String::new(),
            member_name: me.name,
            queues: me
                .queues
                .into_iter()
                .map(switchboard_core::QueueId)
                .collect(),
            lead: me.lead,
            trainee: false,
        })
    }

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
