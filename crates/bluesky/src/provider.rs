//! [`BlueskyProvider`]: one signed-in brand account behind the provider trait.
//!
//! Every call goes to the account's **PDS** (personal data server). Calls in the
//! `app.bsky.*` namespace (notifications, threads, profiles) are answered by the
//! **AppView**, the service that indexes the whole network; the PDS forwards them to the
//! AppView it is configured with, or to the one named in the `atproto-proxy` header
//! ([`ClientOptions::appview_proxy`]).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use switchboard_core::{Item, Timestamp};
use switchboard_platforms::pacing::{Stream, StreamPacers};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Counting, Page, Provider, ProviderError, ReplyLimit, ReplyTarget,
};
use switchboard_vault::Sensitive;

use crate::credential::Credential;
use crate::items::BrandAccount;
use crate::session::{self, SessionKeeper, SessionListener};
use crate::xrpc::{Call, CallError, Xrpc};

/// Settings of a Bluesky client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// The longest one call may take.
    pub request_timeout: Duration,
    /// The `atproto-proxy` header for AppView calls (e.g.
    /// `did:web:api.bsky.app#bsky_appview`); `None` lets the PDS use its default AppView.
    pub appview_proxy: Option<String>,
    /// How many items the first sync of a stream (no stored position) takes at most.
    pub first_sync_limit: usize,
    /// How many pages one fetch reads at most before it stops and moves on.
    pub max_pages_per_fetch: usize,
    /// The fastest polling pace, while items arrive.
    pub poll_fastest: Duration,
    /// The slowest polling pace, when nothing happens.
    pub poll_slowest: Duration,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            request_timeout: Duration::from_secs(20),
            appview_proxy: None,
            first_sync_limit: 200,
            max_pages_per_fetch: 100,
            poll_fastest: Duration::from_secs(5),
            poll_slowest: Duration::from_secs(120),
            user_agent: format!("Switchboard/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The service most Bluesky accounts sign in at.
pub const BLUESKY_SERVICE: &str = "https://bsky.social";

/// Signs in to `service` (usually [`BLUESKY_SERVICE`]) with `handle` and an app password;
/// returns the session to keep in the keychain and who it belongs to.
pub async fn sign_in(
    service: &str,
    handle: &str,
    app_password: &Sensitive<String>,
    options: &ClientOptions,
) -> Result<(Credential, AccountIdentity), ProviderError> {
    let xrpc = Xrpc::new(options.request_timeout, &options.user_agent)?;
    let credential = session::sign_in(&xrpc, service, handle, app_password).await?;
    let identity = session::identity(&xrpc, &credential, options.appview_proxy.as_deref()).await?;
    Ok((credential, identity))
}

/// One Bluesky brand account.
pub struct BlueskyProvider {
    pub(crate) xrpc: Xrpc,
    pub(crate) session: SessionKeeper,
    pub(crate) brand: BrandAccount,
    pub(crate) pds: String,
    pub(crate) options: ClientOptions,
    pacers: StreamPacers,
}

impl BlueskyProvider {
    /// The account of a saved `credential`. `listener` (if any) is called with the new
    /// credential after every session refresh, to save it: Bluesky replaces the refresh
    /// token each time.
    pub fn new(
        credential: Credential,
        options: ClientOptions,
        listener: Option<SessionListener>,
    ) -> Result<Self, ProviderError> {
        let xrpc = Xrpc::new(options.request_timeout, &options.user_agent)?;
        Ok(BlueskyProvider {
            xrpc,
            brand: BrandAccount {
                did: credential.did.clone(),
                handle: credential.handle.clone(),
            },
            pds: credential.pds.clone(),
            session: SessionKeeper::new(credential, listener),
            pacers: StreamPacers::new(options.poll_fastest, options.poll_slowest),
            options,
        })
    }

    /// The current session (it changes when refreshed).
    pub fn credential(&self) -> Credential {
        Credential::clone(&self.session.current())
    }

    /// How many times the session was refreshed since this provider was made.
    pub fn session_refreshes(&self) -> u64 {
        self.session.refreshes()
    }

    /// Who the account is: DID, handle, display name.
    pub async fn identity(&self) -> Result<AccountIdentity, ProviderError> {
        // A cheap authenticated call first, so an expired session is refreshed.
        self.authed::<serde_json::Value>(Call::query(&self.pds, "com.atproto.server.getSession"))
            .await
            .map_err(CallError::into_provider_error)?;
        let credential = self.session.current();
        session::identity(
            &self.xrpc,
            &credential,
            self.options.appview_proxy.as_deref(),
        )
        .await
    }

    /// Signs out: ends the session on Bluesky, so its tokens stop working. Delete the
    /// keychain entry too.
    pub async fn sign_out(&self) -> Result<(), ProviderError> {
        session::sign_out(&self.xrpc, &self.session.current()).await
    }

    /// Sends `call` with the current access token; on `ExpiredToken` refreshes the session
    /// (one refresh at a time) and sends it once more. A refused token reads as
    /// [`ProviderError::SignInAgain`].
    pub(crate) async fn authed<T: serde::de::DeserializeOwned>(
        &self,
        call: Call<'_>,
    ) -> Result<T, CallError> {
        let credential = self.session.current();
        let first = self
            .xrpc
            .call(&with_token(&call, &credential, &self.options))
            .await;
        let result = match first {
            Err(error) if error.is("ExpiredToken") => {
                let fresh = self.session.refresh(&self.xrpc, &credential).await?;
                self.xrpc
                    .call(&with_token(&call, &fresh, &self.options))
                    .await
            }
            other => other,
        };
        result.map_err(|error| match error {
            CallError::Refused {
                status, ref error, ..
            } if status == 401
                || matches!(
                    error.as_str(),
                    "ExpiredToken" | "InvalidToken" | "AuthMissing" | "AccountTakedown"
                ) =>
            {
                CallError::Failed(session::sign_in_again(&self.brand.handle))
            }
            other => other,
        })
    }

    /// The pause before the next poll of a stream after one that found `new_items`.
    pub(crate) fn poll_after(&self, brand_stream: bool, new_items: usize, now: Timestamp) -> u64 {
        let stream = if brand_stream {
            Stream::Brand
        } else {
            Stream::Incoming
        };
        let budget = self.xrpc.budget();
        self.pacers
            .poll_after_ms(stream, new_items, true, &budget, now, Duration::ZERO)
    }
}

/// `call` with `credential`'s access token and, for AppView methods, the proxy header.
fn with_token<'a>(
    call: &Call<'a>,
    credential: &'a Arc<Credential>,
    options: &'a ClientOptions,
) -> Call<'a> {
    let proxy = options
        .appview_proxy
        .as_deref()
        .filter(|_| call.nsid.starts_with("app.bsky."));
    Call {
        base: call.base,
        nsid: call.nsid,
        query: call.query.clone(),
        post: call.post,
        body: call.body.clone(),
        bearer: Some(credential.access.expose()),
        proxy,
        retry_server_errors: call.retry_server_errors,
    }
}

#[async_trait]
impl Provider for BlueskyProvider {
    fn source_key(&self) -> String {
        format!("bluesky:{}", self.brand.did)
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::AppPassword
    }

    /// From the `RateLimit-*` headers of this account's last responses.
    fn budget_left(&self, now: Timestamp) -> Option<u32> {
        self.xrpc.budget_left(now)
    }

    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.fetch_incoming(cursor, now).await
    }

    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.fetch_brand_posts(cursor, now).await
    }

    async fn thread(&self, target: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        self.fetch_thread(target).await
    }

    /// 300 graphemes, as Bluesky counts.
    async fn reply_limit(&self) -> Option<ReplyLimit> {
        Some(ReplyLimit {
            max: crate::replying::MAX_POST_GRAPHEMES,
            counting: Counting::Graphemes,
            service: "Bluesky".into(),
        })
    }

    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        self.post_reply(target, text, idempotency_key, now).await
    }
}
