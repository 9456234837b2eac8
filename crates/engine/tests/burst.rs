//! A burst of 300 deadlines behind a slow notification server: the engine's notifier and
//! the real desktop notifier, on a private bus where the stand-in server answers every
//! `Notify` only after 5 s (the desktop tests' listener). When everything has been
//! answered, exactly the notifications the planner holds open are on screen — one for the
//! burst — and nothing piled up (it used to: each call timed out after 3 s although the
//! server showed it, so its id was never known and it could be neither replaced nor
//! closed).
#![cfg(all(unix, not(target_os = "macos")))]

#[path = "../../desktop/tests/support/listener.rs"]
mod listener;
#[allow(dead_code)] // this file uses only some of the helpers
#[path = "common/triage.rs"]
mod triage;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use listener::{PrivateBus, TestNotificationServer};
use switchboard_core::{AlertAction, Timestamp, Urgency};
use switchboard_desktop::{DesktopAlert, DesktopNotifier};
use switchboard_engine::{AlertSink, Engine, EngineHooks, SystemClock};
use switchboard_store::RoutedItem;
use triage::{customer_item, MIN, POLICY};

const BURST: usize = 300;
const SLOW_ANSWER: Duration = Duration::from_secs(5);

/// The shell's sink, as `src-tauri/alerts.rs` has it, recording what the planner keeps
/// open.
struct DesktopSink {
    notifier: DesktopNotifier,
    open: Mutex<BTreeMap<String, Vec<i64>>>,
}

impl AlertSink for DesktopSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        for action in actions {
            let result = match &action {
                AlertAction::Show(n) | AlertAction::Update(n) => {
                    self.open
                        .lock()
                        .unwrap()
                        .insert(n.key.clone(), n.conversations.clone());
                    self.notifier.show(&DesktopAlert {
                        key: n.key.clone(),
                        title: n.title.clone(),
                        body: n.body.clone(),
                        critical: n.urgency == Urgency::Critical,
                        conversation: n.conversation,
                        conversations: n.conversations.clone(),
                    })
                }
                AlertAction::Close { key } => {
                    self.open.lock().unwrap().remove(key);
                    self.notifier.close(key)
                }
            };
            result.expect("the call is sent, whatever the server's pace");
        }
    }
}

/// Customer `n`'s mention, written at `written_at`.
fn burst_item(n: usize, written_at: i64) -> RoutedItem {
    customer_item(
        format!("burst-{n}"),
        n,
        &format!("c{n}"),
        "Where is my order?".into(),
        Timestamp(written_at),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_behind_a_slow_server_leaves_one_notification_on_screen() {
    let bus = PrivateBus::without_services();
    let server =
        TestNotificationServer::start_slow(&bus.address, &["actions", "body"], SLOW_ANSWER);
    let sink = Arc::new(DesktopSink {
        notifier: DesktopNotifier::with_bus_address(&bus.address, "Switchboard", Box::new(|_| {}))
            .expect("connect"),
        open: Mutex::default(),
    });

    let data = tempfile::tempdir().unwrap();
    let config = triage::config(data.path(), "maya", "app.switchboard.test.burst");
    let (spec, files) = triage::workspace(&config, "burst", "Burst");
    // 300 conversations turn at risk 10 ms apart, from 2 s after the start.
    let now = triage::now_millis();
    let items = (0..BURST)
        .map(|n| burst_item(n, now - 45 * MIN + 2_000 + n as i64 * 10))
        .collect();
    triage::prepare(&files, "burst.policy.toml", POLICY, [items], Timestamp(now)).await;

    let hooks = EngineHooks {
        listener: Arc::new(|_| {}),
        alerts: Some(Arc::clone(&sink) as Arc<dyn AlertSink>),
        version: Arc::new(AtomicU64::new(0)),
        open_url: None,
    };
    let engine = Engine::open(config, &spec, Arc::new(SystemClock), hooks)
        .await
        .unwrap();
    // Every alert as soon as it is due: the burst reaches the server as it happens.
    triage::cooldown_off(&engine).await;

    // Wait until the planner has delivered the whole burst …
    let started = Instant::now();
    loop {
        let delivered: usize = sink.open.lock().unwrap().values().map(Vec::len).sum();
        if delivered == BURST {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{delivered} of {BURST} delivered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // … and the server has answered everything sent for it.
    let answered = tokio::task::spawn_blocking({
        let sink = Arc::clone(&sink);
        move || sink.notifier.wait_until_answered(Duration::from_secs(120))
    })
    .await
    .unwrap();
    assert!(answered, "the server answered every notification");

    let open = sink.open.lock().unwrap().clone();
    assert_eq!(
        open.keys().map(String::as_str).collect::<Vec<_>>(),
        ["group:triage:at_risk"],
        "the planner holds one notification for the burst"
    );
    assert_eq!(
        server.on_screen().len(),
        1,
        "and the server shows exactly that one: nothing piled up"
    );
    engine.shutdown().await;
}
