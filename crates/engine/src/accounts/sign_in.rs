//! Adding and removing brand accounts.
//!
//! Adding: the platform's sign-in (browser OAuth for Mastodon, app password for Bluesky,
//! Facebook Login for Devices for Facebook Pages and Instagram: see
//! [`meta_sign_in`](super::meta_sign_in)) gives a credential and tells who signed in. The
//! [`allowlist`](super::allowlist) then decides: allowed → the secret goes to the
//! keychain, the account to the store, and a sync loop starts; no allowlist yet → the
//! person confirms first (nothing is stored meanwhile); refused → the credential is
//! revoked at the platform (where it can be) and nothing is stored.
//! Removing signs out (revoking where the platform allows), deletes the keychain entry and
//! forgets the account; its conversations and log stay.
//!
//! The keychain and the database never disagree about an account for long: a keychain
//! entry written for an account the database then fails to store is taken back (the
//! secret it replaced is put back, if any, and the new sign-in revoked); an account whose
//! keychain entry cannot be deleted stays listed, with the reason, so it can be removed
//! again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{
    AccountSync, AccountView, ApiError, ErrorCode, SignInOutcome, SignInRequest,
};
use switchboard_store::AccountRecord;
use tokio::sync::watch;

use super::allowlist::{paused_by_managed, verdict_managed, Verdict};
use super::connectors::{self, SignedIn};
use super::{view, Keychain, Source};
use crate::api::to_api;
use crate::Engine;

/// Opens a URL in the person's browser (the shell's job).
pub type UrlOpener = Arc<dyn Fn(&str) -> Result<(), String> + Send + Sync>;

/// How long a browser sign-in may take before it is abandoned.
pub(crate) const BROWSER_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// What a sign-in needs from outside the engine.
#[derive(Clone)]
pub(crate) struct SignInHooks {
    /// None: this front cannot open a browser (browser sign-ins are refused).
    pub open_url: Option<UrlOpener>,
    pub cancel: watch::Receiver<bool>,
    pub timeout: Duration,
}

/// Sign-ins in progress and those waiting for confirmation.
#[derive(Default)]
pub(crate) struct SignInState {
    pending: Mutex<HashMap<String, SignedIn>>,
    cancel: Mutex<Option<watch::Sender<bool>>>,
    /// A Meta device login under way and the Pages it offered.
    pub(super) meta: super::meta_sign_in::MetaSignIn,
}

impl SignInState {
    /// Starts a sign-in: the one before it (if still under way) is cancelled; the
    /// receiver turns true on [`Engine::cancel_sign_in`] or the next sign-in.
    pub(super) fn begin(&self) -> watch::Receiver<bool> {
        let (tx, rx) = watch::channel(false);
        if let Some(previous) = self
            .cancel
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .replace(tx)
        {
            let _ = previous.send(true);
        }
        rx
    }

    fn cancel(&self) {
        if let Some(tx) = self.cancel.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = tx.send(true);
        }
    }
}

pub(super) fn keychain_error(e: switchboard_vault::VaultError) -> ApiError {
    ApiError::new(ErrorCode::Keychain, e.to_string())
}

impl Engine {
    /// The brand accounts signed in to in this workspace, with their sync states.
    pub async fn list_accounts(&self) -> Vec<AccountView> {
        let now = self.shared.now();
        self.shared
            .accounts
            .all()
            .iter()
            .filter_map(|(key, source)| view(key, source, now))
            .collect()
    }

    /// Signs in to an account as `request` says and, if the allowlist admits it, stores
    /// it and starts syncing it. A browser sign-in waits until the person is done in the
    /// browser, [`Engine::cancel_sign_in`] or the time limit.
    pub async fn add_account(&self, request: SignInRequest) -> Result<SignInOutcome, ApiError> {
        // Fail early, before the person goes through a sign-in, when there is no keychain.
        self.shared
            .accounts
            .keychain
            .check()
            .await
            .map_err(keychain_error)?;
        let hooks = SignInHooks {
            open_url: self.open_url.clone(),
            cancel: self.shared.accounts.sign_in.begin(),
            timeout: BROWSER_SIGN_IN_TIMEOUT,
        };
        let signed = connectors::sign_in(&request, hooks).await?;
        match verdict_managed(self.managed(), &self.shared.policy(), &signed.identity) {
            Verdict::Allowed => self
                .keep(signed)
                .await
                .map(|account| SignInOutcome::Added { account }),
            Verdict::NeedsConfirmation => Ok(self.hold_for_confirmation(signed)),
            Verdict::Refused(message) => {
                tracing::warn!(handle = %signed.identity.handle, "sign-in refused: not on the allowlist");
                connectors::revoke(&signed).await;
                Err(ApiError::new(ErrorCode::NotAllowed, message))
            }
        }
    }

    /// Keeps `signed` until the person confirms it is a brand account
    /// ([`Engine::confirm_account`]); nothing is stored meanwhile.
    pub(super) fn hold_for_confirmation(&self, signed: SignedIn) -> SignInOutcome {
        let pending = format!("pending-{:016x}", fastrand::u64(..));
        let outcome = SignInOutcome::NeedsConfirmation {
            pending: pending.clone(),
            platform: signed.identity.platform,
            handle: signed.identity.handle.clone(),
            display_name: signed.identity.display_name.clone(),
        };
        self.shared
            .accounts
            .sign_in
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(pending, signed);
        outcome
    }

    /// Abandons the sign-in in progress (a Meta device login too: its code is forgotten).
    pub fn cancel_sign_in(&self) {
        self.shared.accounts.sign_in.cancel();
        self.shared.accounts.sign_in.meta.forget();
    }

    /// Answers a [`SignInOutcome::NeedsConfirmation`]: `confirm` keeps the account,
    /// otherwise the sign-in is revoked and nothing is stored.
    pub async fn confirm_account(
        &self,
        pending: &str,
        confirm: bool,
    ) -> Result<Option<AccountView>, ApiError> {
        let signed = self
            .shared
            .accounts
            .sign_in
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(pending)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "That sign-in is no longer waiting for an answer. Add the account again.",
                )
            })?;
        if confirm {
            self.keep(signed).await.map(Some)
        } else {
            connectors::revoke(&signed).await;
            Ok(None)
        }
    }

    /// Stores a signed-in account (secret to the keychain, the rest to the store) and
    /// starts syncing it.
    pub(super) async fn keep(&self, signed: SignedIn) -> Result<AccountView, ApiError> {
        let shared = &self.shared;
        let key = signed.provider.source_key();
        let keychain = &shared.accounts.keychain;
        // What a new sign-in to an account already here replaces, to put back on failure.
        let replaced = match keychain.read(&key).await {
            Ok(replaced) => replaced,
            Err(e) => {
                connectors::revoke(&signed).await;
                return Err(keychain_error(e));
            }
        };
        if let Err(e) = keychain.store(&key, signed.secret.clone()).await {
            connectors::revoke(&signed).await;
            return Err(keychain_error(e));
        }
        let record = AccountRecord {
            key: key.clone(),
            platform: signed.identity.platform,
            account_id: signed.identity.account_id.clone(),
            handle: signed.identity.handle.clone(),
            display_name: signed.identity.display_name.clone(),
            service: signed.service.clone(),
            added_at: shared.now().millis(),
            added_by: shared.me.clone(),
            needs_sign_in: false,
        };
        if let Err(e) = shared.store.upsert_account(&record).await {
            tracing::warn!(account = %key, error = %e, "could not store the account; taking its keychain entry back");
            let undone = match replaced {
                Some(previous) => keychain.store(&key, previous).await,
                None => keychain.delete(&key).await,
            };
            if let Err(undo) = undone {
                tracing::error!(account = %key, error = %undo, "could not take the keychain entry back");
            }
            connectors::revoke(&signed).await;
            return Err(to_api(e));
        }
        tracing::info!(account = %key, handle = %record.handle, "brand account added");
        // Replacing the source ends a loop still running for the old one (a loop stops
        // when its source is no longer the attached one); a fresh loop takes over.
        shared.accounts.insert(
            key.clone(),
            Some(record),
            Arc::clone(&signed.provider),
            AccountSync::default(),
        );
        self.spawn_sync(key.clone()).await;
        shared.changed(Vec::new());
        let source = shared
            .accounts
            .get(&key)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the account vanished"))?;
        view(&key, &source, shared.now())
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the account has no record"))
    }

    /// Signs out of account `key`: revokes at the platform where it allows, deletes the
    /// keychain entry, forgets the account (its conversations and log stay).
    /// When the keychain or the database fails, the account stays listed with the reason
    /// (and syncing, unless it needs a new sign-in) and the error is returned.
    pub async fn remove_account(&self, key: &str) -> Result<Vec<AccountView>, ApiError> {
        let shared = &self.shared;
        // Detached first, so its sync loop stops and a revoked token is not taken for an
        // expired sign-in ("sign in again") meanwhile.
        let source = shared.accounts.detach(key);
        let record = match source.as_ref().and_then(|s| s.record.clone()) {
            Some(record) => Some(record),
            None => shared
                .store
                .accounts()
                .await
                .map_err(to_api)?
                .into_iter()
                .find(|r| r.key == key),
        };
        let Some(record) = record else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "That account is not in this workspace any more.",
            ));
        };
        let removed = match sign_out(&shared.accounts.keychain, &record).await {
            Ok(()) => shared.store.remove_account(key).await.map_err(to_api),
            Err(e) => Err(e),
        };
        if let Err(e) = removed {
            tracing::warn!(account = %key, error = %e.message, "could not remove the account");
            if let Some(source) = source {
                self.reattach(key, &source, &e.message).await;
            }
            shared.changed(Vec::new());
            return Err(e);
        }
        shared.changed(Vec::new());
        Ok(self.list_accounts().await)
    }

    /// Puts back the source of an account whose removal failed, showing `why`, and
    /// restarts its sync loop unless it needs a new sign-in.
    async fn reattach(&self, key: &str, source: &Source, why: &str) {
        let mut state = source.sync();
        state.error = Some(format!("Could not remove this account: {why}"));
        // Only a working client syncs (a stand-in for one that could not start answers to
        // another key).
        let syncs = !state.needs_sign_in && source.provider.source_key() == key;
        // A new source: the loop of the old one (if it still runs) ends at its next turn.
        self.shared.accounts.insert(
            key.to_owned(),
            source.record.clone(),
            Arc::clone(&source.provider),
            state,
        );
        if syncs {
            self.spawn_sync(key.to_owned()).await;
        }
    }
}

/// Revokes `record`'s sign-in where the platform allows and deletes its keychain entry.
/// A revocation that fails (offline, already revoked) is logged; the entry is deleted
/// regardless.
pub(crate) async fn sign_out(keychain: &Keychain, record: &AccountRecord) -> Result<(), ApiError> {
    if let Some(secret) = keychain.read(&record.key).await.map_err(keychain_error)? {
        if let Err(e) = connectors::sign_out(record, secret).await {
            tracing::warn!(account = %record.key, error = %e, "could not revoke the sign-in at the platform");
        }
    }
    keychain.delete(&record.key).await.map_err(keychain_error)
}

impl Engine {
    /// Pauses the accounts signed in before the organisation's managed list was in force
    /// that it does not list: their sync loops stop (a loop ends when its source is
    /// replaced), nothing can be sent from them, and the accounts screen says why.
    pub(crate) fn pause_unmanaged_accounts(&self) {
        let managed = self.managed();
        for (key, source) in self.shared.accounts.all() {
            let Some(record) = &source.record else {
                continue;
            };
            let who = switchboard_platforms::AccountIdentity {
                platform: record.platform,
                account_id: record.account_id.clone(),
                handle: record.handle.clone(),
                display_name: record.display_name.clone(),
            };
            let Some(why) = paused_by_managed(managed, &who) else {
                continue;
            };
            tracing::warn!(account = %key, "account paused: not on the managed list");
            let state = AccountSync {
                error: Some(why),
                ..source.sync()
            };
            self.shared.accounts.insert(
                key,
                source.record.clone(),
                Arc::new(connectors::Unavailable),
                state,
            );
        }
        self.shared.changed(Vec::new());
    }
}
