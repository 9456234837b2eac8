//! What the notifier watches: every waiting conversation with its deadlines.

use switchboard_core::{Deadlines, QueueId, Timestamp, WatchedConversation};

use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    queue_id: String,
    label: Option<String>,
    customer_name: String,
    preview: String,
    waiting_since: i64,
    at_risk_at: i64,
    breached_at: i64,
    escalated_at: i64,
    claimed: bool,
    snoozed_until: Option<i64>,
}

impl Store {
    /// Every waiting conversation with its deadlines, soonest due first, as the alert
    /// planner sees it (`leads` left empty: they come from the policy, not the database).
    pub async fn waiting_conversations(&self) -> Result<Vec<WatchedConversation>, StoreError> {
        let rows: Vec<WaitingRow> = sqlx::query_as(
            "SELECT c.id, c.queue_id, q.label, c.customer_name, c.preview, c.waiting_since,
                    c.at_risk_at, c.breached_at, c.escalated_at,
                    c.claimed_by IS NOT NULL AS claimed, c.snoozed_until
             FROM conversations c LEFT JOIN queues q ON q.id = c.queue_id
             WHERE c.breached_at IS NOT NULL AND c.customer_name IS NOT NULL
             ORDER BY c.breached_at, c.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| WatchedConversation {
                id: row.id,
                queue_label: row.label.unwrap_or_else(|| row.queue_id.clone()),
                queue: QueueId(row.queue_id),
                customer: row.customer_name,
                preview: row.preview,
                waiting_since: Timestamp(row.waiting_since),
                deadlines: Deadlines {
                    at_risk_at: Timestamp(row.at_risk_at),
                    breached_at: Timestamp(row.breached_at),
                    escalated_at: Timestamp(row.escalated_at),
                },
                claimed: row.claimed,
                snoozed_until: row.snoozed_until.map(Timestamp),
                leads: Vec::new(),
            })
            .collect())
    }
}
