//! The **incoming stream**: mentions and quotes of the brand
//! (`GET /api/v1/notifications?types[]=mention&types[]=quote`) and DMs
//! (`GET /api/v1/conversations`).
//!
//! A DM's thread is its conversation id. A conversation lists only its latest status,
//! so when that status answers an earlier one, the earlier DMs newer than the cursor are
//! read from the status's context. A mention whose status is `direct` is the same DM
//! again: it is left to its conversation when the conversations read in the same fetch
//! (or an earlier one) produced it — on a first sync, when any conversation was listed,
//! older DMs are the backlog and are left too — and otherwise stored as a DM itself, in
//! the thread of its reply chain (see [`crate::dm_source`]), so a server without a
//! working conversations list loses no DM.
//!
//! The notifications cursor only moves past a notification that gave an item or was set
//! aside on purpose (no status, a boost, a DM its conversation carries), each logged.

use std::collections::HashSet;

use switchboard_core::{Item, ItemKind, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::cursor::{read_cursor, write_cursor, IncomingCursor};
use crate::dm_source::dm_root;
use crate::entities::{id_order, newest_id, Context, Conversation, Notification, Paged};
use crate::items::{kind_of, status_item};
use crate::paging::{collect_after, collect_if_listed, Collected};
use crate::provider::{MastodonProvider, Stream};

impl MastodonProvider {
    pub(crate) async fn fetch_incoming(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let position: IncomingCursor = read_cursor(cursor)?;
        let bounds = self.bounds();
        let notifications = collect_after::<Notification>(
            &self.api,
            "api/v1/notifications",
            &[("types[]", "mention".into()), ("types[]", "quote".into())],
            position.notifications.as_deref(),
            bounds,
        )
        .await?;
        let listed = collect_if_listed::<Conversation>(
            &self.api,
            "api/v1/conversations",
            &[],
            position.conversations.as_deref(),
            bounds,
        )
        .await?;
        if listed.is_none() {
            self.dms
                .use_mentions(&self.brand.key, "the server has no conversations list");
        }
        let conversations = listed.unwrap_or(Collected {
            items: Vec::new(),
            complete: true,
        });

        let mut dms = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for conversation in &conversations.items {
            for item in self
                .conversation_items(conversation, position.conversations.as_deref())
                .await?
            {
                if seen.insert(item.native_id.clone()) {
                    dms.push(item);
                }
            }
        }
        if !dms.is_empty() {
            self.dms.conversations_work();
        }

        let mut items = Vec::new();
        let mut lookups = 0;
        let mut placed_until = position.notifications.clone();
        let mut cut_short = false;
        for notification in &notifications.items {
            if let Some(status) = notification.status.as_ref() {
                if self.roots.needs_lookup(status) && !seen.contains(&status.id) {
                    if lookups >= self.options.max_thread_lookups_per_fetch {
                        cut_short = true;
                        break;
                    }
                    lookups += 1;
                }
            }
            // A DM its conversation produced now; or, while the conversations list works,
            // one at or below where it was read to before, or an earlier DM of the
            // conversations a first sync read (their history is the bounded backlog).
            let listing_works =
                self.dms.reads_mentions() != Some(true) && !conversations.items.is_empty();
            let carried = |id: &str| {
                seen.contains(id)
                    || (self.dms.reads_mentions() != Some(true)
                        && position
                            .conversations
                            .as_deref()
                            .is_some_and(|read| id_order(id, read).is_le()))
                    || (listing_works && position.conversations.is_none())
            };
            if let Some(item) = self.mention_item(notification, carried).await? {
                if item.kind == ItemKind::DirectMessage && conversations.items.is_empty() {
                    self.dms.use_mentions(
                        &self.brand.key,
                        "the conversations list left out a new direct mention",
                    );
                }
                if seen.insert(item.native_id.clone()) {
                    items.push(item);
                }
            }
            placed_until = newest_id(placed_until, &notification.id);
        }
        items.extend(dms);
        for item in &items {
            self.answers.watch(item, now);
        }

        let next = IncomingCursor::new(
            placed_until,
            conversations
                .items
                .iter()
                .filter_map(Paged::page_id)
                .fold(position.conversations.clone(), newest_id),
        );
        let complete = notifications.complete && conversations.complete && !cut_short;
        tracing::debug!(
            account = %self.brand.key,
            items = items.len(),
            complete,
            "fetched Mastodon mentions and DMs"
        );
        Ok(Page {
            poll_after_ms: self.poll_after(Stream::Incoming, items.len(), complete, now),
            items,
            next_cursor: write_cursor(&next),
        })
    }

    /// The item of a mention or quote notification; `None` (logged) for one set aside:
    /// no status, a boost, or a DM that `carried(status id)` says its conversation
    /// carries.
    async fn mention_item(
        &self,
        notification: &Notification,
        carried: impl Fn(&str) -> bool,
    ) -> Result<Option<Item>, ProviderError> {
        let Some(status) = &notification.status else {
            tracing::debug!(notification = %notification.id, "a mention without a status (deleted) is skipped");
            return Ok(None);
        };
        if status.reblog.is_some() {
            tracing::debug!(notification = %notification.id, "a boost is not a mention; skipped");
            return Ok(None);
        }
        if status.is_direct() && carried(&status.id) {
            tracing::debug!(status = %status.id, "a direct mention arrives through its conversation");
            return Ok(None);
        }
        let root = self.roots.root_of(&self.api, status).await?;
        if status.is_direct() {
            let thread = self.brand.thread(&dm_root(&root));
            return status_item(status, &self.brand, thread, ItemKind::DirectMessage).map(Some);
        }
        let kind = kind_of(status, &self.brand, Some(&notification.kind));
        status_item(status, &self.brand, self.brand.thread(&root), kind).map(Some)
    }

    /// The new DMs of a conversation: its latest status and, when that answers earlier
    /// DMs newer than `after`, those too (oldest first).
    async fn conversation_items(
        &self,
        conversation: &Conversation,
        after: Option<&str>,
    ) -> Result<Vec<Item>, ProviderError> {
        let Some(last) = &conversation.last_status else {
            tracing::debug!(conversation = %conversation.id, "a conversation without a status is skipped");
            return Ok(Vec::new());
        };
        let thread = self.brand.thread(&conversation.id);
        let mut statuses = Vec::new();
        if let (Some(after), Some(_)) = (after, &last.in_reply_to_id) {
            let path = format!("api/v1/statuses/{}/context", last.id);
            if let Some(context) = self.api.get_optional::<Context>(&path, &[]).await? {
                statuses.extend(
                    context
                        .body
                        .ancestors
                        .into_iter()
                        .filter(|s| s.is_direct() && id_order(&s.id, after).is_gt()),
                );
            }
        }
        statuses.push(last.clone());
        statuses
            .iter()
            .map(|s| status_item(s, &self.brand, thread.clone(), ItemKind::DirectMessage))
            .collect()
    }
}
