//! Ingesting items: items, events, projections and cursor in one transaction.
//!
//! A page is applied in a handful of set-based statements, whatever its size:
//! 1. the items already stored (same platform, account and native id) are looked up —
//!    one unique-index search per item — and skipped: re-reading a page, after a crash or
//!    because a platform repeats itself, changes nothing and logs nothing;
//! 2. the states of the conversations the new items belong to are read;
//! 3. the reducer folds each new item's event into its conversation's state, in memory;
//! 4. conversations seen for the first time get their rows (and ids);
//! 5. the new items and their events are inserted;
//! 6. each changed conversation's projection row is written once, with its deadlines;
//! 7. the cursor moves — all in the one transaction.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Sqlite, Transaction};
use switchboard_core::{
    ConversationState, Event, EventKind, Item, ItemFacts, QueueId, ThreadKey, Timestamp,
};

use crate::project::{decode_state, insert_events, write_projections, DeadlinePlanner};
use crate::{Store, StoreError};

/// Longest preview line kept for an item.
const PREVIEW_CHARS: usize = 140;
/// Rows per multi-row statement, well under SQLite's limit of bound parameters.
const ROWS_PER_STATEMENT: usize = 250;

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

/// A new item on its way in.
struct Incoming<'a> {
    item: &'a Item,
    preview: String,
    event: Event,
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
        let mut tx = self.write_tx().await?;

        let stored = already_stored(&mut tx, items).await?;
        let mut seen = HashSet::new();
        let incoming: Vec<Incoming> = items
            .iter()
            .filter(|r| {
                let key = item_key(&r.item);
                !stored.contains(&key) && seen.insert(key)
            })
            .map(|r| incoming(r, now))
            .collect();

        let threads: Vec<&ThreadKey> = {
            let mut unique = HashSet::new();
            incoming
                .iter()
                .map(|i| &i.item.thread)
                .filter(|t| unique.insert(*t))
                .collect()
        };
        let mut ids: HashMap<ThreadKey, i64> = HashMap::new();
        let mut states: HashMap<ThreadKey, ConversationState> = HashMap::new();
        for (id, thread, json) in load_states(&mut tx, &threads).await? {
            states.insert(ThreadKey(thread.clone()), decode_state(&json)?);
            ids.insert(ThreadKey(thread), id);
        }
        for new in &incoming {
            let before = states.remove(&new.item.thread);
            let after = ConversationState::apply(before, &new.event)?;
            states.insert(new.item.thread.clone(), after);
        }
        let fresh: Vec<&ConversationState> = threads
            .iter()
            .filter(|t| !ids.contains_key(**t))
            .filter_map(|t| states.get(*t))
            .collect();
        ids.extend(create_conversations(&mut tx, &fresh, now).await?);

        insert_items(&mut tx, &incoming, &ids).await?;
        let events: Vec<(i64, &Event)> = incoming
            .iter()
            .map(|new| (ids[&new.item.thread], &new.event))
            .collect();
        insert_events(&mut tx, &events).await?;

        let changed: Vec<(i64, &ConversationState)> =
            threads.iter().map(|t| (ids[*t], &states[*t])).collect();
        write_projections(&mut tx, &changed, planner, now).await?;

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

        let mut changed_conversations: Vec<i64> = changed.iter().map(|(id, _)| *id).collect();
        changed_conversations.sort_unstable();
        Ok(IngestReport {
            inserted: count(incoming.len()),
            duplicates: count(items.len() - incoming.len()),
            changed_conversations,
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

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What makes an item unique: platform, account, native id.
type ItemKey = (String, String, String);

fn item_key(item: &Item) -> ItemKey {
    (
        item.platform.as_str().to_owned(),
        item.account.clone(),
        item.native_id.clone(),
    )
}

fn incoming(routed: &RoutedItem, now: Timestamp) -> Incoming<'_> {
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
    Incoming {
        item,
        preview,
        event: Event {
            thread: item.thread.clone(),
            at: now,
            by: None,
            kind: if item.from_brand {
                EventKind::BrandReplyObserved { item: facts, queue }
            } else {
                EventKind::ItemIngested { item: facts, queue }
            },
        },
    }
}

/// The keys of the items of `items` that are stored already.
async fn already_stored(
    tx: &mut Transaction<'_, Sqlite>,
    items: &[RoutedItem],
) -> Result<HashSet<ItemKey>, StoreError> {
    let mut stored = HashSet::new();
    for chunk in items.chunks(ROWS_PER_STATEMENT) {
        let found: Vec<ItemKey> = stored_keys_query("", chunk)
            .build_query_as()
            .fetch_all(&mut **tx)
            .await?;
        stored.extend(found);
    }
    Ok(stored)
}

/// `{prefix} SELECT` the keys of `chunk` found in `items`. A join from the page's keys,
/// not `(…) IN (VALUES …)`: SQLite plans the IN form as a scan of the whole unique index
/// (every stored item, for every chunk), the join as one index search per key.
fn stored_keys_query(prefix: &str, chunk: &[RoutedItem]) -> QueryBuilder<Sqlite> {
    let mut query = QueryBuilder::<Sqlite>::new(prefix);
    query.push(" SELECT i.platform, i.account, i.native_id FROM (VALUES ");
    let mut rows = query.separated(", ");
    for routed in chunk {
        rows.push("(")
            .push_bind_unseparated(routed.item.platform.as_str())
            .push_unseparated(", ")
            .push_bind_unseparated(&routed.item.account)
            .push_unseparated(", ")
            .push_bind_unseparated(&routed.item.native_id)
            .push_unseparated(")");
    }
    query.push(
        ") AS page CROSS JOIN items AS i ON i.platform = page.column1 \
         AND i.account = page.column2 AND i.native_id = page.column3",
    );
    query
}

/// `(id, thread_key, state)` of the stored conversations among `threads`.
async fn load_states(
    tx: &mut Transaction<'_, Sqlite>,
    threads: &[&ThreadKey],
) -> Result<Vec<(i64, String, String)>, StoreError> {
    let mut rows = Vec::new();
    for chunk in threads.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT id, thread_key, state FROM conversations WHERE thread_key IN (",
        );
        let mut keys = query.separated(", ");
        for thread in chunk {
            keys.push_bind(&thread.0);
        }
        query.push(")");
        rows.extend(query.build_query_as().fetch_all(&mut **tx).await?);
    }
    Ok(rows)
}

/// Rows for conversations seen for the first time; their full projection follows.
async fn create_conversations(
    tx: &mut Transaction<'_, Sqlite>,
    states: &[&ConversationState],
    now: Timestamp,
) -> Result<HashMap<ThreadKey, i64>, StoreError> {
    let mut ids = HashMap::new();
    for chunk in states.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO conversations (thread_key, queue_id, platform, last_activity_at, state) ",
        );
        query.push_values(chunk, |mut row, state| {
            row.push_bind(&state.thread.0)
                .push_bind(&state.queue.0)
                .push_bind(state.platform.as_str())
                .push_bind(now.millis())
                .push_bind("{}");
        });
        query.push(" RETURNING id, thread_key");
        let created: Vec<(i64, String)> = query.build_query_as().fetch_all(&mut **tx).await?;
        ids.extend(created.into_iter().map(|(id, key)| (ThreadKey(key), id)));
    }
    Ok(ids)
}

async fn insert_items(
    tx: &mut Transaction<'_, Sqlite>,
    incoming: &[Incoming<'_>],
    ids: &HashMap<ThreadKey, i64>,
) -> Result<(), StoreError> {
    for chunk in incoming.chunks(ROWS_PER_STATEMENT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO items (conversation_id, platform, account, native_id, kind, \
             author_handle, author_name, from_brand, body, preview, lang, created_at) ",
        );
        query.push_values(chunk, |mut row, new| {
            let item = new.item;
            row.push_bind(ids[&item.thread])
                .push_bind(item.platform.as_str())
                .push_bind(&item.account)
                .push_bind(&item.native_id)
                .push_bind(item.kind.as_str())
                .push_bind(&item.author.handle)
                .push_bind(&item.author.display_name)
                .push_bind(item.from_brand)
                .push_bind(&item.text)
                .push_bind(&new.preview)
                .push_bind(&item.lang)
                .push_bind(item.created_at.millis());
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, ItemKind, Platform};

    fn routed(native_id: &str) -> RoutedItem {
        RoutedItem {
            item: Item {
                platform: Platform::Mastodon,
                account: "brand".into(),
                native_id: native_id.into(),
                thread: ThreadKey::new(Platform::Mastodon, "brand", native_id),
                kind: ItemKind::Mention,
                author: Author {
                    handle: "@ana@example.social".into(),
                    display_name: "Ana".into(),
                },
                from_brand: false,
                text: "hi".into(),
                lang: None,
                created_at: Timestamp(0),
            },
            queue: QueueId::from("support"),
        }
    }

    #[tokio::test]
    async fn looking_up_stored_items_searches_the_unique_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("plan.sqlite3")).await.unwrap();
        let page = [routed("1"), routed("2")];
        let plan: Vec<(i64, i64, i64, String)> = stored_keys_query("EXPLAIN QUERY PLAN", &page)
            .build_query_as()
            .fetch_all(&store.pool)
            .await
            .unwrap();
        let steps: Vec<&str> = plan.iter().map(|row| row.3.as_str()).collect();
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SEARCH i USING COVERING INDEX")),
            "one index search per key of the page: {steps:?}"
        );
        assert!(
            !steps.iter().any(|s| s.starts_with("SCAN i")),
            "never a scan of every stored item: {steps:?}"
        );
        store.close().await;
    }
}
