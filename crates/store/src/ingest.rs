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
//! 3. the reducer folds each new item's event into its conversation's state, in memory and
//!    in place;
//! 4. each changed conversation's projection row is written once — new conversations get
//!    their row (and id), existing ones keep their queue and deadline index entries when
//!    those did not move;
//! 5. the events are [appended](crate::append) — their JSON encoded on a second thread
//!    while steps 2–4 run, several rows per statement;
//! 6. the cursor moves.
//!
//! Once the page is written, its events are freed on the runtime's blocking pool.

use std::collections::hash_map::Entry;

use rusqlite::{OptionalExtension, TransactionBehavior};
use rustc_hash::{FxHashMap, FxHashSet};
use switchboard_core::{ConversationState, Event, EventKind, Item, QueueId, ThreadKey, Timestamp};

use crate::append::{append_events, Appended, Encoding};
use crate::codec::{decode_state, item_key};
use crate::projection::{Placement, Projection, INSERT, UPDATE_ALL, UPDATE_CONTENT};
use crate::state_cache::{CachedRow, StateCache, Stored};
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

/// A conversation the page touches, its state folded with the page's items.
enum Touched {
    /// Stored before; `key` is its cache key when it came from the cache.
    Stored {
        key: Option<ThreadKey>,
        row: Box<Stored>,
    },
    /// Started by this page.
    New(Box<ConversationState>),
}

impl Touched {
    fn state_mut(&mut self) -> &mut ConversationState {
        match self {
            Touched::Stored { row, .. } => &mut row.state,
            Touched::New(state) => state,
        }
    }
}

impl Store {
    /// Stores `items` and moves the cursor of `source` to `position`, all in one transaction:
    /// either every new item's event, its conversation's projection and the cursor are
    /// stored, or nothing is. `planner` gives waiting conversations their SLA deadlines.
    pub async fn ingest(
        &self,
        items: Vec<RoutedItem>,
        cursor: Option<(&str, &str)>,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<IngestReport, StoreError> {
        let received = items.len();
        let page = Page {
            events: pending_events(items, now),
            received,
            cursor,
            planner,
        };
        let report = self.writer.run(|connection, cache| {
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
        });
        release(page.events);
        report
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
pub(crate) enum PageError {
    /// An optimistic write met an item stored before.
    AlreadyStored,
    Store(StoreError),
}

impl<E: Into<StoreError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError::Store(error.into())
    }
}

/// An item's event, with the key that makes the item unique.
struct Pending {
    key: String,
    event: Event,
}

/// The events that ingest `items`, each item once (the first of repeats within the page).
fn pending_events(items: Vec<RoutedItem>, now: Timestamp) -> Vec<Pending> {
    let keys: Vec<String> = items.iter().map(|routed| item_key(&routed.item)).collect();
    let mut seen = FxHashSet::with_capacity_and_hasher(keys.len(), Default::default());
    let first: Vec<bool> = keys.iter().map(|key| seen.insert(key.as_str())).collect();
    drop(seen);
    items
        .into_iter()
        .zip(keys)
        .zip(first)
        .filter(|(_, first)| *first)
        .map(|((routed, key), _)| Pending {
            key,
            event: item_event(routed, now),
        })
        .collect()
}

/// One ingest call's input.
struct Page<'a> {
    /// The page's items (without repeats) as events.
    events: Vec<Pending>,
    /// How many items the page had.
    received: usize,
    cursor: Option<(&'a str, &'a str)>,
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
) -> Result<(IngestReport, Vec<CachedRow>), PageError> {
    let Page {
        ref events,
        received,
        cursor,
        planner,
    } = *page;
    // 1. New items only.
    let mut stored = tx.prepare_cached("SELECT 1 FROM events WHERE item_key = ?1")?;
    let mut incoming: Vec<&Pending> = Vec::with_capacity(events.len());
    for pending in events {
        if lookup == Lookup::Explicit && stored.exists([&pending.key])? {
            continue;
        }
        incoming.push(pending);
    }

    // The events' JSON does not depend on the database: it is written on a second thread
    // while this one reads states and writes projections.
    std::thread::scope(|scope| {
        let encoding = Encoding::start(scope, incoming.iter().map(|p| &p.event).collect());
        // 2–3. Stored states (from the cache, or read), folded with the new items' events.
        let (touched, conversation_of) = fold(tx, cache, &incoming)?;
        // 4. One projection row per changed conversation.
        let rows = write_projections(tx, touched, planner)?;

        // 5. The events, items inside.
        let payloads = encoding.finish()?;
        let appended = incoming
            .iter()
            .zip(&conversation_of)
            .map(|(pending, &n)| Appended {
                conversation: rows[n].1.id,
                key: &pending.key,
                event: &pending.event,
            });
        append_events(tx, appended, &payloads)?;

        // 6. The cursor, with the rows it covers.
        if let Some((source, position)) = cursor {
            tx.prepare_cached(
                "INSERT INTO cursors (source, position) VALUES (?1, ?2)
                 ON CONFLICT (source) DO UPDATE SET position = excluded.position",
            )?
            .execute([source, position])?;
        }

        let mut changed_conversations: Vec<i64> = rows.iter().map(|(_, row)| row.id).collect();
        changed_conversations.sort_unstable();
        let report = IngestReport {
            inserted: count(incoming.len()),
            duplicates: count(received - incoming.len()),
            changed_conversations,
        };
        Ok((report, rows))
    })
}

/// Folds each of `incoming`'s events into its conversation's state (taken from the cache,
/// read, or started). Returns the touched conversations and, for each event, the index of
/// its conversation among them.
fn fold(
    tx: &rusqlite::Transaction<'_>,
    cache: &mut StateCache,
    incoming: &[&Pending],
) -> Result<(Vec<Touched>, Vec<usize>), PageError> {
    let mut load = tx.prepare_cached(
        "SELECT id, queue_id, at_risk_at, breached_at, escalated_at, CAST(state AS BLOB)
         FROM conversations WHERE thread_key = ?1",
    )?;
    let mut index: FxHashMap<&ThreadKey, usize> = FxHashMap::default();
    let mut touched: Vec<Touched> = Vec::new();
    let mut conversation_of = Vec::with_capacity(incoming.len());
    for pending in incoming {
        let event = &pending.event;
        let n = match index.entry(&event.thread) {
            Entry::Occupied(entry) => {
                let n = *entry.get();
                touched[n].state_mut().apply_to(event)?;
                n
            }
            Entry::Vacant(entry) => {
                let mut conversation = match cache.take(&event.thread) {
                    Some((key, row)) => Touched::Stored {
                        key: Some(key),
                        row,
                    },
                    None => match load_row(&mut load, &event.thread)? {
                        Some(row) => Touched::Stored {
                            key: None,
                            row: Box::new(row),
                        },
                        None => Touched::New(Box::new(ConversationState::apply(None, event)?)),
                    },
                };
                if let Touched::Stored { row, .. } = &mut conversation {
                    row.state.apply_to(event)?;
                }
                touched.push(conversation);
                *entry.insert(touched.len() - 1)
            }
        };
        conversation_of.push(n);
    }
    Ok((touched, conversation_of))
}

/// Writes each touched conversation's projection row; returns the rows as they now stand.
fn write_projections(
    tx: &rusqlite::Transaction<'_>,
    touched: Vec<Touched>,
    planner: &dyn DeadlinePlanner,
) -> Result<Vec<CachedRow>, PageError> {
    let mut insert = tx.prepare_cached(INSERT)?;
    let mut update_all = tx.prepare_cached(UPDATE_ALL)?;
    let mut update_content = tx.prepare_cached(UPDATE_CONTENT)?;
    let mut rows = Vec::with_capacity(touched.len());
    for conversation in touched {
        rows.push(match conversation {
            Touched::Stored { key, mut row } => {
                let projection = Projection::new(Some(row.id), &row.state, planner)?;
                if projection.is_placed(&row.placement) {
                    execute_with(&mut update_content, &projection.values())?;
                } else {
                    execute_with(&mut update_all, &projection.values())?;
                    let placement = projection.placement();
                    row.placement = placement;
                }
                (key.unwrap_or_else(|| row.state.thread.clone()), row)
            }
            Touched::New(state) => {
                let projection = Projection::new(None, &state, planner)?;
                execute_with(&mut insert, &projection.values())?;
                let placement = projection.placement();
                let row = Stored {
                    id: tx.last_insert_rowid(),
                    placement,
                    state: *state,
                };
                (row.state.thread.clone(), Box::new(row))
            }
        });
    }
    Ok(rows)
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

/// Frees a written page's events (thousands of small allocations: a few percent of an
/// ingest call) on the runtime's blocking pool, so the caller goes on to its next page.
fn release(events: Vec<Pending>) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => drop(runtime.spawn_blocking(move || drop(events))),
        Err(_) => drop(events),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The event that ingests `routed`'s item.
fn item_event(routed: RoutedItem, now: Timestamp) -> Event {
    let RoutedItem { item, queue } = routed;
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
