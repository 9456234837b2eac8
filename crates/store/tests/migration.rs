//! Migrations on databases written by earlier schemas:
//! - 0004: every event is kept with its `seq`, item events get their item's full content
//!   from the old `items` table, the stored JSON states are still read, and the item keys
//!   keep duplicates out;
//! - 0006: slim conversation rows list, count and watch the same conversations as the wide
//!   rows they replace.

mod support;

use std::path::Path;

use serde_json::json;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use support::HourPlanner;
use switchboard_core::{
    Author, ConversationState, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey,
    Timestamp,
};
use switchboard_store::{RoutedItem, Store};

const ACCOUNT: &str = "brand@example.social";

fn thread() -> ThreadKey {
    ThreadKey::new(Platform::Mastodon, ACCOUNT, "root")
}

fn item(native_id: &str, from_brand: bool, text: &str, at: i64) -> Item {
    let (handle, name) = if from_brand {
        ("@brand@example.social", "Brand")
    } else {
        ("@ana@example.social", "Ana")
    };
    Item {
        platform: Platform::Mastodon,
        account: ACCOUNT.into(),
        native_id: native_id.into(),
        thread: thread(),
        kind: if from_brand {
            ItemKind::Reply
        } else {
            ItemKind::Mention
        },
        author: Author {
            handle: handle.into(),
            display_name: name.into(),
        },
        from_brand,
        text: text.into(),
        lang: Some("en".into()),
        created_at: Timestamp(at),
    }
}

/// Brings a new database up to the migrations before `first_skipped` only, with the same
/// files the store embeds.
async fn schema_before(path: &Path, first_skipped: &str) -> sqlx::SqliteConnection {
    let old = tempfile::tempdir().unwrap();
    let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for file in std::fs::read_dir(&migrations).unwrap() {
        let file = file.unwrap();
        let name = file.file_name().into_string().unwrap();
        if name.as_str() < first_skipped {
            std::fs::copy(file.path(), old.path().join(&name)).unwrap();
        }
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    Migrator::new(old.path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    conn
}

/// The schema before items moved into events (migration 0003).
async fn previous_schema(path: &Path) -> sqlx::SqliteConnection {
    schema_before(path, "0004").await
}

/// What the previous version wrote for a customer item, a claim and a brand reply: item
/// rows, short item events (`preview` only) and the JSON state.
async fn write_previous_version(conn: &mut sqlx::SqliteConnection) {
    let customer = item("1", false, "Where is my order?\nIt is late.", 1_000);
    let brand = item("2", true, "On its way!", 5_000);
    let mut state = None;
    for item in [&customer, &brand] {
        let event = Event {
            thread: thread(),
            at: Timestamp(item.created_at.millis() + 10),
            by: None,
            kind: if item.from_brand {
                EventKind::BrandReplyObserved {
                    item: item.clone(),
                    queue: QueueId::from("support"),
                }
            } else {
                EventKind::ItemIngested {
                    item: item.clone(),
                    queue: QueueId::from("support"),
                }
            },
        };
        state = Some(ConversationState::apply(state, &event).unwrap());
    }
    let state = state.unwrap();
    let mut tx = conn.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO conversations (id, thread_key, queue_id, platform, kind, customer_handle,
             customer_name, preview, last_activity_at, item_count, state)
         VALUES (7, ?, 'support', 'mastodon', 'mention', '@ana@example.social', 'Ana',
             'Where is my order?', 5000, 2, ?)",
    )
    .bind(&thread().0)
    .bind(serde_json::to_string(&state).unwrap())
    .execute(&mut *tx)
    .await
    .unwrap();
    for (id, item) in [(11, &customer), (12, &brand)] {
        sqlx::query(
            "INSERT INTO items (id, conversation_id, platform, account, native_id, kind,
                 author_handle, author_name, from_brand, body, preview, lang, created_at)
             VALUES (?, 7, 'mastodon', ?, ?, ?, ?, ?, ?, ?, ?, 'en', ?)",
        )
        .bind(id)
        .bind(ACCOUNT)
        .bind(&item.native_id)
        .bind(item.kind.as_str())
        .bind(&item.author.handle)
        .bind(&item.author.display_name)
        .bind(item.from_brand)
        .bind(&item.text)
        .bind(item.text.lines().next().unwrap())
        .bind(item.created_at.millis())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let facts = |item: &Item| {
        json!({
            "platform": "mastodon", "kind": item.kind.as_str(),
            "author": { "handle": item.author.handle, "display_name": item.author.display_name },
            "preview": item.text.lines().next().unwrap(), "created_at": item.created_at.millis(),
        })
    };
    let events = [
        (
            1_010,
            "item_ingested",
            None,
            json!({ "type": "item_ingested", "item": facts(&customer), "queue": "support" }),
        ),
        (2_000, "claimed", Some("maya"), json!({ "type": "claimed" })),
        (
            5_010,
            "brand_reply_observed",
            None,
            json!({ "type": "brand_reply_observed", "item": facts(&brand), "queue": "support" }),
        ),
    ];
    for (at, kind, by, payload) in events {
        let event = json!({ "thread": thread().0, "at": at, "by": by, "kind": payload });
        sqlx::query(
            "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload)
             VALUES (?, ?, 7, ?, ?)",
        )
        .bind(at)
        .bind(kind)
        .bind(by)
        .bind(event.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload)
         VALUES (6000, 'policy_changed', NULL, NULL, '{\"type\":\"policy_changed\",\"file\":\"policy.toml\"}')",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn items_move_into_their_events_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let mut conn = previous_schema(&path).await;
    write_previous_version(&mut conn).await;
    conn.close().await.unwrap();

    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.event_count().await.unwrap(), 4, "every event kept");
    assert_eq!(store.item_count().await.unwrap(), 2);

    let thread_view = store.thread(7, Timestamp(7_000)).await.unwrap();
    let texts: Vec<(&str, bool)> = thread_view
        .items
        .iter()
        .map(|i| (i.text.as_str(), i.from_brand))
        .collect();
    assert_eq!(
        texts,
        [
            ("Where is my order?\nIt is late.", false),
            ("On its way!", true)
        ],
        "the items' full text comes from the old items table"
    );
    let history: Vec<(i64, &str)> = thread_view
        .history
        .iter()
        .map(|h| (h.seq, h.detail.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (1, "Ana wrote: Where is my order?"),
            (2, "Claimed"),
            (3, "The brand replied: On its way!"),
        ],
        "the history keeps its order and sequence numbers"
    );

    // The old items are recognised by their keys; the JSON state takes a new item.
    let routed = |item: Item| RoutedItem {
        item,
        queue: QueueId::from("triage"),
    };
    let again = store
        .ingest(
            vec![routed(item("1", false, "Where is my order?", 1_000))],
            None,
            Timestamp(8_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!((again.inserted, again.duplicates), (0, 1));
    let next = store
        .ingest(
            vec![routed(item("3", false, "Still nothing?", 7_500))],
            None,
            Timestamp(8_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!(next.changed_conversations, [7]);
    let conversation = store.conversation(7, Timestamp(8_000)).await.unwrap();
    assert_eq!(conversation.preview, "Still nothing?");
    assert_eq!(
        conversation.queue.0, "support",
        "an existing conversation keeps its queue"
    );
    assert_eq!(store.event_count().await.unwrap(), 5);
    store.close().await;
}

#[tokio::test]
async fn the_log_stays_append_only_after_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let mut conn = previous_schema(&path).await;
    write_previous_version(&mut conn).await;
    conn.close().await.unwrap();
    Store::open(&path).await.unwrap().close().await;

    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    for statement in ["UPDATE events SET kind = 'x'", "DELETE FROM events"] {
        let error = sqlx::query(statement).execute(&mut conn).await.unwrap_err();
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
}

/// An item event of [`thread`] at `at`.
fn item_event(item: Item, at: i64) -> Event {
    let queue = QueueId::from("support");
    Event {
        thread: item.thread.clone(),
        at: Timestamp(at),
        by: None,
        kind: if item.from_brand {
            EventKind::BrandReplyObserved { item, queue }
        } else {
            EventKind::ItemIngested { item, queue }
        },
    }
}

/// Writes conversation `id` as migration 0005's wide row would hold `events`' state.
async fn write_wide_row(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    events: &[Event],
    deadlines: Option<(i64, i64, i64)>,
) {
    let mut state: Option<ConversationState> = None;
    for event in events {
        state = Some(ConversationState::apply(state, event).unwrap());
    }
    let mut state = state.unwrap();
    state.thread = ThreadKey(format!("mastodon:{ACCOUNT}:{id}"));
    let customer = state.customer.clone();
    sqlx::query(
        "INSERT INTO conversations (id, thread_key, queue_id, platform, kind, customer_handle,
             customer_name, preview, last_activity_at, waiting_since, done_reason, item_count,
             at_risk_at, breached_at, escalated_at, state)
         VALUES (?, ?, 'support', 'mastodon', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&state.thread.0)
    .bind(state.kind.map(|k| k.as_str()))
    .bind(customer.as_ref().map(|c| c.handle.clone()))
    .bind(customer.as_ref().map(|c| c.display_name.clone()))
    .bind(&state.preview)
    .bind(state.last_activity_at.millis())
    .bind(state.waiting_since().map(Timestamp::millis))
    .bind(state.done.as_ref().map(|_| "spam"))
    .bind(i64::from(state.item_count))
    .bind(deadlines.map(|d| d.0))
    .bind(deadlines.map(|d| d.1))
    .bind(deadlines.map(|d| d.2))
    .bind(serde_json::to_string(&state).unwrap())
    .execute(conn)
    .await
    .unwrap();
}

#[tokio::test]
async fn slim_rows_list_count_and_watch_what_wide_rows_did() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let mut conn = schema_before(&path, "0006").await;
    let asked = item_event(item("1", false, "Where is my order?", 1_000), 1_010);
    let answered = item_event(item("2", true, "On its way!", 2_000), 2_010);
    let done = Event {
        thread: thread(),
        at: Timestamp(3_000),
        by: Some("maya".into()),
        kind: EventKind::MarkedDone {
            reason: switchboard_core::DoneReason::Spam,
        },
    };
    // 1 waiting, 2 answered, 3 the brand's own post, 4 marked done.
    write_wide_row(
        &mut conn,
        1,
        std::slice::from_ref(&asked),
        Some((5_000, 6_000, 7_000)),
    )
    .await;
    write_wide_row(&mut conn, 2, &[asked.clone(), answered.clone()], None).await;
    write_wide_row(&mut conn, 3, &[answered], None).await;
    write_wide_row(&mut conn, 4, &[asked, done], None).await;
    conn.close().await.unwrap();

    let store = Store::open(&path).await.unwrap();
    store
        .set_queues(&switchboard_core::Queue::defaults())
        .await
        .unwrap();
    let now = Timestamp(5_500);
    let support = store
        .queue_summaries(now)
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.queue.id.0 == "support")
        .unwrap();
    assert_eq!(
        (
            support.waiting_count,
            support.conversation_count,
            support.at_risk_count
        ),
        (1, 2, 1),
        "counts leave out the brand's own post and the conversation marked done"
    );
    let listed: Vec<(i64, bool)> = store
        .conversations_in_queue(&QueueId::from("support"), now)
        .await
        .unwrap()
        .iter()
        .map(|c| (c.id, c.sla.is_some()))
        .collect();
    assert_eq!(listed, [(1, true), (2, false)]);
    let waiting = store.conversation(1, now).await.unwrap();
    assert_eq!(
        (
            waiting.customer.display_name.as_str(),
            waiting.preview.as_str()
        ),
        ("Ana", "Where is my order?"),
        "what a list shows comes from the state"
    );
    let done = store.conversation(4, now).await.unwrap();
    assert_eq!(
        done.done_reason,
        Some(switchboard_core::DoneReason::Spam),
        "a conversation marked done is still shown when opened"
    );
    assert!(
        store.conversation(3, now).await.is_err(),
        "the brand's own post is never shown"
    );
    let watched: Vec<(i64, String)> = store
        .waiting_conversations()
        .await
        .unwrap()
        .into_iter()
        .map(|w| (w.id, w.customer))
        .collect();
    assert_eq!(watched, [(1, "Ana".to_owned())]);
    store.close().await;
}
