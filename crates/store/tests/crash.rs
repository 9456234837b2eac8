//! Crash safety: a process ingesting batches is killed with SIGKILL at arbitrary moments,
//! again and again; after each restart it resumes from its cursor, and in the end every
//! item is stored exactly once, with exactly one event, and the cursor matches.
//!
//! The worker is this same test binary, re-run as `--ignored --exact crash_worker` with
//! `CRASH_WORKER_DB` set: that ignored test — a helper, never counted as a passing test —
//! then ingests forever (until killed), printing a line per committed batch.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use support::HourPlanner;
use switchboard_core::{Author, Item, ItemKind, Platform, Queue, QueueId, ThreadKey, Timestamp};
use switchboard_store::{RoutedItem, Store};

const SOURCE: &str = "crash-test";
const BATCH: u64 = 40;

fn nth_item(n: u64) -> RoutedItem {
    let thread = format!("t{}", n % 37);
    RoutedItem {
        item: Item {
            platform: Platform::Bluesky,
            account: "brand".into(),
            native_id: format!("item-{n}"),
            thread: ThreadKey::new(Platform::Bluesky, "brand", &thread),
            kind: ItemKind::Reply,
            author: Author {
                handle: format!("customer{}.bsky.social", n % 11),
                display_name: format!("Customer {}", n % 11),
            },
            from_brand: n.is_multiple_of(5),
            text: format!("message {n} — ünïcödé 🚀 <b>not html</b>"),
            lang: None,
            created_at: Timestamp(1_000 * n as i64),
        },
        queue: QueueId::from("support"),
    }
}

async fn open(path: &std::path::Path) -> Store {
    let store = Store::open(path).await.expect("open");
    store.set_queues(&Queue::defaults()).await.expect("queues");
    store
}

/// Not a test on its own: the worker the crash test runs (with `--ignored`) and kills.
#[tokio::test]
#[ignore = "the crash test's worker process; items_survive_repeated_sigkill_exactly_once runs it"]
async fn crash_worker() {
    let path = std::env::var_os("CRASH_WORKER_DB").expect(
        "crash_worker is the worker process of items_survive_repeated_sigkill_exactly_once, \
         which runs it with CRASH_WORKER_DB set; run that test instead",
    );
    let limit: u64 = std::env::var("CRASH_WORKER_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX);
    let store = open(std::path::Path::new(&path)).await;
    loop {
        let from: u64 = store
            .cursor(SOURCE)
            .await
            .unwrap()
            .map(|c| c.parse().unwrap())
            .unwrap_or(0);
        if from >= limit {
            return;
        }
        // Re-read a few already stored items too, as a real re-fetched page would.
        let start = from.saturating_sub(3);
        let to = (from + BATCH).min(limit);
        let page: Vec<RoutedItem> = (start..to).map(nth_item).collect();
        let position = to.to_string();
        store
            .ingest(page, Some((SOURCE, &position)), Timestamp(0), &HourPlanner)
            .await
            .unwrap();
        #[allow(clippy::print_stdout)] // the parent test reads these lines
        {
            println!("committed {to}");
        }
    }
}

fn worker(db: &std::path::Path, limit: Option<u64>) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--ignored",
            "--exact",
            "crash_worker",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("CRASH_WORKER_DB", db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(limit) = limit {
        command.env("CRASH_WORKER_LIMIT", limit.to_string());
    }
    command.spawn().expect("worker starts")
}

#[tokio::test]
async fn items_survive_repeated_sigkill_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite3");
    for round in 0..8u64 {
        let mut child = worker(&db, None);
        // The test harness prints its own lines too; count only the worker's commits.
        let mut commits = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map(|line| line.expect("worker output"))
            .filter(|line| line.starts_with("committed"));
        // Let it commit a different number of batches each round, then kill it while
        // it is busy with the next one.
        for _ in 0..=(round % 4) {
            commits.next().expect("the worker commits batches");
        }
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
    }
    // Finish to a known total.
    let store = open(&db).await;
    let reached: u64 = store
        .cursor(SOURCE)
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    store.close().await;
    let total = reached + 2 * BATCH;
    let status = worker(&db, Some(total)).wait().unwrap();
    assert!(status.success());

    let store = open(&db).await;
    assert_eq!(store.cursor(SOURCE).await.unwrap(), Some(total.to_string()));
    assert_eq!(
        store.item_count().await.unwrap(),
        total,
        "every item exactly once"
    );
    assert_eq!(
        store.event_count().await.unwrap(),
        total,
        "one event per item"
    );
    let threads = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(0))
        .await
        .unwrap();
    let items_in_conversations: u64 = threads.iter().map(|c| u64::from(c.item_count)).sum();
    assert_eq!(
        items_in_conversations, total,
        "projections agree with the items"
    );
}
