//! Ingesting items: events, projections and cursor in one transaction.
//!
//! Items are stored whole in the events that ingest them (`item_ingested`,
//! `brand_reply_observed`); an event's `item_key` keeps each item exactly once. A page is
//! applied on the [ingest writer](crate::writer) with prepared statements, in one
//! `BEGIN IMMEDIATE` transaction:
//! 1. items already stored (same platform, account and native id) are skipped: re-reading
//!    a page, after a crash or because a platform repeats itself, changes nothing and
//!    logs nothing;
//! 2. the states of the conversations the new items belong to are read (or taken from
//!    the writer's [state cache](crate::state_cache));
//! 3. the reducer folds each new item's event into its conversation's state, in memory;
//! 4. each changed conversation's projection row is written once — new conversations get
//!    their row (and id), existing ones keep their queue and deadline index entries when
//!    those did not move;
//! 5. the events are appended;
//! 6. the cursor moves.

use std::collections::hash_map::Entry;

use rusqlite::{OptionalExtension, TransactionBehavior};
use rustc_hash::{FxHashMap, FxHashSet};
use switchboard_core::{ConversationState, Event, EventKind, Item, QueueId, ThreadKey, Timestamp};

use crate::codec::{corrupt_event, decode_state, encode_event, item_key};
use crate::projection::{Placement, Projection, INSERT, UPDATE_ALL, UPDATE_CONTENT};
use crate::state_cache::{StateCache, Stored};
use crate::writer::execute_with;
use crate::{DeadlinePlanner, Store, StoreError};

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
    /// Conversations that gained an item, without repeats, in id order.
    pub changed_conversations: Vec<i64>,
}

/// A conversation the page touches: its stored row (if any) and its state after the page.
struct Touched {
    stored: Option<(i64, Placement)>,
    state: Option<ConversationState>,
}

impl Store {
    /// Stores `items` and moves the cursor of `source` to `position`, all in one transaction:
    /// either every new item's event, its conversation's projection and the cursor are
    /// stored, or nothing is. `planner` gives waiting conversations their SLA deadlines.
    pub async fn ingest(
        &self,
        items: &[RoutedItem],
        cursor: Option<(&str, &str)>,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<IngestReport, StoreError> {
        let page = Page {
            items,
            cursor,
            now,
            planner,
        };
        self.writer.run(|connection, cache| {
            match page.write(connection, cache, Lookup::Optimistic) {
                Err(PageError::AlreadyStored) => page.write(connection, cache, Lookup::Explicit),
                other => other,
            }
            .map_err(|error| match error {
                PageError::Store(error) => error,
                // Explicit lookups skip every stored item inside the same write lock, so
                // the index cannot refuse one unless the database disagrees with itself.
                PageError::AlreadyStored => StoreError::Corrupt {
                    what: "item key index",
                    value: "an item the lookup did not find".into(),
                },
            })
        })
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

/// How a page finds the items stored before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// Assume none is: the `item_key` unique index refuses a stored one, and the page is
    /// rolled back and written again with [`Lookup::Explicit`].
    Optimistic,
    /// Look each item up first and skip the stored ones.
    Explicit,
}

#[derive(Debug)]
enum PageError {
    /// An optimistic write met an item stored before.
    AlreadyStored,
    Store(StoreError),
}

impl<E: Into<StoreError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError::Store(error.into())
    }
}

/// One ingest call's input.
struct Page<'a> {
    items: &'a [RoutedItem],
    cursor: Option<(&'a str, &'a str)>,
    now: Timestamp,
    planner: &'a dyn DeadlinePlanner,
}

impl Page<'_> {
    /// Writes the page in one transaction and, once committed, keeps its rows in `cache`.
    fn write(
        &self,
        connection: &mut rusqlite::Connection,
        cache: &mut StateCache,
        lookup: Lookup,
    ) -> Result<IngestReport, PageError> {
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        cache.validate(&tx)?;
        let (report, rows) = write_page(&tx, cache, self, lookup)?;
        tx.commit()?;
        cache.keep(rows);
        Ok(report)
    }
}

/// Writes one page inside `tx`; returns the report and the rows as they now stand (for the
/// cache, once committed).
fn write_page(
    tx: &rusqlite::Transaction<'_>,
    cache: &mut StateCache,
    page: &Page<'_>,
    lookup: Lookup,
) -> Result<(IngestReport, Vec<Stored>), PageError> {
    let Page {
        items,
        cursor,
        now,
        planner,
    } = *page;
    // 1. New items only, each once.
    let mut stored = tx.prepare_cached("SELECT 1 FROM events WHERE item_key = ?1")?;
    let mut keys = FxHashSet::default();
    let mut incoming: Vec<(&RoutedItem, String)> = Vec::with_capacity(items.len());
    for routed in items {
        let key = item_key(&routed.item);
        if keys.contains(&key) || (lookup == Lookup::Explicit && stored.exists([&key])?) {
            continue;
        }
        keys.insert(key.clone());
        incoming.push((routed, key));
    }

    // 2–3. Stored states (from the cache, or read), folded with the new items' events.
    let mut load = tx.prepare_cached(
        "SELECT id, queue_id, at_risk_at, breached_at, escalated_at, CAST(state AS BLOB)
         FROM conversations WHERE thread_key = ?1",
    )?;
    let mut index: FxHashMap<&ThreadKey, usize> = FxHashMap::default();
    let mut touched: Vec<Touched> = Vec::new();
    let mut events: Vec<(usize, &str, Event)> = Vec::with_capacity(incoming.len());
    for (routed, key) in &incoming {
        let thread = &routed.item.thread;
        let n = match index.entry(thread) {
            Entry::Occupied(entry) => *entry.get(),
            Entry::Vacant(entry) => {
                let row = match cache.take(thread) {
                    Some(row) => Some(row),
                    None => load_row(&mut load, thread)?,
                };
                touched.push(match row {
                    Some(row) => Touched {
                        stored: Some((row.id, row.placement)),
                        state: Some(row.state),
                    },
                    None => Touched {
                        stored: None,
                        state: None,
                    },
                });
                *entry.insert(touched.len() - 1)
            }
        };
        let event = item_event(routed, now);
        let conversation = &mut touched[n];
        conversation.state = Some(ConversationState::apply(conversation.state.take(), &event)?);
        events.push((n, key, event));
    }

    // 4. One projection row per changed conversation.
    let mut insert = tx.prepare_cached(INSERT)?;
    let mut update_all = tx.prepare_cached(UPDATE_ALL)?;
    let mut update_content = tx.prepare_cached(UPDATE_CONTENT)?;
    let mut rows = Vec::with_capacity(touched.len());
    for conversation in touched {
        let state = conversation
            .state
            .expect("every touched conversation has an item");
        let projection = Projection::new(
            conversation.stored.as_ref().map(|s| s.0),
            &state,
            planner,
            now,
        )?;
        let id = match &conversation.stored {
            Some((id, placement)) if projection.is_placed(placement) => {
                execute_with(&mut update_content, &projection.values())?;
                *id
            }
            Some((id, _)) => {
                execute_with(&mut update_all, &projection.values())?;
                *id
            }
            None => {
                execute_with(&mut insert, &projection.values())?;
                tx.last_insert_rowid()
            }
        };
        let placement = projection.placement();
        rows.push(Stored {
            id,
            placement,
            state,
        });
    }

    // 5. The events, items inside.
    let mut append = tx.prepare_cached(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, item_key, payload)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
    )?;
    let mut payload = Vec::new();
    for (n, key, event) in &events {
        payload.clear();
        encode_event(event, &mut payload)?;
        let appended = append.execute(rusqlite::params![
            event.at.millis(),
            event.kind.name(),
            rows[*n].id,
            key,
            std::str::from_utf8(&payload).map_err(|e| corrupt_event(e.to_string()))?,
        ]);
        match appended {
            Err(error) if is_unique_violation(&error) => return Err(PageError::AlreadyStored),
            other => other?,
        };
    }

    // 6. The cursor, with the rows it covers.
    if let Some((source, position)) = cursor {
        tx.prepare_cached(
            "INSERT INTO cursors (source, position) VALUES (?1, ?2)
             ON CONFLICT (source) DO UPDATE SET position = excluded.position",
        )?
        .execute([source, position])?;
    }

    let mut changed_conversations: Vec<i64> = rows.iter().map(|row| row.id).collect();
    changed_conversations.sort_unstable();
    let report = IngestReport {
        inserted: count(incoming.len()),
        duplicates: count(items.len() - incoming.len()),
        changed_conversations,
    };
    Ok((report, rows))
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    error
        .sqlite_error()
        .is_some_and(|e| e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// The stored row of `thread`, read.
fn load_row(
    load: &mut rusqlite::CachedStatement<'_>,
    thread: &ThreadKey,
) -> Result<Option<Stored>, StoreError> {
    let row = load
        .query_row([&thread.0], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                Placement::from_columns(row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?),
                row.get::<_, Vec<u8>>(5)?,
            ))
        })
        .optional()?;
    row.map(|(id, placement, bytes)| {
        Ok(Stored {
            id,
            placement,
            state: decode_state(&bytes)?,
        })
    })
    .transpose()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The event that ingests `routed`'s item.
fn item_event(routed: &RoutedItem, now: Timestamp) -> Event {
    let item = routed.item.clone();
    let queue = routed.queue.clone();
    Event {
        thread: item.thread.clone(),
        at: now,
        by: None,
        kind: if item.from_brand {
            EventKind::BrandReplyObserved { item, queue }
        } else {
            EventKind::ItemIngested { item, queue }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn looking_up_stored_items_searches_the_item_key_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.sqlite3")).await.unwrap();
        let steps: Vec<String> = store
            .writer
            .run(|c, _| {
                let mut plan =
                    c.prepare("EXPLAIN QUERY PLAN SELECT 1 FROM events WHERE item_key = ?1")?;
                let rows = plan.query_map(["k"], |row| row.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .unwrap();
        assert!(
            steps
                .iter()
                .any(|s| s.contains("USING COVERING INDEX events_item_key")),
            "one index search per item: {steps:?}"
        );
        store.close().await;
    }
}
