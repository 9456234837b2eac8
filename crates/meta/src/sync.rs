//! One fetch of a stream: read each listing, read the children of every parent that
//! changed (see [`crate::cursor`]), and write the new position.
//!
//! - The **incoming** stream returns every item it reads, the brand's own included
//!   (`from_brand`), so an answer written anywhere lands with the conversation. The
//!   **brand** stream keeps its own position over the same listings and returns the
//!   brand's items only: an answer written in Meta Business Suite is found even when the
//!   incoming stream has nothing new.
//! - **Bounds**: each listing is read for at most `parent_pages` pages; at most
//!   `parent_reads_per_fetch` parents have their children read per fetch; a parent's
//!   children are read for at most `child_pages` pages. A fetch that leaves changed
//!   parents unread says so with a short `poll_after_ms`, and the next fetch goes on.
//! - **First sync** (no stored position): parents last active more than `backlog` ago
//!   are noted, not read; later activity on them is read as usual.
//! - The brand's own top-level comments (on its posts, its media) answer nothing and are
//!   skipped: they start no conversation.
//! - **Errors**: any failed call ends the fetch with its error and no new position, so
//!   nothing read before it is lost (the next fetch reads it again). A paging cursor that
//!   expired mid-listing restarts that listing from its first page.

use serde_json::Value;
use switchboard_core::{Item, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::cursor::Cursor;
use crate::graph::GraphError;
use crate::items::{set_aside, Root};
use crate::provider::{MetaProvider, Stream};

/// How many times a listing restarts after its paging cursor expired, in one fetch.
const RESTARTS: u32 = 2;

impl MetaProvider {
    /// Fetches `stream` after `cursor` at `now`.
    pub(crate) async fn fetch(
        &self,
        stream: Stream,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let first = cursor.is_none();
        let old = match cursor {
            Some(text) => Cursor::read(text)?,
            None => Cursor::first(),
        };
        let mut new = Cursor::first();
        let mut items: Vec<Item> = Vec::new();
        let mut reads_left = self.limits.parent_reads_per_fetch.max(1);
        let mut complete = true;
        let backlog_start = now.plus_millis(-(self.limits.backlog.as_millis() as i64));
        for listing in self.listings() {
            let known = old.lists.get(listing.name()).cloned().unwrap_or_default();
            let parents = self.list_parents(listing).await?;
            let watched = new.lists.entry(listing.name().to_owned()).or_default();
            for parent in &parents {
                let id = match parent.get("id").and_then(Value::as_str) {
                    Some(id) if !id.is_empty() => id.to_owned(),
                    _ => {
                        set_aside(listing.name(), parent, "it has no `id`");
                        continue;
                    }
                };
                let signature = match listing.signature(parent) {
                    Ok(signature) => signature,
                    Err(why) => {
                        set_aside(listing.name(), parent, &why);
                        continue;
                    }
                };
                let before = known.get(&id);
                if before == Some(&signature) {
                    watched.insert(id, signature);
                    continue;
                }
                let old_news = first
                    && listing
                        .active_at(parent)
                        .is_some_and(|at| at < backlog_start);
                if old_news {
                    tracing::debug!(listing = listing.name(), parent = %id, "older than the first sync's backlog");
                    watched.insert(id, signature);
                    continue;
                }
                if listing.reads_children() {
                    if reads_left == 0 {
                        complete = false;
                        if let Some(before) = before {
                            watched.insert(id, before.clone());
                        }
                        continue;
                    }
                    reads_left -= 1;
                }
                let children = self.children(listing, parent).await?;
                items.extend(children.into_iter().filter(|item| {
                    (stream == Stream::Incoming || item.from_brand) && !self.brand_opens(item)
                }));
                watched.insert(id, signature);
            }
        }
        let poll_after_ms = self.poll_after(stream, items.len(), complete, now);
        Ok(Page {
            items,
            next_cursor: new.write(),
            poll_after_ms,
        })
    }

    /// Whether `item` is the brand's own top-level comment: it answers nothing, so it
    /// starts no conversation (a customer's reply under it does, and shows it as context).
    fn brand_opens(&self, item: &Item) -> bool {
        item.from_brand && item.thread == self.brand.thread(&Root::Comment(item.native_id.clone()))
    }

    /// Every page of `path` (at most `max_pages`), restarting from the first page when a
    /// paging cursor expired.
    pub(crate) async fn read_all(
        &self,
        path: &str,
        query: &[(&str, String)],
        max_pages: u32,
    ) -> Result<Vec<Value>, ProviderError> {
        self.read_all_after(path, query, None, max_pages.max(1))
            .await
    }

    /// At most `max_pages` pages of `path` starting after `start` (a paging cursor handed
    /// out earlier) or at the first page; a cursor that expired restarts the listing from
    /// its first page.
    pub(crate) async fn read_all_after(
        &self,
        path: &str,
        query: &[(&str, String)],
        start: Option<String>,
        max_pages: u32,
    ) -> Result<Vec<Value>, ProviderError> {
        let mut restarts = 0;
        let mut start = start;
        'listing: loop {
            let mut objects = Vec::new();
            let mut after: Option<String> = start.take();
            for _ in 0..max_pages {
                let mut paged_query = query.to_vec();
                if let Some(after) = &after {
                    paged_query.push(("after", after.clone()));
                }
                match self.graph.get_page::<Value>(path, &paged_query).await {
                    Ok(page) => {
                        objects.extend(page.data);
                        match page.after {
                            Some(next) => after = Some(next),
                            None => break,
                        }
                    }
                    Err(GraphError::CursorExpired) if after.is_some() && restarts < RESTARTS => {
                        restarts += 1;
                        tracing::info!(
                            path,
                            "a Meta paging position expired; reading the list again from its start"
                        );
                        continue 'listing;
                    }
                    Err(error) => return Err(provider_error(error)),
                }
            }
            return Ok(objects);
        }
    }
}

/// A Graph error as the engine handles it.
pub(crate) fn provider_error(error: GraphError) -> ProviderError {
    match error {
        GraphError::CursorExpired => ProviderError::Unavailable(
            "Meta's paging positions kept expiring while reading; trying again later".into(),
        ),
        GraphError::WindowClosed(detail) => ProviderError::Refused(format!(
            "Meta says the 24-hour messaging window of this conversation is closed ({detail}); \
             the customer has to write again before the Page can answer"
        )),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_own_window_refusal_and_expired_cursors_are_said_plainly() {
        match provider_error(GraphError::WindowClosed(
            "(#10) outside the allowed window".into(),
        )) {
            ProviderError::Refused(why) => {
                assert!(why.contains("24-hour messaging window"), "{why}");
                assert!(why.contains("customer has to write again"), "{why}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            provider_error(GraphError::CursorExpired),
            ProviderError::Unavailable(_)
        ));
        assert!(matches!(
            provider_error(GraphError::TokenInvalid("expired".into())),
            ProviderError::SignInAgain(_)
        ));
    }
}
