//! What the spike detector reads: the customer items stored after a point of the log, with
//! the queue their conversation is in — at engine start the past weeks' (the detector's
//! history), then after each change the new ones, whichever way they came (a sync, or the
//! team's replica).

use switchboard_core::{QueueId, Timestamp};

use crate::{Store, StoreError};

/// A stored customer item, as the spike detector counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerItemRow {
    /// The log position of the event that stored it.
    pub seq: i64,
    /// The queue its conversation is in.
    pub queue: QueueId,
    /// When it was written (milliseconds).
    pub created_at: i64,
    /// Its text.
    pub text: String,
}

impl CustomerItemRow {
    /// When it was written.
    pub fn at(&self) -> Timestamp {
        Timestamp(self.created_at)
    }
}

impl Store {
    /// Up to `limit` customer items logged after position `after_seq` and written at or
    /// after `since`, in log order.
    pub async fn customer_items_after(
        &self,
        after_seq: i64,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<CustomerItemRow>, StoreError> {
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT e.seq, c.queue_id AS queue,
                    CAST(json_extract(e.payload, '$.kind.item.created_at') AS INTEGER) AS created_at,
                    COALESCE(json_extract(e.payload, '$.kind.item.text'), '') AS text
             FROM events e JOIN conversations c ON c.id = e.conversation_id
             WHERE e.seq > ?1 AND e.kind = 'item_ingested'
               AND json_extract(e.payload, '$.kind.item.from_brand') = 0
               AND json_extract(e.payload, '$.kind.item.created_at') >= ?2
             ORDER BY e.seq
             LIMIT ?3",
        )
        .bind(after_seq)
        .bind(since.millis())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, queue, created_at, text)| CustomerItemRow {
                seq,
                queue: QueueId(queue),
                created_at,
                text,
            })
            .collect())
    }

    /// The log's last position (0 when empty).
    pub async fn last_seq(&self) -> Result<i64, StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}
