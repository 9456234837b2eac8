//! The Meta app a workspace signs in with, when the policy names none: typed once on this
//! laptop and kept for the workspace.
//!
//! - **App ID**: kept in the workspace's settings ([`SETTING`]); it is public (it shows in
//!   every Facebook login URL) and the window shows it back.
//! - **client token**: kept in the OS keychain only ([`CLIENT_TOKEN_ENTRY`], a workspace
//!   entry beside the accounts' ones), with the App ID it belongs to. Meta documents client
//!   tokens as embeddable in apps, but Switchboard keeps every token in the keychain and
//!   nowhere else. It is never logged nor sent to the window.
//! - **migration**: versions before this kept the client token in the settings row too; the
//!   first read moves it to the keychain and rewrites the row without it, erasing the old
//!   value from the database files ([`switchboard_store::Store::replace_setting_erasing`]).

use serde::{Deserialize, Serialize};
use switchboard_core::{ApiError, ErrorCode};
use switchboard_vault::Sensitive;

use super::super::sign_in::keychain_error;
use crate::api::to_api;
use crate::Shared;

/// The workspace setting that keeps the App ID typed on this laptop (JSON
/// [`SettingRow`]), used only when the policy names no app.
pub(crate) const SETTING: &str = "meta_app";

/// The workspace keychain entry that keeps the client token typed on this laptop (JSON
/// [`KeptToken`]).
pub(crate) const CLIENT_TOKEN_ENTRY: &str = "meta-app-client-token";

/// The settings row.
#[derive(Serialize, Deserialize, Default)]
struct SettingRow {
    app_id: Option<String>,
    /// Only in rows written by earlier versions: read to move it to the keychain, never
    /// written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
}

/// The keychain entry: the client token with the App ID it belongs to.
#[derive(Serialize, Deserialize)]
struct KeptToken {
    app_id: String,
    client_token: String,
}

/// The Meta app kept on this laptop for a workspace.
#[derive(Default)]
pub(super) struct StoredApp {
    /// The App ID typed last.
    pub app_id: Option<String>,
    /// Its client token (`None` when the keychain holds none for that App ID, or was not
    /// read).
    pub client_token: Option<Sensitive<String>>,
}

fn internal(what: &str, e: serde_json::Error) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

/// The Meta app kept for `shared`'s workspace; the client token is read from the keychain
/// only when `with_token`. A client token still in the settings row moves to the keychain
/// first.
pub(super) async fn stored(shared: &Shared, with_token: bool) -> Result<StoredApp, ApiError> {
    let json = shared.store.setting(SETTING).await.map_err(to_api)?;
    let mut row: SettingRow = json
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let mut moved = None;
    if let Some(token) = row.client_token.take() {
        move_to_keychain(shared, &row, token.clone()).await?;
        moved = Some(token);
    }
    let client_token = match (&row.app_id, moved) {
        (Some(_), Some(token)) => Some(Sensitive::new(token)),
        (Some(app_id), None) if with_token => kept_token(shared, app_id).await?,
        _ => None,
    };
    Ok(StoredApp {
        app_id: row.app_id,
        client_token,
    })
}

/// Moves a client token found in the settings row (written by an earlier version) to the
/// keychain, then rewrites the row without it. A keychain that fails leaves the row as it
/// was (nothing is lost) and says so.
async fn move_to_keychain(
    shared: &Shared,
    row: &SettingRow,
    token: String,
) -> Result<(), ApiError> {
    if let Some(app_id) = &row.app_id {
        let kept = KeptToken {
            app_id: app_id.clone(),
            client_token: token,
        };
        let secret = serde_json::to_string(&kept).map_err(|e| internal("the client token", e))?;
        shared
            .accounts
            .keychain
            .store(CLIENT_TOKEN_ENTRY, Sensitive::new(secret))
            .await
            .map_err(keychain_error)?;
    }
    let json = serde_json::to_string(&SettingRow {
        app_id: row.app_id.clone(),
        client_token: None,
    })
    .map_err(|e| internal("the Meta app", e))?;
    let erased = shared
        .store
        .replace_setting_erasing(SETTING, &json)
        .await
        .map_err(to_api)?;
    if erased {
        tracing::info!(
            "the Meta client token kept in the workspace settings moved to the keychain"
        );
    } else {
        tracing::warn!(
            "the Meta client token moved to the keychain; its old copy stays in the database's \
             write-ahead log until SQLite writes over it (the database was busy)"
        );
    }
    Ok(())
}

/// The client token the keychain keeps for `app_id`, if any.
async fn kept_token(shared: &Shared, app_id: &str) -> Result<Option<Sensitive<String>>, ApiError> {
    let Some(secret) = shared
        .accounts
        .keychain
        .read(CLIENT_TOKEN_ENTRY)
        .await
        .map_err(keychain_error)?
    else {
        return Ok(None);
    };
    match serde_json::from_str::<KeptToken>(secret.expose()) {
        Ok(kept) if kept.app_id == app_id => Ok(Some(Sensitive::new(kept.client_token))),
        Ok(_) => Ok(None),
        Err(_) => {
            tracing::warn!(
                "the Meta client token in the keychain is unreadable; it must be typed again"
            );
            Ok(None)
        }
    }
}

/// Keeps `app_id` (settings) and `token` (keychain) for the next sign-in, unless `stored`
/// already holds them.
pub(super) async fn keep(
    shared: &Shared,
    stored: &StoredApp,
    app_id: &str,
    token: &Sensitive<String>,
) -> Result<(), ApiError> {
    let same_token = stored.app_id.as_deref() == Some(app_id)
        && stored.client_token.as_ref().map(Sensitive::expose) == Some(token.expose());
    if same_token {
        return Ok(());
    }
    let kept = KeptToken {
        app_id: app_id.to_owned(),
        client_token: token.expose().clone(),
    };
    let secret = serde_json::to_string(&kept).map_err(|e| internal("the client token", e))?;
    // The keychain first: the settings row never names an App ID whose token is missing.
    shared
        .accounts
        .keychain
        .store(CLIENT_TOKEN_ENTRY, Sensitive::new(secret))
        .await
        .map_err(keychain_error)?;
    let json = serde_json::to_string(&SettingRow {
        app_id: Some(app_id.to_owned()),
        client_token: None,
    })
    .map_err(|e| internal("the Meta app", e))?;
    shared
        .store
        .set_setting(SETTING, &json)
        .await
        .map_err(to_api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_row_never_holds_a_client_token() {
        let row = SettingRow {
            app_id: Some("111".into()),
            client_token: None,
        };
        assert_eq!(serde_json::to_string(&row).unwrap(), r#"{"app_id":"111"}"#);
        let old: SettingRow =
            serde_json::from_str(r#"{"app_id":"111","client_token":"abc"}"#).unwrap();
        assert_eq!(old.client_token.as_deref(), Some("abc"));
    }
}
