//! Signing in, refreshing and signing out.
//!
//! [`sign_in`] exchanges a handle and an app password for a [`Credential`] at a **service**
//! (`https://bsky.social` for most people: the entryway that knows which PDS hosts the
//! account). [`SessionKeeper`] holds the current credential of a running account and
//! renews it when a call answers `ExpiredToken`: **refreshes are serialised** — one at a
//! time per account; callers that were waiting reuse the session the first one got. A
//! refresh token that is revoked or expired means the person must sign in again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use serde_json::json;
use switchboard_core::Platform;
use switchboard_platforms::{AccountIdentity, ProviderError};
use switchboard_vault::Sensitive;

use crate::credential::Credential;
use crate::lexicon::{ProfileView, SessionOutput};
use crate::xrpc::{Call, CallError, Xrpc};

/// Called with the new credential after each refresh, so it can be saved.
pub type SessionListener = Arc<dyn Fn(&Credential) + Send + Sync>;

/// Signs in to `service` with `handle` and `app_password`.
pub(crate) async fn sign_in(
    xrpc: &Xrpc,
    service: &str,
    handle: &str,
    app_password: &Sensitive<String>,
) -> Result<Credential, ProviderError> {
    let identifier = handle.trim().trim_start_matches('@');
    let call = Call::procedure(
        service,
        "com.atproto.server.createSession",
        json!({ "identifier": identifier, "password": app_password.expose() }),
    );
    let session: SessionOutput = xrpc.call(&call).await.map_err(|error| match error {
        CallError::Refused { error, .. } if error == "AuthFactorTokenRequired" => {
            ProviderError::Refused(
                "this account asks for a sign-in code: use an app password instead (Bluesky: \
                 Settings → Privacy and security → App passwords)"
                    .into(),
            )
        }
        CallError::Refused { status, .. } if status == 401 || status == 400 => {
            ProviderError::Refused(format!(
                "Bluesky did not accept the handle “{identifier}” with this app password. Check \
                 the handle, or create a new app password in Bluesky (Settings → Privacy and \
                 security → App passwords) and try again"
            ))
        }
        other => other.into_provider_error(),
    })?;
    let pds = session
        .did_doc
        .as_ref()
        .and_then(|doc| doc.pds())
        .unwrap_or(service)
        .trim_end_matches('/')
        .to_owned();
    Ok(Credential {
        pds,
        did: session.did,
        handle: session.handle,
        access: Sensitive::new(session.access_jwt),
        refresh: Sensitive::new(session.refresh_jwt),
    })
}

/// The current session of one account, renewed one refresh at a time.
pub(crate) struct SessionKeeper {
    current: RwLock<Arc<Credential>>,
    refreshing: tokio::sync::Mutex<()>,
    refreshes: AtomicU64,
    listener: Option<SessionListener>,
}

impl SessionKeeper {
    pub fn new(credential: Credential, listener: Option<SessionListener>) -> Self {
        SessionKeeper {
            current: RwLock::new(Arc::new(credential)),
            refreshing: tokio::sync::Mutex::new(()),
            refreshes: AtomicU64::new(0),
            listener,
        }
    }

    /// The session to use now.
    pub fn current(&self) -> Arc<Credential> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// How many refreshes this keeper made.
    pub fn refreshes(&self) -> u64 {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// Renews the session after `expired` was refused as expired. If another caller has
    /// renewed it meanwhile, returns that session without calling the server.
    pub async fn refresh(
        &self,
        xrpc: &Xrpc,
        expired: &Arc<Credential>,
    ) -> Result<Arc<Credential>, ProviderError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let current = self.current();
        if !Arc::ptr_eq(&current, expired) {
            return Ok(current);
        }
        let call = Call::procedure_without_body(&current.pds, "com.atproto.server.refreshSession")
            .bearer(current.refresh.expose());
        let session: SessionOutput = xrpc.call(&call).await.map_err(|error| match error {
            CallError::Refused { .. } => sign_in_again(&current.handle),
            CallError::Failed(error) => error,
        })?;
        let renewed = Arc::new(Credential {
            pds: current.pds.clone(),
            did: session.did,
            handle: session.handle,
            access: Sensitive::new(session.access_jwt),
            refresh: Sensitive::new(session.refresh_jwt),
        });
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = renewed.clone();
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        tracing::info!(did = %renewed.did, "Bluesky session refreshed");
        if let Some(listener) = &self.listener {
            listener(&renewed);
        }
        Ok(renewed)
    }
}

/// The error for a session Bluesky no longer accepts.
pub(crate) fn sign_in_again(handle: &str) -> ProviderError {
    ProviderError::SignInAgain(format!(
        "Bluesky no longer accepts Switchboard's sign-in for @{handle} (the app password may \
         have been revoked); sign in with an app password again"
    ))
}

/// Who `credential` belongs to: DID, handle and display name from the AppView (the handle
/// stands in for the name when the profile cannot be read).
pub(crate) async fn identity(
    xrpc: &Xrpc,
    credential: &Credential,
    proxy: Option<&str>,
) -> Result<AccountIdentity, ProviderError> {
    let mut call = Call::query(&credential.pds, "app.bsky.actor.getProfile")
        .param("actor", credential.did.clone())
        .bearer(credential.access.expose());
    call.proxy = proxy;
    let (handle, display_name) = match xrpc.call::<ProfileView>(&call).await {
        Ok(profile) => {
            let name = profile.display_name.filter(|n| !n.trim().is_empty());
            let name = name.unwrap_or_else(|| profile.handle.clone());
            (profile.handle, crate::text::plain_text(&name))
        }
        Err(CallError::Refused { .. }) => (credential.handle.clone(), credential.handle.clone()),
        Err(CallError::Failed(error)) => return Err(error),
    };
    Ok(AccountIdentity {
        platform: Platform::Bluesky,
        account_id: credential.did.clone(),
        handle,
        display_name,
    })
}

/// Ends the session on the server (`com.atproto.server.deleteSession`): its refresh token
/// stops working. An already ended session is not an error.
pub(crate) async fn sign_out(xrpc: &Xrpc, credential: &Credential) -> Result<(), ProviderError> {
    let call = Call::procedure_without_body(&credential.pds, "com.atproto.server.deleteSession")
        .bearer(credential.refresh.expose());
    match xrpc.call_ignoring_body(&call).await {
        Ok(()) | Err(CallError::Refused { .. }) => Ok(()),
        Err(CallError::Failed(error)) => Err(error),
    }
}
