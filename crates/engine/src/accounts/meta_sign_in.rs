//! Signing in to Meta: Facebook Login for Devices, then choosing which Pages and
//! Instagram accounts become brand accounts.
//!
//! - **Meta app**: the company's own app, named by its App ID, with its client token
//!   (Meta documents the client token as embeddable in desktop apps; still, it is never
//!   logged nor sent to the window). Both come from the workspace policy's `[meta]` table
//!   or, when the policy names no app, are typed once on this laptop and kept for the
//!   workspace: the App ID in its settings, the client token in the keychain ([`app`]).
//! - **device login**: [`Engine::start_meta_sign_in`] asks Meta for a code and opens
//!   facebook.com/device in the browser (if it cannot, the window shows the code and the
//!   link); [`Engine::finish_meta_sign_in`] waits until the person approved it there —
//!   or [`Engine::cancel_sign_in`], or the code expires — then lists the **choices**: each
//!   Page the person manages and each Instagram account linked to one, with what the
//!   allowlist says of it ([`ChoiceVerdict`]), and sentences saying what Meta's answer
//!   left out and why (an Instagram permission not granted, a Page without access).
//! - **adding**: [`Engine::add_meta_accounts`] adds the ticked choices as
//!   [`Engine::add_account`] adds any account — allowed: the Page token to the keychain,
//!   the account to the store, a sync loop; no allowlist yet: the person confirms each
//!   first. When any ticked choice is refused, none is added. The person's user token is
//!   never stored; the choices (with their Page tokens) stay in memory until added, a new
//!   sign-in or a cancel.
//!
//! A Page token cannot be revoked on its own at Meta, so a refused choice is simply not
//! kept (see [`super::connectors`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use switchboard_core::{
    ApiError, ChoiceVerdict, ErrorCode, MetaAccountChoice, MetaAppSetup, MetaChoices,
    MetaDeviceCode, MetaPolicy, Platform, SignInOutcome, Timestamp,
};
use switchboard_meta::{BrandChoice, DeviceLogin, GraphUrl, HttpOptions, MetaApp, SignInError};
use switchboard_platforms::AccountIdentity;
use switchboard_vault::Sensitive;
use tokio::sync::watch;

use super::allowlist::{verdict_managed, Verdict};
use super::connectors::{meta_provider, meta_service, SignedIn};
use super::meta_tagged::{policy_tag, TagAllowed};
use super::sign_in::keychain_error;
use crate::api::to_api;
use crate::Engine;

mod app;

use app::StoredApp;
pub(crate) use app::CLIENT_TOKEN_ENTRY;

/// How long past the code's expiry the wait is given before it is abandoned (Meta itself
/// says "expired" first).
const EXPIRY_GRACE: Duration = Duration::from_secs(15);

/// A device login started and not yet waited for.
struct Started {
    login: DeviceLogin,
    expires_at: Timestamp,
    cancel: watch::Receiver<bool>,
}

/// The Meta sign-in of a workspace: the device login under way, and the choices the
/// latest finished one offered (by their `choice`).
#[derive(Default)]
pub(crate) struct MetaSignIn {
    started: Mutex<Option<Started>>,
    choices: Mutex<HashMap<String, BrandChoice>>,
}

impl MetaSignIn {
    /// Forgets the device login under way and the choices offered (a cancel).
    pub(super) fn forget(&self) {
        self.started
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        self.choices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// The `choice` (and source key) of a Page or Instagram account: `facebook:<page id>`,
/// `instagram:<user id>` — what [`switchboard_meta::MetaProvider`] names its source.
fn choice_key(identity: &AccountIdentity) -> String {
    format!("{}:{}", identity.platform.as_str(), identity.account_id)
}

/// The allowlist's verdict as said of a Meta choice: a Page token cannot be revoked, so
/// nothing is said to be revoked (see the module doc).
fn meta_verdict(verdict: Verdict) -> Verdict {
    match verdict {
        Verdict::Refused(message) => Verdict::Refused(
            message
                .replace(
                    "nothing was saved and the sign-in was revoked",
                    "nothing was saved",
                )
                .replace(
                    "Nothing was saved and the sign-in was revoked.",
                    "Nothing was saved.",
                ),
        ),
        other => other,
    }
}

/// `text` trimmed; `None` when empty.
fn given(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

/// A sign-in failure in plain words (never with a token).
fn sign_in_error(e: SignInError) -> ApiError {
    let code = match e {
        SignInError::BadApp(_) | SignInError::Expired | SignInError::Declined => {
            ErrorCode::InvalidInput
        }
        SignInError::MissingPermission(_) | SignInError::NoPages => ErrorCode::NotAllowed,
        SignInError::Unreachable(_) | SignInError::Malformed(_) => ErrorCode::Platform,
    };
    ApiError::new(code, format!("Facebook sign-in: {e}."))
}

/// The App ID and client token to sign in with: the policy's, else `typed` now, else
/// kept on this laptop. A client token kept for another App ID is not used.
fn resolve_app(
    policy: &MetaPolicy,
    stored: &StoredApp,
    typed_id: Option<String>,
    typed_token: Option<String>,
) -> Result<(String, Sensitive<String>), ApiError> {
    let app_id = match (&policy.app_id, typed_id) {
        (Some(policy_id), Some(typed)) if typed != *policy_id => {
            return Err(invalid(format!(
                "The workspace policy sets the Meta App ID ({policy_id}); it cannot be changed \
                 here. Ask whoever maintains the policy to change [meta] app_id."
            )))
        }
        (Some(policy_id), _) => policy_id.clone(),
        (None, Some(typed)) => typed,
        (None, None) => stored.app_id.clone().ok_or_else(|| {
            invalid(
                "Enter the App ID of your company's Meta app (App Dashboard → Settings → Basic).",
            )
        })?,
    };
    if !app_id.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid(format!(
            "\"{app_id}\" is not a Meta App ID: it is the number shown in the App Dashboard \
             (Settings → Basic)."
        )));
    }
    let same_app = stored.app_id.as_deref() == Some(app_id.as_str());
    let token = match (&policy.client_token, typed_token) {
        (Some(policy_token), Some(typed)) if typed != *policy_token => {
            return Err(invalid(
                "The workspace policy sets the Meta client token; it cannot be changed here. \
                 Ask whoever maintains the policy to change [meta] client_token.",
            ))
        }
        (Some(policy_token), _) => policy_token.clone(),
        (None, Some(typed)) => typed,
        (None, None) => stored
            .client_token
            .as_ref()
            .filter(|_| same_app)
            .map(|token| token.expose().clone())
            .ok_or_else(|| {
                invalid(
                    "Enter the client token of your company's Meta app (App Dashboard → \
                     Settings → Advanced → Security → Client token).",
                )
            })?,
    };
    if token.chars().any(|c| c.is_whitespace() || c == '|') {
        return Err(invalid(
            "That is not a Meta client token: copy it from the App Dashboard (Settings → \
             Advanced → Security → Client token), without the App ID or spaces.",
        ));
    }
    Ok((app_id, Sensitive::new(token)))
}

impl Engine {
    /// The Meta app this workspace signs in with.
    pub async fn meta_app_setup(&self) -> Result<MetaAppSetup, ApiError> {
        let policy = self.shared.policy().meta.clone();
        // The keychain is read only for a client token the policy does not give.
        let stored = app::stored(&self.shared, policy.client_token.is_none()).await?;
        let from_policy = policy.app_id.is_some();
        let app_id = policy.app_id.clone().or(stored.app_id.clone());
        let has_client_token = policy.client_token.is_some()
            || (stored.client_token.is_some() && stored.app_id == app_id);
        Ok(MetaAppSetup {
            app_id,
            has_client_token,
            from_policy,
            human_agent_tag: policy.human_agent_tag,
        })
    }

    /// Starts a device login; see the command's doc.
    pub async fn start_meta_sign_in(
        &self,
        app_id: Option<String>,
        client_token: Option<String>,
    ) -> Result<MetaDeviceCode, ApiError> {
        let shared = &self.shared;
        // Fail early, before the person goes through a sign-in, when there is no keychain.
        shared
            .accounts
            .keychain
            .check()
            .await
            .map_err(keychain_error)?;
        let policy = shared.policy().meta.clone();
        let stored = app::stored(&self.shared, policy.client_token.is_none()).await?;
        let (typed_id, typed_token) = (given(app_id), given(client_token));
        let (app_id, token) = resolve_app(&policy, &stored, typed_id, typed_token)?;
        let app = MetaApp {
            app_id: app_id.clone(),
            client_token: token.clone(),
            graph: GraphUrl::from_env(),
            http: HttpOptions::default(),
        };
        let login = switchboard_meta::start_device_login(&app)
            .await
            .map_err(sign_in_error)?;
        // Meta knows the app: keep what the policy does not say (the App ID in the
        // settings, its client token in the keychain), for the next sign-in.
        if policy.client_token.is_none() {
            app::keep(shared, &stored, &app_id, &token).await?;
        }
        let now = shared.now();
        let expires_at =
            now.plus_millis(i64::try_from(login.expires_in.as_millis()).unwrap_or(i64::MAX / 2));
        let code = MetaDeviceCode {
            user_code: login.user_code.clone(),
            verification_uri: login.verification_uri.clone(),
            expires_at,
        };
        let cancel = shared.accounts.sign_in.begin();
        let meta = &shared.accounts.sign_in.meta;
        meta.choices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        *meta.started.lock().unwrap_or_else(|p| p.into_inner()) = Some(Started {
            login,
            expires_at,
            cancel,
        });
        tracing::info!(app_id = %app_id, "Meta device login started");
        if let Some(open_url) = &self.open_url {
            if let Err(e) = open_url(&code.verification_uri) {
                tracing::warn!(error = %e, "could not open the browser for the Facebook sign-in; the window shows the link");
            }
        }
        Ok(code)
    }

    /// Waits for the device login's approval and lists the choices, with what Meta's
    /// answer left out and why.
    pub async fn finish_meta_sign_in(&self) -> Result<MetaChoices, ApiError> {
        let shared = &self.shared;
        let meta = &shared.accounts.sign_in.meta;
        let started = meta
            .started
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    "No Facebook sign-in is waiting: start it again.",
                )
            })?;
        let Started {
            login,
            expires_at,
            mut cancel,
        } = started;
        let left = Duration::from_millis(
            u64::try_from(expires_at.millis() - shared.now().millis()).unwrap_or(0),
        ) + EXPIRY_GRACE;
        let user = tokio::select! {
            waited = tokio::time::timeout(left, login.wait()) => match waited {
                Ok(user) => user.map_err(sign_in_error)?,
                Err(_) => return Err(sign_in_error(SignInError::Expired)),
            },
            _ = cancel.wait_for(|cancelled| *cancelled) => {
                return Err(invalid("The sign-in was cancelled."));
            }
        };
        let listed = tokio::select! {
            listed = switchboard_meta::brand_choices(&user) => listed.map_err(sign_in_error)?,
            _ = cancel.wait_for(|cancelled| *cancelled) => {
                return Err(invalid("The sign-in was cancelled."));
            }
        };
        for why in &listed.left_out {
            tracing::info!(left_out = %why, "a Page or Instagram account is not offered");
        }
        if listed.choices.is_empty() {
            let why = if listed.left_out.is_empty() {
                SignInError::NoPages.to_string()
            } else {
                listed.left_out.join(" ")
            };
            return Err(ApiError::new(
                ErrorCode::NotAllowed,
                format!("Facebook sign-in: nothing can be added ({why})."),
            ));
        }
        let (choices, left_out) = (listed.choices, listed.left_out);
        let mut views = Vec::with_capacity(choices.len());
        let mut kept = HashMap::new();
        for choice in choices {
            let verdict = self.choice_verdict(&choice.identity).await?;
            let key = choice_key(&choice.identity);
            views.push(MetaAccountChoice {
                choice: key.clone(),
                platform: choice.identity.platform,
                account_id: choice.identity.account_id.clone(),
                handle: choice.identity.handle.clone(),
                display_name: choice.identity.display_name.clone(),
                linked_page: choice.linked_page.clone(),
                verdict,
            });
            kept.insert(key, choice);
        }
        tracing::info!(
            choices = views.len(),
            left_out = left_out.len(),
            "Facebook sign-in approved; Pages and Instagram accounts offered"
        );
        *meta.choices.lock().unwrap_or_else(|p| p.into_inner()) = kept;
        Ok(MetaChoices {
            choices: views,
            left_out,
        })
    }

    /// What the allowlist (with the organisation's managed list) says of `who`, and
    /// whether it is already a brand account of this workspace.
    async fn choice_verdict(&self, who: &AccountIdentity) -> Result<ChoiceVerdict, ApiError> {
        let verdict = meta_verdict(verdict_managed(self.managed(), &self.shared.policy(), who));
        if let Verdict::Refused(reason) = verdict {
            return Ok(ChoiceVerdict::Refused { reason });
        }
        let here = self.account_keys().await?.contains(&choice_key(who));
        Ok(match verdict {
            _ if here => ChoiceVerdict::AlreadyAdded,
            Verdict::NeedsConfirmation => ChoiceVerdict::NeedsConfirmation,
            _ => ChoiceVerdict::Allowed,
        })
    }

    /// The keys of this workspace's brand accounts.
    async fn account_keys(&self) -> Result<Vec<String>, ApiError> {
        let records = self.shared.store.accounts().await.map_err(to_api)?;
        Ok(records.into_iter().map(|record| record.key).collect())
    }

    /// Adds the chosen accounts.
    pub async fn add_meta_accounts(
        &self,
        choices: Vec<String>,
    ) -> Result<Vec<SignInOutcome>, ApiError> {
        if choices.is_empty() {
            return Err(invalid("Tick at least one Page or Instagram account."));
        }
        let shared = &self.shared;
        shared
            .accounts
            .keychain
            .check()
            .await
            .map_err(keychain_error)?;
        let offered: Vec<BrandChoice> = {
            let kept = shared
                .accounts
                .sign_in
                .meta
                .choices
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            let mut offered = Vec::new();
            for choice in &choices {
                let found = kept.get(choice).cloned().ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        "That Page or Instagram account is no longer offered: sign in with \
                         Facebook again.",
                    )
                })?;
                if !offered
                    .iter()
                    .any(|o: &BrandChoice| choice_key(&o.identity) == *choice)
                {
                    offered.push(found);
                }
            }
            offered
        };
        // Every verdict first (the policy may have changed since they were shown): one
        // refused, none is added.
        let policy = shared.policy();
        let verdicts: Vec<Verdict> = offered
            .iter()
            .map(|choice| meta_verdict(verdict_managed(self.managed(), &policy, &choice.identity)))
            .collect();
        let refused: Vec<&str> = verdicts
            .iter()
            .filter_map(|v| match v {
                Verdict::Refused(reason) => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        if !refused.is_empty() {
            tracing::warn!(
                refused = refused.len(),
                "Meta accounts refused: not on the allowlist"
            );
            return Err(ApiError::new(ErrorCode::NotAllowed, refused.join(" ")));
        }
        let here = self.account_keys().await?;
        let mut outcomes = Vec::with_capacity(offered.len());
        for (choice, verdict) in offered.into_iter().zip(verdicts) {
            let key = choice_key(&choice.identity);
            let signed = signed_in(choice, policy_tag(&self.shared))?;
            let outcome = match verdict {
                // An account already here was confirmed when it was added: a new sign-in
                // only refreshes its token.
                Verdict::NeedsConfirmation if !here.contains(&key) => {
                    self.hold_for_confirmation(signed)
                }
                _ => SignInOutcome::Added {
                    account: self.keep(signed).await?,
                },
            };
            shared
                .accounts
                .sign_in
                .meta
                .choices
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&key);
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }
}

/// A chosen Page or Instagram account as a completed sign-in, not yet stored.
fn signed_in(choice: BrandChoice, tag: TagAllowed) -> Result<SignedIn, ApiError> {
    let secret = choice.credential.to_secret();
    let platform: Platform = choice.identity.platform;
    let provider = meta_provider(choice.credential, choice.identity.clone(), tag)
        .map_err(|e| ApiError::new(ErrorCode::Platform, e.to_string()))?;
    Ok(SignedIn {
        identity: choice.identity,
        service: meta_service(platform).to_owned(),
        secret,
        provider,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(app_id: Option<&str>, token: Option<&str>) -> MetaPolicy {
        MetaPolicy {
            app_id: app_id.map(str::to_owned),
            client_token: token.map(str::to_owned),
            human_agent_tag: false,
        }
    }

    fn stored(app_id: &str, token: &str) -> StoredApp {
        StoredApp {
            app_id: Some(app_id.into()),
            client_token: Some(Sensitive::new(token.into())),
        }
    }

    #[test]
    fn the_policy_app_wins_and_cannot_be_changed_from_the_window() {
        let p = policy(Some("111"), Some("tok"));
        let (id, token) = resolve_app(&p, &StoredApp::default(), None, None).unwrap();
        assert_eq!((id.as_str(), token.expose().as_str()), ("111", "tok"));
        let same = resolve_app(&p, &StoredApp::default(), Some("111".into()), None);
        assert!(same.is_ok());
        let other = resolve_app(&p, &StoredApp::default(), Some("222".into()), None);
        let error = other.err().unwrap();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert!(
            error.message.contains("policy sets the Meta App ID"),
            "{}",
            error.message
        );
        let token = resolve_app(&p, &StoredApp::default(), None, Some("secret-ish".into()));
        let error = token.err().unwrap();
        assert!(!error.message.contains("secret-ish"), "{}", error.message);
    }

    #[test]
    fn without_a_policy_app_the_typed_one_then_the_kept_one_is_used() {
        let p = policy(None, None);
        let kept = stored("333", "kept");
        let (id, token) = resolve_app(&p, &kept, None, None).unwrap();
        assert_eq!((id.as_str(), token.expose().as_str()), ("333", "kept"));
        let (id, token) = resolve_app(&p, &kept, Some("444".into()), Some("typed".into())).unwrap();
        assert_eq!((id.as_str(), token.expose().as_str()), ("444", "typed"));
        // A kept client token belongs to its app only.
        let error = resolve_app(&p, &kept, Some("444".into()), None)
            .err()
            .unwrap();
        assert!(error.message.contains("client token"), "{}", error.message);
        let error = resolve_app(&p, &StoredApp::default(), None, None)
            .err()
            .unwrap();
        assert!(error.message.contains("App ID"), "{}", error.message);
        let error = resolve_app(&p, &kept, Some("acme".into()), None)
            .err()
            .unwrap();
        assert!(
            error.message.contains("not a Meta App ID"),
            "{}",
            error.message
        );
        let error = resolve_app(&p, &kept, None, Some("333|kept".into()))
            .err()
            .unwrap();
        assert!(!error.message.contains("kept"), "{}", error.message);
    }

    #[test]
    fn a_refusal_does_not_claim_a_page_token_was_revoked() {
        let refused = Verdict::Refused(
            "x is not one of this workspace's brand accounts (…). Switchboard is for the \
             company's brand accounts only, never personal ones, so nothing was saved and the \
             sign-in was revoked. If this is a brand account, ask…"
                .into(),
        );
        let Verdict::Refused(message) = meta_verdict(refused) else {
            panic!("still refused");
        };
        assert!(!message.contains("revoked"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");
    }

    #[test]
    fn sign_in_failures_are_sentences_that_name_facebook() {
        let error = sign_in_error(SignInError::Expired);
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(
            error.message,
            "Facebook sign-in: the code expired before it was approved; start again."
        );
        assert_eq!(
            sign_in_error(SignInError::NoPages).code,
            ErrorCode::NotAllowed
        );
    }
}
