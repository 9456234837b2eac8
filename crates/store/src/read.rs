//! Reads for the UI: queue counts, a queue's conversations, one thread.

use switchboard_core::{
    Author, ConversationSummary, ItemKind, Platform, Queue, QueueId, QueueSummary, Thread,
    ThreadItem, Timestamp,
};

use crate::{Store, StoreError};

/// Most conversations one list call returns.
pub const CONVERSATION_PAGE: i64 = 200;

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    label: String,
    color: String,
    waiting_count: i64,
    conversation_count: i64,
}

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    queue_id: String,
    platform: String,
    kind: String,
    customer_handle: String,
    customer_name: String,
    preview: String,
    last_activity_at: i64,
    waiting_since: Option<i64>,
    item_count: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    kind: String,
    author_handle: String,
    author_name: String,
    from_brand: bool,
    body: String,
    lang: Option<String>,
    created_at: i64,
}

const CONVERSATION_COLUMNS: &str = "id, queue_id, platform, kind, customer_handle, \
     customer_name, preview, last_activity_at, waiting_since, item_count";

impl Store {
    /// Every queue in display order with its waiting and total conversation counts.
    pub async fn queue_summaries(&self) -> Result<Vec<QueueSummary>, StoreError> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT q.id, q.label, q.color,
                    COUNT(c.waiting_since) AS waiting_count,
                    COUNT(c.id) AS conversation_count
             FROM queues q
             LEFT JOIN conversations c
                    ON c.queue_id = q.id AND c.customer_handle IS NOT NULL
             GROUP BY q.id
             ORDER BY q.position",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| QueueSummary {
                queue: Queue::new(&row.id, &row.label, &row.color),
                waiting_count: count(row.waiting_count),
                conversation_count: count(row.conversation_count),
            })
            .collect())
    }

    /// The conversations of `queue`: waiting ones first, longest waiting first; then
    /// answered ones, most recent first. At most [`CONVERSATION_PAGE`].
    pub async fn conversations_in_queue(
        &self,
        queue: &QueueId,
    ) -> Result<Vec<ConversationSummary>, StoreError> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations
             WHERE queue_id = ? AND customer_handle IS NOT NULL
             ORDER BY waiting_since IS NULL, waiting_since, last_activity_at DESC, id
             LIMIT ?"
        );
        let rows: Vec<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&queue.0)
            .bind(CONVERSATION_PAGE)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(conversation_summary).collect()
    }

    /// Conversation `id` with all its items, oldest first.
    pub async fn thread(&self, id: i64) -> Result<Thread, StoreError> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations
             WHERE id = ? AND customer_handle IS NOT NULL"
        );
        let row: Option<ConversationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let conversation = conversation_summary(row.ok_or(StoreError::NotFound {
            what: "conversation",
            id,
        })?)?;
        let rows: Vec<ItemRow> = sqlx::query_as(
            "SELECT id, kind, author_handle, author_name, from_brand, body, lang, created_at
             FROM items WHERE conversation_id = ? ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|row| {
                Ok(ThreadItem {
                    id: row.id,
                    author: Author {
                        handle: row.author_handle,
                        display_name: row.author_name,
                    },
                    from_brand: row.from_brand,
                    kind: parse_kind(&row.kind)?,
                    text: row.body,
                    lang: row.lang,
                    created_at: Timestamp(row.created_at),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Thread {
            conversation,
            items,
        })
    }

    /// How many items are stored in all.
    pub async fn item_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM items")
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

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn parse_kind(value: &str) -> Result<ItemKind, StoreError> {
    ItemKind::parse(value).ok_or_else(|| StoreError::Corrupt {
        what: "item kind",
        value: value.to_owned(),
    })
}

fn conversation_summary(row: ConversationRow) -> Result<ConversationSummary, StoreError> {
    Ok(ConversationSummary {
        id: row.id,
        queue: QueueId(row.queue_id),
        platform: Platform::parse(&row.platform).ok_or_else(|| StoreError::Corrupt {
            what: "platform",
            value: row.platform.clone(),
        })?,
        kind: parse_kind(&row.kind)?,
        customer: Author {
            handle: row.customer_handle,
            display_name: row.customer_name,
        },
        preview: row.preview,
        last_activity_at: Timestamp(row.last_activity_at),
        waiting_since: row.waiting_since.map(Timestamp),
        item_count: count(row.item_count),
    })
}
