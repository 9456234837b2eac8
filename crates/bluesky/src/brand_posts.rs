//! The brand's own replies, read from its repository with `com.atproto.repo.listRecords`
//! (collection `app.bsky.feed.post`), so that an answer written anywhere — the Bluesky
//! app, another tool, straight on the PDS — marks its conversation answered.
//!
//! Records come newest **record key** first, and a key says nothing about when the record
//! was written: a reply sent through Switchboard is keyed by the time it was *queued*
//! ([`crate::record_key_for`]), so one that waited through an outage or a crash lands below
//! posts the brand wrote meanwhile. The collection is therefore read with
//! [`crate::list_sync`] like the notifications: a late-keyed record is found within one
//! sweep cycle however old its key (no bound on how long a reply waited). Only replies
//! become items: a post that starts a thread answers nobody. The repository is read from
//! the PDS, so a post counts the moment it is written, before the AppView has indexed it.

use switchboard_core::{ItemKind, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::incoming::oldest_first;
use serde::Deserialize;

use crate::lexicon::{record_key, PostRecord};
use crate::list_sync::{self, Entry, Limits, ListPage, ListSource};
use crate::sync_cursor::{entry_hash, ListPosition, Stream};
use crate::xrpc::{Call, CallError};
use crate::BlueskyProvider;

const PAGE_SIZE: u32 = 100;

/// The brand's post collection as a [`ListSource`].
struct BrandPosts<'a> {
    provider: &'a BlueskyProvider,
    now: Timestamp,
}

/// `com.atproto.repo.listRecords` output, each record read on its own: a record of an odd
/// shape (another tool may write one) is set aside rather than failing every page it is on.
#[derive(Deserialize)]
struct RecordPage {
    records: Vec<RawRecord>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Deserialize)]
struct RawRecord {
    uri: String,
    value: serde_json::Value,
}

impl ListSource for BrandPosts<'_> {
    async fn page(&self, cursor: Option<&str>) -> Result<ListPage, ProviderError> {
        let page = self.provider.record_page(cursor).await?;
        let brand = &self.provider.brand;
        let entries = page
            .records
            .iter()
            .map(|record| {
                let post = PostRecord::deserialize(&record.value)
                    .map_err(|error| {
                        let error = crate::xrpc::malformed("com.atproto.repo.listRecords", &error);
                        tracing::warn!(uri = %record.uri, %error, "a brand post cannot be read; set aside");
                    })
                    .ok();
                let item = post.filter(|post| post.reply.is_some()).map(|post| {
                    let created_at = post
                        .created_at
                        .as_deref()
                        .and_then(Timestamp::parse_rfc3339)
                        .map_or(self.now, |at| at.min(self.now));
                    brand.item(
                        &record.uri,
                        &brand.author(),
                        &post,
                        ItemKind::Reply,
                        created_at,
                    )
                });
                Entry {
                    key: record_key(&record.uri).to_owned(),
                    hash: entry_hash(&record.uri),
                    item,
                }
            })
            .collect();
        // An empty page ends the list whatever its cursor says.
        let cursor = page.cursor.filter(|_| !page.records.is_empty());
        Ok(ListPage { entries, cursor })
    }
}

impl BlueskyProvider {
    pub(crate) async fn fetch_brand_posts(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let position = cursor
            .map(|cursor| ListPosition::parse(cursor, Stream::BrandPosts, &self.brand.did))
            .transpose()?;
        let limits = Limits {
            max_pages: self.options.max_pages_per_fetch,
            first_sync_limit: self.options.first_sync_limit,
        };
        let source = BrandPosts {
            provider: self,
            now,
        };
        let fetched = list_sync::fetch(&source, position, &limits, now).await?;
        let items = oldest_first(fetched.items);
        let poll_after_ms = self.poll_after(true, items.len(), now);
        Ok(Page {
            items,
            next_cursor: fetched.position.encode(Stream::BrandPosts),
            poll_after_ms,
        })
    }

    async fn record_page(&self, cursor: Option<&str>) -> Result<RecordPage, ProviderError> {
        let mut call = Call::query(&self.pds, "com.atproto.repo.listRecords")
            .param("repo", self.brand.did.clone())
            .param("collection", "app.bsky.feed.post")
            .param("limit", PAGE_SIZE.to_string());
        if let Some(cursor) = cursor {
            call = call.param("cursor", cursor);
        }
        self.authed(call)
            .await
            .map_err(CallError::into_provider_error)
    }
}
