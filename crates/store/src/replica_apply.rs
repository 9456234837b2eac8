//! Folding a batch of the team's shared events into the replica (see [`crate::replica`]
//! for the terms): append what is new, map what is known, then rebuild every touched
//! conversation from its events in canonical order.

use std::collections::BTreeSet;

use sqlx::{Sqlite, Transaction};
use switchboard_core::{ConversationState, Event, EventKind};

use crate::codec::{decode_event, encode_event_string, item_key};
use crate::project::DeadlinePlanner;
use crate::projection::{
    bind_values, Projection, INSERT, PARAMETERS, UPDATE_ALL, UPDATE_ALL_PARAMETERS,
};
use crate::replica::{parse_cursor, SharedApplied, SharedEvent, CURSOR_KEY};
use crate::{Store, StoreError};

/// A conversation's events in canonical order: acknowledged ones by server sequence, then
/// the others (unacknowledged, or never shared) by local sequence.
const CANONICAL_EVENTS: &str = "SELECT e.seq, e.payload FROM events e
     LEFT JOIN team_events t ON t.local_seq = e.seq
     WHERE e.conversation_id = ?
     ORDER BY t.server_seq IS NULL, t.server_seq, e.seq";

impl Store {
    /// Folds a batch of the team's events (in server sequence order) into the replica, in
    /// one transaction, and moves the team cursor to `cursor` (never back):
    /// - an event already mapped (this laptop's own coming back, or a re-read) gets its
    ///   server sequence; when it had none it counts as acknowledged and its conversation
    ///   is rebuilt;
    /// - an item is appended to the log — or, when already stored under its item key,
    ///   mapped to the stored event — starting its conversation when the thread is new;
    /// - any other event is appended to its conversation's log; one whose thread is not
    ///   in the replica is kept in the log without a conversation (set aside);
    /// - every touched conversation is rebuilt from its events in canonical order.
    ///
    /// Applying the same batch again changes nothing.
    pub async fn apply_shared(
        &self,
        events: &[SharedEvent],
        cursor: i64,
        planner: &dyn DeadlinePlanner,
    ) -> Result<SharedApplied, StoreError> {
        let mut tx = self.write_tx().await?;
        let mut applied = SharedApplied::default();
        let mut touched = BTreeSet::new();
        for shared in events {
            fold_in(&mut tx, shared, planner, &mut applied, &mut touched).await?;
        }
        for &id in &touched {
            rebuild(&mut tx, id, planner).await?;
        }
        move_cursor(&mut tx, cursor).await?;
        tx.commit().await?;
        applied.conversations = touched.into_iter().collect();
        Ok(applied)
    }
}

/// Adds one shared event to the log or the mapping; records which conversation it touched.
async fn fold_in(
    tx: &mut Transaction<'_, Sqlite>,
    shared: &SharedEvent,
    planner: &dyn DeadlinePlanner,
    applied: &mut SharedApplied,
    touched: &mut BTreeSet<i64>,
) -> Result<(), StoreError> {
    let known: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT local_seq, server_seq FROM team_events WHERE event_id = ?")
            .bind(&shared.event_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((local_seq, server_seq)) = known {
        if server_seq == Some(shared.server_seq) {
            return Ok(()); // a re-read
        }
        sqlx::query("UPDATE team_events SET server_seq = ? WHERE event_id = ?")
            .bind(shared.server_seq)
            .bind(&shared.event_id)
            .execute(&mut **tx)
            .await?;
        if server_seq.is_none() {
            applied.acknowledged += 1;
        }
        touched.extend(conversation_of(tx, local_seq).await?);
        return Ok(());
    }
    let event = &shared.event;
    let item = match &event.kind {
        EventKind::ItemIngested { item, .. } | EventKind::BrandReplyObserved { item, .. } => {
            Some(item)
        }
        _ => None,
    };
    let key = item.map(item_key);
    if let Some(key) = &key {
        let stored: Option<(i64, Option<i64>)> =
            sqlx::query_as("SELECT seq, conversation_id FROM events WHERE item_key = ?")
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
        if let Some((seq, conversation)) = stored {
            // The item came in before (ingested here, or under another event id): it keeps
            // the earliest server sequence any of its events has.
            let mapped = sqlx::query(
                "INSERT INTO team_events (event_id, local_seq, server_seq) VALUES (?, ?, ?)
                 ON CONFLICT (local_seq) DO UPDATE SET server_seq = excluded.server_seq
                 WHERE server_seq IS NULL OR server_seq > excluded.server_seq",
            )
            .bind(&shared.event_id)
            .bind(seq)
            .bind(shared.server_seq)
            .execute(&mut **tx)
            .await?;
            if mapped.rows_affected() > 0 {
                touched.extend(conversation);
            }
            return Ok(());
        }
    }
    let mut conversation = stored_conversation(tx, &event.thread.0).await?;
    if conversation.is_none() && item.is_some() {
        conversation = Some(start_conversation(tx, event, planner).await?);
    }
    if conversation.is_none() {
        applied.set_aside += 1;
        tracing::warn!(
            event_id = %shared.event_id,
            server_seq = shared.server_seq,
            kind = event.kind.name(),
            "a shared event is set aside: its conversation is not in this replica"
        );
    }
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, item_key, payload)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(event.at.millis())
    .bind(event.kind.name())
    .bind(conversation)
    .bind(event.by.as_deref())
    .bind(key.as_deref())
    .bind(encode_event_string(event)?)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query("INSERT INTO team_events (event_id, local_seq, server_seq) VALUES (?, ?, ?)")
        .bind(&shared.event_id)
        .bind(seq)
        .bind(shared.server_seq)
        .execute(&mut **tx)
        .await?;
    applied.applied += 1;
    touched.extend(conversation);
    Ok(())
}

/// The conversation local event `seq` belongs to, if any.
async fn conversation_of(
    tx: &mut Transaction<'_, Sqlite>,
    seq: i64,
) -> Result<Option<i64>, StoreError> {
    let conversation: Option<Option<i64>> =
        sqlx::query_scalar("SELECT conversation_id FROM events WHERE seq = ?")
            .bind(seq)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(conversation.flatten())
}

async fn stored_conversation(
    tx: &mut Transaction<'_, Sqlite>,
    thread_key: &str,
) -> Result<Option<i64>, StoreError> {
    let id = sqlx::query_scalar("SELECT id FROM conversations WHERE thread_key = ?")
        .bind(thread_key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(id)
}

/// Adds the conversation item `event` starts; returns its id.
async fn start_conversation(
    tx: &mut Transaction<'_, Sqlite>,
    event: &Event,
    planner: &dyn DeadlinePlanner,
) -> Result<i64, StoreError> {
    let state = ConversationState::apply(None, event)?;
    let row = Projection::new(None, &state, planner)?;
    let inserted = bind_values(sqlx::query(INSERT), &row.values()[..PARAMETERS])
        .execute(&mut **tx)
        .await?;
    Ok(inserted.last_insert_rowid())
}

/// Rewrites conversation `id`'s projection from all its events in canonical order,
/// skipping the ones that do not apply.
async fn rebuild(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    planner: &dyn DeadlinePlanner,
) -> Result<(), StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(CANONICAL_EVENTS)
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    let mut state: Option<ConversationState> = None;
    for (seq, payload) in rows {
        let event = decode_event(&payload)?;
        let folded = match &mut state {
            Some(state) => state.apply_to(&event),
            None => ConversationState::apply(None, &event).map(|new| state = Some(new)),
        };
        if let Err(error) = folded {
            tracing::warn!(
                conversation = id,
                seq,
                kind = event.kind.name(),
                %error,
                "an event does not apply in the team's order; skipped"
            );
        }
    }
    let Some(state) = state else {
        tracing::warn!(
            conversation = id,
            "no event of the conversation applies; its row is left as it was"
        );
        return Ok(());
    };
    let row = Projection::new(Some(id), &state, planner)?;
    bind_values(
        sqlx::query(UPDATE_ALL),
        &row.values()[..UPDATE_ALL_PARAMETERS],
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves the team cursor to `cursor`, never back.
async fn move_cursor(tx: &mut Transaction<'_, Sqlite>, cursor: i64) -> Result<(), StoreError> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(CURSOR_KEY)
        .fetch_optional(&mut **tx)
        .await?;
    let current = stored.as_deref().map_or(Ok(0), parse_cursor)?;
    if cursor > current {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(CURSOR_KEY)
        .bind(cursor.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
