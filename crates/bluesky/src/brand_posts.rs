//! The brand's own replies, read from its repository with `com.atproto.repo.listRecords`
//! (collection `app.bsky.feed.post`), so that an answer written anywhere — the Bluesky
//! app, another tool, straight on the PDS — marks its conversation answered.
//!
//! Records come newest key first; a fetch pages back until the newest key it saw last
//! time (see [`crate::sync_cursor`]). Only replies become items: a post that starts a
//! thread answers nobody. The repository is read from the PDS, so a post counts the
//! moment it is written, before the AppView has indexed it.

use switchboard_core::{ItemKind, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::lexicon::{record_key, RecordPage};
use crate::sync_cursor::{encode_brand, parse_brand};
use crate::xrpc::{Call, CallError};
use crate::BlueskyProvider;

const PAGE_SIZE: u32 = 100;

impl BlueskyProvider {
    pub(crate) async fn fetch_brand_posts(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let seen = cursor.map(parse_brand).transpose()?;
        let first_sync = seen.is_none();
        let seen_key = seen.flatten();
        let mut newest_key = seen_key.clone();
        let mut items = Vec::new();
        let mut page_cursor: Option<String> = None;
        let mut records_read = 0;
        for page_number in 1.. {
            let page = self.record_page(page_cursor.as_deref()).await?;
            let mut reached_seen = false;
            for record in &page.records {
                let key = record_key(&record.uri);
                if seen_key.as_deref().is_some_and(|seen| key <= seen) {
                    reached_seen = true;
                    break;
                }
                if newest_key.as_deref().is_none_or(|newest| key > newest) {
                    newest_key = Some(key.to_owned());
                }
                records_read += 1;
                if record.value.reply.is_none() {
                    continue;
                }
                let created_at = record
                    .value
                    .created_at
                    .as_deref()
                    .and_then(Timestamp::parse_rfc3339)
                    .map_or(now, |at| at.min(now));
                let author = self.brand.author();
                items.push(self.brand.item(
                    &record.uri,
                    &author,
                    &record.value,
                    ItemKind::Reply,
                    created_at,
                ));
            }
            let first_sync_full = first_sync && records_read >= self.options.first_sync_limit;
            if reached_seen || first_sync_full || page.cursor.is_none() || page.records.is_empty() {
                break;
            }
            if page_number >= self.options.max_pages_per_fetch {
                tracing::warn!(did = %self.brand.did, "more brand posts than one fetch reads");
                break;
            }
            page_cursor = page.cursor;
        }
        items.reverse();
        let poll_after_ms = self.poll_after(true, items.len(), now);
        Ok(Page {
            items,
            next_cursor: encode_brand(newest_key.as_deref()),
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
