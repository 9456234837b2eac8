//! Store behaviour against a real SQLite file in a temporary directory.

use switchboard_core::{Author, Item, ItemKind, Platform, Queue, QueueId, ThreadKey, Timestamp};
use switchboard_store::{RoutedItem, Store};

fn item(native_id: &str, root: &str, from_brand: bool, at: i64) -> RoutedItem {
    let author = if from_brand {
        Author {
            handle: "@northwind@coffee.example".into(),
            display_name: "Northwind Coffee".into(),
        }
    } else {
        Author {
            handle: "@ana@example.social".into(),
            display_name: "Ana".into(),
        }
    };
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: native_id.into(),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", root),
            kind: if from_brand {
                ItemKind::Reply
            } else {
                ItemKind::Mention
            },
            author,
            from_brand,
            text: format!("message {native_id}\nsecond line"),
            lang: Some("en".into()),
            created_at: Timestamp(at),
        },
        queue: QueueId::from("support"),
    }
}

async fn open(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("workspace.sqlite3"))
        .await
        .expect("open store");
    store.set_queues(&Queue::defaults()).await.expect("queues");
    store
}

#[tokio::test]
async fn items_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            &[item("1", "1", false, 1_000)],
            Some(("demo", "1")),
            Timestamp(5),
        )
        .await
        .unwrap();
    store.close().await;

    let store = open(&dir).await;
    assert_eq!(
        store.item_count().await.unwrap(),
        1,
        "the item survived a reopen"
    );
    assert_eq!(
        store.cursor("demo").await.unwrap().as_deref(),
        Some("1"),
        "and its cursor"
    );
    let list = store
        .conversations_in_queue(&QueueId::from("support"))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].preview, "message 1", "preview is the first line");
    assert_eq!(list[0].waiting_since, Some(Timestamp(1_000)));
}

#[tokio::test]
async fn the_same_item_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let first = store
        .ingest(&[item("1", "1", false, 1_000)], None, Timestamp(5))
        .await
        .unwrap();
    assert_eq!((first.inserted, first.duplicates), (1, 0));
    let again = store
        .ingest(
            &[item("1", "1", false, 1_000), item("1", "1", false, 1_000)],
            None,
            Timestamp(6),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.inserted, again.duplicates),
        (0, 2),
        "both copies are duplicates"
    );
    assert!(again.changed_conversations.is_empty());
    assert_eq!(store.item_count().await.unwrap(), 1);
    assert_eq!(
        store.event_count().await.unwrap(),
        1,
        "no event for a duplicate"
    );
}

#[tokio::test]
async fn a_brand_reply_answers_and_a_new_customer_item_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            &[item("1", "1", false, 1_000), item("2", "1", false, 2_000)],
            None,
            Timestamp(0),
        )
        .await
        .unwrap();
    let thread = |s: Store| async move {
        let id = s
            .conversations_in_queue(&QueueId::from("support"))
            .await
            .unwrap()[0]
            .id;
        s.thread(id).await.unwrap()
    };
    let t = thread(store.clone()).await;
    assert_eq!(
        t.conversation.waiting_since,
        Some(Timestamp(1_000)),
        "clock starts at the first unanswered item"
    );

    store
        .ingest(&[item("3", "1", true, 3_000)], None, Timestamp(0))
        .await
        .unwrap();
    let t = thread(store.clone()).await;
    assert_eq!(t.conversation.waiting_since, None, "the brand answered");
    assert_eq!(t.items.len(), 3);

    store
        .ingest(&[item("4", "1", false, 4_000)], None, Timestamp(0))
        .await
        .unwrap();
    let t = thread(store.clone()).await;
    assert_eq!(
        t.conversation.waiting_since,
        Some(Timestamp(4_000)),
        "waiting again from the new item"
    );
    assert_eq!(
        t.conversation.preview, "message 4",
        "preview follows the latest customer item"
    );
}

#[tokio::test]
async fn a_brand_reply_fetched_before_the_item_it_answers_still_answers_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(&[item("r", "1", true, 2_000)], None, Timestamp(0))
        .await
        .unwrap();
    let summaries = store.queue_summaries().await.unwrap();
    assert_eq!(
        summaries.iter().map(|q| q.conversation_count).sum::<u32>(),
        0,
        "a conversation with only brand items is not listed"
    );
    store
        .ingest(&[item("1", "1", false, 1_000)], None, Timestamp(0))
        .await
        .unwrap();
    let list = store
        .conversations_in_queue(&QueueId::from("support"))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].waiting_since, None,
        "answered by the earlier-fetched reply"
    );
    assert_eq!(
        list[0].customer.display_name, "Ana",
        "customer comes from the customer item"
    );
}

#[tokio::test]
async fn queue_counts_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            &[
                item("a", "a", false, 5_000),
                item("b", "b", false, 1_000),
                item("c", "c", false, 3_000),
                item("c2", "c", true, 4_000),
            ],
            None,
            Timestamp(0),
        )
        .await
        .unwrap();
    let support = store
        .queue_summaries()
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.queue.id == QueueId::from("support"))
        .unwrap();
    assert_eq!((support.waiting_count, support.conversation_count), (2, 3));
    let order: Vec<String> = store
        .conversations_in_queue(&QueueId::from("support"))
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.preview)
        .collect();
    assert_eq!(
        order,
        ["message b", "message a", "message c"],
        "longest waiting first, answered last"
    );
}

#[tokio::test]
async fn the_event_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(&[item("1", "1", false, 1_000)], None, Timestamp(0))
        .await
        .unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("workspace.sqlite3").display()
    ))
    .await
    .unwrap();
    let update = sqlx::query("UPDATE events SET kind = 'x'")
        .execute(&pool)
        .await;
    assert!(update.is_err(), "update refused");
    let delete = sqlx::query("DELETE FROM events").execute(&pool).await;
    assert!(
        delete.unwrap_err().to_string().contains("append-only"),
        "delete refused"
    );
}

#[tokio::test]
async fn missing_thread_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let err = store.thread(42).await.unwrap_err();
    assert!(matches!(
        err,
        switchboard_store::StoreError::NotFound { id: 42, .. }
    ));
}
