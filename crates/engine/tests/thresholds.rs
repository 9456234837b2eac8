//! The sidebar's at-risk and breached counts follow the clock: when a waiting
//! conversation's clock crosses a threshold, the engine reports a change naming it (the
//! window re-reads its counts), at that instant of the injected clock — not only when data
//! arrives. Nothing else happens in the workspace meanwhile.

#[allow(dead_code)] // this file uses only some of the helpers
#[path = "common/triage.rs"]
mod triage;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::{QueueId, Timestamp};
use switchboard_engine::{Change, Clock, Engine, EngineHooks};
use switchboard_store::RoutedItem;
use tokio::sync::mpsc;
use triage::{customer_item, MIN, POLICY};

/// The injected clock: stands at its start until started, then runs on with real time.
struct RunningClock {
    start: Timestamp,
    since: Mutex<Option<Instant>>,
}

impl RunningClock {
    fn run(&self) {
        *self.since.lock().unwrap() = Some(Instant::now());
    }
}

impl Clock for RunningClock {
    fn now(&self) -> Timestamp {
        let ran = self
            .since
            .lock()
            .unwrap()
            .map_or(0, |since| since.elapsed().as_millis() as i64);
        self.start.plus_millis(ran)
    }
}

/// Customer `n`'s mention, written at `written_at`; Triage (see [`POLICY`]) answers within
/// an hour: at risk 45 minutes after the customer wrote, breached after 60.
fn clock_item(n: usize, written_at: Timestamp) -> RoutedItem {
    customer_item(
        format!("clock-{n}"),
        n,
        &format!("c{n}"),
        "Where is my order?".into(),
        written_at,
    )
}

/// Triage's (at risk, breached) counts as the sidebar reads them.
async fn counts(engine: &Engine) -> (u32, u32) {
    let queues = engine.list_queues().await.unwrap();
    let triage = queues
        .iter()
        .find(|q| q.queue.id == QueueId::from("triage"))
        .expect("triage");
    (triage.at_risk_count, triage.breached_count)
}

/// The next change that names `id`, with the clock's time when it was reported.
async fn change_naming(
    rx: &mut mpsc::UnboundedReceiver<(Change, Timestamp)>,
    id: i64,
) -> Timestamp {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let (change, at) = rx.recv().await.expect("engine alive");
            if change.conversations.contains(&id) {
                return at;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no change named conversation {id} within 20 s"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_change_when_a_clock_crosses_a_threshold_without_new_data() {
    let data = tempfile::tempdir().unwrap();
    let config = triage::config(data.path(), "maya", "app.switchboard.test.thresholds");
    let (spec, files) = triage::workspace(&config, "clocks", "Clocks");
    let start = Timestamp(1_790_000_000_000);
    // Conversation 1 turns at risk 2 s after the start; conversation 2 (at risk already)
    // breaches 4 s after it.
    let written = [
        start.plus_millis(-45 * MIN + 2_000),
        start.plus_millis(-60 * MIN + 4_000),
    ];
    let items = written
        .iter()
        .enumerate()
        .map(|(n, at)| clock_item(n, *at))
        .collect();
    triage::prepare(&files, "clocks.policy.toml", POLICY, [items], start).await;

    let clock = Arc::new(RunningClock {
        start,
        since: Mutex::new(None),
    });
    let (tx, mut rx) = mpsc::unbounded_channel();
    let reported = Arc::new(Mutex::new(tx));
    let listener_clock = Arc::clone(&clock);
    let hooks = EngineHooks {
        listener: Arc::new(move |change: &Change| {
            let _ = reported
                .lock()
                .unwrap()
                .send((change.clone(), listener_clock.now()));
        }),
        // No notifications: the counts move all the same.
        alerts: None,
        version: Arc::new(AtomicU64::new(0)),
        open_url: None,
    };
    let engine = Engine::open(config, &spec, clock.clone(), hooks)
        .await
        .unwrap();
    let ids: Vec<i64> = engine
        .list_conversations(QueueId::from("triage"))
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids.len(), 2);
    let waiting = engine
        .list_conversations(QueueId::from("triage"))
        .await
        .unwrap();
    let deadline = |id: i64| {
        waiting
            .iter()
            .find(|c| c.id == id)
            .unwrap()
            .sla
            .clone()
            .unwrap()
    };
    let (first, second) = {
        let mut by_at_risk = ids.clone();
        by_at_risk.sort_by_key(|id| deadline(*id).at_risk_at);
        (by_at_risk[1], by_at_risk[0])
    };
    let at_risk_at = deadline(first).at_risk_at;
    let breached_at = deadline(second).due_at;
    assert_eq!(at_risk_at, start.plus_millis(2_000));
    assert_eq!(breached_at, start.plus_millis(4_000));
    assert_eq!(
        counts(&engine).await,
        (1, 0),
        "one at risk, none breached yet"
    );
    // Time runs from here; nothing else happens in the workspace.
    clock.run();

    // The first crossing: reported at (not before) the instant, and the counts moved.
    let reported_at = change_naming(&mut rx, first).await;
    assert!(
        reported_at >= at_risk_at,
        "reported at {reported_at:?}, before the threshold {at_risk_at:?}"
    );
    assert!(
        clock.now() < breached_at,
        "read before the next threshold: the machine was too slow for this test"
    );
    assert_eq!(counts(&engine).await, (2, 0), "two at risk");

    // The second: one at risk, one breached.
    let reported_at = change_naming(&mut rx, second).await;
    assert!(reported_at >= breached_at);
    assert_eq!(counts(&engine).await, (1, 1), "one at risk, one breached");
    engine.shutdown().await;
}
