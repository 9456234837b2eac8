//! Items hidden from the public: folded from the log's `item_hidden` events (the latest
//! wins), shown on the thread's items and in the history; showing again is a new event,
//! nothing is removed.

mod support;

use support::HourPlanner;
use switchboard_core::Timestamp;
use switchboard_core::{Author, EventKind, Item, ItemKind, Platform, Queue, QueueId, ThreadKey};
use switchboard_store::{RoutedItem, Store};

fn comment(native_id: &str, at: i64) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Facebook,
            account: "100".into(),
            native_id: native_id.into(),
            thread: ThreadKey::new(Platform::Facebook, "100", "comment:1_1"),
            kind: ItemKind::Comment,
            author: Author {
                handle: "5501".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: format!("comment {native_id}"),
            lang: None,
            created_at: Timestamp(at),
        },
        queue: QueueId::from("support"),
    }
}

fn hiding(item: &str, hidden: bool, reason: &str) -> EventKind {
    EventKind::ItemHidden {
        item: item.into(),
        hidden,
        reason: reason.into(),
    }
}

#[tokio::test]
async fn a_hidden_item_is_marked_until_shown_again_and_both_are_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("workspace.sqlite3"))
        .await
        .unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    store
        .ingest(
            vec![comment("1_1", 1_000), comment("1_2", 2_000)],
            None,
            Timestamp(3_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    let id = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(3_000))
        .await
        .unwrap()[0]
        .id;
    let thread = store.thread(id, Timestamp(3_000)).await.unwrap();
    assert!(thread.items.iter().all(|i| !i.hidden));
    let spam = thread.items[1].id;

    store
        .record_action(
            id,
            "rosa",
            hiding("1_2", true, "spam"),
            Timestamp(4_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    let thread = store.thread(id, Timestamp(4_000)).await.unwrap();
    let (first, second) = (&thread.items[0], &thread.items[1]);
    assert!(!first.hidden);
    assert!(second.hidden);
    assert_eq!(second.hidden_by.as_deref(), Some("rosa"));
    assert_eq!(second.hidden_reason.as_deref(), Some("spam"));
    assert_eq!(second.text, "comment 1_2", "nothing of it is removed");
    assert!(store.thread_item(id, spam).await.unwrap().1);

    store
        .record_action(
            id,
            "rosa",
            hiding("1_2", false, ""),
            Timestamp(5_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    let thread = store.thread(id, Timestamp(5_000)).await.unwrap();
    assert!(thread
        .items
        .iter()
        .all(|i| !i.hidden && i.hidden_by.is_none()));
    assert!(!store.thread_item(id, spam).await.unwrap().1);
    let told: Vec<(&str, Option<&str>, &str)> = thread
        .history
        .iter()
        .filter(|h| h.kind == "item_hidden")
        .map(|h| (h.kind.as_str(), h.by.as_deref(), h.detail.as_str()))
        .collect();
    assert_eq!(
        told,
        [
            ("item_hidden", Some("rosa"), "Hidden from the public: spam"),
            ("item_hidden", Some("rosa"), "Shown again to the public"),
        ]
    );
    assert_eq!(thread.items.len(), 2);
}

#[tokio::test]
async fn an_item_of_another_conversation_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("workspace.sqlite3"))
        .await
        .unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    store
        .ingest(
            vec![comment("1_1", 1_000)],
            None,
            Timestamp(2_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    let id = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(2_000))
        .await
        .unwrap()[0]
        .id;
    assert!(store.thread_item(id, 999_999).await.is_err());
}
