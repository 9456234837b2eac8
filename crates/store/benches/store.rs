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
//! - **plain INSERT loop**: the same item rows, one `INSERT` per row through the same
//!   driver (sqlx), one transaction per page. Only the `items` table is written.
//! - **ingest**: `Store::ingest` — duplicate check, state reads, reducer, items, events,
//!   conversation projections with deadlines, and the cursor, one transaction per page.
//! - **SQLite alone**: the rows ingest writes (items, events, conversation upserts with
//!   states of the same size, cursor) generated inside SQLite by one set-based statement
//!   per table and page, with no Rust work and no bound parameters: the ceiling for this
//!   schema on this machine, whatever the Rust side does.

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

async fn raw_insert_loop(path: &std::path::Path, items: &[RoutedItem], page: usize) -> Duration {
    let store = Store::open(path).await.unwrap();
    store.close().await;
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
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
    for batch in items.chunks(page) {
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

/// The rows ingest writes for items `0..ITEMS`, generated by SQLite itself: per page one
/// upsert of the pages' conversations (with a state of the size ingest stores), one insert
/// of its items, one of its events, and the cursor. See the module docs.
async fn sqlite_alone(path: &std::path::Path, page: usize, state_len: i64) -> Duration {
    let store = Store::open(path).await.unwrap();
    store.close().await;
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
        .connect()
        .await
        .unwrap();
    const PAGE_ROWS: &str =
        "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2) ";
    let conversations = format!(
        "{PAGE_ROWS} INSERT INTO conversations (id, thread_key, queue_id, platform, kind,
             customer_handle, customer_name, preview, last_activity_at, waiting_since,
             item_count, at_risk_at, breached_at, escalated_at, state)
         SELECT i % ?3 + 1, 'mastodon:brand:t' || (i % ?3), 'support', 'mastodon', 'mention',
             '@customer' || (i % ?3) || '@example.social', 'Customer ' || (i % ?3),
             'Where is my order #' || i || '? It has been a week and tracking is stuck.',
             i * 1000, iif(i % 4 = 0, NULL, i * 1000), i / ?3 + 1,
             iif(i % 4 = 0, NULL, i * 1000 + 2700000), iif(i % 4 = 0, NULL, i * 1000 + 3600000),
             iif(i % 4 = 0, NULL, i * 1000 + 7200000), printf('%.*c', ?4, 'x')
         FROM n WHERE true
         ON CONFLICT (id) DO UPDATE SET preview = excluded.preview,
             last_activity_at = excluded.last_activity_at, waiting_since = excluded.waiting_since,
             item_count = excluded.item_count, at_risk_at = excluded.at_risk_at,
             breached_at = excluded.breached_at, escalated_at = excluded.escalated_at,
             state = excluded.state"
    );
    let items = format!(
        "{PAGE_ROWS} INSERT INTO items (conversation_id, platform, account, native_id, kind,
             author_handle, author_name, from_brand, body, preview, lang, created_at)
         SELECT i % ?3 + 1, 'mastodon', 'brand', '' || i, 'mention',
             '@customer' || (i % ?3) || '@example.social', 'Customer ' || (i % ?3), i % 4 = 0,
             'Where is my order #' || i || '? It has been a week and tracking is stuck.',
             'Where is my order #' || i || '? It has been a week and tracking is stuck.',
             'en', i * 1000
         FROM n WHERE ?4 >= 0"
    );
    let events = format!(
        "{PAGE_ROWS} INSERT INTO events (recorded_at, kind, conversation_id, actor, payload)
         SELECT 0, 'item_ingested', i % ?3 + 1, NULL,
             '{{\"thread\":\"mastodon:brand:t' || (i % ?3) || '\",\"at\":0,\"by\":null,\"kind\":{{\"item_ingested\":{{\"item\":{{\"platform\":\"mastodon\",\"kind\":\"mention\",\"author\":{{\"handle\":\"@customer' || (i % ?3) || '@example.social\",\"display_name\":\"Customer\"}},\"preview\":\"Where is my order #' || i || '? It has been a week and tracking is stuck.\",\"created_at\":' || (i * 1000) || '}},\"queue\":\"support\"}}}}}}'
         FROM n WHERE ?4 >= 0"
    );
    let start = Instant::now();
    for (n, first) in (0..ITEMS).step_by(page).enumerate() {
        let last = (first + page as u64).min(ITEMS) - 1;
        let mut tx = sqlx::Connection::begin(&mut conn).await.unwrap();
        for statement in [&conversations, &items, &events] {
            // Built from constants above, no outside text.
            sqlx::query(sqlx::AssertSqlSafe(statement.as_str()))
                .bind(first as i64)
                .bind(last as i64)
                .bind(CONVERSATIONS as i64)
                .bind(state_len)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        sqlx::query(
            "INSERT INTO cursors (source, position) VALUES ('bench', ?) \
             ON CONFLICT (source) DO UPDATE SET position = excluded.position",
        )
        .bind(n.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    start.elapsed()
}

/// The average length of the stored conversation states after ingest, in bytes.
async fn average_state_len(path: &std::path::Path) -> i64 {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .connect()
        .await
        .unwrap();
    let len: f64 = sqlx::query_scalar("SELECT avg(length(state)) FROM conversations")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    len.round() as i64
}

async fn ingest_rates(dir: &std::path::Path, items: &[RoutedItem], planner: &HourPlanner) {
    println!(
        "ingest of {ITEMS} items over {CONVERSATIONS} conversations (items/s; one transaction per page):"
    );
    println!(
        "  {:>10} {:>14} {:>14} {:>7} {:>14}",
        "page", "plain INSERT", "ingest", "ratio", "SQLite alone"
    );
    for page in PAGE_SIZES {
        let raw = raw_insert_loop(&dir.join(format!("raw-{page}.sqlite3")), items, page).await;
        let ingested = dir.join(format!("pipeline-{page}.sqlite3"));
        let full = pipeline(&ingested, items, page, planner).await;
        let state_len = average_state_len(&ingested).await;
        let floor = sqlite_alone(&dir.join(format!("alone-{page}.sqlite3")), page, state_len).await;
        println!(
            "  {page:>10} {:>14.0} {:>14.0} {:>7.2} {:>14.0}",
            rate(ITEMS, raw),
            rate(ITEMS, full),
            raw.as_secs_f64() / full.as_secs_f64(),
            rate(ITEMS, floor),
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
