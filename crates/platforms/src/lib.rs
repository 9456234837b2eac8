//! Platform providers behind one trait.
//!
//! A **provider** is a source of items for one brand account: a real platform client
//! (Mastodon, Bluesky, … — to come) or the built-in [`demo::DemoNetwork`]. The engine asks
//! a provider for everything after a **cursor** (an opaque position the provider defines)
//! and stores the page and the new cursor in one transaction.

pub mod demo;

use async_trait::async_trait;
use switchboard_core::{Item, Timestamp};

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

/// Why a fetch failed. Messages are plain words for the person at the laptop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The cursor stored for this source is not one this provider wrote.
    #[error("the stored sync position `{0}` is not valid for this account; it will be reset")]
    BadCursor(String),
    /// The platform could not be reached or answered with an error.
    #[error("{0}")]
    Unavailable(String),
}

/// A source of items for one brand account.
#[async_trait]
pub trait Provider: Send {
    /// The key the engine stores this provider's cursor under, e.g. `demo:northwind`.
    fn source_key(&self) -> String;

    /// Fetches what came after `cursor` (`None`: from the beginning), with `now` the
    /// current time.
    async fn fetch_since(
        &mut self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError>;
}
