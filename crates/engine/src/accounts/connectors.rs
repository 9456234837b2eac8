//! The platform clients behind the accounts flows: signing in, building a provider from
//! a stored secret, and signing out. One match per platform; everything else in the
//! engine speaks only the `Provider` trait.
//!
//! Facebook Pages and Instagram accounts sign in through their own flow (a device code,
//! then a choice of Pages: [`super::meta_sign_in`]); their keychain secret is a
//! [`switchboard_meta::Credential`] (the Page token). A Page token cannot be revoked on
//! its own at Meta (only the person's whole authorisation of the app can, which would end
//! every Page's sign-in at once), so signing out of one deletes its keychain entry only.

use std::sync::Arc;

use async_trait::async_trait;
use switchboard_core::{ApiError, ErrorCode, Item, Platform, SignInRequest, Timestamp};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Page, Provider, ProviderError, ReplyTarget,
};
use switchboard_store::AccountRecord;
use switchboard_vault::Sensitive;

use super::meta_tagged::{policy_tag, PolicyTagged, TagAllowed};
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
    match request {
        SignInRequest::Mastodon { instance } => mastodon_sign_in(instance, hooks).await,
        SignInRequest::Bluesky {
            service,
            handle,
            app_password,
        } => {
            let password = Sensitive::new(app_password.clone());
            bluesky_sign_in(service, handle, &password, hooks).await
        }
    }
}

async fn mastodon_sign_in(instance: &str, hooks: SignInHooks) -> Result<SignedIn, ApiError> {
    use switchboard_mastodon::{start_sign_in, SignInOptions};
    let options = SignInOptions {
        timeout: hooks.timeout,
        ..SignInOptions::default()
    };
    let pending = start_sign_in(instance, &options)
        .await
        .map_err(mastodon_error)?;
    let Some(open_url) = hooks.open_url else {
        return Err(ApiError::new(
            ErrorCode::Internal,
            "This window cannot open a browser for signing in to Mastodon.",
        ));
    };
    open_url(pending.authorize_url().as_str()).map_err(|e| {
        ApiError::new(
            ErrorCode::Platform,
            format!("Switchboard could not open your browser for the sign-in ({e})."),
        )
    })?;
    let mut cancel = hooks.cancel;
    let signed = tokio::select! {
        finished = pending.finish() => finished.map_err(mastodon_error)?,
        _ = cancel.wait_for(|cancelled| *cancelled) => {
            return Err(ApiError::new(ErrorCode::InvalidInput, "The sign-in was cancelled."));
        }
    };
    let provider = switchboard_mastodon::MastodonProvider::new(
        &signed.credential,
        &signed.identity,
        switchboard_mastodon::ProviderOptions::default(),
    )
    .map_err(|e| ApiError::new(ErrorCode::Platform, e.to_string()))?;
    Ok(SignedIn {
        service: signed.credential.instance().url().to_string(),
        secret: signed.credential.to_secret(),
        identity: signed.identity,
        provider: Arc::new(provider),
    })
}

fn mastodon_error(e: switchboard_mastodon::SignInError) -> ApiError {
    use switchboard_mastodon::SignInError as E;
    let code = match e {
        E::InvalidInstance(_) | E::NotMastodon { .. } => ErrorCode::InvalidInput,
        _ => ErrorCode::Platform,
    };
    ApiError::new(code, format!("{e}."))
}

async fn bluesky_sign_in(
    service: &str,
    handle: &str,
    app_password: &Sensitive<String>,
    hooks: SignInHooks,
) -> Result<SignedIn, ApiError> {
    let service = if service.trim().is_empty() {
        switchboard_bluesky::BLUESKY_SERVICE
    } else {
        service.trim()
    };
    let options = switchboard_bluesky::ClientOptions::default();
    let mut cancel = hooks.cancel;
    let (credential, identity) = tokio::select! {
        signed = switchboard_bluesky::sign_in(service, handle, app_password, &options) => {
            signed.map_err(|e| ApiError::new(ErrorCode::Platform, format!("Bluesky: {e}.")))?
        }
        _ = cancel.wait_for(|cancelled| *cancelled) => {
            return Err(ApiError::new(ErrorCode::InvalidInput, "The sign-in was cancelled."));
        }
    };
    let secret = credential.to_secret();
    let provider = switchboard_bluesky::BlueskyProvider::new(credential, options, None)
        .map_err(|e| ApiError::new(ErrorCode::Platform, e.to_string()))?;
    Ok(SignedIn {
        service: service.to_owned(),
        secret,
        identity,
        provider: Arc::new(provider),
    })
}

fn identity_of(record: &AccountRecord) -> AccountIdentity {
    AccountIdentity {
        platform: record.platform,
        account_id: record.account_id.clone(),
        handle: record.handle.clone(),
        display_name: record.display_name.clone(),
    }
}

/// Why a stored account's provider could not be built.
pub(crate) struct NotStarted {
    /// In plain words.
    pub message: String,
    /// Only a new sign-in helps (the secret is missing or unreadable); otherwise the
    /// keychain itself is unavailable and trying again later may.
    pub needs_sign_in: bool,
}

fn sign_in_again(why: impl std::fmt::Display) -> NotStarted {
    NotStarted {
        message: format!("Its stored sign-in cannot be used ({why}): sign in to it again."),
        needs_sign_in: true,
    }
}

/// The provider of a stored account, from its keychain secret.
pub(crate) async fn provider_for(
    shared: &Arc<Shared>,
    record: &AccountRecord,
) -> Result<Arc<dyn Provider>, NotStarted> {
    let keychain = shared.accounts.keychain.clone();
    let secret = keychain
        .read(&record.key)
        .await
        .map_err(|e| NotStarted {
            message: e.to_string(),
            needs_sign_in: false,
        })?
        .ok_or_else(|| sign_in_again("it is missing from the keychain"))?;
    match record.platform {
        Platform::Mastodon => {
            let credential =
                switchboard_mastodon::Credential::from_secret(&secret).map_err(sign_in_again)?;
            let provider = switchboard_mastodon::MastodonProvider::new(
                &credential,
                &identity_of(record),
                switchboard_mastodon::ProviderOptions::default(),
            )
            .map_err(sign_in_again)?;
            Ok(Arc::new(provider))
        }
        Platform::Bluesky => {
            let credential =
                switchboard_bluesky::Credential::from_secret(&secret).map_err(sign_in_again)?;
            // Bluesky replaces the refresh token on every refresh: keep the new session.
            let key = record.key.clone();
            let listener: switchboard_bluesky::SessionListener =
                Arc::new(move |fresh: &switchboard_bluesky::Credential| {
                    keychain.store_in_background(&key, fresh.to_secret());
                });
            let provider = switchboard_bluesky::BlueskyProvider::new(
                credential,
                switchboard_bluesky::ClientOptions::default(),
                Some(listener),
            )
            .map_err(sign_in_again)?;
            Ok(Arc::new(provider))
        }
        Platform::Facebook | Platform::Instagram => {
            let credential =
                switchboard_meta::Credential::from_secret(&secret).map_err(sign_in_again)?;
            let provider = meta_provider(credential, identity_of(record), policy_tag(shared))
                .map_err(sign_in_again)?;
            Ok(provider)
        }
        other => Err(NotStarted {
            message: format!("{} accounts are not supported yet.", other.as_str()),
            needs_sign_in: false,
        }),
    }
}

/// The provider of a Facebook Page or Instagram account signed in with `credential`,
/// using the human-agent tag when `tag` says the policy allows it (see
/// [`super::meta_tagged`]).
pub(crate) fn meta_provider(
    credential: switchboard_meta::Credential,
    identity: AccountIdentity,
    tag: TagAllowed,
) -> Result<Arc<dyn Provider>, ProviderError> {
    Ok(Arc::new(PolicyTagged::new(credential, identity, tag)?))
}

/// What the accounts screen shows as the service of a Meta account.
pub(crate) fn meta_service(platform: Platform) -> &'static str {
    match platform {
        Platform::Instagram => "Instagram",
        _ => "Facebook",
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
    match record.platform {
        Platform::Mastodon => {
            let credential = switchboard_mastodon::Credential::from_secret(&secret)
                .map_err(|e| e.to_string())?;
            switchboard_mastodon::sign_out(
                &credential,
                &switchboard_mastodon::HttpOptions::default(),
            )
            .await
            .map_err(|e| e.to_string())
        }
        Platform::Bluesky => {
            let credential =
                switchboard_bluesky::Credential::from_secret(&secret).map_err(|e| e.to_string())?;
            switchboard_bluesky::BlueskyProvider::new(
                credential,
                switchboard_bluesky::ClientOptions::default(),
                None,
            )
            .map_err(|e| e.to_string())?
            .sign_out()
            .await
            .map_err(|e| e.to_string())
        }
        // A Page token cannot be revoked on its own (see the module doc): the keychain
        // entry is deleted by the caller, and that is all Meta's `sign_out` says it does.
        Platform::Facebook | Platform::Instagram => {
            let credential =
                switchboard_meta::Credential::from_secret(&secret).map_err(|e| e.to_string())?;
            switchboard_meta::sign_out(&credential)
                .await
                .map_err(|e| e.to_string())
        }
        _ => Ok(()),
    }
}

/// Stands in for an account whose client could not start; every call says why.
pub(crate) struct Unavailable;

#[async_trait]
impl Provider for Unavailable {
    fn source_key(&self) -> String {
        crate::sync::PLACEHOLDER_KEY.into()
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::None
    }

    async fn fetch_since(&self, _: Option<&str>, _: Timestamp) -> Result<Page, ProviderError> {
        Err(ProviderError::SignInAgain(
            "the account's sign-in is not available".into(),
        ))
    }

    async fn fetch_brand_replies_since(
        &self,
        _: Option<&str>,
        _: Timestamp,
    ) -> Result<Page, ProviderError> {
        Err(ProviderError::SignInAgain(
            "the account's sign-in is not available".into(),
        ))
    }

    async fn thread(&self, _: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        Err(ProviderError::SignInAgain(
            "the account's sign-in is not available".into(),
        ))
    }

    async fn reply(
        &self,
        _: &ReplyTarget,
        _: &str,
        _: &str,
        _: Timestamp,
    ) -> Result<Item, ProviderError> {
        Err(ProviderError::SignInAgain(
            "the account's sign-in is not available".into(),
        ))
    }
}
