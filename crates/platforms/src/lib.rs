//! Platform providers behind one trait.
//!
//! A **provider** speaks to one brand account on one platform: a real platform client
//! (`switchboard-mastodon`, `switchboard-bluesky`, …) or the built-in [`demo::DemoNetwork`].
//! The engine asks it for everything after a **cursor** (an opaque position the provider
//! defines) and stores the page and the new cursor in one transaction, so a crash never
//! loses or doubles an item. There are two streams per account, each with its own cursor:
//! **incoming** items (mentions, replies, quotes, comments, DMs) and the brand account's
//! **own posts**, which show answers made outside Switchboard.
//!
//! Shared pieces every client uses: [`pacing`] (one rate-limit budget per account and
//! adaptive polling) and [`backoff`] (retries with jitter that honour `Retry-After`).

pub mod backoff;
mod connection_words;
pub mod demo;
mod http_options;
pub mod pacing;
mod reply_limit;
pub mod settling;

pub use connection_words::{connection_failure_words, error_chain};
pub use http_options::HttpOptions;
pub use reply_limit::{Counting, ReplyLimit};

use std::time::Duration;

use async_trait::async_trait;
use switchboard_core::{Item, Platform, ThreadKey, Timestamp};

/// One page of items fetched after a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The items, in the order the provider produced them (customer and brand items alike).
    pub items: Vec<Item>,
    /// The cursor to ask from next time; stored with the items.
    pub next_cursor: String,
    /// How long the provider suggests waiting before the next fetch, in milliseconds.
    pub poll_after_ms: u64,
}

/// Who a credential belongs to, as the platform reports it after sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountIdentity {
    /// The platform.
    pub platform: Platform,
    /// The platform's stable id of the account (a Mastodon account id qualified by its
    /// instance host, e.g. `109…@mastodon.example`; a Bluesky DID).
    pub account_id: String,
    /// The handle people know it by (`@brand@mastodon.example`, `brand.bsky.social`).
    pub handle: String,
    /// The name the account shows.
    pub display_name: String,
}

/// How a provider signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// Nothing to sign in to (the demo network).
    None,
    /// OAuth 2 authorization code with PKCE through the system browser and a loopback
    /// redirect (Mastodon).
    OAuthPkce,
    /// A handle and an app password exchanged for a session (Bluesky).
    AppPassword,
    /// A code shown in the window and approved in the browser (Facebook Login for
    /// Devices: Facebook Pages and Instagram).
    DeviceCode,
}

/// The item a reply answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTarget {
    /// The conversation.
    pub thread: ThreadKey,
    /// The platform's id of the item being answered (usually the customer's latest).
    pub in_reply_to: String,
}

/// Why a platform call failed. Messages are plain words for the person at the laptop;
/// they never contain a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The cursor stored for this source is not one this provider wrote.
    #[error("the stored sync position `{0}` is not valid for this account; it will be reset")]
    BadCursor(String),
    /// The platform could not be reached or answered with a server error.
    #[error("{0}")]
    Unavailable(String),
    /// The platform asked us to slow down; try again after the given time.
    #[error("the platform asked to slow down; retrying in {} s", retry_after.as_secs().max(1))]
    RateLimited {
        /// How long to wait.
        retry_after: Duration,
    },
    /// The platform did not answer in time.
    #[error("the platform did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    /// The credential was revoked or expired and cannot be refreshed: the person must
    /// sign in again.
    #[error("sign in again: {0}")]
    SignInAgain(String),
    /// The platform answered with something that is not what its API documents.
    #[error("the platform sent a response Switchboard cannot read: {0}")]
    Malformed(String),
    /// The platform refused the request (e.g. a reply that is too long).
    #[error("the platform refused: {0}")]
    Refused(String),
    /// This provider cannot do that.
    #[error("{0} is not supported for this account")]
    Unsupported(&'static str),
}

impl ProviderError {
    /// How long the platform asked to wait, for errors that carry one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// Whether retrying later can help (network trouble, rate limits, server errors).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ProviderError::Unavailable(_)
                | ProviderError::RateLimited { .. }
                | ProviderError::Timeout(_)
        )
    }
}

/// One brand account on one platform.
#[async_trait]
pub trait Provider: Send + Sync {
    /// The key the engine stores the incoming stream's cursor under, e.g.
    /// `mastodon:109…@mastodon.example`. The brand's own posts use
    /// [`Provider::brand_source_key`].
    fn source_key(&self) -> String;

    /// The key of the brand-posts stream's cursor.
    fn brand_source_key(&self) -> String {
        format!("{}#brand", self.source_key())
    }

    /// How this provider signs in.
    fn auth_kind(&self) -> AuthKind;

    /// Calls left in the platform's current rate-limit window at `now`, when it said.
    fn budget_left(&self, now: Timestamp) -> Option<u32> {
        let _ = now;
        None
    }

    /// Fetches incoming items after `cursor` (`None`: from the beginning, meaning what
    /// the platform still lists), with `now` the current time.
    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError>;

    /// Fetches the brand account's own replies after `cursor`, wherever they were
    /// written, so conversations answered outside Switchboard count as answered.
    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError>;

    /// The longest reply the platform takes and how it counts, when known; `None` (the
    /// default) checks nothing before queueing, and the platform's own refusal ends the
    /// reply as not sent.
    async fn reply_limit(&self) -> Option<ReplyLimit> {
        None
    }

    /// Fetches the whole conversation around `target` (ancestors and replies).
    async fn thread(&self, target: &ReplyTarget) -> Result<Vec<Item>, ProviderError>;

    /// Posts `text` as the brand's reply to `target`. The same `idempotency_key` never
    /// posts twice. Returns the posted item.
    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError>;

    /// Hides the item `native_id` of conversation `thread` from the public (`hidden`) or
    /// shows it again. Nothing is deleted: the brand still sees a hidden item, and hiding
    /// is undone by showing it again. The default refuses: only platforms that can hide
    /// (Facebook and Instagram comments) say otherwise.
    async fn set_hidden(
        &self,
        thread: &ThreadKey,
        native_id: &str,
        hidden: bool,
    ) -> Result<(), ProviderError> {
        let _ = (thread, native_id, hidden);
        Err(ProviderError::Unsupported("hiding comments"))
    }
}
