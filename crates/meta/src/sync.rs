//! One fetch of a stream: read each listing, read the children of every parent that
//! changed (see [`crate::cursor`]), and write the new position.
//!
//! - The **incoming** stream returns every item it reads, the brand's own included
//!   (`from_brand`), so an answer written anywhere lands with the conversation. The
//!   **brand** stream keeps its own position over the same listings and returns the
//!   brand's items only: an answer written in Meta Business Suite is found even when the
//!   incoming stream has nothing new.
//! - **Newest parents**: each listing's first `parent_pages` pages are read every fetch
//!   (30 posts: 10 a page, as each carries its comments; 75 media, mentions or
//!   conversations: 25 a page).
//! - **Sweep** (the feed and the media): Meta's reference does not say in which order
//!   the feed lists posts (the fake lists them newest created first; `updated_time` moves
//!   when someone comments), and media are listed newest posted first, so a comment on an
//!   older post or media may not bring it back to the top. Each fetch therefore also
//!   reads `sweep_pages` further pages (one) past the newest parents, going on where the
//!   last fetch stopped, until the listing ends, a parent whose `updated_time` (a
//!   media's `timestamp`) is older than `sweep_horizon` (90 days), or `sweep_parents`
//!   (300) parents past the newest: then the next round starts after the newest parents
//!   again. Only that stop depends on the order: listed by creation, the posts after it
//!   were posted earlier still; listed by activity, none was active later.
//! - **Bound**: a round is at most 30 fetches for the feed (300 posts, 10 a page) and 12
//!   for the media (25 a page), so a comment on a post of the last 90 days among the
//!   newest 30 + 300 posts is read within 30 fetches of each stream after it was made —
//!   at the idle pace (180 s) an hour and a half, sooner when the Page has fewer posts (a
//!   round ends with the listing) — and on a media of the last 90 days among the newest
//!   75 + 300 within 12 fetches. A parent older or further down is no longer watched.
//!   The sweep stays on its page while a changed parent on it waits for the per-fetch
//!   bound (the bound then grows by those fetches), and a sweep position that expired
//!   starts the round again.
//! - **Bounds**: at most `parent_reads_per_fetch` parents whose children cost calls
//!   (posts, media, conversations paged back) are read per fetch; a parent's children
//!   are read for at most `child_pages` pages. A fetch that leaves changed parents
//!   unread says so with a short `poll_after_ms`, and the next fetch goes on.
//! - **Parents first met** (on the first sync, a new parent, an older one the sweep
//!   reaches for the first time): one last active before the watch began less `backlog`
//!   (7 days) is noted, not read; the others are read, and of their children only those
//!   from that time on are returned. Later activity on any of them is read as usual.
//! - The brand's own top-level comments (on its posts, its media) answer nothing and are
//!   skipped: they start no conversation.
//! - **Errors**: any failed call ends the fetch with its error and no new position, so
//!   nothing read before it is lost (the next fetch reads it again). A paging cursor that
//!   expired mid-listing restarts that listing from its first page.

use serde_json::Value;
use switchboard_core::{Item, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::cursor::{key, mark, newest_seen, same_signature, Cursor, Watch};
use crate::graph::GraphError;
use crate::items::{set_aside, Root};
use crate::listing::Listing;
use crate::provider::{MetaProvider, Stream};

/// How many times a listing restarts after its paging cursor expired, in one fetch.
const RESTARTS: u32 = 2;

/// What one fetch has gathered so far.
struct Run {
    stream: Stream,
    items: Vec<Item>,
    reads_left: u32,
    complete: bool,
    /// Children of parents first met are returned from this time on.
    from: Timestamp,
}

impl MetaProvider {
    /// Fetches `stream` after `cursor` at `now`.
    pub(crate) async fn fetch(
        &self,
        stream: Stream,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let old = match cursor {
            Some(text) => Cursor::read(text)?,
            None => Cursor::first(now),
        };
        let mut new = Cursor::first(old.since());
        let mut run = Run {
            stream,
            items: Vec::new(),
            reads_left: self.limits.parent_reads_per_fetch.max(1),
            complete: true,
            from: old
                .since()
                .plus_millis(-(self.limits.backlog.as_millis() as i64)),
        };
        let horizon = now.plus_millis(-(self.limits.sweep_horizon.as_millis() as i64));
        for listing in self.listings() {
            let known = old.lists.get(listing.name()).cloned().unwrap_or_default();
            // A swept listing keeps what it knows for the rest of the round; the others
            // know what they show now.
            let mut watch = if listing.sweeps() {
                known.clone()
            } else {
                Watch::default()
            };
            let (parents, more) = self.list_parents(listing).await?;
            for parent in &parents {
                self.visit(listing, parent, &known, &mut watch, &mut run)
                    .await?;
            }
            if listing.sweeps() {
                for _ in 0..self.limits.sweep_pages.max(1) {
                    if !self
                        .sweep(listing, more.clone(), &known, &mut watch, horizon, &mut run)
                        .await?
                    {
                        break;
                    }
                }
            }
            new.lists.insert(listing.name().to_owned(), watch);
        }
        let poll_after_ms = self.poll_after(stream, run.items.len(), run.complete, now);
        Ok(Page {
            items: run.items,
            next_cursor: new.write(),
            poll_after_ms,
        })
    }

    /// One parent: unchanged, noted, left for the next fetch (returns `false`), or its
    /// children read and its new mark written.
    async fn visit(
        &self,
        listing: Listing,
        parent: &Value,
        known: &Watch,
        watch: &mut Watch,
        run: &mut Run,
    ) -> Result<bool, ProviderError> {
        let id = match parent.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id,
            _ => {
                set_aside(listing.name(), parent, "it has no `id`");
                return Ok(true);
            }
        };
        let signature = match listing.signature(parent) {
            Ok(signature) => signature,
            Err(why) => {
                set_aside(listing.name(), parent, &why);
                return Ok(true);
            }
        };
        let key = key(id);
        let fresh = mark(&signature, listing.newest_child(parent));
        // What this fetch already did comes first (a parent met in the newest pages and
        // again on the sweep page is read once).
        let before = watch.mark(&key).or_else(|| known.mark(&key)).cloned();
        if before.as_deref().is_some_and(|b| same_signature(b, &fresh)) {
            watch.meet(key, fresh);
            return Ok(true);
        }
        let first_met = before.is_none();
        if first_met && listing.active_at(parent).is_some_and(|at| at < run.from) {
            tracing::debug!(listing = listing.name(), parent = %id, "last active before the backlog");
            watch.meet(key, fresh);
            return Ok(true);
        }
        let newest_seen = before.as_deref().and_then(newest_seen);
        let from = first_met.then_some(run.from);
        if listing.reads_children(parent, newest_seen, from) {
            if run.reads_left == 0 {
                run.complete = false;
                if let Some(before) = before {
                    watch.meet(key, before);
                }
                return Ok(false);
            }
            run.reads_left -= 1;
        }
        let mut children = self.children(listing, parent, newest_seen, from).await?;
        if first_met {
            children.retain(|item| item.created_at >= run.from);
        }
        let stream = run.stream;
        run.items.extend(children.into_iter().filter(|item| {
            (stream == Stream::Incoming || item.from_brand) && !self.brand_opens(item)
        }));
        watch.meet(key, fresh);
        Ok(true)
    }

    /// One sweep page of `listing` (see the module doc), after the newest parents (which
    /// go on at `more`) or where the last one stopped. Returns whether it moved on and
    /// another page may follow in this fetch.
    async fn sweep(
        &self,
        listing: Listing,
        more: Option<String>,
        known: &Watch,
        watch: &mut Watch,
        horizon: Timestamp,
        run: &mut Run,
    ) -> Result<bool, ProviderError> {
        let Some(start) = watch.sweep.clone().or(more) else {
            // The newest parents are the whole listing.
            watch.end_round();
            return Ok(false);
        };
        let Some((parents, next)) = self.parents_after(listing, &start).await? else {
            tracing::info!(
                listing = listing.name(),
                "the sweep's Meta paging position expired; it starts again after the newest"
            );
            watch.sweep = None;
            watch.swept = 0;
            return Ok(false);
        };
        let mut ended = next.is_none();
        let mut passed = 0;
        let mut all_read = true;
        for parent in &parents {
            let old = listing.horizon_at(parent).is_some_and(|at| at < horizon);
            if old || watch.swept + passed >= self.limits.sweep_parents {
                ended = true;
                break;
            }
            all_read &= self.visit(listing, parent, known, watch, run).await?;
            passed += 1;
        }
        if !all_read {
            return Ok(false);
        }
        if ended {
            watch.end_round();
            return Ok(false);
        }
        watch.swept += passed;
        if watch.swept >= self.limits.sweep_parents {
            watch.end_round();
            return Ok(false);
        }
        watch.sweep = next;
        Ok(true)
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
        Ok(self
            .read_pages(path, query, None, max_pages.max(1))
            .await?
            .0)
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
        Ok(self.read_pages(path, query, start, max_pages).await?.0)
    }

    /// At most `max_pages` pages of `path` starting after `start` or at the first page,
    /// and where the listing goes on when it has more; a cursor that expired restarts the
    /// listing from its first page.
    pub(crate) async fn read_pages(
        &self,
        path: &str,
        query: &[(&str, String)],
        start: Option<String>,
        max_pages: u32,
    ) -> Result<(Vec<Value>, Option<String>), ProviderError> {
        let mut restarts = 0;
        let mut start = start;
        'listing: loop {
            let mut objects = Vec::new();
            let mut after: Option<String> = start.take();
            let mut more = None;
            for _ in 0..max_pages {
                let mut paged_query = query.to_vec();
                if let Some(after) = &after {
                    paged_query.push(("after", after.clone()));
                }
                match self.graph.get_page::<Value>(path, &paged_query).await {
                    Ok(page) => {
                        objects.extend(page.data);
                        more = page.after.clone();
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
            return Ok((objects, more));
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
