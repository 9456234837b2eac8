//! Joining a team: a new workspace whose link to the team is the join code an
//! administrator handed over. The code is checked against the team database first (so a
//! wrong or revoked code, an unreachable server or a TLS failure is said at once, in plain
//! words), then kept in the keychain only — never in a file or the workspace database.
//!
//! What can go wrong, each with its own words ([`refusal`]): a **mistyped** (garbled,
//! cut short) code; a **removed member** (the team no longer lists the person the code is
//! for); a **used or revoked** code (its password is no longer the member's: the
//! administrator issued a new code); an **unreachable** server; a **TLS failure** (the
//! server's certificate could not be checked). Removing a member also drops their login,
//! and PostgreSQL refuses a dropped login with the very answer it gives a wrong password
//! (it never tells which logins exist): that refusal names both causes. No message
//! carries the code or its password.

use std::sync::Arc;

use switchboard_core::{ApiError, ErrorCode, JoinPreview, WorkspaceEntry};
use switchboard_team::{JoinCode, TeamClient, TeamError};
use switchboard_vault::Sensitive;

use super::JOIN_CODE_ENTRY;
use crate::accounts::Keychain;
use crate::Console;

impl Console {
    /// What join code `code` leads to, checked against the team database.
    pub async fn preview_join(&self, code: String) -> Result<JoinPreview, ApiError> {
        let code = Sensitive::new(code);
        let decoded = decode(&code)?;
        self.check_server(&decoded)?;
        let client = connect(&decoded).await?;
        let read = async {
            let team_name = client.team_name().await?;
            let members = client.members().await?;
            Ok::<_, TeamError>((team_name, members))
        }
        .await;
        client.pool().close().await;
        let (team_name, members) = read.map_err(|e| refusal(&decoded, &e))?;
        let me = members
            .into_iter()
            .find(|m| m.login_role == decoded.member)
            .ok_or_else(removed)?;
        Ok(JoinPreview {
            team_name,
            server: server_of(&decoded),
            member_name: me.name,
            queues: me
                .queues
                .into_iter()
                .map(switchboard_core::QueueId)
                .collect(),
            lead: me.lead,
            trainee: me.trainee,
        })
    }

    /// Joins the team of join code `code` as a new workspace called `name`, and opens it.
    pub async fn join_team(&self, name: &str, code: String) -> Result<WorkspaceEntry, ApiError> {
        let code = Sensitive::new(code);
        let decoded = decode(&code)?;
        self.check_server(&decoded)?;
        let client = connect(&decoded).await?;
        let members = client.members().await;
        client.pool().close().await;
        let members = members.map_err(|e| refusal(&decoded, &e))?;
        if !members.iter().any(|m| m.login_role == decoded.member) {
            return Err(removed());
        }
        let vault = Arc::clone(self.vault());
        let entry = self
            .create_workspace_with(name, true, move |id| async move {
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
            .await?;
        // A team's conversations need someone watching: start at login unless asked.
        self.start_at_login_for_team().await;
        Ok(entry)
    }
}

impl Console {
    /// Refuses a code for a server the organisation's managed settings do not list.
    fn check_server(&self, code: &JoinCode) -> Result<(), ApiError> {
        self.managed()
            .check_join_server(&server_of(code))
            .map_err(|m| ApiError::new(ErrorCode::NotAllowed, m))
    }
}

/// Reads the join code.
fn decode(code: &Sensitive<String>) -> Result<JoinCode, ApiError> {
    JoinCode::decode(code.expose()).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidInput,
            "This join code is not valid: it may be cut short or mistyped. Paste the whole \
             code your administrator sent (it starts with sbjoin1.).",
        )
    })
}

/// Connects with the join code, as a check.
async fn connect(code: &JoinCode) -> Result<TeamClient, ApiError> {
    TeamClient::join(code, "join-check")
        .await
        .map_err(|e| refusal(code, &e))
}

/// The database server of `code` (host and port), as the person may be told it.
fn server_of(code: &JoinCode) -> String {
    let rest = code
        .url
        .split_once("://")
        .map_or(code.url.as_str(), |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()) && !authority.ends_with(']'));
    if has_port || authority.is_empty() {
        authority.to_owned()
    } else {
        format!("{authority}:5432")
    }
}

/// The member of the code is no longer in the team.
fn removed() -> ApiError {
    ApiError::new(
        ErrorCode::NotAllowed,
        "Could not join: this join code's member was removed from the team. Ask your \
         administrator for a new code.",
    )
}

/// Why the team database did not let the code in, in plain words.
fn refusal(code: &JoinCode, error: &TeamError) -> ApiError {
    let server = server_of(code);
    if matches!(
        error,
        TeamError::BadAddress(_) | TeamError::InsecureTransport { .. }
    ) {
        return ApiError::new(
            ErrorCode::InvalidInput,
            format!("Could not join: {error}. Ask your administrator for a new code."),
        );
    }
    if error.is_login_disabled() {
        return removed();
    }
    if error.is_wrong_password() {
        // PostgreSQL answers a dropped login (a removed member) exactly as a wrong
        // password, so as not to tell which logins exist: both causes are named.
        return ApiError::new(
            ErrorCode::NotAllowed,
            "Could not join: the team database did not accept this join code. Either it \
             was already used or has been revoked (a newer code replaced it), or the \
             member it is for was removed from the team. Ask your administrator for a new \
             code.",
        );
    }
    if error.is_tls_failure() {
        return ApiError::new(
            ErrorCode::Platform,
            format!(
                "Could not join: the secure (TLS) connection to the team database at {server} \
                 failed — its certificate could not be checked against its name and a trusted \
                 authority. Ask your administrator whether the address and the server's \
                 certificate are right."
            ),
        );
    }
    if error.is_unreachable() {
        return ApiError::new(
            ErrorCode::Platform,
            format!(
                "Could not join: the team database at {server} cannot be reached. Check your \
                 network connection (or VPN) and try again."
            ),
        );
    }
    ApiError::new(ErrorCode::Platform, format!("Could not join: {error}."))
}
