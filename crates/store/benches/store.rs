//! Store benchmarks (`cargo bench -p switchboard-store`). They print figures; nothing here
//! asserts a time. Goals from the issue:
//! - ingest through event + reducer + projection ≥ 0.5× a plain INSERT loop of the same
//!   rows, and ≥ 100k items/s;
//! - a queue page (50 rows by due time) at 1,000,000 conversations: p99 ≤ 2 ms;
//! - finding the conversations that change SLA state at 1,000,000: ≤ 5 ms.

#![allow(clippy::print_stdout)] // a benchmark reports by printing

use std::time::{Duration, Instant};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;
use switchboard_core::{
    deadlines, Author, BusinessCalendar, ConversationState, Deadlines, Item, ItemKind, Platform,
    Queue, QueueId, SlaThresholds, ThreadKey, Timestamp,
};
use switchboard_store::{DeadlinePlanner, RoutedItem, Store};

const HOUR: i64 = 3_600_000;
const ITEMS: u64 = 200_000;
const CONVERSATIONS: u64 = 20_000;
const BATCH: usize = 1_000;
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

async fn raw_insert_loop(dir: &std::path::Path, items: &[RoutedItem]) -> Duration {
    let store = Store::open(&dir.join("raw.sqlite3")).await.unwrap();
    store.close().await;
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("raw.sqlite3"))
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
        .connect()
        .await
        .unwrap();
    // The rows' conversation, so the items table's foreign key holds.
    sqlx::query(
        "INSERT INTO conversations (id, thread_key, queue_id, platform, last_activity_at, state) \
         VALUES (1, 'raw', 'support', 'mastodon', 0, '{}')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let start = Instant::now();
    for batch in items.chunks(BATCH) {
        let mut tx = sqlx::Connection::begin(&mut conn).await.unwrap();
        for r in batch {
            let i = &r.item;
            sqlx::query(
                "INSERT INTO items (conversation_id, platform, account, native_id, kind, \
                 author_handle, author_name, from_brand, body, preview, lang, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(1_i64)
            .bind(i.platform.as_str())
            .bind(&i.account)
            .bind(&i.native_id)
            .bind(i.kind.as_str())
            .bind(&i.author.handle)
            .bind(&i.author.display_name)
            .bind(i.from_brand)
            .bind(&i.text)
            .bind(i.first_line(140))
            .bind(&i.lang)
            .bind(i.created_at.millis())
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }
    start.elapsed()
}

async fn pipeline(dir: &std::path::Path, items: &[RoutedItem], planner: &HourPlanner) -> Duration {
    let store = Store::open(&dir.join("pipeline.sqlite3")).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    let start = Instant::now();
    for (n, batch) in items.chunks(BATCH).enumerate() {
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

    let raw = raw_insert_loop(dir.path(), &items).await;
    let full = pipeline(dir.path(), &items, &planner).await;
    println!("ingest of {ITEMS} items over {CONVERSATIONS} conversations, batches of {BATCH}:");
    println!(
        "  plain INSERT loop            {:>10.0} items/s",
        rate(ITEMS, raw)
    );
    println!(
        "  event + reducer + projection {:>10.0} items/s",
        rate(ITEMS, full)
    );
    println!(
        "  ratio {:.2} (goal ≥ 0.5), pipeline goal ≥ 100000 items/s",
        raw.as_secs_f64() / full.as_secs_f64()
    );

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
