//! Spike alerts in a running workspace: a workspace with two weeks of ordinary Triage
//! traffic (its history) receives an outage burst, with an injected clock. The lead gets
//! exactly one notification, the queue's summary carries the spike while it lasts and not
//! after, and the window is told when it starts and ends.

#[allow(dead_code)] // this file uses only some of the helpers
#[path = "common/triage.rs"]
mod triage;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::{AlertAction, Timestamp};
use switchboard_engine::{AlertSink, Clock, Engine, EngineHooks};
use switchboard_store::{RoutedItem, Store};
use triage::{customer_item, NoDeadlines, MIN, POLICY};

const SPIKES: &str = r##"
[spikes]
factor = 4
min_count = 20
window = "10m"
keywords = ["outage"]
"##;

/// A clock the test moves by hand.
struct ManualClock(Mutex<Timestamp>);

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// Records what is delivered.
#[derive(Default)]
struct RecordingSink(Mutex<Vec<AlertAction>>);

impl AlertSink for RecordingSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        self.0.lock().unwrap().extend(actions);
    }
}

impl RecordingSink {
    fn spike_alerts(&self) -> Vec<(String, String)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter_map(|a| match a {
                AlertAction::Show(n) if n.key.starts_with("spike:") => {
                    Some((n.title.clone(), n.body.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

fn ordinary(n: usize, at: i64) -> RoutedItem {
    customer_item(
        format!("usual-{n}"),
        n,
        &format!("u{n}"),
        "Where is my order? It should have come yesterday".into(),
        Timestamp(at),
    )
}

fn outage(n: usize, at: i64) -> RoutedItem {
    let texts = [
        "Is the app down? Login fails, outage?",
        "App crash at login again, outage everywhere",
        "Login geht nicht, App abgestürzt — outage?",
        "La app no funciona, no puedo hacer login",
    ];
    customer_item(
        format!("outage-{n}"),
        n,
        &format!("o{n}"),
        texts[n % texts.len()].into(),
        Timestamp(at),
    )
}

async fn eventually<F: FnMut() -> Fut, Fut: std::future::Future<Output = bool>>(
    what: &str,
    mut check: F,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_burst_alerts_the_lead_once_and_marks_the_queue_until_it_ends() {
    let data = tempfile::tempdir().unwrap();
    let config = triage::config(data.path(), "maya", "app.switchboard.test.spikes");
    let (spec, files) = triage::workspace(&config, "spikes", "Spikes");
    let policy = POLICY.replace(
        "color = \"#8a8f98\"\n",
        "color = \"#8a8f98\"\nleads = [\"maya\"]\n",
    ) + SPIKES;
    // Two weeks of history: a customer every two minutes.
    let start = triage::now_millis() / MIN * MIN;
    let history: Vec<RoutedItem> = (0..14 * 24 * 30)
        .map(|n| ordinary(n, start - 14 * 24 * 60 * MIN + n as i64 * 2 * MIN))
        .collect();
    triage::prepare(
        &files,
        "spikes.policy.toml",
        &policy,
        [history],
        Timestamp(start),
    )
    .await;

    let clock = Arc::new(ManualClock(Mutex::new(Timestamp(start))));
    let sink = Arc::new(RecordingSink::default());
    let changes = Arc::new(AtomicUsize::new(0));
    let hooks = EngineHooks {
        listener: {
            let changes = Arc::clone(&changes);
            Arc::new(move |_| {
                changes.fetch_add(1, Ordering::SeqCst);
            })
        },
        alerts: Some(Arc::clone(&sink) as Arc<dyn AlertSink>),
        version: Arc::new(AtomicU64::new(0)),
        open_url: None,
    };
    let engine = Engine::open(config, &spec, Arc::clone(&clock) as Arc<dyn Clock>, hooks)
        .await
        .unwrap();
    // The feed writes to the workspace's database as a sync would.
    let feed = Store::open(&files.database).await.unwrap();

    // The burst: twelve customers a minute write about an outage, six seconds apart,
    // until the alert comes (at most ten minutes of the clock).
    let mut n = 0;
    let mut now = start;
    while sink.spike_alerts().is_empty() {
        assert!(
            now < start + 10 * MIN,
            "no alert after ten minutes of burst"
        );
        now += 5_000;
        *clock.0.lock().unwrap() = Timestamp(now);
        feed.ingest(vec![outage(n, now)], None, Timestamp(now), &NoDeadlines)
            .await
            .unwrap();
        n += 1;
        // Let the watcher look (it reads every half second) before the next item.
        if n % 6 == 0 {
            tokio::time::sleep(Duration::from_millis(600)).await;
        }
    }
    assert!(
        now <= start + 3 * MIN,
        "alerted within three minutes: {}",
        (now - start) / 1000
    );
    let alerts = sink.spike_alerts();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let (title, body) = &alerts[0];
    assert_eq!(title, "Spike in Triage");
    assert!(
        body.starts_with("Triage: ") && body.contains(" new in 10 min, "),
        "{body}"
    );
    assert!(body.contains("× usual — top words: "), "{body}");
    assert!(body.contains("outage") || body.contains("login"), "{body}");
    let queues = engine.list_queues().await.unwrap();
    let spike = queues[0].spike.clone().expect("the queue is marked");
    assert!(spike.factor >= 4.0 && spike.count >= 20, "{spike:?}");
    assert_eq!(spike.window_minutes, 10);
    let told = changes.load(Ordering::SeqCst);

    // The burst goes on a little (no second alert), then quiet: the spike ends.
    for _ in 0..12 {
        now += 5_000;
        *clock.0.lock().unwrap() = Timestamp(now);
        feed.ingest(vec![outage(n, now)], None, Timestamp(now), &NoDeadlines)
            .await
            .unwrap();
        n += 1;
    }
    *clock.0.lock().unwrap() = Timestamp(now + 30 * MIN);
    eventually("the spike to end", || async {
        engine.list_queues().await.unwrap()[0].spike.is_none()
    })
    .await;
    assert!(
        changes.load(Ordering::SeqCst) > told,
        "the window is told it ended"
    );
    assert_eq!(sink.spike_alerts().len(), 1, "one notification per spike");
    feed.close().await;
    engine.shutdown().await;
}

/// The demo plays its app outage a few minutes (of its speed) after the first start: the
/// newcomer — a lead of every queue in the demo — gets one spike notification, about
/// Support, and the queue is marked until the burst is over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_plays_an_outage_that_alerts_once() {
    let data = tempfile::tempdir().unwrap();
    let mut config = triage::config(data.path(), "newcomer", "app.switchboard.test.spikes-demo");
    config.demo_seed = 2026;
    config.demo_speed = 10.0;
    let sink = Arc::new(RecordingSink::default());
    let engine = Engine::start(
        config,
        Arc::new(switchboard_engine::SystemClock),
        Arc::new(|_| {}),
        Some(Arc::clone(&sink) as Arc<dyn AlertSink>),
    )
    .await
    .unwrap();
    let started = Instant::now();
    let mut marked = false;
    while sink.spike_alerts().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "no spike alert from the demo"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let alerts = sink.spike_alerts();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].0 == "Spike in Support", "{alerts:?}");
    assert!(
        alerts[0].1.contains("login")
            || alerts[0].1.contains("outage")
            || alerts[0].1.contains("app"),
        "{alerts:?}"
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let queues = engine.list_queues().await.unwrap();
        let support = queues.iter().find(|q| q.queue.id.0 == "support").unwrap();
        match (&support.spike, marked) {
            (Some(_), _) => marked = true,
            (None, true) => break,
            (None, false) => {}
        }
        assert!(
            Instant::now() < deadline,
            "the demo's spike never ended (marked: {marked})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        sink.spike_alerts().len(),
        1,
        "one notification per spike: {:?}",
        sink.spike_alerts()
    );
    engine.shutdown().await;
}
