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
//!   appends, with the same payloads and item keys, encoded before the clock starts — one
//!   prepared `INSERT` per row through the same driver as ingest (rusqlite), one
//!   transaction per page. No duplicate check, no conversations, no reducer.
//! - **ingest**: `Store::ingest` — duplicate check, state reads, reducer, event encoding,
//!   events, conversation projections with deadlines, and the cursor, one transaction per
//!   page.

#![allow(clippy::print_stdout)] // a benchmark reports by printing

use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use switchboard_core::{
    deadlines, Author, BusinessCalendar, ConversationState, Deadlines, Event, EventKind, Item,
    ItemKind, Platform, Queue, QueueId, SlaThresholds, ThreadKey, Timestamp,
};
use switchboard_store::{DeadlinePlanner, RoutedItem, Store};

const HOUR: i64 = 3_600_000;
/// Items ingested per page size.
const ITEMS: u64 = 100_000;
/// Conversations the items are spread over (item `n` is in conversation `n % 20,000`).
const CONVERSATIONS: u64 = 20_000;
/// Items per ingest call (and per transaction of the plain loop).
const PAGE_SIZES: [usize; 3] = [500, 1_000, 5_000];
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

fn rate(n: u64, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

/// The plain loop: the same event rows ingest appends (payload and item key encoded
/// beforehand), one prepared `INSERT` per row on the same driver as the ingest writer
/// (rusqlite), one transaction per page.
fn raw_insert_loop(path: &std::path::Path, items: &[RoutedItem], page: usize) -> Duration {
    let rows: Vec<(String, String)> = items
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
            let event = Event {
                thread: i.thread.clone(),
                at: Timestamp(0),
                by: None,
                kind: EventKind::ItemIngested {
                    item: i.clone(),
                    queue: r.queue.clone(),
                },
            };
            (key, serde_json::to_string(&event).unwrap())
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
                     VALUES (0, 'item_ingested', 1, NULL, ?1, ?2)",
                )
                .unwrap();
            for (key, payload) in batch {
                insert.execute([key, payload]).unwrap();
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
    let start = Instant::now();
    for (n, batch) in items.chunks(page).enumerate() {
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
        "ingest of {ITEMS} items over {CONVERSATIONS} conversations (items/s; one transaction per page):"
    );
    println!(
        "  {:>10} {:>14} {:>14} {:>7}",
        "page", "plain INSERT", "ingest", "ratio"
    );
    for page in PAGE_SIZES {
        let raw_path = dir.join(format!("raw-{page}.sqlite3"));
        Store::open(&raw_path).await.unwrap().close().await;
        let raw = raw_insert_loop(&raw_path, items, page);
        let full = pipeline(
            &dir.join(format!("pipeline-{page}.sqlite3")),
            items,
            page,
            planner,
        )
        .await;
        println!(
            "  {page:>10} {:>14.0} {:>14.0} {:>7.2}",
            rate(ITEMS, raw),
            rate(ITEMS, full),
            raw.as_secs_f64() / full.as_secs_f64(),
        );
    }
    println!("  goals: ingest ≥ 100000 items/s and ratio (ingest / plain) ≥ 0.5");
}

/// One million waiting conversations over four queues, written directly as projection rows
/// (what ingest would leave), so the read benchmarks measure reads.
async fn big_store(dir: &std::path::Path) -> Store {
    let path = dir.join("big.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    store.close().await;
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
         INSERT INTO conversations (thread_key, queue_id, platform, kind, customer_handle,
             customer_name, preview, last_activity_at, waiting_since, item_count,
             at_risk_at, breached_at, escalated_at, state)
         SELECT 'mastodon:brand:' || i,
                CASE i % 4 WHEN 0 THEN 'triage' WHEN 1 THEN 'support' WHEN 2 THEN 'sales' ELSE 'marketing' END,
                'mastodon', 'mention', '@c' || i, 'Customer ' || i, 'Where is my order?',
                w, w, 1, w + 2700000, w + 3600000, w + 7200000, '{}'
         FROM (SELECT i, (i * 7919) % 604800000 AS w FROM n)",
    )
    .bind(BIG as i64)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    Store::open(&path).await.unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<RoutedItem> = (0..ITEMS).map(item).collect();
    let planner = HourPlanner(BusinessCalendar::always_open(), SlaThresholds::default());

    ingest_rates(dir.path(), &items, &planner).await;
    if std::env::var_os("BENCH_ONLY_INGEST").is_some() {
        return;
    }

    let build = Instant::now();
    let store = big_store(dir.path()).await;
    println!(
        "built {BIG} waiting conversations in {:.1} s",
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
