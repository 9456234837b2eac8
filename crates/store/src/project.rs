//! Writing what the reducer decided: events appended to the log, and conversation
//! projection rows with the SLA deadlines the planner derives — inside the caller's
//! transaction, in multi-row statements.

use sqlx::{QueryBuilder, Sqlite, Transaction};
use switchboard_core::{ConversationState, Deadlines, Event, Timestamp};

use crate::StoreError;

/// Rows per multi-row statement (the projection has 22 columns; SQLite allows 32,766
/// bound parameters per statement).
const ROWS_PER_STATEMENT: usize = 250;

/// Derives a waiting conversation's SLA deadlines from the workspace policy.
pub trait DeadlinePlanner: Send + Sync {
    /// The deadlines of `state`'s current waiting run; `None` when it is not waiting.
    fn plan(&self, state: &ConversationState) -> Option<Deadlines>;
}

/// Applies a person's action to an existing conversation: reduce, write the projection,
/// append the event.
pub(crate) async fn apply_action(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    event: &Event,
    planner: &dyn DeadlinePlanner,
) -> Result<(), StoreError> {
    let json: String = sqlx::query_scalar("SELECT state FROM conversations WHERE id = ?")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    let state = ConversationState::apply(Some(decode_state(&json)?), event)?;
    write_projections(tx, &[(id, &state)], planner, event.at).await?;
    insert_events(tx, &[(id, event)]).await
}

/// Appends events, each about the conversation whose id it is paired with.
pub(crate) async fn insert_events(
    tx: &mut Transaction<'_, Sqlite>,
    events: &[(i64, &Event)],
) -> Result<(), StoreError> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let payloads = chunk
            .iter()
            .map(|(_, event)| serde_json::to_string(event))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt {
                what: "event",
                value: e.to_string(),
            })?;
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload) ",
        );
        query.push_values(
            chunk.iter().zip(payloads),
            |mut row, ((id, event), payload)| {
                row.push_bind(event.at.millis())
                    .push_bind(event.kind.name())
                    .push_bind(*id)
                    .push_bind(event.by.clone())
                    .push_bind(payload);
            },
        );
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Rewrites the projection rows of existing conversations as of `now`, with the deadlines
/// `planner` gives.
pub(crate) async fn write_projections(
    tx: &mut Transaction<'_, Sqlite>,
    rows: &[(i64, &ConversationState)],
    planner: &dyn DeadlinePlanner,
    now: Timestamp,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let encoded = chunk
            .iter()
            .map(|(_, state)| serde_json::to_string(state))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StoreError::Corrupt {
                what: "conversation state",
                value: e.to_string(),
            })?;
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO conversations (id, thread_key, queue_id, platform, kind, customer_handle,
                 customer_name, preview, last_activity_at, waiting_since, answered_before,
                 claimed_by, done_reason, snoozed_until, handoff_note, handoff_by, handoff_at,
                 item_count, note_count, at_risk_at, breached_at, escalated_at, state) ",
        );
        query.push_values(chunk.iter().zip(encoded), |mut row, ((id, state), json)| {
            let deadlines = state.waiting_since().and_then(|_| planner.plan(state));
            let customer = state.customer.as_ref();
            let handoff = state.handoff_note.as_ref();
            row.push_bind(*id)
                .push_bind(state.thread.0.clone())
                .push_bind(state.queue.0.clone())
                .push_bind(state.platform.as_str())
                .push_bind(state.kind.map(|k| k.as_str()))
                .push_bind(customer.map(|c| c.handle.clone()))
                .push_bind(customer.map(|c| c.display_name.clone()))
                .push_bind(state.preview.clone())
                .push_bind(state.last_activity_at.millis())
                .push_bind(state.waiting_since().map(|t| t.millis()))
                .push_bind(state.answered_before())
                .push_bind(state.claimed_by.clone())
                .push_bind(
                    state
                        .done
                        .as_ref()
                        .map(|d| crate::read::done_reason_name(d.reason)),
                )
                .push_bind(state.snoozed_until(now).map(|t| t.millis()))
                .push_bind(handoff.map(|n| n.text.clone()))
                .push_bind(handoff.and_then(|n| n.by.clone()))
                .push_bind(handoff.map(|n| n.at.millis()))
                .push_bind(i64::from(state.item_count))
                .push_bind(i64::from(state.note_count))
                .push_bind(deadlines.map(|d| d.at_risk_at.millis()))
                .push_bind(deadlines.map(|d| d.breached_at.millis()))
                .push_bind(deadlines.map(|d| d.escalated_at.millis()))
                .push_bind(json);
        });
        query.push(
            " ON CONFLICT (id) DO UPDATE SET
                 queue_id = excluded.queue_id, kind = excluded.kind,
                 customer_handle = excluded.customer_handle,
                 customer_name = excluded.customer_name,
                 preview = excluded.preview, last_activity_at = excluded.last_activity_at,
                 waiting_since = excluded.waiting_since,
                 answered_before = excluded.answered_before,
                 claimed_by = excluded.claimed_by, done_reason = excluded.done_reason,
                 snoozed_until = excluded.snoozed_until, handoff_note = excluded.handoff_note,
                 handoff_by = excluded.handoff_by, handoff_at = excluded.handoff_at,
                 item_count = excluded.item_count, note_count = excluded.note_count,
                 at_risk_at = excluded.at_risk_at, breached_at = excluded.breached_at,
                 escalated_at = excluded.escalated_at, state = excluded.state",
        );
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) fn decode_state(json: &str) -> Result<ConversationState, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt {
        what: "conversation state",
        value: e.to_string(),
    })
}
