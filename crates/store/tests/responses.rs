//! Finding responses in the stored event log: which conversations are read, and that a
//! response comes out exactly once, however the items were fetched.

mod support;

use support::HourPlanner;
use switchboard_core::{Author, Item, ItemKind, Platform, Queue, QueueId, ThreadKey, Timestamp};
use switchboard_store::{RoutedItem, Store};

fn item(root: &str, n: u32, from_brand: bool, at: i64) -> RoutedItem {
    let who = if from_brand { "northwind" } else { "ana" };
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: format!("{root}-{n}"),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", root),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!("@{who}"),
                display_name: who.into(),
            },
            from_brand,
            text: "hi".into(),
            lang: None,
            created_at: Timestamp(at),
        },
        queue: QueueId::from("support"),
    }
}

/// (thread root's waiting start, answer) pairs, sorted.
async fn answered(store: &Store, since: i64) -> Vec<(i64, i64)> {
    let mut found: Vec<(i64, i64)> = store
        .responses_since(Timestamp(since))
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.waiting_since.millis(), r.answered_at.millis()))
        .collect();
    found.sort_unstable();
    found
}

#[tokio::test]
async fn only_conversations_the_brand_replied_in_since_then_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("w.sqlite3")).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    let ingest = |items: Vec<RoutedItem>, now: i64| {
        let store = store.clone();
        async move {
            store
                .ingest(items, None, Timestamp(now), &HourPlanner)
                .await
                .unwrap()
        }
    };
    // Answered long ago.
    ingest(
        vec![item("old", 1, false, 100), item("old", 2, true, 200)],
        300,
    )
    .await;
    // Waiting, never answered.
    ingest(vec![item("open", 1, false, 1_000)], 2_000).await;
    // Answered recently; its reply was fetched in a page before the customer's item and
    // again in a later page.
    ingest(vec![item("new", 2, true, 5_000)], 5_500).await;
    ingest(vec![item("new", 1, false, 1_500)], 6_000).await;
    ingest(vec![item("new", 2, true, 5_000)], 7_000).await;

    assert_eq!(answered(&store, 5_000).await, [(1_500, 5_000)]);
    assert_eq!(answered(&store, 0).await, [(100, 200), (1_500, 5_000)]);
    assert_eq!(answered(&store, 8_000).await, []);
    store.close().await;
}
