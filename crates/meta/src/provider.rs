//! [`MetaProvider`]: one Facebook Page or one Instagram account behind the [`Provider`]
//! trait.
//!
//! Its **source key** is `facebook:<page id>` or `instagram:<instagram user id>`. Both
//! streams read the account's listings ([`crate::listing`]) with the position described
//! in `cursor`; `sync` says how a fetch is bounded and how errors leave
//! the position where it was. Conversations are defined in [`crate::items`]; answering,
//! the messaging window and "look before posting" in [`crate::replies`]. Each fetch
//! suggests when to poll next from a [`PollPacer`] (fast while items arrive, slower when
//! idle) bounded by the account's rate budget (fed by Meta's usage headers), or soon
//! (within the budget) when changed parents are left to read.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use switchboard_core::{Item, Platform, ThreadKey, Timestamp};
pub(crate) use switchboard_platforms::pacing::Stream;
use switchboard_platforms::pacing::StreamPacers;
use switchboard_platforms::{
    AccountIdentity, AuthKind, Counting, Page, Provider, ProviderError, ReplyLimit, ReplyTarget,
};

use crate::credential::Credential;
use crate::graph::{GraphClient, HttpOptions};
use crate::items::Brand;
use crate::replies::unsettled::{self, Unsettled};
use crate::replies::{INSTAGRAM_TEXT_BYTES, MESSENGER_TEXT_CHARS};

/// How a [`MetaProvider`] reads and answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProviderOptions {
    /// Timeouts and retries.
    pub http: HttpOptions,
    /// The policy lets people answer a message 24 h–7 days old with the `HUMAN_AGENT` tag.
    pub human_agent_tag: bool,
}

/// How much one fetch reads (see `sync`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanLimits {
    /// Parents (posts, media, conversations) per listing page.
    pub parents_per_page: u32,
    /// Pages of each listing read per fetch.
    pub parent_pages: u32,
    /// Parents whose children are read per fetch.
    pub parent_reads_per_fetch: u32,
    /// Children (comments, messages) per page.
    pub children_per_page: u32,
    /// Pages of one parent's children read.
    pub child_pages: u32,
    /// Parents first met that were last active this long before the watch began are
    /// not read (see `sync`).
    pub backlog: Duration,
    /// Pages of older posts and media the sweep reads per fetch, past the newest ones.
    pub sweep_pages: u32,
    /// How many posts or media past the newest ones a sweep round goes through at most.
    pub sweep_parents: u32,
    /// The sweep's round ends at a post last active (a media posted) longer ago.
    pub sweep_horizon: Duration,
    /// The poll pause while items arrive.
    pub fastest_poll: Duration,
    /// The longest poll pause when nothing happens.
    pub slowest_poll: Duration,
    /// How long a reply whose `POST` may have been applied is remembered as unsettled
    /// (see "Settling" in the `replies` module).
    pub settle_period: Duration,
    /// How many times the conversation is read before posting a retry of an unsettled
    /// reply again (at least once).
    pub settle_reads: u32,
    /// The pause between those reads.
    pub settle_pause: Duration,
}

impl Default for ScanLimits {
    fn default() -> Self {
        ScanLimits {
            parents_per_page: 25,
            parent_pages: 3,
            parent_reads_per_fetch: 20,
            children_per_page: 100,
            child_pages: 5,
            backlog: Duration::from_secs(7 * 24 * 3600),
            sweep_pages: 1,
            sweep_parents: 300,
            sweep_horizon: Duration::from_secs(90 * 24 * 3600),
            fastest_poll: Duration::from_secs(15),
            slowest_poll: Duration::from_secs(180),
            settle_period: Duration::from_secs(120),
            settle_reads: 3,
            settle_pause: Duration::from_secs(2),
        }
    }
}

/// One Facebook Page or Instagram account.
pub struct MetaProvider {
    pub(crate) graph: GraphClient,
    pub(crate) brand: Brand,
    pub(crate) options: ProviderOptions,
    pub(crate) limits: ScanLimits,
    /// The account's replies whose `POST` may have been applied (shared with its other
    /// clients in this process).
    pub(crate) unsettled: Arc<Unsettled>,
    pacers: StreamPacers,
}

impl MetaProvider {
    /// The provider for `identity`, signed in with `credential`. Makes no call. Fails with
    /// [`ProviderError::SignInAgain`] when the credential is not this account's.
    pub fn new(
        credential: Credential,
        identity: AccountIdentity,
        options: ProviderOptions,
    ) -> Result<Self, ProviderError> {
        let brand = Brand::new(&credential, &identity)?;
        let graph = GraphClient::new(
            credential.graph.clone(),
            credential.page_token.clone(),
            options.http,
        );
        let limits = ScanLimits::default();
        let unsettled = Unsettled::of_account(unsettled::scope(
            credential.graph.0.as_str(),
            brand.platform.as_str(),
            &brand.account,
        ));
        Ok(MetaProvider {
            graph,
            brand,
            options,
            limits,
            unsettled,
            pacers: StreamPacers::new(limits.fastest_poll, limits.slowest_poll),
        })
    }

    /// The same provider reading within `limits`.
    pub fn with_limits(mut self, limits: ScanLimits) -> Self {
        self.pacers = StreamPacers::new(limits.fastest_poll, limits.slowest_poll);
        self.limits = limits;
        self
    }

    /// The pause to suggest after a fetch of `stream` that returned `items` and read
    /// every changed parent (`complete`) or not.
    pub(crate) fn poll_after(
        &self,
        stream: Stream,
        items: usize,
        complete: bool,
        now: Timestamp,
    ) -> u64 {
        let budget = self.graph.budget();
        self.pacers.poll_after_ms(
            stream,
            items,
            complete,
            &budget,
            now,
            Duration::from_secs(1),
        )
    }
}

#[async_trait]
impl Provider for MetaProvider {
    fn source_key(&self) -> String {
        format!("{}:{}", self.brand.platform.as_str(), self.brand.account)
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::DeviceCode
    }

    fn budget_left(&self, now: Timestamp) -> Option<u32> {
        self.graph.budget().remaining(now)
    }

    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.fetch(Stream::Incoming, cursor, now).await
    }

    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.fetch(Stream::Brand, cursor, now).await
    }

    /// The tightest of the account's kinds of reply: Messenger's 2000 characters
    /// (Facebook comments take 8000), Instagram messages' 1000 bytes counted here as
    /// characters (Instagram comments take 2200). [`Provider::reply`] checks each kind's
    /// own limit (bytes for Instagram messages) before posting.
    async fn reply_limit(&self) -> Option<ReplyLimit> {
        Some(match self.brand.platform {
            Platform::Instagram => ReplyLimit {
                max: INSTAGRAM_TEXT_BYTES,
                counting: Counting::Graphemes,
                service: "Instagram".into(),
            },
            _ => ReplyLimit {
                max: MESSENGER_TEXT_CHARS,
                counting: Counting::Graphemes,
                service: "Facebook".into(),
            },
        })
    }

    async fn thread(&self, target: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        let root = self.root_of(target)?;
        self.read_thread(&root).await
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

    async fn set_hidden(
        &self,
        thread: &ThreadKey,
        native_id: &str,
        hidden: bool,
    ) -> Result<(), ProviderError> {
        self.set_comment_hidden(thread, native_id, hidden).await
    }
}
