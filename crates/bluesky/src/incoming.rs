//! Incoming items: the brand's mentions, replies and quotes from
//! `app.bsky.notification.listNotifications`.
//!
//! The list is newest first by the AppView's **sort time**, the earlier of the post's
//! claimed `createdAt` and the AppView's own clock when it indexed the post (the
//! notification's `indexedAt` field carries that sort time, not the index time; checked in
//! `@atproto/bsky`: `sortAt = min(indexedAt, createdAt)`, paged with `sortAt < cursor`). So
//! a post from a phone whose clock is slow, one uploaded late, or one back-dated by an hour
//! or a thousand years lands *below* entries already read. The list is therefore read with
//! [`crate::list_sync`]: the newest part on every fetch, one older region per fetch, so an
//! entry that appears anywhere is found within one sweep cycle, dated when it can first
//! have arrived rather than as it claims (see there). The first sync takes at
//! most [`ClientOptions::first_sync_limit`](crate::ClientOptions) items. A page that cannot
//! be read fails the whole fetch: nothing partial is returned and the position does not
//! move; a single post whose record cannot be read is set aside with a warning naming it.

use switchboard_core::{Item, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::lexicon::NotificationPage;
use crate::list_sync::{self, Entry, Limits, ListPage, ListSource};
use crate::sync_cursor::{entry_hash, ListPosition, Stream};
use crate::xrpc::{Call, CallError};
use crate::BlueskyProvider;

/// The most notifications one page can hold.
pub(crate) const PAGE_SIZE: u32 = 100;
/// The notification reasons that become items.
const REASONS: [&str; 3] = ["mention", "reply", "quote"];

/// The notification list as a [`ListSource`].
struct Notifications<'a>(&'a BlueskyProvider);

impl ListSource for Notifications<'_> {
    async fn page(&self, cursor: Option<&str>) -> Result<ListPage, ProviderError> {
        let page = self.0.notification_page(cursor).await?;
        let mut entries = Vec::with_capacity(page.notifications.len());
        for notification in &page.notifications {
            if Timestamp::parse_rfc3339(&notification.indexed_at).is_none() {
                return Err(ProviderError::Malformed(
                    "listNotifications sent a notification without a readable time".into(),
                ));
            }
            // A post whose record cannot be read is set aside, named in the log: the list
            // is read again and again, so one such post must not stop the stream.
            let item = self
                .0
                .brand
                .notification_item(notification)
                .unwrap_or_else(|error| {
                    tracing::warn!(uri = %notification.uri, %error, "a Bluesky notification's post cannot be read; set aside");
                    None
                });
            entries.push(Entry {
                key: notification.indexed_at.clone(),
                hash: entry_hash(&notification.uri),
                item,
            });
        }
        Ok(ListPage {
            entries,
            cursor: page.cursor,
        })
    }
}

impl BlueskyProvider {
    pub(crate) async fn fetch_incoming(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let position = cursor
            .map(|cursor| ListPosition::parse(cursor, Stream::Incoming, &self.brand.did))
            .transpose()?;
        let limits = Limits {
            max_pages: self.options.max_pages_per_fetch,
            first_sync_limit: self.options.first_sync_limit,
        };
        let fetched = list_sync::fetch(&Notifications(self), position, &limits, now).await?;
        let items = oldest_first(fetched.items);
        let poll_after_ms = self.poll_after(false, items.len(), now);
        Ok(Page {
            items,
            next_cursor: fetched.position.encode(Stream::Incoming),
            poll_after_ms,
        })
    }

    async fn notification_page(
        &self,
        cursor: Option<&str>,
    ) -> Result<NotificationPage, ProviderError> {
        let mut call = Call::query(&self.pds, "app.bsky.notification.listNotifications")
            .param("limit", PAGE_SIZE.to_string());
        for reason in REASONS {
            call = call.param("reasons", reason);
        }
        if let Some(cursor) = cursor {
            call = call.param("cursor", cursor);
        }
        self.authed(call)
            .await
            .map_err(CallError::into_provider_error)
    }
}

/// `items` once each, oldest first (the order in which they happened).
pub(crate) fn oldest_first(mut items: Vec<Item>) -> Vec<Item> {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.native_id.clone()));
    items.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.native_id.cmp(&b.native_id))
    });
    items
}
