//! The policy in force as the database keeps it: its text survives a reopen, and
//! conversations of a queue it no longer lists move to the fallback queue, each with one
//! `queue_removed` event, once.

mod support;

use support::{HourPlanner, HOUR};
use switchboard_core::{Author, Item, ItemKind, Platform, Queue, QueueId, ThreadKey, Timestamp};
use switchboard_store::{PolicyChange, RoutedItem, Store};

fn customer_item(native_id: &str, at: i64, queue: &str) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: native_id.into(),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", native_id),
            kind: ItemKind::Mention,
            author: Author {
                handle: "@ana@example.social".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: format!("message {native_id}"),
            lang: Some("en".into()),
            created_at: Timestamp(at),
        },
        queue: QueueId::from(queue),
    }
}

fn change<'a>(text: &'a str, queues: &'a [Queue], fallback: &'a QueueId) -> PolicyChange<'a> {
    PolicyChange {
        text,
        queues,
        fallback,
        now: Timestamp(2 * HOUR),
        by: "policy",
    }
}

#[tokio::test]
async fn conversations_of_a_queue_no_longer_listed_move_to_the_fallback_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let store = Store::open(&path).await.unwrap();
    let triage = QueueId::triage();
    let with_billing = [
        Queue::new("triage", "Triage", "#888888"),
        Queue::new("billing", "Billing", "#e2b93b"),
    ];
    store
        .apply_policy(&change("first", &with_billing, &triage), &HourPlanner)
        .await
        .unwrap();
    let items = vec![
        customer_item("1", 1_000, "billing"),
        customer_item("2", 2_000, "billing"),
        customer_item("3", 3_000, "triage"),
    ];
    store
        .ingest(items, None, Timestamp(HOUR), &HourPlanner)
        .await
        .unwrap();

    let without = [Queue::new("triage", "Triage", "#888888")];
    let applied = store
        .apply_policy(&change("second", &without, &triage), &HourPlanner)
        .await
        .unwrap();
    assert_eq!(applied.moved, vec![(QueueId::from("billing"), 2)]);
    assert_eq!(applied.replanned, 3);
    let in_triage = store
        .conversations_in_queue(&triage, Timestamp(2 * HOUR))
        .await
        .unwrap();
    assert_eq!(in_triage.len(), 3);
    let moved = in_triage.iter().find(|c| c.preview == "message 1").unwrap();
    let thread = store.thread(moved.id, Timestamp(2 * HOUR)).await.unwrap();
    let events: Vec<_> = thread
        .history
        .iter()
        .filter(|h| h.kind == "queue_removed")
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].by.as_deref(), Some("policy"));
    assert_eq!(
        events[0].detail,
        "Moved to triage: the queue billing is no longer in the workspace policy"
    );
    assert!(
        moved.sla.is_some(),
        "still waiting, with deadlines, in Triage"
    );

    // Applying it again moves nothing; the text survives a reopen.
    let again = store
        .apply_policy(&change("second", &without, &triage), &HourPlanner)
        .await
        .unwrap();
    assert!(again.moved.is_empty());
    store.close().await;
    let store = Store::open(&path).await.unwrap();
    assert_eq!(
        store.policy_in_force().await.unwrap().as_deref(),
        Some("second")
    );
    store.close().await;
}
