//! Store benchmarks (`cargo bench -p switchboard-store`). They print figures; nothing here
//! asserts a time. Goals from the issue:
//! - ingest through event + reducer + projection ≥ 0.5× a plain INSERT loop of the same
//!   rows, and ≥ 100k items/s;
//! - a queue page (50 rows by due time) at 1,000,000 conversations: p99 ≤ 2 ms;
//! - finding the conversations that change SLA state at 1,000,000: ≤ 5 ms.
//!
//! # What the ingest lines compare
//!
//! For each page size (items per `Store::ingest` call), [`ITEMS`] items over
//! [`CONVERSATIONS`] conversations (so every page touches a different conversation per
//! item, the hardest case for the projection), each in a fresh database:
//! - **plain INSERT loop**: the rows that store the items — the `events` rows ingest
//!   appends, with the same payloads, item keys and conversation ids, encoded before the
//!   clock starts — one prepared `INSERT` per row through the same driver as ingest
//!   (rusqlite), one transaction per page, SQLite's default (inline) checkpoints. No
//!   duplicate check, no conversations, no reducer.
//! - **ingest**: `Store::ingest` on pages of owned items (as a platform client hands them
//!   over) — duplicate check, state reads, reducer, event encoding, events, conversation
//!   projections with deadlines, and the cursor, one transaction per page.
//!
//! Each is measured [`ROUNDS`] times, alternating, in fresh databases in the system's
//! temporary directory (deleted once measured); the medians are printed. The machines here
//! share their disks and CPUs, so single runs vary by ±20 %, and whole runs by up to 2×.
//!
//! `BENCH_ONLY_INGEST=1` runs only the ingest lines; `BENCH_ONLY_READS=1` only the reads.

#![allow(clippy::print_stdout)] // a benchmark reports by printing

use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use switchboard_core::{
    deadlines, Author, BusinessCalendar, ConversationState, Deadlines, Event, EventKind, Item,
    ItemKind, Platform, Policy, Queue, QueueId, ResponseTimesReport, SlaThresholds, ThreadKey,
    Timestamp,
};
use switchboard_store::{DeadlinePlanner, RoutedItem, Store};

const HOUR: i64 = 3_600_000;
/// Items ingested per page size.
const ITEMS: u64 = 100_000;
/// Conversations the items are spread over (item `n` is in conversation `n % 20,000`).
const CONVERSATIONS: u64 = 20_000;
/// Items per ingest call (and per transaction of the plain loop).
const PAGE_SIZES: [usize; 3] = [500, 1_000, 5_000];
/// Times each ingest measurement is taken (in a fresh database); the median is printed.
const ROUNDS: usize = 3;
const BIG: u64 = 1_000_000;

struct HourPlanner(BusinessCalendar, SlaThresholds);

impl DeadlinePlanner for HourPlanner {
    fn plan(&self, state: &ConversationState) -> Option<Deadlines> {
        Some(deadlines(
            &self.0,
            state.waiting_since()?,
            HOUR,
            &self.1,
            &state.pauses,
        ))
    }
}

fn item(n: u64) -> RoutedItem {
    let thread = format!("t{}", n % CONVERSATIONS);
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "brand".into(),
            native_id: format!("{n}"),
            thread: ThreadKey::new(Platform::Mastodon, "brand", &thread),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!("@customer{}@example.social", n % CONVERSATIONS),
                display_name: format!("Customer {}", n % CONVERSATIONS),
            },
            from_brand: n.is_multiple_of(4),
            text: format!("Where is my order #{n}? It has been a week and tracking is stuck."),
            lang: Some("en".into()),
            created_at: Timestamp(n as i64 * 1_000),
        },
        queue: QueueId::from("support"),
    }
}

/// Deletes a measured database at once: the kernel then drops its unwritten pages instead
/// of writing them back while later benchmarks run.
fn remove_database(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

fn rate(n: u64, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

/// The plain loop: the same event rows ingest appends (kind, conversation id, item key and
/// payload computed beforehand), one prepared `INSERT` per row on the same driver as the
/// ingest writer (rusqlite), one transaction per page.
fn raw_insert_loop(path: &std::path::Path, items: &[RoutedItem], page: usize) -> Duration {
    let rows: Vec<(&str, i64, String, String)> = items
        .iter()
        .map(|r| {
            let i = &r.item;
            let key = format!(
                "{}:{}:{}:{}",
                i.platform.as_str(),
                i.account.len(),
                i.account,
                i.native_id
            );
            let (item, queue) = (i.clone(), r.queue.clone());
            let event = Event {
                thread: i.thread.clone(),
                at: Timestamp(0),
                by: None,
                kind: if i.from_brand {
                    EventKind::BrandReplyObserved { item, queue }
                } else {
                    EventKind::ItemIngested { item, queue }
                },
            };
            // Ingest numbers conversations in the order they first appear: item n's is
            // n % CONVERSATIONS + 1.
            let n: u64 = i.native_id.parse().unwrap();
            let conversation = (n % CONVERSATIONS) as i64 + 1;
            let payload = serde_json::to_string(&event).unwrap();
            (event.kind.name(), conversation, key, payload)
        })
        .collect();
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    let start = Instant::now();
    for batch in rows.chunks(page) {
        let tx = conn.transaction().unwrap();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (recorded_at, kind, conversation_id, actor, item_key, payload) \
                     VALUES (0, ?1, ?2, NULL, ?3, ?4)",
                )
                .unwrap();
            for (kind, conversation, key, payload) in batch {
                insert
                    .execute(rusqlite::params![kind, conversation, key, payload])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    start.elapsed()
}

async fn pipeline(
    path: &std::path::Path,
    items: &[RoutedItem],
    page: usize,
    planner: &HourPlanner,
) -> Duration {
    let store = Store::open(path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    // Pages arrive from a platform as owned items.
    let pages: Vec<Vec<RoutedItem>> = items.chunks(page).map(<[RoutedItem]>::to_vec).collect();
    let start = Instant::now();
    for (n, batch) in pages.into_iter().enumerate() {
        let position = n.to_string();
        store
            .ingest(batch, Some(("bench", &position)), Timestamp(0), planner)
            .await
            .unwrap();
    }
    let took = start.elapsed();
    assert_eq!(store.item_count().await.unwrap(), items.len() as u64);
    store.close().await;
    took
}

async fn ingest_rates(dir: &std::path::Path, items: &[RoutedItem], planner: &HourPlanner) {
    println!(
        "ingest of {ITEMS} items over {CONVERSATIONS} conversations (items/s, median of {ROUNDS} \
         rounds; one transaction per page):"
    );
    println!(
        "  {:>10} {:>14} {:>14} {:>7}",
        "page", "plain INSERT", "ingest", "ratio"
    );
    for page in PAGE_SIZES {
        let mut raw = Vec::new();
        let mut full = Vec::new();
        for round in 0..ROUNDS {
            let raw_path = dir.join(format!("raw-{page}-{round}.sqlite3"));
            Store::open(&raw_path).await.unwrap().close().await;
            raw.push(raw_insert_loop(&raw_path, items, page));
            let path = dir.join(format!("pipeline-{page}-{round}.sqlite3"));
            full.push(pipeline(&path, items, page, planner).await);
            remove_database(&raw_path);
            remove_database(&path);
        }
        let raw = percentile(&mut raw, 0.5);
        let full = percentile(&mut full, 0.5);
        println!(
            "  {page:>10} {:>14.0} {:>14.0} {:>7.2}",
            rate(ITEMS, raw),
            rate(ITEMS, full),
            raw.as_secs_f64() / full.as_secs_f64(),
        );
    }
    println!("  goals: ingest ≥ 100000 items/s and ratio (ingest / plain) ≥ 0.5");
}

/// The lead's response-time report over the ingest items, made to alternate customer and
/// brand within each conversation (40,000 responses in 100,000 events): the log read and
/// replayed, then summarised.
async fn response_report(dir: &std::path::Path, items: &[RoutedItem], planner: &HourPlanner) {
    let path = dir.join("responses.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    let mut items = items.to_vec();
    for (n, routed) in items.iter_mut().enumerate() {
        routed.item.from_brand = (n as u64 / CONVERSATIONS) % 2 == 1;
    }
    for page in items.chunks(1_000) {
        store
            .ingest(page.to_vec(), None, Timestamp(0), planner)
            .await
            .unwrap();
    }
    let policy = Policy::demo();
    let now = Timestamp(ITEMS as i64 * 1_000);
    let mut times = Vec::new();
    let mut responses = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let found = store.responses_since(Timestamp(0)).await.unwrap();
        let report = ResponseTimesReport::build(&found, &policy, &TimeZone::UTC, 90, now);
        times.push(start.elapsed());
        responses = report.queues.iter().map(|q| q.responses).sum::<u32>();
    }
    println!(
        "response-time report over {ITEMS} events ({responses} responses): median {:?} of 5",
        percentile(&mut times, 0.5)
    );
    store.close().await;
    remove_database(&path);
}

/// Customer item `n` starting conversation `n` in one of four queues, written at a time
/// spread over a week.
fn big_item(n: u64) -> RoutedItem {
    let thread = n.to_string();
    let queue = ["triage", "support", "sales", "marketing"][(n % 4) as usize];
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "brand".into(),
            native_id: thread.clone(),
            thread: ThreadKey::new(Platform::Mastodon, "brand", &thread),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!("@c{n}@example.social"),
                display_name: format!("Customer {n}"),
            },
            from_brand: false,
            text: "Where is my order?".into(),
            lang: Some("en".into()),
            created_at: Timestamp((n * 7_919 % 604_800_000) as i64),
        },
        queue: QueueId::from(queue),
    }
}

/// One million waiting conversations over four queues, ingested (so the rows are exactly
/// what ingest leaves), for the read benchmarks. The store is closed and opened again, so
/// no checkpoint of the ingest is still running while reads are timed.
async fn big_store(dir: &std::path::Path, planner: &HourPlanner) -> Store {
    let path = dir.join("big.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    for start in (0..BIG).step_by(10_000) {
        let page = (start..start + 10_000).map(big_item).collect();
        store
            .ingest(page, None, Timestamp(0), planner)
            .await
            .unwrap();
    }
    store.close().await;
    Store::open(&path).await.unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<RoutedItem> = (0..ITEMS).map(item).collect();
    let planner = HourPlanner(BusinessCalendar::always_open(), SlaThresholds::default());

    if std::env::var_os("BENCH_ONLY_READS").is_none() {
        ingest_rates(dir.path(), &items, &planner).await;
    }
    if std::env::var_os("BENCH_ONLY_INGEST").is_some() {
        return;
    }

    response_report(dir.path(), &items, &planner).await;

    let build = Instant::now();
    let store = big_store(dir.path(), &planner).await;
    println!(
        "ingested {BIG} waiting conversations in {:.1} s",
        build.elapsed().as_secs_f64()
    );

    let support = QueueId::from("support");
    let now = Timestamp(302_400_000);
    let mut page_times = Vec::new();
    for _ in 0..1_000 {
        let start = Instant::now();
        let page = store.waiting_page(&support, 50, now).await.unwrap();
        page_times.push(start.elapsed());
        assert_eq!(page.len(), 50);
        assert!(page.iter().all(|c| c.customer.handle.starts_with("@c")));
    }
    println!(
        "queue page (50 by due time) at {BIG}: p50 {:?}, p99 {:?} (goal p99 ≤ 2 ms)",
        percentile(&mut page_times, 0.5),
        percentile(&mut page_times, 0.99)
    );

    let mut change_times = Vec::new();
    let mut found = 0;
    for step in 0..1_000 {
        let after = Timestamp(now.millis() + step * 1_000);
        let start = Instant::now();
        found += store
            .sla_changes_between(after, after.plus_millis(1_000))
            .await
            .unwrap()
            .len();
        change_times.push(start.elapsed());
    }
    println!(
        "SLA state changes in a 1 s window at {BIG}: p50 {:?}, p99 {:?} (goal ≤ 5 ms), {:.1} found per window",
        percentile(&mut change_times, 0.5),
        percentile(&mut change_times, 0.99),
        found as f64 / 1_000.0
    );
    store.close().await;
}
