//! Store benchmarks (`cargo bench -p switchboard-store`). They print figures; nothing here
//! asserts a time. Goals from the issue:
//! - ingest through event + reducer + projection ≥ 0.5× a plain INSERT loop of the same
//!   rows on the same SQLite settings, and ≥ 100k items/s;
//! - the queue the window opens (`Store::conversations_in_queue`, what the UI's
//!   `list_conversations` reads: up to 200 waiting and 50 answered conversations) at
//!   1,000,000 conversations: p99 ≤ 2 ms.
//!
//! # What the ingest lines compare
//!
//! For each page size (items per `Store::ingest` call), [`ITEMS`] items over
//! [`CONVERSATIONS`] conversations (so every page touches a different conversation per
//! item, the hardest case for the projection), each in a fresh database:
//! - **plain INSERT loop** ([`plain_loop`]): the rows that store the items — the `events`
//!   rows ingest appends, with the same payloads, item keys and conversation ids, encoded
//!   before the clock starts — through the same driver as ingest (rusqlite), on a
//!   connection with the writer's pragmas and checkpoint regime, 32 rows per `INSERT` as
//!   the writer appends them, one transaction per page. No duplicate check, no
//!   conversations, no reducer.
//! - **ingest**: `Store::ingest` on pages of owned items (as a platform client hands them
//!   over) — duplicate check, state reads, reducer, event encoding, events, conversation
//!   projections with deadlines, and the cursor, one transaction per page.
//!
//! Each is measured [`ROUNDS`] times, alternating, in fresh databases in the system's
//! temporary directory (deleted once measured); the medians are printed. The machines here
//! share their disks and CPUs, so single runs vary by ±20 %, and whole runs by up to 2×.
//!
//! # The queue read
//!
//! [`BIG`] conversations over four queues, ingested (so the rows are exactly what ingest
//! leaves): two in three wait for an answer, one in three was answered by the brand. The
//! window's list of one queue (250,000 conversations, about 167,000 waiting) is read
//! [`READ_ROUNDS`] × [`QUEUE_READS`] times, as the engine reads it, and its p50/p99
//! printed with the p99 of each round.
//!
//! `BENCH_ONLY_INGEST=1` runs only the ingest lines; `BENCH_ONLY_READS=1` only the reads.

#![allow(clippy::print_stdout)] // a benchmark reports by printing

use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use switchboard_core::{
    Author, BusinessCalendar, Event, EventKind, Item, ItemKind, Platform, Policy, Queue, QueueId,
    ResponseTimesReport, SlaThresholds, ThreadKey, Timestamp,
};
use switchboard_store::{RoutedItem, Store, ANSWERED_PAGE, WAITING_PAGE};

mod support {
    pub mod hour_planner;
    pub mod plain_loop;
}
use support::hour_planner::HourPlanner;
use support::plain_loop;

/// Items ingested per page size.
const ITEMS: u64 = 100_000;
/// Conversations the items are spread over (item `n` is in conversation `n % 20,000`).
const CONVERSATIONS: u64 = 20_000;
/// Items per ingest call (and per transaction of the plain loop).
const PAGE_SIZES: [usize; 3] = [500, 1_000, 5_000];
/// Times each ingest measurement is taken (in a fresh database); the median is printed.
const ROUNDS: usize = 3;
/// Conversations of the queue-read benchmark.
const BIG: u64 = 1_000_000;
/// Times the queue is read per round, and rounds.
const QUEUE_READS: usize = 1_000;
const READ_ROUNDS: usize = 5;

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

/// The event rows ingest appends for `items` (kind, conversation id, item key and payload),
/// computed before any clock starts.
fn event_rows(items: &[RoutedItem]) -> Vec<plain_loop::Row> {
    items
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
        .collect()
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
    let rows = event_rows(items);
    for page in PAGE_SIZES {
        let mut raw = Vec::new();
        let mut full = Vec::new();
        for round in 0..ROUNDS {
            let raw_path = dir.join(format!("raw-{page}-{round}.sqlite3"));
            Store::open(&raw_path).await.unwrap().close().await;
            raw.push(plain_loop::run(&raw_path, &rows, page));
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

/// The brand's answer to conversation `n`, a minute after the customer wrote.
fn big_answer(n: u64) -> RoutedItem {
    let mut answer = big_item(n);
    answer.item.native_id = format!("answer-{n}");
    answer.item.kind = ItemKind::Reply;
    answer.item.author = Author {
        handle: "@brand@example.social".into(),
        display_name: "Brand".into(),
    };
    answer.item.from_brand = true;
    answer.item.text = "It ships today.".into();
    answer.item.created_at = answer.item.created_at.plus_millis(60_000);
    answer
}

/// [`BIG`] conversations over four queues, every third answered by the brand, ingested (so
/// the rows are exactly what ingest leaves), for the read benchmark. The store is closed
/// and opened again, so no checkpoint of the ingest is still running while reads are timed.
async fn big_store(dir: &std::path::Path, planner: &HourPlanner) -> Store {
    let path = dir.join("big.sqlite3");
    let store = Store::open(&path).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    for start in (0..BIG).step_by(10_000) {
        let mut page = Vec::with_capacity(14_000);
        for n in start..start + 10_000 {
            page.push(big_item(n));
            if n % 3 == 0 {
                page.push(big_answer(n));
            }
        }
        store
            .ingest(page, None, Timestamp(0), planner)
            .await
            .unwrap();
    }
    store.close().await;
    Store::open(&path).await.unwrap()
}

/// The queue the window opens, read [`QUEUE_READS`] times in each of [`READ_ROUNDS`]
/// rounds at [`BIG`] conversations. Each round's p99 is printed too: on a shared machine
/// the slowest reads come in bursts, when other processes take the CPUs.
async fn queue_read(store: &Store) {
    let support = QueueId::from("support");
    let now = Timestamp(302_400_000);
    let mut times = Vec::with_capacity(QUEUE_READS * READ_ROUNDS);
    let mut round_p99 = Vec::with_capacity(READ_ROUNDS);
    for _ in 0..READ_ROUNDS {
        let mut round = Vec::with_capacity(QUEUE_READS);
        for _ in 0..QUEUE_READS {
            let start = Instant::now();
            let list = store.conversations_in_queue(&support, now).await.unwrap();
            round.push(start.elapsed());
            let waiting = list.iter().filter(|c| c.sla.is_some()).count();
            assert_eq!(
                (waiting, list.len() - waiting),
                (WAITING_PAGE as usize, ANSWERED_PAGE as usize),
                "the list holds waiting and answered conversations"
            );
        }
        times.extend_from_slice(&round);
        round_p99.push(format!("{:.2}", ms(percentile(&mut round, 0.99))));
    }
    println!(
        "queue the window opens (conversations_in_queue: {WAITING_PAGE} waiting + \
         {ANSWERED_PAGE} answered) at {BIG} conversations, {} reads: p50 {:.2} ms, p99 \
         {:.2} ms (goal p99 ≤ 2 ms); p99 of each round of {QUEUE_READS}: {} ms; machine \
         load average {} after the reads",
        times.len(),
        ms(percentile(&mut times, 0.5)),
        ms(percentile(&mut times, 0.99)),
        round_p99.join(", "),
        load_average()
    );
}

/// The one-minute load average (Linux), or "unknown": how busy the shared CPUs were.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
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
        "ingested {BIG} conversations ({} answered) in {:.1} s",
        BIG.div_ceil(3),
        build.elapsed().as_secs_f64()
    );
    queue_read(&store).await;
    store.close().await;
}
