//! What the notifier watches: every waiting conversation with its deadlines.

use switchboard_core::{Deadlines, QueueId, Timestamp, WatchedConversation};

use crate::codec::decode_state;
use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    queue_id: String,
    label: Option<String>,
    at_risk_at: i64,
    breached_at: i64,
    escalated_at: i64,
    state: Vec<u8>,
}

impl Store {
    /// Every waiting conversation with its deadlines, soonest due first, as the alert
    /// planner sees it (`leads` left empty: they come from the policy, not the database).
    pub async fn waiting_conversations(&self) -> Result<Vec<WatchedConversation>, StoreError> {
        let rows: Vec<WaitingRow> = sqlx::query_as(
            "SELECT c.id, c.queue_id, q.label, c.at_risk_at, c.breached_at, c.escalated_at,
                    CAST(c.state AS BLOB) AS state
             FROM conversations c LEFT JOIN queues q ON q.id = c.queue_id
             WHERE c.breached_at IS NOT NULL AND c.has_customer = 1
             ORDER BY c.breached_at, c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(watched).collect()
    }

    /// Those of conversations `ids` that are waiting, as [`Store::waiting_conversations`]
    /// gives them (in no particular order): what the notifier re-reads after a change.
    pub async fn waiting_conversations_among(
        &self,
        ids: &[i64],
    ) -> Result<Vec<WatchedConversation>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(ids).map_err(|e| StoreError::Corrupt {
            what: "conversation ids",
            value: e.to_string(),
        })?;
        let rows: Vec<WaitingRow> = sqlx::query_as(
            "SELECT c.id, c.queue_id, q.label, c.at_risk_at, c.breached_at, c.escalated_at,
                    CAST(c.state AS BLOB) AS state
             FROM conversations c LEFT JOIN queues q ON q.id = c.queue_id
             WHERE c.id IN (SELECT value FROM json_each(?1))
               AND c.breached_at IS NOT NULL AND c.has_customer = 1",
        )
        .bind(list)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(watched).collect()
    }
}

fn watched(row: WaitingRow) -> Result<WatchedConversation, StoreError> {
    let state = decode_state(&row.state)?;
    let corrupt = |what: &str| StoreError::Corrupt {
        what: "conversation state",
        value: format!("waiting conversation {} has no {what}", row.id),
    };
    let waiting_since = state
        .waiting_since()
        .ok_or_else(|| corrupt("unanswered item"))?;
    Ok(WatchedConversation {
        id: row.id,
        queue_label: row.label.unwrap_or_else(|| row.queue_id.clone()),
        queue: QueueId(row.queue_id),
        customer: state
            .customer
            .ok_or_else(|| corrupt("customer"))?
            .display_name,
        waiting_since,
        deadlines: Deadlines {
            at_risk_at: Timestamp(row.at_risk_at),
            breached_at: Timestamp(row.breached_at),
            escalated_at: Timestamp(row.escalated_at),
        },
        claimed: state.claimed_by.is_some(),
        // The latest snooze's end: a past one means not snoozed.
        snoozed_until: state.pauses.iter().map(|&(_, until)| until).max(),
        preview: state.preview,
        leads: Vec::new(),
    })
}
