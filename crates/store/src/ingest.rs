//! Ingesting items: event, projections and cursor in one transaction.

use sqlx::{Sqlite, Transaction};
use switchboard_core::{Item, QueueId, Timestamp};

use crate::{Store, StoreError};

/// Longest preview line kept for an item.
const PREVIEW_CHARS: usize = 140;

/// An item with the queue routing chose for it (used only if it starts a conversation).
#[derive(Debug, Clone)]
pub struct RoutedItem {
    /// The item.
    pub item: Item,
    /// The queue a new conversation started by this item goes to.
    pub queue: QueueId,
}

/// What one ingest call changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Items stored for the first time.
    pub inserted: u32,
    /// Items already stored before (same platform, account and native id), left as they were.
    pub duplicates: u32,
    /// Conversations that gained an item, without repeats.
    pub changed_conversations: Vec<i64>,
}

impl Store {
    /// Stores `items` and moves the cursor of `source` to `position`, all in one transaction:
    /// either every new item, its `item_ingested` event and the cursor are stored, or
    /// nothing is. Items already stored are skipped, so re-reading a page is harmless.
    pub async fn ingest(
        &self,
        items: &[RoutedItem],
        cursor: Option<(&str, &str)>,
        now: Timestamp,
    ) -> Result<IngestReport, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut report = IngestReport::default();
        for routed in items {
            match ingest_one(&mut tx, routed, now).await? {
                Some(conversation) => {
                    report.inserted += 1;
                    if !report.changed_conversations.contains(&conversation) {
                        report.changed_conversations.push(conversation);
                    }
                }
                None => report.duplicates += 1,
            }
        }
        if let Some((source, position)) = cursor {
            sqlx::query(
                "INSERT INTO cursors (source, position) VALUES (?, ?) \
                 ON CONFLICT (source) DO UPDATE SET position = excluded.position",
            )
            .bind(source)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Where `source` was last read up to, if it ever was.
    pub async fn cursor(&self, source: &str) -> Result<Option<String>, StoreError> {
        let position = sqlx::query_scalar("SELECT position FROM cursors WHERE source = ?")
            .bind(source)
            .fetch_optional(&self.pool)
            .await?;
        Ok(position)
    }
}

/// Stores one item; returns its conversation id, or `None` if it was already stored.
async fn ingest_one(
    tx: &mut Transaction<'_, Sqlite>,
    routed: &RoutedItem,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let item = &routed.item;
    let platform = item.platform.as_str();
    let already: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM items WHERE platform = ? AND account = ? AND native_id = ?",
    )
    .bind(platform)
    .bind(&item.account)
    .bind(&item.native_id)
    .fetch_optional(&mut **tx)
    .await?;
    if already.is_some() {
        return Ok(None);
    }

    let conversation: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (thread_key, queue_id, platform, last_activity_at) \
         VALUES (?, ?, ?, ?) \
         ON CONFLICT (thread_key) DO UPDATE SET thread_key = excluded.thread_key \
         RETURNING id",
    )
    .bind(&item.thread.0)
    .bind(&routed.queue.0)
    .bind(platform)
    .bind(item.created_at.millis())
    .fetch_one(&mut **tx)
    .await?;

    let item_id: i64 = sqlx::query_scalar(
        "INSERT INTO items (conversation_id, platform, account, native_id, kind, \
         author_handle, author_name, from_brand, body, preview, lang, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(conversation)
    .bind(platform)
    .bind(&item.account)
    .bind(&item.native_id)
    .bind(item.kind.as_str())
    .bind(&item.author.handle)
    .bind(&item.author.display_name)
    .bind(item.from_brand)
    .bind(&item.text)
    .bind(item.first_line(PREVIEW_CHARS))
    .bind(&item.lang)
    .bind(item.created_at.millis())
    .fetch_one(&mut **tx)
    .await?;

    let payload = serde_json::json!({
        "item_id": item_id,
        "platform": platform,
        "account": item.account,
        "native_id": item.native_id,
        "thread": item.thread.0,
        "from_brand": item.from_brand,
        "created_at": item.created_at.millis(),
        "queue": routed.queue.0,
    });
    sqlx::query(
        "INSERT INTO events (recorded_at, kind, conversation_id, payload) VALUES (?, ?, ?, ?)",
    )
    .bind(now.millis())
    .bind(if item.from_brand {
        "brand_reply_observed"
    } else {
        "item_ingested"
    })
    .bind(conversation)
    .bind(payload.to_string())
    .execute(&mut **tx)
    .await?;

    refresh_conversation(tx, conversation).await?;
    Ok(Some(conversation))
}

/// Recomputes a conversation's projection from its items. Order-independent, so an item
/// fetched late (a brand reply before the customer item it answers) lands correctly.
async fn refresh_conversation(
    tx: &mut Transaction<'_, Sqlite>,
    conversation: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "WITH brand AS (
             SELECT MAX(created_at) AS last_at FROM items
             WHERE conversation_id = ?1 AND from_brand = 1
         ),
         first_customer AS (
             SELECT kind, author_handle, author_name FROM items
             WHERE conversation_id = ?1 AND from_brand = 0
             ORDER BY created_at, id LIMIT 1
         ),
         latest_customer AS (
             SELECT preview FROM items
             WHERE conversation_id = ?1 AND from_brand = 0
             ORDER BY created_at DESC, id DESC LIMIT 1
         )
         UPDATE conversations SET
             kind = (SELECT kind FROM first_customer),
             customer_handle = (SELECT author_handle FROM first_customer),
             customer_name = (SELECT author_name FROM first_customer),
             preview = COALESCE((SELECT preview FROM latest_customer), ''),
             last_activity_at = (SELECT MAX(created_at) FROM items WHERE conversation_id = ?1),
             last_brand_at = (SELECT last_at FROM brand),
             waiting_since = (
                 SELECT MIN(created_at) FROM items
                 WHERE conversation_id = ?1 AND from_brand = 0
                   AND created_at > COALESCE((SELECT last_at FROM brand), -9223372036854775808)
             ),
             item_count = (SELECT COUNT(*) FROM items WHERE conversation_id = ?1)
         WHERE id = ?1",
    )
    .bind(conversation)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
