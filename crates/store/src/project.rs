//! Applying events: reduce the conversation's state, append the event to the log, and
//! write the conversation's projection row with the SLA deadlines the planner derives —
//! all inside the caller's transaction.

use sqlx::{Sqlite, Transaction};
use switchboard_core::{ConversationState, Deadlines, Event, ThreadKey, Timestamp};

use crate::StoreError;

/// Derives a waiting conversation's SLA deadlines from the workspace policy.
pub trait DeadlinePlanner: Send + Sync {
    /// The deadlines of `state`'s current waiting run; `None` when it is not waiting.
    fn plan(&self, state: &ConversationState) -> Option<Deadlines>;
}

/// Applies one event to its conversation and writes the projection; returns the
/// conversation's id.
pub(crate) async fn apply_event(
    tx: &mut Transaction<'_, Sqlite>,
    event: &Event,
    planner: &dyn DeadlinePlanner,
) -> Result<i64, StoreError> {
    let existing = load_state(tx, &event.thread).await?;
    let (id, before) = match existing {
        Some((id, state)) => (Some(id), Some(state)),
        None => (None, None),
    };
    let state = ConversationState::apply(before, event)?;
    let id = write_projection(tx, id, &state, planner, event.at).await?;
    append_event(tx, id, event).await?;
    Ok(id)
}

/// The stored id and state of the conversation `thread`, if it exists.
pub(crate) async fn load_state(
    tx: &mut Transaction<'_, Sqlite>,
    thread: &ThreadKey,
) -> Result<Option<(i64, ConversationState)>, StoreError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, state FROM conversations WHERE thread_key = ?")
            .bind(&thread.0)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(|(id, json)| Ok((id, decode_state(&json)?)))
        .transpose()
}

/// Appends `event` about conversation `id` to the log.
pub(crate) async fn append_event(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    event: &Event,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(event).map_err(|e| StoreError::Corrupt {
        what: "event",
        value: e.to_string(),
    })?;
    sqlx::query(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(event.at.millis())
    .bind(event.kind.name())
    .bind(id)
    .bind(&event.by)
    .bind(payload)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rewrites the projection row of conversation `id` (inserting it when `None`) as of
/// `now`, with the deadlines `planner` gives; returns the row's id.
pub(crate) async fn write_projection(
    tx: &mut Transaction<'_, Sqlite>,
    id: Option<i64>,
    state: &ConversationState,
    planner: &dyn DeadlinePlanner,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let deadlines = state.waiting_since().and_then(|_| planner.plan(state));
    let json = serde_json::to_string(state).map_err(|e| StoreError::Corrupt {
        what: "conversation state",
        value: e.to_string(),
    })?;
    let customer = state.customer.as_ref();
    let handoff = state.handoff_note.as_ref();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (id, thread_key, queue_id, platform, kind, customer_handle,
             customer_name, preview, last_activity_at, waiting_since, answered_before,
             claimed_by, done_reason, snoozed_until, handoff_note, handoff_by, handoff_at,
             item_count, note_count, at_risk_at, breached_at, escalated_at, state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
             queue_id = excluded.queue_id, kind = excluded.kind,
             customer_handle = excluded.customer_handle, customer_name = excluded.customer_name,
             preview = excluded.preview, last_activity_at = excluded.last_activity_at,
             waiting_since = excluded.waiting_since, answered_before = excluded.answered_before,
             claimed_by = excluded.claimed_by, done_reason = excluded.done_reason,
             snoozed_until = excluded.snoozed_until, handoff_note = excluded.handoff_note,
             handoff_by = excluded.handoff_by, handoff_at = excluded.handoff_at,
             item_count = excluded.item_count, note_count = excluded.note_count,
             at_risk_at = excluded.at_risk_at, breached_at = excluded.breached_at,
             escalated_at = excluded.escalated_at, state = excluded.state
         RETURNING id",
    )
    .bind(id)
    .bind(&state.thread.0)
    .bind(&state.queue.0)
    .bind(state.platform.as_str())
    .bind(state.kind.map(|k| k.as_str()))
    .bind(customer.map(|c| c.handle.as_str()))
    .bind(customer.map(|c| c.display_name.as_str()))
    .bind(&state.preview)
    .bind(state.last_activity_at.millis())
    .bind(state.waiting_since().map(|t| t.millis()))
    .bind(state.answered_before())
    .bind(&state.claimed_by)
    .bind(
        state
            .done
            .as_ref()
            .map(|d| crate::read::done_reason_name(d.reason)),
    )
    .bind(state.snoozed_until(now).map(|t| t.millis()))
    .bind(handoff.map(|n| n.text.as_str()))
    .bind(handoff.and_then(|n| n.by.as_deref()))
    .bind(handoff.map(|n| n.at.millis()))
    .bind(i64::from(state.item_count))
    .bind(i64::from(state.note_count))
    .bind(deadlines.map(|d| d.at_risk_at.millis()))
    .bind(deadlines.map(|d| d.breached_at.millis()))
    .bind(deadlines.map(|d| d.escalated_at.millis()))
    .bind(json)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub(crate) fn decode_state(json: &str) -> Result<ConversationState, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        what: "conversation state",
        value: e.to_string(),
    })
}
