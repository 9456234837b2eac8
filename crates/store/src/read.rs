//! Reads for the UI: queue counts, a queue's conversations, one thread with its history,
//! and the conversations whose SLA state changes in a window.

use switchboard_core::{
    state_at, ConversationSummary, Deadlines, HandoffNote, HistoryEntry, Queue, QueueId,
    QueueSummary, SlaView, Thread, ThreadItem, Timestamp,
};

use crate::codec::decode_state;
use crate::{Store, StoreError};

/// Most waiting conversations one list call returns.
pub const WAITING_PAGE: i64 = 200;
/// Most answered conversations one list call returns (after the waiting ones).
pub const ANSWERED_PAGE: i64 = 50;

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    label: String,
    color: String,
    waiting_count: i64,
    conversation_count: i64,
    at_risk_count: i64,
    breached_count: i64,
}

/// A listed conversation's row: where it sits, and the state everything shown comes from.
#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    queue_id: String,
    at_risk_at: Option<i64>,
    breached_at: Option<i64>,
    escalated_at: Option<i64>,
    state: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    seq: i64,
    recorded_at: i64,
    kind: String,
    actor: Option<String>,
    payload: String,
}

const CONVERSATION_COLUMNS: &str =
    "id, queue_id, at_risk_at, breached_at, escalated_at, CAST(state AS BLOB) AS state";

impl Store {
    /// Every queue in display order with its counts at `now`.
    pub async fn queue_summaries(&self, now: Timestamp) -> Result<Vec<QueueSummary>, StoreError> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT q.id, q.label, q.color,
                    COUNT(c.waiting_since) AS waiting_count,
                    COUNT(c.id) AS conversation_count,
                    CAST(TOTAL(c.at_risk_at <= ?1 AND c.breached_at > ?1) AS INTEGER) AS at_risk_count,
                    CAST(TOTAL(c.breached_at <= ?1) AS INTEGER) AS breached_count
             FROM queues q
             LEFT JOIN conversations c
                    ON c.queue_id = q.id AND c.has_customer = 1 AND c.done = 0
             GROUP BY q.id
             ORDER BY q.position",
        )
        .bind(now.millis())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| QueueSummary {
                queue: Queue::new(&row.id, &row.label, &row.color),
                waiting_count: count(row.waiting_count),
                conversation_count: count(row.conversation_count),
                at_risk_count: count(row.at_risk_count),
                breached_count: count(row.breached_count),
                spike: None,
            })
            .collect())
    }

    /// The first `limit` waiting conversations of `queue`, soonest due first.
    pub async fn waiting_page(
        &self,
        queue: &QueueId,
        limit: i64,
        now: Timestamp,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        waiting_in(&self.pool, queue, limit)
            .await?
            .into_iter()
            .map(|r| conversation_summary(r, now))
            .collect()
    }

    /// The conversations of `queue`: waiting ones soonest due first, then answered ones,
    /// most recent first. Conversations marked done are not listed. Both reads run on one
    /// connection, taken from the pool once.
    pub async fn conversations_in_queue(
        &self,
        queue: &QueueId,
        now: Timestamp,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let mut rows = waiting_in(&mut *connection, queue, WAITING_PAGE).await?;
        let answered: Vec<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(answered_sql()))
            .bind(&queue.0)
            .bind(ANSWERED_PAGE)
            .fetch_all(&mut *connection)
            .await?;
        drop(connection);
        rows.extend(answered);
        rows.into_iter()
            .map(|r| conversation_summary(r, now))
            .collect()
    }

    /// Conversation `id` at `now`, without its items.
    pub async fn conversation(
        &self,
        id: i64,
        now: Timestamp,
    ) -> Result<ConversationSummary, StoreError> {
        conversation_in(&self.pool, id, now).await
    }

    /// Conversation `id` with all its items and its history, oldest first — read in one
    /// transaction, so all of it shows the same moment (a reply being recorded shows as
    /// sending or as sent in all of it, never half).
    pub async fn thread(&self, id: i64, now: Timestamp) -> Result<Thread, StoreError> {
        let mut tx = self.pool.begin().await?;
        let conversation = conversation_in(&mut *tx, id, now).await?;
        let hidden = crate::hidden::hidden_in(&mut *tx, id).await?;
        let items = crate::items::items_of(&mut *tx, id)
            .await?
            .into_iter()
            .map(|(seq, item)| {
                let mut shown = ThreadItem {
                    id: seq,
                    author: item.author,
                    from_brand: item.from_brand,
                    kind: item.kind,
                    text: item.text,
                    lang: item.lang,
                    created_at: item.created_at,
                    hidden: false,
                    hidden_by: None,
                    hidden_reason: None,
                };
                crate::hidden::mark(&mut shown, &item.native_id, &hidden);
                shown
            })
            .collect();
        let history = history_in(&mut *tx, id).await?;
        let outgoing = crate::outbox::outgoing_in(&mut *tx, id).await?;
        tx.commit().await?;
        let version = history.iter().map(|entry| entry.seq).max().unwrap_or(0);
        Ok(Thread {
            conversation,
            items,
            history,
            outgoing,
            version,
            reply_limit: None, // the engine fills it in when it knows the platform's
        })
    }

    /// Conversation `id`'s history from the event log, oldest first.
    pub async fn history(&self, id: i64) -> Result<Vec<HistoryEntry>, StoreError> {
        history_in(&self.pool, id).await
    }

    /// Ids of waiting conversations that become at risk, breached or escalated in
    /// `(after, until]` — what a notifier wakes up for.
    pub async fn sla_changes_between(
        &self,
        after: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<i64>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM conversations WHERE at_risk_at > ?1 AND at_risk_at <= ?2
             UNION SELECT id FROM conversations WHERE breached_at > ?1 AND breached_at <= ?2
             UNION SELECT id FROM conversations WHERE escalated_at > ?1 AND escalated_at <= ?2",
        )
        .bind(after.millis())
        .bind(until.millis())
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    /// How many items are stored in all.
    pub async fn item_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE item_key IS NOT NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many events the log holds.
    pub async fn event_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// The first `limit` waiting conversations of `queue` on `executor`, soonest due first.
async fn waiting_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    queue: &QueueId,
    limit: i64,
) -> Result<Vec<ConversationRow>, StoreError> {
    let sql = format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations
         WHERE queue_id = ? AND breached_at IS NOT NULL AND has_customer = 1
         ORDER BY breached_at, id LIMIT ?"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&queue.0)
        .bind(limit)
        .fetch_all(executor)
        .await?)
}

/// A queue's answered conversations (`?1` queue, `?2` limit), most recent first: a range of
/// the `conversations_answered_by_activity` partial index (its condition is among the
/// filters), read backwards — ties by newest conversation — so nothing is sorted.
fn answered_sql() -> String {
    format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations
         WHERE queue_id = ?1 AND breached_at IS NULL AND has_customer = 1 AND done = 0
         ORDER BY last_activity_at DESC, id DESC LIMIT ?2"
    )
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn conversation_summary(
    row: ConversationRow,
    now: Timestamp,
) -> Result<ConversationSummary, StoreError> {
    let mut state = decode_state(&row.state)?;
    let sla = match (row.at_risk_at, row.breached_at, row.escalated_at) {
        (Some(at_risk), Some(breached), Some(escalated)) => {
            let deadlines = Deadlines {
                at_risk_at: Timestamp(at_risk),
                breached_at: Timestamp(breached),
                escalated_at: Timestamp(escalated),
            };
            Some(SlaView {
                state: state_at(&deadlines, now),
                at_risk_at: deadlines.at_risk_at,
                due_at: deadlines.breached_at,
                escalated_at: deadlines.escalated_at,
                first_response: !state.answered_before(),
            })
        }
        _ => None,
    };
    let (Some(kind), Some(customer)) = (state.kind, state.customer.take()) else {
        return Err(StoreError::Corrupt {
            what: "conversation state",
            value: format!("conversation {} is listed but has no customer", row.id),
        });
    };
    Ok(ConversationSummary {
        id: row.id,
        queue: QueueId(row.queue_id),
        platform: state.platform,
        kind,
        customer,
        last_activity_at: state.last_activity_at,
        waiting_since: state.waiting_since(),
        item_count: state.item_count,
        sla,
        done_reason: state.done.as_ref().map(|done| done.reason),
        snoozed_until: state.snoozed_until(now),
        handoff_note: state.handoff_note.map(|note| HandoffNote {
            by: note.by,
            text: note.text,
            at: note.at,
            to_member: note.to_member,
        }),
        note_count: state.note_count,
        claimed_by: state.claimed_by,
        preview: state.preview,
        team: None,
        reply_window: None, // the engine fills it in for messaging conversations
    })
}

/// [`Store::conversation`] on `executor`.
async fn conversation_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    id: i64,
    now: Timestamp,
) -> Result<ConversationSummary, StoreError> {
    let sql = format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations
         WHERE id = ? AND has_customer = 1"
    );
    let row: Option<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    conversation_summary(
        row.ok_or(StoreError::NotFound {
            what: "conversation",
            id,
        })?,
        now,
    )
}

/// [`Store::history`] on `executor`.
async fn history_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    id: i64,
) -> Result<Vec<HistoryEntry>, StoreError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT seq, recorded_at, kind, actor, payload FROM events
         WHERE conversation_id = ? ORDER BY seq",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| HistoryEntry {
            seq: row.seq,
            at: Timestamp(row.recorded_at),
            detail: crate::history::describe(&row.payload),
            kind: row.kind,
            by: row.actor,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answered_conversations_are_listed_from_their_partial_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.sqlite3")).await.unwrap();
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            answered_sql()
        )))
        .bind("support")
        .bind(ANSWERED_PAGE)
        .fetch_all(&store.pool)
        .await
        .unwrap();
        let steps: Vec<&str> = plan.iter().map(|step| step.3.as_str()).collect();
        assert!(
            steps
                .iter()
                .any(|s| s.contains("USING INDEX conversations_answered_by_activity")),
            "{steps:?}"
        );
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{steps:?}"
        );
        store.close().await;
    }
}
