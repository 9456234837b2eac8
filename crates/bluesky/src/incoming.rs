//! Incoming items: the brand's mentions, replies and quotes from
//! `app.bsky.notification.listNotifications`.
//!
//! The list is newest first and has no "since", so a fetch pages back with the list's own
//! cursor until it reaches the stored high-water mark (see [`crate::sync_cursor`]). The
//! first sync stops after [`ClientOptions::first_sync_limit`](crate::ClientOptions)
//! items. A page that cannot be read fails the whole fetch: nothing partial is returned
//! and the position does not move.

use std::collections::HashSet;

use switchboard_core::{Item, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::lexicon::NotificationPage;
use crate::sync_cursor::HighWaterMark;
use crate::xrpc::{Call, CallError};
use crate::BlueskyProvider;

/// The most notifications one page can hold.
pub(crate) const PAGE_SIZE: u32 = 100;
/// The notification reasons that become items.
const REASONS: [&str; 3] = ["mention", "reply", "quote"];

impl BlueskyProvider {
    pub(crate) async fn fetch_incoming(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let seen = cursor.map(HighWaterMark::parse).transpose()?;
        let mut newest = seen.clone().unwrap_or_default();
        let mut items: Vec<Item> = Vec::new();
        let mut uris = HashSet::new();
        let mut page_cursor: Option<String> = None;
        for page_number in 1.. {
            let page = self.notification_page(page_cursor.as_deref()).await?;
            let mut reached_seen = false;
            for notification in &page.notifications {
                let indexed_at =
                    Timestamp::parse_rfc3339(&notification.indexed_at).ok_or_else(|| {
                        ProviderError::Malformed(
                            "listNotifications sent a notification without a readable time".into(),
                        )
                    })?;
                if seen
                    .as_ref()
                    .is_some_and(|mark| mark.covers(indexed_at, &notification.uri))
                {
                    reached_seen = true;
                    break;
                }
                let Some(item) = self.brand.notification_item(notification)? else {
                    continue;
                };
                newest.advance(indexed_at, &notification.uri);
                if uris.insert(notification.uri.clone()) {
                    items.push(item);
                }
            }
            let first_sync_full = seen.is_none() && items.len() >= self.options.first_sync_limit;
            if reached_seen || first_sync_full || page.cursor.is_none() {
                break;
            }
            if page_number >= self.options.max_pages_per_fetch {
                tracing::warn!(
                    did = %self.brand.did,
                    pages = page_number,
                    "more Bluesky notifications than one fetch reads; older ones are skipped"
                );
                break;
            }
            page_cursor = page.cursor;
        }
        if seen.is_none() {
            items.truncate(self.options.first_sync_limit);
        }
        // Oldest first, the order in which they happened.
        items.reverse();
        let poll_after_ms = self.poll_after(false, items.len(), now);
        Ok(Page {
            items,
            next_cursor: newest.encode(),
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
