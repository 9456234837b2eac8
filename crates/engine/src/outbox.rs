//! Replying from Switchboard: the reply is queued in the store (event + outbox row in one
//! transaction), then posted through the conversation's brand account with the row's
//! idempotency key. The posted item is ingested at once like any brand reply, so the
//! conversation counts as answered without waiting for the next pull. A failure is kept
//! with its reason for a retry; replies still sending after a crash are posted again at
//! start with the same key (the platform then returns the first post, never a second).

use std::sync::Arc;

use switchboard_core::{ApiError, ErrorCode, Thread};
use switchboard_platforms::ReplyTarget;
use switchboard_store::{QueuedReply, RoutedItem};

use crate::actions::checked_text;
use crate::planner::PolicyPlanner;
use crate::reply_keys::{already_queued, reply_key, ReplyKey};
use crate::{api::to_api, Engine, Shared};

/// Longest reply accepted, in characters (platforms refuse longer ones with their own,
/// lower limits, which come back as a failed reply).
const MAX_REPLY_CHARS: usize = 10_000;

impl Engine {
    /// Writes `text` as the brand's reply in conversation `id` and sends it. Resolves once
    /// the reply is queued; the thread then shows it as sending, and later as an item (or
    /// failed, with why).
    pub async fn send_reply(&self, id: i64, text: String) -> Result<Thread, ApiError> {
        self.send_reply_once(id, text, None).await
    }

    /// Like [`Engine::send_reply`], under the window's `idempotency_key` for this reply
    /// (a UUID): sent again with the same key, the reply already queued stands and nothing
    /// new is queued or posted.
    pub async fn send_reply_once(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
    ) -> Result<Thread, ApiError> {
        let text = checked_text(text, MAX_REPLY_CHARS, "Write a reply first.", "A reply")?;
        let shared = &self.shared;
        let now = shared.now();
        let key = match reply_key(shared, id, idempotency_key, now).await? {
            ReplyKey::Fresh(key) => key,
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        let queued = match shared
            .store
            .queue_reply(
                id,
                &shared.me,
                &text,
                &key,
                now,
                &PolicyPlanner(&shared.policy()),
            )
            .await
        {
            Ok(queued) => queued,
            // The same key queued meanwhile (a resend racing the first call): that stands.
            Err(e) => match already_queued(shared, id, &key, now).await? {
                Some(thread) => return Ok(thread),
                None => return Err(to_api(e)),
            },
        };
        shared.changed(vec![id]);
        tokio::spawn(post(Arc::clone(shared), queued));
        shared.store.thread(id, now).await.map_err(to_api)
    }

    /// Sends failed reply `reply` of conversation `id` again (same idempotency key).
    pub async fn retry_reply(&self, id: i64, reply: i64) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let queued = shared.store.retry_reply(reply).await.map_err(to_api)?;
        if queued.conversation_id != id {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "That reply belongs to another conversation.",
            ));
        }
        shared.changed(vec![id]);
        tokio::spawn(post(Arc::clone(shared), queued));
        shared.store.thread(id, shared.now()).await.map_err(to_api)
    }
}

/// Posts replies left sending by an earlier run.
pub(crate) async fn resume(shared: Arc<Shared>) {
    match shared.store.replies_sending().await {
        Ok(replies) => {
            for queued in replies {
                tracing::info!(
                    reply = queued.id,
                    "sending a reply left over from the last run"
                );
                post(Arc::clone(&shared), queued).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not read the outbox"),
    }
}

/// Posts one queued reply and records the outcome.
async fn post(shared: Arc<Shared>, queued: QueuedReply) {
    let planner_policy = shared.policy();
    let planner = PolicyPlanner(&planner_policy);
    let Some(source) = shared.accounts.for_account(&queued.account) else {
        let why = "the brand account it would be sent from is not signed in to in this workspace";
        record_failure(&shared, &queued, why, &planner).await;
        return;
    };
    let target = ReplyTarget {
        thread: queued.thread.clone(),
        in_reply_to: queued.in_reply_to.clone(),
    };
    let outcome = source
        .provider
        .reply(&target, &queued.text, &queued.idempotency_key, shared.now())
        .await;
    match outcome {
        Ok(item) => {
            let now = shared.now();
            let native_id = item.native_id.clone();
            let routed = vec![RoutedItem {
                queue: planner_policy.routing.route(&item),
                item,
            }];
            let stored = match shared.store.ingest(routed, None, now, &planner).await {
                Ok(_) => {
                    shared
                        .store
                        .reply_sent(&queued, &native_id, now, &planner)
                        .await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = stored {
                tracing::warn!(reply = queued.id, error = %e, "reply sent but not recorded; the next pull records it");
            }
            tracing::info!(reply = queued.id, "reply sent");
        }
        Err(error) => {
            tracing::warn!(reply = queued.id, error = %error, "reply failed");
            record_failure(&shared, &queued, &error.to_string(), &planner).await;
        }
    }
    shared.changed(vec![queued.conversation_id]);
}

async fn record_failure(
    shared: &Shared,
    queued: &QueuedReply,
    why: &str,
    planner: &PolicyPlanner<'_>,
) {
    if let Err(e) = shared
        .store
        .reply_failed(queued, why, shared.now(), planner)
        .await
    {
        tracing::warn!(reply = queued.id, error = %e, "could not record a failed reply");
    }
}
