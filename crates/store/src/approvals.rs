//! Trainees' replies and what happened in a conversation since a moment, read from the
//! conversation's log (team mode).
//!
//! Terms:
//! - an **approval request** is a trainee's reply (`reply_awaiting_approval`), named by
//!   its **approval** id (a UUID, the same on every laptop). It is **awaiting** until a
//!   lead's decision is in the log: `reply_approved` (the lead's laptop queues and posts
//!   it, as the lead may have edited it) or `reply_rejected` (never posted; the trainee
//!   sees the reason). The team database decides which decision is the first; the log
//!   records it;
//! - a conversation's **version** is the local `seq` of its latest event: what happened
//!   after a version is what a person had not seen when they opened the conversation.

use sqlx::SqliteConnection;
use switchboard_core::{Event, EventKind, OutgoingReply, ReplyState, Timestamp};

use crate::codec::decode_event;
use crate::outbox::{queue_in, NewReply};
use crate::project::{apply_action, DeadlinePlanner};
use crate::{QueuedReply, Store, StoreError};

/// An event of a conversation's log with its local position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedEvent {
    /// Its local position (`seq`): versions compare with it.
    pub seq: i64,
    /// What happened.
    pub event: Event,
}

/// Where an approval request stands, as the log says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApprovalState {
    /// No lead decided yet.
    Awaiting,
    /// A lead (`by`) approved it, as `text`.
    Approved {
        /// The lead.
        by: Option<String>,
        /// What is posted.
        text: String,
    },
    /// A lead (`by`) rejected it.
    Rejected {
        /// The lead.
        by: Option<String>,
        /// Why, for the trainee.
        reason: String,
    },
}

/// A trainee's reply waiting (or having waited) for a lead's approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// Its team-wide id.
    pub approval: String,
    /// The local position of its `reply_awaiting_approval`.
    pub seq: i64,
    /// The trainee.
    pub by: Option<String>,
    /// What the trainee wrote.
    pub text: String,
    /// The guardrail rules the trainee was warned of (for `text`) and confirmed.
    pub guardrail_overrides: Vec<String>,
    /// When.
    pub at: Timestamp,
    /// Awaiting, approved or rejected (the first decision in the log).
    pub state: ApprovalState,
}

/// The guardrail rules confirmed for an approved reply, logged with it: by the trainee
/// who wrote it, and by the approving lead (warnings in text the lead edited in).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApprovedOverrides<'a> {
    /// The trainee's confirmations (from their `reply_awaiting_approval`).
    pub trainee: &'a [String],
    /// The lead's own.
    pub lead: &'a [String],
}

impl Store {
    /// Conversation `id`'s events after local position `after` (0: all), oldest first.
    /// Events this version cannot read are left out.
    pub async fn events_after(&self, id: i64, after: i64) -> Result<Vec<LoggedEvent>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, payload FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq",
        )
        .bind(id)
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(seq, payload)| {
                decode_event(&payload)
                    .ok()
                    .map(|event| LoggedEvent { seq, event })
            })
            .collect())
    }

    /// Conversation `id`'s approval requests, oldest first.
    pub async fn approvals(&self, id: i64) -> Result<Vec<ApprovalRequest>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        approvals_in(&mut connection, id).await
    }

    /// Every approval request no lead decided yet, as (conversation id, approval id),
    /// oldest first. Reads every conversation's log (no index on the kind): for counts.
    pub async fn awaiting_approvals(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT w.conversation_id, json_extract(w.payload, '$.kind.approval') FROM events w \
             WHERE w.kind = 'reply_awaiting_approval' AND NOT EXISTS ( \
               SELECT 1 FROM events d WHERE d.conversation_id = w.conversation_id \
                 AND d.kind IN ('reply_approved', 'reply_rejected') \
                 AND json_extract(d.payload, '$.kind.approval') = \
                     json_extract(w.payload, '$.kind.approval')) \
             ORDER BY w.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Whether this laptop posted the platform's item `native_id` (a reply of its outbox
    /// recorded as sent as that item).
    pub async fn posted_here(&self, native_id: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM outbox WHERE native_id = ? AND state = 'sent' LIMIT 1",
        )
        .bind(native_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Records that lead `by` approved request `approval` of conversation `id` as `text`
    /// (unless the log has that approval already) and queues `text` as the reply under
    /// `idempotency_key`, in one transaction: the approval is never logged without its
    /// reply queued, nor queued twice (the key is unique).
    #[allow(clippy::too_many_arguments)]
    pub async fn queue_approved_reply(
        &self,
        id: i64,
        by: &str,
        approval: &str,
        text: &str,
        idempotency_key: &str,
        overrides: ApprovedOverrides<'_>,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<QueuedReply, StoreError> {
        let mut tx = self.write_tx().await?;
        let approved = approvals_in(&mut tx, id)
            .await?
            .into_iter()
            .any(|r| r.approval == approval && matches!(r.state, ApprovalState::Approved { .. }));
        if !approved {
            let event = Event {
                thread: switchboard_core::ThreadKey(thread_of(&mut tx, id).await?),
                at: now,
                by: Some(by.to_owned()),
                kind: EventKind::ReplyApproved {
                    approval: approval.to_owned(),
                    text: text.to_owned(),
                },
            };
            apply_action(&mut tx, id, &event, planner, self.sharing()).await?;
        }
        let reply = NewReply {
            by,
            text,
            idempotency_key,
            sent_anyway: None,
            guardrail_overrides: overrides.lead,
            trainee_overrides: overrides.trainee,
        };
        let queued = queue_in(&mut tx, id, &reply, now, planner, self.sharing()).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// Records that lead `by` rejected request `approval` of conversation `id` because of
    /// `reason`. Returns false (and records nothing) when the log has a rejection of it
    /// already.
    pub async fn record_rejection(
        &self,
        id: i64,
        by: &str,
        approval: &str,
        reason: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        let rejected = approvals_in(&mut tx, id)
            .await?
            .into_iter()
            .any(|r| r.approval == approval && matches!(r.state, ApprovalState::Rejected { .. }));
        if rejected {
            return Ok(false);
        }
        let event = Event {
            thread: switchboard_core::ThreadKey(thread_of(&mut tx, id).await?),
            at: now,
            by: Some(by.to_owned()),
            kind: EventKind::ReplyRejected {
                approval: approval.to_owned(),
                reason: reason.to_owned(),
            },
        };
        apply_action(&mut tx, id, &event, planner, self.sharing()).await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn thread_of(connection: &mut SqliteConnection, id: i64) -> Result<String, StoreError> {
    let thread: Option<String> =
        sqlx::query_scalar("SELECT thread_key FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *connection)
            .await?;
    thread.ok_or(StoreError::NotFound {
        what: "conversation",
        id,
    })
}

/// Conversation `id`'s approval requests on `connection`, oldest first; each with the
/// first decision the log holds for it.
pub(crate) async fn approvals_in(
    connection: &mut SqliteConnection,
    id: i64,
) -> Result<Vec<ApprovalRequest>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, payload FROM events WHERE conversation_id = ? \
         AND kind IN ('reply_awaiting_approval', 'reply_approved', 'reply_rejected') \
         ORDER BY seq",
    )
    .bind(id)
    .fetch_all(&mut *connection)
    .await?;
    let mut requests: Vec<ApprovalRequest> = Vec::new();
    let mut decisions: Vec<(String, ApprovalState)> = Vec::new();
    for (seq, payload) in rows {
        let Ok(event) = decode_event(&payload) else {
            continue;
        };
        match event.kind {
            EventKind::ReplyAwaitingApproval {
                approval,
                text,
                guardrail_overrides,
                ..
            } if requests.iter().all(|r| r.approval != approval) => {
                requests.push(ApprovalRequest {
                    approval,
                    seq,
                    by: event.by,
                    text,
                    guardrail_overrides,
                    at: event.at,
                    state: ApprovalState::Awaiting,
                });
            }
            EventKind::ReplyApproved { approval, text } => {
                decisions.push((approval, ApprovalState::Approved { by: event.by, text }))
            }
            EventKind::ReplyRejected { approval, reason } => decisions.push((
                approval,
                ApprovalState::Rejected {
                    by: event.by,
                    reason,
                },
            )),
            _ => {}
        }
    }
    // The first decision logged here stands (the team database let only one be made).
    for (approval, state) in decisions {
        if let Some(request) = requests
            .iter_mut()
            .find(|r| r.approval == approval && r.state == ApprovalState::Awaiting)
        {
            request.state = state;
        }
    }
    Ok(requests)
}

/// The requests the thread shows among its outgoing replies: awaiting and rejected ones
/// (an approved one is the approving lead's outbox row, then a brand item). Their id is
/// the request's log position negated, so it never meets an outbox row's id.
pub(crate) fn outgoing_of(requests: Vec<ApprovalRequest>) -> Vec<OutgoingReply> {
    requests
        .into_iter()
        .filter_map(|request| {
            let (state, error) = match request.state {
                ApprovalState::Awaiting => (ReplyState::AwaitingApproval, None),
                ApprovalState::Rejected { reason, .. } => (ReplyState::Rejected, Some(reason)),
                ApprovalState::Approved { .. } => return None,
            };
            Some(OutgoingReply {
                id: -request.seq,
                text: request.text,
                state,
                error,
                by: request.by.unwrap_or_default(),
                created_at: request.at,
                approval: Some(request.approval),
            })
        })
        .collect()
}
