//! Ingesting items: items, events, projections and cursor in one transaction.
//!
//! A page is applied conversation by conversation in memory: each conversation touched by
//! the page is read once, every new item appends its item row and its event, and each
//! touched conversation's projection is written once at the end. An item already stored
//! (same platform, account and native id) is skipped without an event, so re-reading a
//! page — after a crash, or because a platform repeats itself — changes nothing.

use std::collections::HashMap;

use sqlx::{Sqlite, Transaction};
use switchboard_core::{
    ConversationState, Event, EventKind, Item, ItemFacts, QueueId, ThreadKey, Timestamp,
};

use crate::project::{append_event, load_state, write_projection, DeadlinePlanner};
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

/// A conversation touched by the page being ingested.
struct Touched {
    id: i64,
    state: ConversationState,
    /// Whether a new item changed it (a page of duplicates changes nothing).
    changed: bool,
}

impl Store {
    /// Stores `items` and moves the cursor of `source` to `position`, all in one transaction:
    /// either every new item, its event, its conversation's projection and the cursor are
    /// stored, or nothing is. `planner` gives waiting conversations their SLA deadlines.
    pub async fn ingest(
        &self,
        items: &[RoutedItem],
        cursor: Option<(&str, &str)>,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<IngestReport, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut report = IngestReport::default();
        let mut touched: HashMap<ThreadKey, Touched> = HashMap::new();
        for routed in items {
            if ingest_one(&mut tx, routed, now, planner, &mut touched).await? {
                report.inserted += 1;
            } else {
                report.duplicates += 1;
            }
        }
        for conversation in touched.values().filter(|c| c.changed) {
            write_projection(
                &mut tx,
                Some(conversation.id),
                &conversation.state,
                planner,
                now,
            )
            .await?;
            report.changed_conversations.push(conversation.id);
        }
        report.changed_conversations.sort_unstable();
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

/// Stores one item unless it is already stored; returns whether it was new.
async fn ingest_one(
    tx: &mut Transaction<'_, Sqlite>,
    routed: &RoutedItem,
    now: Timestamp,
    planner: &dyn DeadlinePlanner,
    touched: &mut HashMap<ThreadKey, Touched>,
) -> Result<bool, StoreError> {
    let item = &routed.item;
    let preview = item.first_line(PREVIEW_CHARS);
    let facts = ItemFacts {
        platform: item.platform,
        kind: item.kind,
        author: item.author.clone(),
        preview: preview.clone(),
        created_at: item.created_at,
    };
    let queue = routed.queue.clone();
    let event = Event {
        thread: item.thread.clone(),
        at: now,
        by: None,
        kind: if item.from_brand {
            EventKind::BrandReplyObserved { item: facts, queue }
        } else {
            EventKind::ItemIngested { item: facts, queue }
        },
    };

    if !touched.contains_key(&item.thread) {
        let conversation = match load_state(tx, &item.thread).await? {
            Some((id, state)) => Touched {
                id,
                state,
                changed: false,
            },
            None => {
                if is_stored(tx, item).await? {
                    return Ok(false); // stored under another thread key: leave it be
                }
                // A new conversation: its row must exist before its first item.
                let state = ConversationState::apply(None, &event)?;
                let id = write_projection(tx, None, &state, planner, now).await?;
                insert_item(tx, id, item, &preview).await?;
                append_event(tx, id, &event).await?;
                touched.insert(
                    item.thread.clone(),
                    Touched {
                        id,
                        state,
                        changed: true,
                    },
                );
                return Ok(true);
            }
        };
        touched.insert(item.thread.clone(), conversation);
    }
    let conversation = touched.get_mut(&item.thread).expect("inserted just above");
    if !insert_item(tx, conversation.id, item, &preview).await? {
        return Ok(false);
    }
    conversation.state = ConversationState::apply(Some(conversation.state.clone()), &event)?;
    conversation.changed = true;
    append_event(tx, conversation.id, &event).await?;
    Ok(true)
}

async fn is_stored(tx: &mut Transaction<'_, Sqlite>, item: &Item) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM items WHERE platform = ? AND account = ? AND native_id = ?",
    )
    .bind(item.platform.as_str())
    .bind(&item.account)
    .bind(&item.native_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Inserts the item row; `false` when the item was already stored.
async fn insert_item(
    tx: &mut Transaction<'_, Sqlite>,
    conversation: i64,
    item: &Item,
    preview: &str,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO items (conversation_id, platform, account, native_id, kind, \
         author_handle, author_name, from_brand, body, preview, lang, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (platform, account, native_id) DO NOTHING",
    )
    .bind(conversation)
    .bind(item.platform.as_str())
    .bind(&item.account)
    .bind(&item.native_id)
    .bind(item.kind.as_str())
    .bind(&item.author.handle)
    .bind(&item.author.display_name)
    .bind(item.from_brand)
    .bind(&item.text)
    .bind(preview)
    .bind(&item.lang)
    .bind(item.created_at.millis())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
