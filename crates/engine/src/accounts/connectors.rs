//! The platform clients behind the accounts flows: signing in, building a provider from
//! a stored secret, and signing out. One match per platform; everything else in the
//! engine speaks only the `Provider` trait.

use std::sync::Arc;

use async_trait::async_trait;
use switchboard_core::{ApiError, ErrorCode, Item, Platform, SignInRequest, Timestamp};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Page, Provider, ProviderError, ReplyTarget,
};
use switchboard_store::AccountRecord;
use switchboard_vault::Sensitive;

use super::SignInHooks;
use crate::Shared;

/// A completed sign-in, not yet stored.
pub(crate) struct SignedIn {
    pub identity: AccountIdentity,
    /// The server, as shown on the accounts screen.
    pub service: String,
    /// What goes to the keychain.
    pub secret: Sensitive<String>,
    pub provider: Arc<dyn Provider>,
}

/// Runs the platform's sign-in for `request`.
pub(crate) async fn sign_in(
    request: &SignInRequest,
    hooks: SignInHooks,
) -> Result<SignedIn, ApiError> {
    let _ = hooks;
    match request {
        SignInRequest::Mastodon { .. } | SignInRequest::Bluesky { .. } => Err(ApiError::new(
            ErrorCode::Platform,
            "Signing in to this platform is not available in this build.",
        )),
    }
}

/// The provider of a stored account, from its keychain secret.
pub(crate) async fn provider_for(
    shared: &Shared,
    record: &AccountRecord,
) -> Result<Arc<dyn Provider>, String> {
    let vault = shared.accounts.vault.clone();
    let (workspace, key) = (shared.accounts.workspace.clone(), record.key.clone());
    let secret = tokio::task::spawn_blocking(move || vault.read(&workspace, &key))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            "Its sign-in is missing from the keychain: sign in to it again.".to_owned()
        })?;
    let _ = secret;
    match record.platform {
        other => Err(format!(
            "{} accounts are not supported in this build.",
            other.as_str()
        )),
    }
}

/// Revokes a sign-in that is not kept (refused or not confirmed).
pub(crate) async fn revoke(signed: &SignedIn) {
    let record = AccountRecord {
        key: signed.provider.source_key(),
        platform: signed.identity.platform,
        account_id: signed.identity.account_id.clone(),
        handle: signed.identity.handle.clone(),
        display_name: signed.identity.display_name.clone(),
        service: signed.service.clone(),
        added_at: 0,
        added_by: String::new(),
        needs_sign_in: false,
    };
    if let Err(e) = sign_out(&record, signed.secret.clone()).await {
        tracing::warn!(handle = %signed.identity.handle, error = %e, "could not revoke a refused sign-in");
    }
}

/// Signs out of `record` at its platform (revoking the token where the platform allows).
pub(crate) async fn sign_out(
    record: &AccountRecord,
    secret: Sensitive<String>,
) -> Result<(), String> {
    let _ = secret;
    match record.platform {
        Platform::Mastodon | Platform::Bluesky => Ok(()),
        _ => Ok(()),
    }
}

/// Stands in for an account whose client could not start; every call says why.
pub(crate) struct Unavailable;

#[async_trait]
impl Provider for Unavailable {
    fn source_key(&self) -> String {
        "unavailable".into()
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::None
    }

    async fn fetch_since(&self, _: Option<&str>, _: Timestamp) -> Result<Page, ProviderError> {
        Err(ProviderError::SignInAgain("the account's sign-in is not available".into()))
    }

    async fn fetch_brand_replies_since(
        &self,
        _: Option<&str>,
        _: Timestamp,
    ) -> Result<Page, ProviderError> {
        Err(ProviderError::SignInAgain("the account's sign-in is not available".into()))
    }

    async fn thread(&self, _: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        Err(ProviderError::SignInAgain("the account's sign-in is not available".into()))
    }

    async fn reply(
        &self,
        _: &ReplyTarget,
        _: &str,
        _: &str,
        _: Timestamp,
    ) -> Result<Item, ProviderError> {
        Err(ProviderError::SignInAgain("the account's sign-in is not available".into()))
    }
}
