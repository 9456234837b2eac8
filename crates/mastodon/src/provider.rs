//! [`MastodonProvider`]: one brand account on one instance behind the
//! [`Provider`] trait.
//!
//! Its **source key** is `mastodon:<account id>@<instance host>`. The incoming stream
//! reads mention and quote notifications and DM conversations; the brand stream reads
//! the account's own replies. Each fetch suggests when to poll next from a
//! [`PollPacer`] (fast while items arrive, slower when idle) bounded by the account's
//! rate budget, or at once (within the budget) when more pages wait.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use switchboard_core::{Item, Timestamp};
pub(crate) use switchboard_platforms::pacing::Stream;
use switchboard_platforms::pacing::StreamPacers;
use switchboard_platforms::settling::{SettlePolicy, Unsettled};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Page, Provider, ProviderError, ReplyLimit, ReplyTarget,
};

use crate::answer_checks::AnswerChecks;
use crate::api_client::{ApiClient, HttpOptions};
use crate::credential::Credential;
use crate::dm_source::DmSource;
use crate::items::BrandAccount;
use crate::paging::PageBounds;
use crate::thread_roots::ThreadRoots;

/// How a [`MastodonProvider`] reads and paces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderOptions {
    /// Timeouts and retries.
    pub http: HttpOptions,
    /// Items per page (at most 40 on Mastodon).
    pub page_limit: u32,
    /// Pages read per list per fetch; the first sync reads at most this many pages of
    /// backlog.
    pub max_pages_per_fetch: u32,
    /// Context calls (to find a reply's thread root) one fetch may make; past that the
    /// fetch returns what it has and suggests asking again soon.
    pub max_thread_lookups_per_fetch: u32,
    /// The poll pause while items arrive.
    pub fastest_poll: Duration,
    /// The longest poll pause when nothing happens.
    pub slowest_poll: Duration,
    /// How a retry of a reply whose `POST` may have been applied reads its thread before
    /// posting again (the replies module docs: settling).
    pub settle: SettlePolicy,
}

impl Default for ProviderOptions {
    fn default() -> Self {
        ProviderOptions {
            http: HttpOptions::default(),
            page_limit: 40,
            max_pages_per_fetch: 5,
            max_thread_lookups_per_fetch: 20,
            fastest_poll: Duration::from_secs(10),
            slowest_poll: Duration::from_secs(120),
            settle: SettlePolicy::default(),
        }
    }
}

/// One Mastodon brand account.
pub struct MastodonProvider {
    pub(crate) api: ApiClient,
    pub(crate) brand: BrandAccount,
    pub(crate) options: ProviderOptions,
    pub(crate) roots: ThreadRoots,
    pub(crate) dms: DmSource,
    pub(crate) answers: AnswerChecks,
    /// The instance's reply limit, once read.
    pub(crate) reply_limit: Mutex<Option<ReplyLimit>>,
    /// The account's replies whose `POST` may have been applied (shared with its other
    /// providers in this process).
    pub(crate) unsettled: Arc<Unsettled>,
    pacers: StreamPacers,
}

impl MastodonProvider {
    /// The provider for the account `identity` (as [`crate::sign_in`] or
    /// [`crate::verify_credentials`] returned it) signed in with `credential`. Makes no
    /// call. Fails with [`ProviderError::SignInAgain`] when the identity is not an
    /// account of the credential's instance.
    pub fn new(
        credential: &Credential,
        identity: &AccountIdentity,
        options: ProviderOptions,
    ) -> Result<Self, ProviderError> {
        let host = credential.instance().host();
        let brand = BrandAccount::from_identity(identity, &host).ok_or_else(|| {
            ProviderError::SignInAgain(format!(
                "the stored sign-in is for {host}, not for account {}",
                identity.account_id
            ))
        })?;
        Ok(Self::with_brand(credential, brand, options))
    }

    /// Asks the instance who the credential belongs to
    /// (`GET /api/v1/accounts/verify_credentials`) and returns its provider.
    pub async fn connect(
        credential: &Credential,
        options: ProviderOptions,
    ) -> Result<Self, ProviderError> {
        let api = ApiClient::new(
            credential.instance().clone(),
            credential.access_token().clone(),
            options.http,
        );
        let brand = crate::handle_domain::brand_account(&api)
            .await?
            .ok_or_else(|| api.not_found(crate::api_client::VERIFY_CREDENTIALS))?;
        Ok(Self::with_api(api, brand, options))
    }

    fn with_brand(credential: &Credential, brand: BrandAccount, options: ProviderOptions) -> Self {
        let api = ApiClient::new(
            credential.instance().clone(),
            credential.access_token().clone(),
            options.http,
        );
        Self::with_api(api, brand, options)
    }

    fn with_api(api: ApiClient, brand: BrandAccount, options: ProviderOptions) -> Self {
        let unsettled =
            Unsettled::of_account(format!("mastodon {} {}", api.instance().host(), brand.key));
        MastodonProvider {
            unsettled,
            api,
            brand,
            options,
            roots: ThreadRoots::default(),
            dms: DmSource::default(),
            answers: AnswerChecks::default(),
            reply_limit: Mutex::new(None),
            pacers: StreamPacers::new(options.fastest_poll, options.slowest_poll),
        }
    }

    /// The brand account this provider works for.
    pub fn identity(&self) -> AccountIdentity {
        self.brand.identity()
    }

    pub(crate) fn bounds(&self) -> PageBounds {
        PageBounds {
            limit: self.options.page_limit.clamp(1, 40),
            max_pages: self.options.max_pages_per_fetch.max(1),
        }
    }

    /// The pause to suggest after a fetch that returned `items` and read its lists to
    /// the end (`complete`) or not.
    pub(crate) fn poll_after(
        &self,
        stream: Stream,
        items: usize,
        complete: bool,
        now: Timestamp,
    ) -> u64 {
        let budget = self.api.budget();
        self.pacers
            .poll_after_ms(stream, items, complete, &budget, now, Duration::ZERO)
    }
}

#[async_trait]
impl Provider for MastodonProvider {
    fn source_key(&self) -> String {
        format!("mastodon:{}", self.brand.key)
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::OAuthPkce
    }

    fn budget_left(&self, now: Timestamp) -> Option<u32> {
        self.api.budget().remaining(now)
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
        self.read_thread(target).await
    }

    async fn reply_limit(&self) -> Option<ReplyLimit> {
        self.instance_reply_limit().await
    }

    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        _now: Timestamp,
    ) -> Result<Item, ProviderError> {
        self.post_reply(target, text, idempotency_key).await
    }
}
