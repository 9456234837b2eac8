//! The checkpointer thread copies the write-ahead log into the database file while ingest
//! goes on, and the WAL stays bounded however long ingest goes on.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::HourPlanner;
use switchboard_core::{Author, Item, ItemKind, Platform, Queue, QueueId, ThreadKey, Timestamp};
use switchboard_store::{RoutedItem, Store};

fn item(n: u32) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: n.to_string(),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", &(n % 300).to_string()),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!("@customer{}@example.social", n % 300),
                display_name: "Customer".into(),
            },
            from_brand: false,
            // Long enough that a few dozen pages pass the checkpoint threshold.
            text: format!(
                "order {n}: {}",
                "the parcel has not arrived yet. ".repeat(60)
            ),
            lang: Some("en".into()),
            created_at: Timestamp(i64::from(n) * 1_000),
        },
        queue: QueueId::from("support"),
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Ingests pages `pages` of 100 items each.
async fn ingest_pages(store: &Store, pages: std::ops::Range<u32>) {
    for page in pages {
        let items = (page * PER_PAGE..(page + 1) * PER_PAGE).map(item).collect();
        let position = page.to_string();
        store
            .ingest(items, Some(("src", &position)), Timestamp(0), &HourPlanner)
            .await
            .unwrap();
    }
}

const PER_PAGE: u32 = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_reaches_the_database_file_while_ingest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    let empty = file_size(&path);

    // ≈ 12 MB of items: well past the 1,000-page (4 MiB) WAL size that nudges the thread.
    const PAGES: u32 = 60;
    ingest_pages(&store, 0..PAGES).await;

    // Only a checkpoint moves pages from the WAL into the database file, and the store is
    // still open, so the file grows only if the checkpointer ran.
    let deadline = Instant::now() + Duration::from_secs(30);
    while file_size(&path) < empty + 4 * 1024 * 1024 {
        assert!(
            Instant::now() < deadline,
            "the database file stayed at {} bytes (empty: {empty})",
            file_size(&path)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        store.item_count().await.unwrap(),
        u64::from(PAGES * PER_PAGE)
    );
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_stays_bounded_while_ingest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.sqlite3");
    let wal = dir.path().join("workspace.sqlite3-wal");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();

    // ≈ 60 MB of items, page after page with no pause: the checkpointer thread never
    // catches up on its own, so without the writer finishing checkpoints the WAL holds
    // all of it.
    const PAGES: u32 = 300;
    let mut largest = 0;
    for page in 0..PAGES {
        ingest_pages(&store, page..page + 1).await;
        largest = largest.max(file_size(&wal));
    }
    // The writer finishes the checkpoint past 16 MiB; the WAL may grow by a few commits
    // more while the thread holds the checkpoint.
    assert!(
        largest < 28 * 1024 * 1024,
        "the WAL grew to {largest} bytes"
    );
    assert_eq!(
        store.item_count().await.unwrap(),
        u64::from(PAGES * PER_PAGE)
    );
    store.close().await;
}
