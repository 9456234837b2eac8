//! Notification latency (issue 6): from a conversation's at-risk deadline to the `Notify`
//! call arriving at the desktop's notification server, over 100 deadlines; goal p99 ≤ 1 s.
//!
//! ```text
//! cargo bench -p switchboard-engine --bench notification_latency
//! ```
//!
//! The whole product path runs, on the system clock: the engine's notifier (the alert
//! planner waking at its next deadline, reading the workspace database) hands its
//! decisions to a real [`DesktopNotifier`] connected to a private `dbus-daemon` that this
//! bench starts, where a stand-in notification server (the desktop tests' listener) owns
//! `org.freedesktop.Notifications` and timestamps every call as it arrives.
//!
//! Setup: a workspace whose policy gives Triage a one-hour first-response target on a
//! calendar open around the clock, so a conversation turns at risk exactly 45 minutes
//! (75 %) after its customer wrote; 100 conversations are stored before the engine starts,
//! each written so that its at-risk instant falls [`FIRST_DEADLINE`] + `n` ×
//! [`DEADLINE_SPACING`] after the start. The cool-down is off, as a person can set it, so
//! that each notification goes out at its own deadline. The deadlines measured against are
//! the ones the engine stored (`at_risk_at`), not the bench's arithmetic.
//!
//! Which `Notify` belongs to which conversation: the sink wrapper queues the conversations
//! of every notification it sends, in order, before sending it; the server receives the
//! calls in the same order on the one connection. A conversation's delay is measured at
//! the first notification that contains it (two deadlines that fall in one wake-up share a
//! grouped notification; both count from their own deadline).
#![allow(clippy::print_stdout)] // A benchmark's job is to print its figures.

#[cfg(all(unix, not(target_os = "macos")))]
#[path = "../../desktop/tests/support/listener.rs"]
mod listener;

#[cfg(all(unix, not(target_os = "macos")))]
#[allow(dead_code)] // this bench uses only some of the helpers
#[path = "../tests/common/triage.rs"]
mod triage;

#[cfg(all(unix, not(target_os = "macos")))]
mod bench {
    use std::collections::{BTreeMap, VecDeque};
    use std::sync::atomic::AtomicU64;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use switchboard_core::{AlertAction, Timestamp};
    use switchboard_desktop::{DesktopAlert, DesktopNotifier};
    use switchboard_engine::{AlertSink, Engine, EngineHooks, SystemClock, WorkspaceFiles};
    use switchboard_store::{RoutedItem, Store};

    use super::listener::{PrivateBus, TestNotificationServer};
    use super::triage::{self, customer_item, now_millis, BRAND_ACCOUNT, POLICY};

    /// Conversations, one deadline each.
    const CONVERSATIONS: usize = 100;
    /// The first at-risk deadline, after the bench starts (room for the engine to open).
    const FIRST_DEADLINE: Duration = Duration::from_secs(3);
    /// Between two consecutive deadlines.
    const DEADLINE_SPACING: Duration = Duration::from_millis(150);
    /// At risk at 75 % of the one-hour target.
    const AT_RISK_AFTER_MILLIS: i64 = 45 * 60_000;
    /// How long after the last deadline to wait for the last notification.
    const GRACE: Duration = Duration::from_secs(30);

    /// Sends the engine's decisions to the desktop, noting which conversations each
    /// `Notify` carries, in sending order.
    struct RecordingDesktopSink {
        notifier: DesktopNotifier,
        sent: Arc<Mutex<VecDeque<Vec<i64>>>>,
    }

    impl AlertSink for RecordingDesktopSink {
        fn deliver(&self, actions: Vec<AlertAction>) {
            for action in actions {
                let result = match action {
                    AlertAction::Show(n) | AlertAction::Update(n) => {
                        self.sent
                            .lock()
                            .expect("sent list")
                            .push_back(n.conversations.clone());
                        self.notifier.show(&DesktopAlert {
                            key: n.key,
                            title: n.title,
                            body: n.body,
                            critical: n.urgency == switchboard_core::Urgency::Critical,
                            conversation: n.conversation,
                            conversations: n.conversations.clone(),
                        })
                    }
                    AlertAction::Close { key } => self.notifier.close(&key),
                };
                if let Err(e) = result {
                    panic!("desktop delivery failed: {e}");
                }
            }
        }
    }

    /// Customer `n`'s mention, written at `written_at`.
    fn latency_item(n: usize, written_at: i64) -> RoutedItem {
        customer_item(
            format!("latency-{n}"),
            n,
            &format!("customer{n}"),
            format!("Where is my order #{n}?"),
            Timestamp(written_at),
        )
    }

    /// Stores the conversations, before the engine opens the workspace.
    async fn prepare(files: &WorkspaceFiles, start_millis: i64) {
        let items: Vec<RoutedItem> = (0..CONVERSATIONS)
            .map(|n| {
                let deadline = start_millis
                    + FIRST_DEADLINE.as_millis() as i64
                    + n as i64 * DEADLINE_SPACING.as_millis() as i64;
                latency_item(n, deadline - AT_RISK_AFTER_MILLIS)
            })
            .collect();
        let policy = format!("{POLICY}{BRAND_ACCOUNT}");
        triage::prepare(
            files,
            "bench.policy.toml",
            &policy,
            [items],
            Timestamp(start_millis),
        )
        .await;
    }

    fn percentile(sorted: &[f64], q: f64) -> f64 {
        let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    pub fn main() {
        if std::env::var_os("BENCH_LOG").is_some() {
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::DEBUG)
                .init();
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");

        let bus = PrivateBus::without_services();
        let server =
            TestNotificationServer::start(Some(&bus.address), &["actions", "body", "body-markup"]);
        let notifier =
            DesktopNotifier::with_bus_address(&bus.address, "Switchboard", Box::new(|_| {}))
                .expect("connect to the private bus");
        let sent = Arc::new(Mutex::new(VecDeque::new()));
        let sink = Arc::new(RecordingDesktopSink {
            notifier,
            sent: Arc::clone(&sent),
        });

        let data = tempfile::tempdir().expect("data dir");
        let config = triage::config(
            data.path(),
            "bench@northwind.example",
            "switchboard-notification-latency-bench",
        );
        let (spec, files) = triage::workspace(&config, "latency", "Notification latency");
        // Wall clock and monotonic clock read together: the server's arrival instants
        // become wall-clock milliseconds through this pair.
        let (base_instant, base_millis) = (Instant::now(), now_millis());

        let (engine, deadlines) = runtime.block_on(async {
            prepare(&files, base_millis).await;
            let hooks = EngineHooks {
                listener: Arc::new(|_| {}),
                alerts: Some(sink as Arc<dyn AlertSink>),
                version: Arc::new(AtomicU64::new(0)),
                open_url: None,
            };
            let engine = Engine::open(config, &spec, Arc::new(SystemClock), hooks)
                .await
                .expect("the engine opens the workspace");
            triage::cooldown_off(&engine).await;
            // The deadlines as the engine planned and stored them.
            let store = Store::open(&files.database).await.expect("read the store");
            let deadlines: BTreeMap<i64, i64> = store
                .waiting_conversations()
                .await
                .expect("waiting conversations")
                .into_iter()
                .map(|c| (c.id, c.deadlines.at_risk_at.millis()))
                .collect();
            store.close().await;
            (engine, deadlines)
        });
        assert_eq!(
            deadlines.len(),
            CONVERSATIONS,
            "every conversation is waiting"
        );
        let first = *deadlines.values().min().expect("deadlines");
        assert!(
            first > now_millis(),
            "the engine opened after the first deadline: raise FIRST_DEADLINE"
        );
        assert_eq!(
            first - base_millis,
            FIRST_DEADLINE.as_millis() as i64,
            "the engine planned the first deadline where the bench put it"
        );

        let last_deadline = *deadlines.values().max().expect("deadlines");
        let give_up = base_instant
            + Duration::from_millis((last_deadline - base_millis).max(0) as u64)
            + GRACE;
        let mut delays_ms: BTreeMap<i64, f64> = BTreeMap::new();
        let mut notifications = 0;
        while delays_ms.len() < CONVERSATIONS {
            let left = give_up.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "only {} of {CONVERSATIONS} conversations were notified",
                delays_ms.len()
            );
            let call = server.next_notify(left);
            notifications += 1;
            let arrived_ms = base_millis as f64
                + call.received_at.duration_since(base_instant).as_secs_f64() * 1_000.0;
            let conversations = sent
                .lock()
                .expect("sent list")
                .pop_front()
                .expect("every Notify was sent by the sink");
            for id in conversations {
                if let Some(deadline) = deadlines.get(&id) {
                    delays_ms.entry(id).or_insert(arrived_ms - *deadline as f64);
                }
            }
        }
        runtime.block_on(engine.shutdown());

        let mut sorted: Vec<f64> = delays_ms.values().copied().collect();
        sorted.sort_by(f64::total_cmp);
        println!(
            "deadline → Notify on the bus, {CONVERSATIONS} at-risk deadlines {} ms apart ({notifications} notifications):",
            DEADLINE_SPACING.as_millis()
        );
        println!(
            "  p50 {:.1} ms, p99 {:.1} ms, min {:.1} ms, max {:.1} ms (goal p99 ≤ 1000 ms)",
            percentile(&sorted, 0.50),
            percentile(&sorted, 0.99),
            sorted[0],
            sorted[sorted.len() - 1]
        );
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn main() {
    bench::main();
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn main() {
    println!("The notification latency benchmark needs D-Bus (Linux and the BSDs).");
}
