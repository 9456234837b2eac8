//! Signing a brand account in and out.
//!
//! **Sign-in** is OAuth 2 authorization code with **PKCE** (S256) through the system
//! browser:
//!
//! 1. a loopback listener opens on `127.0.0.1` with a random port;
//! 2. Switchboard **registers an app** on the instance (`POST /api/v1/apps`, scopes
//!    `read write`, that loopback redirect URI) — one per sign-in, since the port is new
//!    each time; its client id and secret are part of the [`Credential`];
//! 3. the caller opens the **authorize URL** in the system browser; the person approves;
//! 4. the browser is sent to the listener with a code, which is exchanged for an access
//!    token with the PKCE verifier;
//! 5. `GET /api/v1/accounts/verify_credentials` says which account it is.
//!
//! [`sign_in`] does it all given a closure that opens the browser; [`start_sign_in`] and
//! [`PendingSignIn::finish`] split it for a caller that wants to show the URL itself.
//! **Sign-out** revokes the token (`POST /oauth/revoke`).

mod app_registration;
mod code_flow;
mod loopback;

use std::time::Duration;

use switchboard_platforms::{AccountIdentity, ProviderError};

use crate::api_client::{ApiClient, HttpOptions};
use crate::credential::Credential;
use crate::instance::{InstanceUrl, InvalidInstanceUrl, NotFound};

pub use code_flow::{sign_in, start_sign_in, PendingSignIn};

/// How a sign-in runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInOptions {
    /// The app name the instance shows on its consent page and under posts.
    pub client_name: String,
    /// The app's website, shown by the instance.
    pub website: Option<String>,
    /// How long to wait for the person to finish in the browser.
    pub timeout: Duration,
    /// Timeouts of the HTTP calls.
    pub http: HttpOptions,
}

impl Default for SignInOptions {
    fn default() -> Self {
        SignInOptions {
            client_name: "Switchboard".into(),
            website: None,
            timeout: Duration::from_secs(300),
            http: HttpOptions::default(),
        }
    }
}

/// A finished sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// What to keep in the keychain.
    pub credential: Credential,
    /// Who signed in.
    pub identity: AccountIdentity,
}

/// Why signing in or out failed, in words for the person at the laptop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// What was typed is not a server address.
    #[error(transparent)]
    InvalidInstance(#[from] InvalidInstanceUrl),
    /// The server answered, but not as a Mastodon server does.
    #[error(
        "{host} does not look like a Mastodon server (it has no Mastodon sign-in). \
         Check the address of your server"
    )]
    NotMastodon {
        /// The server's host.
        host: String,
    },
    /// The server answers on plain http only and is not on this computer.
    #[error(
        "{host} does not answer on https, only on plain http. Switchboard signs in to \
         Mastodon servers over https only; if this is a test server on this computer, type \
         its address as http://127.0.0.1:<port> or http://localhost:<port>"
    )]
    HttpOnly {
        /// The server's host.
        host: String,
    },
    /// The server could not be reached.
    #[error(
        "Switchboard could not reach {host} ({detail}). Check the address and your connection"
    )]
    Unreachable {
        /// The server's host.
        host: String,
        /// What went wrong.
        detail: String,
    },
    /// The server answered with an error of its own.
    #[error("{host} had a problem ({detail}); try again in a moment")]
    ServerError {
        /// The server's host.
        host: String,
        /// The status or message.
        detail: String,
    },
    /// The person did not grant access in the browser.
    #[error("Access was not granted in the browser, so Switchboard is not signed in")]
    ConsentDenied,
    /// Nobody finished in the browser in time.
    #[error("The sign-in was not finished within {} s; start it again", .0.as_secs())]
    TimedOut(Duration),
    /// The browser came back with an answer for another sign-in.
    #[error(
        "The browser came back with an answer that does not belong to this sign-in, so it \
         was ignored for safety; start the sign-in again"
    )]
    StateMismatch,
    /// The server refused the authorization code.
    #[error("The server refused the sign-in ({0}); start it again")]
    CodeRejected(String),
    /// The server does not accept the token (wrong, revoked or expired).
    #[error(
        "{host} does not accept this sign-in (it is wrong, revoked or expired); sign in again"
    )]
    WrongToken {
        /// The server's host.
        host: String,
    },
    /// The server's answer could not be read.
    #[error("{host} sent an answer Switchboard cannot read ({detail})")]
    Malformed {
        /// The server's host.
        host: String,
        /// What was wrong.
        detail: String,
    },
    /// The loopback listener could not be opened.
    #[error("Switchboard could not wait for the browser's answer on this computer ({0})")]
    Loopback(String),
}

/// Asks the instance who `credential` belongs to
/// (`GET /api/v1/accounts/verify_credentials`). The identity's `account_id` is the
/// account id qualified by the host of the server's web address (`109…@mastodon.example`);
/// its handle is the one the server uses (`@brand@example.social`, see
/// `handle_domain`).
#[tracing::instrument(skip_all, fields(instance = %credential.instance()), err)]
pub async fn verify_credentials(
    credential: &Credential,
    http: &HttpOptions,
) -> Result<AccountIdentity, SignInError> {
    let instance = credential.instance();
    let api = ApiClient::new(instance.clone(), credential.access_token().clone(), *http);
    let host = instance.host();
    let brand = crate::handle_domain::brand_account(&api)
        .await
        .map_err(|error| match error {
            ProviderError::SignInAgain(_) => SignInError::WrongToken { host: host.clone() },
            ProviderError::Malformed(detail) => SignInError::Malformed {
                host: host.clone(),
                detail,
            },
            ProviderError::Timeout(limit) => SignInError::Unreachable {
                host: host.clone(),
                detail: format!("no answer within {} s", limit.as_secs()),
            },
            ProviderError::Unavailable(detail) => SignInError::Unreachable {
                host: host.clone(),
                detail,
            },
            // A refusal (a suspended account, say) in the server's own words.
            other => SignInError::ServerError {
                host: host.clone(),
                detail: other.to_string(),
            },
        })?
        .ok_or_else(|| SignInError::NotMastodon { host: host.clone() })?;
    Ok(brand.identity())
}

/// Revokes the credential's token (`POST /oauth/revoke`), so the instance no longer
/// accepts it. Delete the keychain entry as well; revoking an unknown token succeeds.
#[tracing::instrument(skip_all, fields(instance = %credential.instance()), err)]
pub async fn sign_out(credential: &Credential, http: &HttpOptions) -> Result<(), SignInError> {
    let instance = credential.instance();
    let host = instance.host();
    let form = [
        ("client_id", credential.client_id().expose().as_str()),
        (
            "client_secret",
            credential.client_secret().expose().as_str(),
        ),
        ("token", credential.access_token().expose().as_str()),
    ];
    let response = crate::api_client::http_client(http)
        .post(instance.endpoint("oauth/revoke"))
        .form(&form)
        .send()
        .await
        .map_err(|e| unreachable_error(&host, e))?;
    let status = response.status();
    if status.is_success() {
        tracing::info!(%host, "Mastodon token revoked");
        Ok(())
    } else if status.is_server_error() {
        Err(SignInError::ServerError {
            host,
            detail: format!("error {}", status.as_u16()),
        })
    } else if status == reqwest::StatusCode::NOT_FOUND {
        Err(SignInError::NotMastodon { host })
    } else {
        // Mastodon answers 403 when the token belongs to another app: it is not ours to
        // revoke, and for this app it is as good as gone.
        Err(SignInError::WrongToken { host })
    }
}

pub(crate) fn unreachable_error(host: &str, error: reqwest::Error) -> SignInError {
    if error.is_timeout() {
        SignInError::Unreachable {
            host: host.to_owned(),
            detail: "no answer in time".into(),
        }
    } else {
        SignInError::Unreachable {
            host: host.to_owned(),
            detail: crate::api_client::plain_reqwest_error(error),
        }
    }
}

/// Finds the server a person typed (see [`crate::instance::find_instance`]).
pub(crate) async fn find_instance(
    input: &str,
    http: &HttpOptions,
) -> Result<InstanceUrl, SignInError> {
    crate::instance::find_instance(input, http.request_timeout)
        .await
        .map_err(|not_found| match not_found {
            NotFound::Invalid(invalid) => SignInError::InvalidInstance(invalid),
            NotFound::HttpOnly { host } => SignInError::HttpOnly { host },
        })
}
