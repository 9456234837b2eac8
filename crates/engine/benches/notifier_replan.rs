//! The notifier's re-plan after one change, at 100,000 waiting conversations (issue 15
//! item 9); goal p99 ≤ 5 ms.
//!
//! ```text
//! cargo bench -p switchboard-engine --bench notifier_replan
//! ```
//!
//! Setup: a workspace whose Triage answers within an hour around the clock, with
//! [`WAITING`] waiting conversations stored before the engine opens: [`OVERDUE`] of them
//! written two hours ago (breached: the notifier shows them at once, in one group), the
//! rest within the last 40 minutes (on track: none turns at risk while the bench runs).
//! The cool-down is off, so every change is decided at once.
//!
//! Measured: a person claims one of the overdue conversations; from the change
//! notification naming it (the engine's change listener is called) to the notifier's
//! decision — the group rewritten without it — reaching the alert sink. That is the whole
//! re-plan: reading what changed, deciding, handing the actions over. Each of
//! [`RUNS`] claims (after [`WARM_UP`]) is measured alone: the next starts once the last
//! was delivered.
//!
//! For comparison it also times what a re-plan cost before the notifier kept its
//! watchlist: reading and decoding every waiting conversation
//! (`Store::waiting_conversations`) and deciding over the whole list
//! (`AlertPlanner::decide`).
#![allow(clippy::print_stdout)] // A benchmark's job is to print its figures.

#[allow(dead_code)] // this bench uses only some of the helpers
#[path = "../tests/common/triage.rs"]
mod triage;

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::{AlertAction, AlertPlanner, AlertSettings, Timestamp};
use switchboard_engine::{AlertSink, Change, Engine, EngineHooks, SystemClock, WorkspaceFiles};
use switchboard_store::{RoutedItem, Store};
use triage::{customer_item, now_millis, BRAND_ACCOUNT, MIN, POLICY};

/// Waiting conversations.
const WAITING: usize = 100_000;
/// Of which breached (and shown) when the engine opens.
const OVERDUE: usize = 1_000;
/// Measured claims.
const RUNS: usize = 200;
/// Claims before measuring.
const WARM_UP: usize = 20;
/// Rounds of the full re-plan, for comparison.
const FULL_ROUNDS: usize = 5;
/// Items per stored page while preparing.
const PAGE: usize = 5_000;
/// Keeps every action the notifier hands over, with when it arrived.
#[derive(Default)]
struct RecordingSink(Mutex<Vec<(Instant, AlertAction)>>);

impl AlertSink for RecordingSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        let at = Instant::now();
        let mut got = self.0.lock().expect("sink");
        got.extend(actions.into_iter().map(|a| (at, a)));
    }
}

impl RecordingSink {
    /// When the first action after `mark` that takes `id` out of its group arrived.
    fn cleared(&self, mark: usize, id: i64) -> Option<Instant> {
        let got = self.0.lock().expect("sink");
        got[mark.min(got.len())..]
            .iter()
            .find(|(_, a)| match a {
                AlertAction::Update(n) => !n.conversations.contains(&id),
                AlertAction::Close { .. } => true,
                AlertAction::Show(_) => false,
            })
            .map(|(at, _)| *at)
    }

    fn len(&self) -> usize {
        self.0.lock().expect("sink").len()
    }

    /// The conversations in the notifications shown so far.
    fn shown(&self) -> Vec<i64> {
        let got = self.0.lock().expect("sink");
        got.iter()
            .filter_map(|(_, a)| match a {
                AlertAction::Show(n) => Some(n.conversations.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

/// Customer `n`'s mention, written at `written_at`.
fn replan_item(n: usize, written_at: i64) -> RoutedItem {
    customer_item(
        format!("replan-{n}"),
        n,
        &format!("customer{n}"),
        format!("Where is my order #{n}?"),
        Timestamp(written_at),
    )
}

async fn prepare(files: &WorkspaceFiles, now: i64) {
    let written = |n: usize| {
        if n < OVERDUE {
            now - 120 * MIN + n as i64
        } else {
            // Spread over the last 40 minutes.
            now - 40 * MIN + (n as i64 * 40 * MIN) / WAITING as i64
        }
    };
    let pages = (0..WAITING).step_by(PAGE).map(|start| {
        (start..(start + PAGE).min(WAITING))
            .map(|n| replan_item(n, written(n)))
            .collect()
    });
    let policy = format!("{POLICY}{BRAND_ACCOUNT}");
    triage::prepare(files, "bench.policy.toml", &policy, pages, Timestamp(now)).await;
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn report(what: &str, samples: &mut [f64]) {
    samples.sort_by(f64::total_cmp);
    println!(
        "  {what}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        percentile(samples, 0.50),
        percentile(samples, 0.99),
        samples[samples.len() - 1],
        samples.len()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let data = tempfile::tempdir().expect("data dir");
    let config = triage::config(
        data.path(),
        "bench@northwind.example",
        "switchboard-notifier-replan-bench",
    );
    let (spec, files) = triage::workspace(&config, "replan", "Notifier re-plan");
    let sink = Arc::new(RecordingSink::default());
    // When the change naming each conversation was reported.
    let changed: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();

    runtime.block_on(async {
        let started = Instant::now();
        prepare(&files, now_millis()).await;
        println!(
            "notifier re-plan at {WAITING} waiting conversations ({OVERDUE} overdue, shown in one group; stored in {:.1} s)",
            started.elapsed().as_secs_f64()
        );
        let hooks = EngineHooks {
            listener: Arc::new({
                let changed = Arc::clone(&changed);
                move |change: &Change| {
                    let at = Instant::now();
                    let mut changed = changed.lock().expect("changes");
                    for id in &change.conversations {
                        changed.entry(*id).or_insert(at);
                    }
                }
            }),
            alerts: Some(Arc::clone(&sink) as Arc<dyn AlertSink>),
            version: Arc::new(AtomicU64::new(0)),
            open_url: None,
        };
        let engine = Engine::open(config, &spec, Arc::new(SystemClock), hooks)
            .await
            .expect("the engine opens the workspace");
        triage::cooldown_off(&engine).await;

        // The overdue ones are shown first.
        let opened = Instant::now();
        while sink.shown().len() < OVERDUE {
            assert!(
                opened.elapsed() < Duration::from_secs(120),
                "the overdue conversations were not shown"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut overdue = sink.shown();
        overdue.sort_unstable();
        overdue.dedup();
        assert_eq!(overdue.len(), OVERDUE, "every overdue conversation is shown");

        let mut samples = Vec::with_capacity(RUNS);
        for (i, id) in overdue.iter().copied().take(WARM_UP + RUNS).enumerate() {
            let mark = sink.len();
            engine.claim(id).await.expect("claim");
            let waited = Instant::now();
            let delivered = loop {
                if let Some(at) = sink.cleared(mark, id) {
                    break at;
                }
                assert!(
                    waited.elapsed() < Duration::from_secs(30),
                    "the claim of {id} was not re-planned"
                );
                tokio::task::yield_now().await;
            };
            let change = changed.lock().expect("changes")[&id];
            if i >= WARM_UP {
                samples.push(delivered.duration_since(change).as_secs_f64() * 1_000.0);
            }
        }
        report(
            "change → decision at the sink, after one claim (goal p99 ≤ 5 ms)",
            &mut samples,
        );
        engine.shutdown().await;

        // Before: every re-plan read, decoded and decided over every waiting conversation.
        let store = Store::open(&files.database).await.expect("read the store");
        let mut planner = AlertPlanner::new(AlertSettings::new("bench@northwind.example"));
        let mut full = Vec::with_capacity(FULL_ROUNDS);
        for _ in 0..FULL_ROUNDS {
            let started = Instant::now();
            let waiting = store
                .waiting_conversations()
                .await
                .expect("waiting conversations");
            planner.decide(Timestamp(now_millis()), &waiting);
            full.push(started.elapsed().as_secs_f64() * 1_000.0);
        }
        store.close().await;
        report(
            "for comparison, a full re-plan (read and decode every waiting conversation, decide over all)",
            &mut full,
        );
    });
}
