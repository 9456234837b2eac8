//! People's side of the projection, on sqlx: applying an action to a stored conversation
//! (reduce, rewrite its projection row, append the event) inside the caller's transaction,
//! and — in a team workspace — queue it for the team's shared log (see [`crate::replica`]).

use sqlx::{Sqlite, Transaction};
use switchboard_core::{ConversationState, Deadlines, Event};

use crate::codec::{decode_state, encode_event_string};
use crate::projection::{bind_values, Projection, UPDATE_ALL, UPDATE_ALL_PARAMETERS};
use crate::replica::{log_shared, Sharing};
use crate::StoreError;

/// Derives a waiting conversation's SLA deadlines from the workspace policy.
pub trait DeadlinePlanner: Send + Sync {
    /// The deadlines of `state`'s current waiting run; `None` when it is not waiting.
    fn plan(&self, state: &ConversationState) -> Option<Deadlines>;
}

/// Applies a person's action to an existing conversation: reduce, write the projection,
/// append the event, and share it as `sharing` says.
pub(crate) async fn apply_action(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    event: &Event,
    planner: &dyn DeadlinePlanner,
    sharing: Sharing<'_>,
) -> Result<(), StoreError> {
    let stored: Vec<u8> =
        sqlx::query_scalar("SELECT CAST(state AS BLOB) FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let state = ConversationState::apply(Some(decode_state(&stored)?), event)?;
    let row = Projection::new(Some(id), &state, planner)?;
    bind_values(
        sqlx::query(UPDATE_ALL),
        &row.values()[..UPDATE_ALL_PARAMETERS],
    )
    .execute(&mut **tx)
    .await?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload)
         VALUES (?, ?, ?, ?, ?) RETURNING seq",
    )
    .bind(event.at.millis())
    .bind(event.kind.name())
    .bind(id)
    .bind(event.by.as_deref())
    .bind(encode_event_string(event)?)
    .fetch_one(&mut **tx)
    .await?;
    log_shared(tx, seq, event, sharing).await
}
