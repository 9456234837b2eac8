//! A **second source of brand answers**: some Mastodon-API servers leave the brand's
//! followers-only (`private`) posts out of its statuses list, so an answer made there
//! from another app would never be seen and its conversation would wait for ever.
//!
//! Each customer post the incoming stream delivers (not a DM, not the brand's own) is
//! **watched** for a while: at **checkpoints** after it was written (1 min, 10 min, 1 h,
//! 6 h) the brand stream reads its context (`GET /api/v1/statuses/:id/context`) and
//! takes the brand's replies among its descendants, in the post's thread. A post stops
//! being watched once the statuses list shows a brand reply to it, after its last
//! checkpoint, or when the watch list is full (oldest first). Checks are **bounded**: at
//! most [`CHECKS_PER_FETCH`] calls per brand fetch, none while the rate budget is
//! nearly spent, and none at all once the statuses list has shown a `private` brand post
//! (the server lists them, so nothing is left out). Posts older than the last checkpoint
//! when first seen (a first sync's backlog) are not watched. The memory is per process.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use switchboard_core::{Item, ItemKind, ThreadKey, Timestamp};
use switchboard_platforms::ProviderError;

use crate::entities::{Context, Status};
use crate::items::status_item;
use crate::provider::MastodonProvider;

/// When a watched post's context is read, after the post was written (ms).
const CHECKPOINTS_MS: [i64; 4] = [60_000, 600_000, 3_600_000, 21_600_000];
/// Context reads one brand fetch may make.
pub(crate) const CHECKS_PER_FETCH: usize = 2;
/// Posts watched at once.
const WATCHED: usize = 500;
/// Calls left in the rate window below which no check is made.
const BUDGET_RESERVE: u32 = 30;

struct Watched {
    status_id: String,
    thread: ThreadKey,
    created_at: Timestamp,
    /// Checkpoints already passed and checked.
    checked: usize,
}

impl Watched {
    /// The number of checkpoints passed at `now`.
    fn passed(&self, now: Timestamp) -> usize {
        let age = now.millis() - self.created_at.millis();
        CHECKPOINTS_MS.iter().filter(|&&at| age >= at).count()
    }
}

/// The posts watched for answers left out of the statuses list.
#[derive(Default)]
pub(crate) struct AnswerChecks {
    watched: Mutex<VecDeque<Watched>>,
    /// The statuses list has shown a followers-only brand post: nothing to check.
    private_listed: AtomicBool,
}

impl AnswerChecks {
    /// Watches a customer's post delivered by the incoming stream at `now`.
    pub fn watch(&self, item: &Item, now: Timestamp) {
        let last = CHECKPOINTS_MS[CHECKPOINTS_MS.len() - 1];
        if item.from_brand
            || item.kind == ItemKind::DirectMessage
            || now.millis() - item.created_at.millis() >= last
            || self.private_listed.load(Ordering::Relaxed)
        {
            return;
        }
        let mut watched = self.watched.lock().expect("answer checks lock");
        if watched.iter().any(|w| w.status_id == item.native_id) {
            return;
        }
        if watched.len() >= WATCHED {
            watched.pop_front();
        }
        watched.push_back(Watched {
            status_id: item.native_id.clone(),
            thread: item.thread.clone(),
            created_at: item.created_at,
            checked: 0,
        });
    }

    /// What the brand's statuses list showed: `status` answers its parent, and a
    /// followers-only post means the list leaves nothing out.
    pub fn listed(&self, status: &Status) {
        if status.visibility == "private" {
            if !self.private_listed.swap(true, Ordering::Relaxed) {
                tracing::debug!("the statuses list shows followers-only posts; no answer checks");
            }
            self.watched.lock().expect("answer checks lock").clear();
        }
        if let Some(parent) = &status.in_reply_to_id {
            self.watched
                .lock()
                .expect("answer checks lock")
                .retain(|w| &w.status_id != parent);
        }
    }

    /// Up to `max` posts whose next checkpoint has passed at `now`, oldest first.
    fn due(&self, now: Timestamp, max: usize) -> Vec<(String, ThreadKey)> {
        if self.private_listed.load(Ordering::Relaxed) {
            return Vec::new();
        }
        let watched = self.watched.lock().expect("answer checks lock");
        watched
            .iter()
            .filter(|w| w.passed(now) > w.checked)
            .take(max)
            .map(|w| (w.status_id.clone(), w.thread.clone()))
            .collect()
    }

    /// Records that `status_id` was checked at `now`; forgets it after its last
    /// checkpoint.
    fn checked(&self, status_id: &str, now: Timestamp) {
        let mut watched = self.watched.lock().expect("answer checks lock");
        for w in watched.iter_mut().filter(|w| w.status_id == status_id) {
            w.checked = w.passed(now);
        }
        watched.retain(|w| w.checked < CHECKPOINTS_MS.len());
    }
}

impl MastodonProvider {
    /// The brand's replies under watched posts whose checkpoint has passed (see the
    /// module docs).
    pub(crate) async fn answers_left_out(
        &self,
        now: Timestamp,
    ) -> Result<Vec<Item>, ProviderError> {
        let mut items = Vec::new();
        for (status_id, thread) in self.answers.due(now, CHECKS_PER_FETCH) {
            if self
                .api
                .budget()
                .remaining(now)
                .is_some_and(|left| left < BUDGET_RESERVE)
            {
                break;
            }
            let path = format!("api/v1/statuses/{status_id}/context");
            let descendants = self
                .api
                .get_optional::<Context>(&path, &[])
                .await?
                .map(|c| c.body.descendants)
                .unwrap_or_default();
            for status in descendants.iter().filter(|s| {
                self.brand.wrote(s)
                    && s.in_reply_to_id.is_some()
                    && s.reblog.is_none()
                    && !s.is_direct()
            }) {
                tracing::debug!(status = %status.id, "a brand answer found in a thread, not in the statuses list");
                items.push(status_item(
                    status,
                    &self.brand,
                    thread.clone(),
                    ItemKind::Reply,
                )?);
            }
            self.answers.checked(&status_id, now);
        }
        Ok(items)
    }
}
