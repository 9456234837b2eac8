//! The **brand stream**: the brand account's own replies
//! (`GET /api/v1/accounts/:id/statuses?exclude_reblogs=true`), wherever they were
//! written, each in the thread of the status it answers, so a conversation answered
//! from another app counts as answered. Posts that answer nothing start no
//! conversation and are skipped; DMs are skipped too where they arrive through their
//! conversation in the incoming stream, and kept (in their `dm-<root>` thread) on a
//! server whose DMs are read from mentions ([`crate::dm_source`]). Answers a server
//! leaves out of the list (followers-only ones, on some servers) are looked for in the
//! threads of recent customer posts ([`crate::answer_checks`]).

use switchboard_core::{ItemKind, Timestamp};
use switchboard_platforms::{Page, ProviderError};

use crate::cursor::{read_cursor, write_cursor, BrandCursor};
use crate::dm_source::dm_root;
use crate::entities::{newest_id, Status};
use crate::items::status_item;
use crate::paging::collect_after;
use crate::provider::{MastodonProvider, Stream};

impl MastodonProvider {
    pub(crate) async fn fetch_brand_posts(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let position: BrandCursor = read_cursor(cursor)?;
        let path = format!("api/v1/accounts/{}/statuses", self.brand.id);
        let statuses = collect_after::<Status>(
            &self.api,
            &path,
            &[("exclude_reblogs", "true".into())],
            position.statuses.as_deref(),
            self.bounds(),
        )
        .await?;

        let mut items = Vec::new();
        let mut lookups = 0;
        let mut placed_until = position.statuses.clone();
        let mut cut_short = false;
        for status in &statuses.items {
            self.answers.listed(status);
            let answers_something = status.in_reply_to_id.is_some() && status.reblog.is_none();
            let wanted =
                answers_something && (!status.is_direct() || self.dms_from_mentions().await?);
            if wanted {
                if self.roots.needs_lookup(status) {
                    if lookups >= self.options.max_thread_lookups_per_fetch {
                        cut_short = true;
                        break;
                    }
                    lookups += 1;
                }
                let root = self.roots.root_of(&self.api, status).await?;
                let (thread, kind) = if status.is_direct() {
                    (self.brand.thread(&dm_root(&root)), ItemKind::DirectMessage)
                } else {
                    (self.brand.thread(&root), ItemKind::Reply)
                };
                items.push(status_item(status, &self.brand, thread, kind)?);
            } else {
                tracing::trace!(
                    status = %status.id,
                    "a brand post that answers nothing, a boost, or a DM its conversation \
                     carries: not an answer here"
                );
            }
            placed_until = newest_id(placed_until, &status.id);
        }
        for found in self.answers_left_out(now).await? {
            if !items.iter().any(|i| i.native_id == found.native_id) {
                items.push(found);
            }
        }
        let next = BrandCursor::new(placed_until);
        let complete = statuses.complete && !cut_short;
        Ok(Page {
            poll_after_ms: self.poll_after(Stream::Brand, items.len(), complete, now),
            items,
            next_cursor: write_cursor(&next),
        })
    }
}
