//! The engine on the demo workspace: queues fill, threads open, restarts continue.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{AlertAction, SlaState, Timestamp};
use switchboard_core::{ErrorCode, QueueId};
use switchboard_engine::{
    AlertSink, Change, ChangeListener, Clock, Engine, EngineConfig, SystemClock,
};
use tokio::sync::mpsc;

fn config(dir: &tempfile::TempDir, speed: f64) -> EngineConfig {
    EngineConfig {
        data_dir: dir.path().to_path_buf(),
        demo_seed: 11,
        demo_speed: speed,
        me: "maya".into(),
        keychain_namespace: "app.switchboard.test.engine".into(),
        poll_interval: None,
    }
}

async fn start(dir: &tempfile::TempDir, speed: f64) -> (Engine, mpsc::UnboundedReceiver<Change>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let listener: ChangeListener = Arc::new(move |change: &Change| {
        let _ = tx.send(change.clone());
    });
    let engine = Engine::start(config(dir, speed), Arc::new(SystemClock), listener, None)
        .await
        .expect("engine starts");
    (engine, rx)
}

/// Waits for `n` change notifications (each one a stored page), failing after 10 s.
async fn changes(rx: &mut mpsc::UnboundedReceiver<Change>, n: usize) -> Vec<Change> {
    let mut seen = Vec::new();
    while seen.len() < n {
        let change = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a change within 10 s")
            .expect("engine alive");
        seen.push(change);
    }
    seen
}

/// Waits until the sync loop has finished a pull, failing after 10 s.
async fn wait_for_first_pull(engine: &Engine) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while engine.sync_status().last_pull_at.is_none() {
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("a pull within 10 s");
}

/// The sidebar's queue labels, in display order.
async fn queue_labels(engine: &Engine) -> Vec<String> {
    let queues = engine.list_queues().await.unwrap();
    queues.into_iter().map(|q| q.queue.label).collect()
}

async fn total_conversations(engine: &Engine) -> u32 {
    let queues = engine.list_queues().await.unwrap();
    queues.iter().map(|q| q.conversation_count).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_workspace_fills_its_queues() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, mut rx) = start(&dir, 50.0).await;
    let seen = changes(&mut rx, 5).await;
    assert!(
        seen.windows(2).all(|w| w[0].version < w[1].version),
        "versions grow with each change"
    );

    let info = engine.workspace_info();
    assert!(info.is_demo);
    assert_eq!(info.name, "Demo — Northwind Coffee");

    let queues = engine.list_queues().await.unwrap();
    let labels: Vec<&str> = queues.iter().map(|q| q.queue.label.as_str()).collect();
    assert_eq!(labels, ["Triage", "Support", "Sales", "Marketing"]);
    let busy = queues.iter().filter(|q| q.conversation_count > 0).count();
    assert!(busy >= 3, "items are routed to several queues: {queues:?}");
    assert!(
        queues.iter().any(|q| q.waiting_count > 0),
        "some conversations wait"
    );

    let support = engine
        .list_conversations(QueueId::from("support"))
        .await
        .unwrap();
    let first = support.first().expect("support has conversations");
    let thread = engine.get_thread(first.id).await.unwrap();
    assert_eq!(thread.conversation, *first);
    assert!(!thread.items.is_empty());
    assert!(
        thread
            .items
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "thread oldest first"
    );
    assert!(engine.sync_status().error.is_none());
    engine.shutdown().await;
}

/// Waits for `n` changes that stored new items (a change lists the conversations that
/// gained them), failing after 10 s for each.
async fn item_changes(rx: &mut mpsc::UnboundedReceiver<Change>, n: usize) {
    let mut seen = 0;
    while seen < n {
        if !changes(rx, 1).await[0].conversations.is_empty() {
            seen += 1;
        }
    }
}

/// How many items the workspace stores: the item events of its log (exported to `dir`).
async fn stored_items(engine: &Engine, dir: &tempfile::TempDir) -> usize {
    let path = dir.path().join("log.jsonl");
    engine.export_log(&path).await.unwrap();
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|event| {
            matches!(
                event["kind"].as_str(),
                Some("item_ingested" | "brand_reply_observed")
            )
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_everything_and_continues() {
    let dir = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    let (engine, mut rx) = start(&dir, 50.0).await;
    item_changes(&mut rx, 3).await;
    engine.stop_sync().await;
    let conversations = total_conversations(&engine).await;
    let items = stored_items(&engine, &exports).await;
    assert!(conversations > 0);
    engine.shutdown().await;

    // Paused demo: after its first pull, the restarted workspace holds exactly what it had.
    let (engine, _rx) = start(&dir, 0.0).await;
    wait_for_first_pull(&engine).await;
    assert_eq!(
        (
            total_conversations(&engine).await,
            stored_items(&engine, &exports).await
        ),
        (conversations, items),
        "kept, and nothing replayed"
    );
    assert_eq!(engine.change_version(), 0, "a paused demo changes nothing");
    engine.shutdown().await;

    // Running again: the demo stores new items on top of everything kept.
    let (engine, mut rx) = start(&dir, 50.0).await;
    item_changes(&mut rx, 2).await;
    engine.stop_sync().await;
    let items_now = stored_items(&engine, &exports).await;
    assert!(
        items_now > items,
        "the demo continues after a restart: {items_now} items, {items} before"
    );
    assert!(
        total_conversations(&engine).await >= conversations,
        "no conversation lost"
    );
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_conversation_is_a_not_found_error() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = start(&dir, 0.0).await;
    let err = engine.get_thread(987_654).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert!(err.message.contains("no longer exists"), "{}", err.message);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_response_times_report_covers_every_queue_and_the_answered_backlog() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = start(&dir, 0.0).await;
    wait_for_first_pull(&engine).await;

    let report = engine.response_times(7).await.unwrap();
    let queues = queue_labels(&engine).await;
    let reported: Vec<String> = report
        .queues
        .iter()
        .map(|q| q.queue.label.clone())
        .collect();
    assert_eq!(reported, queues, "every queue, in display order");
    assert_eq!(report.days.len(), 7);
    for queue in &report.queues {
        assert_eq!(queue.per_day.len(), 7);
        let per_day: u32 = queue.per_day.iter().map(|d| d.responses).sum();
        assert_eq!(
            per_day, queue.responses,
            "{}: days add up",
            queue.queue.label
        );
        assert!(queue.first_responses <= queue.responses);
    }
    let answered: u32 = report.queues.iter().map(|q| q.responses).sum();
    assert!(answered > 0, "the demo backlog has answered conversations");

    for days in [0, 91] {
        let err = engine.response_times(days).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("1 to 90 days"), "{}", err.message);
    }
    engine.shutdown().await;
}

/// The first waiting conversation of the busiest queue.
async fn a_waiting_conversation(engine: &Engine) -> (QueueId, i64) {
    for queue in engine.list_queues().await.unwrap() {
        let list = engine
            .list_conversations(queue.queue.id.clone())
            .await
            .unwrap();
        if let Some(c) = list.iter().find(|c| c.waiting_since.is_some()) {
            return (queue.queue.id, c.id);
        }
    }
    panic!("no waiting conversation in the demo backlog");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_are_logged_under_the_person_and_shape_the_queues() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = start(&dir, 0.0).await;
    wait_for_first_pull(&engine).await;
    let (queue, id) = a_waiting_conversation(&engine).await;

    let thread = engine.claim(id).await.unwrap();
    assert_eq!(thread.conversation.claimed_by.as_deref(), Some("maya"));
    assert!(
        thread.conversation.sla.is_some(),
        "waiting conversations have a clock"
    );

    let target = if queue == QueueId::from("sales") {
        "support"
    } else {
        "sales"
    };
    let thread = engine
        .hand_off(
            id,
            QueueId::from(target),
            "  Wants a quote for 40 kg  ".into(),
        )
        .await
        .unwrap();
    assert_eq!(thread.conversation.queue, QueueId::from(target));
    assert_eq!(
        thread.conversation.handoff_note.unwrap().text,
        "Wants a quote for 40 kg",
        "trimmed note, shown first"
    );

    let err = engine.add_note(id, "   ".into()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let err = engine
        .hand_off(id, QueueId::from("nowhere"), "x".into())
        .await
        .unwrap_err();
    assert!(err.message.contains("nowhere"), "{}", err.message);
    let err = engine.snooze(id, 0).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let thread = engine.snooze(id, 15).await.unwrap();
    assert!(thread.conversation.snoozed_until.is_some());

    engine
        .mark_done(id, switchboard_core::DoneReason::AnsweredElsewhere)
        .await
        .unwrap();
    let listed = engine
        .list_conversations(QueueId::from(target))
        .await
        .unwrap();
    assert!(listed.iter().all(|c| c.id != id), "done: not listed");
    let thread = engine.reopen(id).await.unwrap();
    assert_eq!(thread.conversation.done_reason, None);

    let kinds: Vec<String> = thread.history.iter().map(|h| h.kind.clone()).collect();
    assert!(
        kinds.ends_with(&[
            "claimed".to_string(),
            "handed_off".to_string(),
            "snoozed".to_string(),
            "marked_done".to_string(),
            "reopened".to_string()
        ]),
        "{kinds:?}"
    );
    assert!(thread
        .history
        .iter()
        .filter(|h| h.kind != "item_ingested" && h.kind != "brand_reply_observed")
        .all(|h| h.by.as_deref() == Some("maya")));
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_policy_file_is_reported_and_the_last_good_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, _rx) = start(&dir, 0.0).await;
    let info = engine.workspace_info();
    assert_eq!(info.policy_error, None, "the demo policy is valid");
    let path = std::path::PathBuf::from(&info.policy_path);
    let good = std::fs::read_to_string(&path).expect("the policy file was written");

    // Break it: a typo on line 2.
    let broken = format!("# comment\n[[queue]\n{good}");
    std::fs::write(&path, broken).unwrap();
    engine.reload_policy().await.unwrap();
    let error = engine
        .workspace_info()
        .policy_error
        .expect("the error is reported");
    assert!(error.contains(":2:"), "file:line:column: {error}");
    let labels = queue_labels(&engine).await;
    assert_eq!(
        labels,
        ["Triage", "Support", "Sales", "Marketing"],
        "last good policy in force"
    );

    // Fix it: the error goes away.
    std::fs::write(&path, good).unwrap();
    engine.reload_policy().await.unwrap();
    assert_eq!(engine.workspace_info().policy_error, None);
    engine.shutdown().await;
}

/// A clock the test moves by hand.
struct ManualClock(std::sync::Mutex<Timestamp>);

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

/// Records what the notifier delivers, in order.
#[derive(Default)]
struct RecordingSink(std::sync::Mutex<Vec<AlertAction>>);

impl AlertSink for RecordingSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        self.0.lock().unwrap().extend(actions);
    }
}

impl RecordingSink {
    /// How many actions it holds: a mark for [`RecordingSink::since`].
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The actions delivered after `mark`.
    fn since(&self, mark: usize) -> Vec<AlertAction> {
        self.0.lock().unwrap()[mark..].to_vec()
    }

    /// The notifications open after everything delivered: key → its conversations.
    fn open(&self) -> BTreeMap<String, Vec<i64>> {
        let mut open = BTreeMap::new();
        for action in self.0.lock().unwrap().iter() {
            match action {
                AlertAction::Show(n) | AlertAction::Update(n) => {
                    open.insert(n.key.clone(), n.conversations.clone());
                }
                AlertAction::Close { key } => {
                    open.remove(key);
                }
            }
        }
        open
    }

    /// The key of the open notification that holds conversation `id`.
    fn key_of(&self, id: i64) -> String {
        self.open()
            .into_iter()
            .find(|(_, members)| members.contains(&id))
            .map(|(key, _)| key)
            .unwrap_or_else(|| panic!("conversation {id} is in no open notification"))
    }
}

/// Waits until the sink holds, after `mark`, an action `accept` likes; fails after 10 s.
async fn delivered(
    sink: &RecordingSink,
    mark: usize,
    what: &str,
    accept: impl Fn(&AlertAction) -> bool,
) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !sink.since(mark).iter().any(&accept) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {what} within 10 s"));
}

/// Whether `action` takes conversation `id` out of the notification `key` (closes it, or
/// rewrites it without `id`) and does nothing else.
fn clears(action: &AlertAction, key: &str, id: i64) -> bool {
    match action {
        AlertAction::Close { key: closed } => closed == key,
        AlertAction::Update(n) => n.key == key && !n.conversations.contains(&id),
        AlertAction::Show(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_conversations_raise_notifications_and_claiming_clears_them() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock(std::sync::Mutex::new(Timestamp(
        1_790_000_000_000,
    ))));
    let sink = Arc::new(RecordingSink::default());
    let listener: ChangeListener = Arc::new(|_| {});
    let engine = Engine::start(
        config(&dir, 0.0),
        clock.clone(),
        listener,
        Some(sink.clone() as Arc<dyn AlertSink>),
    )
    .await
    .unwrap();
    wait_for_first_pull(&engine).await;
    // Quiet the cool-down so every change shows at once.
    let mut prefs = engine.alert_preferences().await;
    assert_eq!(prefs.person, "maya");
    prefs.cooldown_seconds = 0;
    let prefs = engine.set_alert_preferences(prefs).await.unwrap();

    // The demo backlog spans two hours: Support's 30-minute clocks have run out.
    delivered(
        &sink,
        0,
        "a breach notification",
        |a| matches!(a, AlertAction::Show(n) if n.level >= SlaState::Breached),
    )
    .await;
    let shown: Vec<i64> = sink
        .since(0)
        .into_iter()
        .filter_map(|a| match a {
            AlertAction::Show(n) => Some(n.conversations),
            _ => None,
        })
        .flatten()
        .collect();
    for id in &shown {
        let thread = engine.get_thread(*id).await.unwrap();
        assert!(
            thread.conversation.sla.is_some(),
            "only waiting conversations are notified, not answered ones ({id})"
        );
    }

    // Claiming a notified conversation takes it out of its own notification.
    let id = shown[0];
    let key = sink.key_of(id);
    let mark = sink.len();
    engine.claim(id).await.unwrap();
    delivered(&sink, mark, "clearing of the claimed conversation", |a| {
        clears(a, &key, id)
    })
    .await;
    assert!(
        !sink.open().values().any(|members| members.contains(&id)),
        "the claimed conversation is in no notification any more"
    );

    // Pausing holds everything. While paused, the clock passes the due time of a
    // conversation not yet breached, and the notifier decides again (claiming another
    // notified conversation wakes it; taking that one out of its notification is the only
    // thing it may deliver): nothing is shown.
    let now = clock.now();
    let mut next_due: Option<(Timestamp, i64)> = None;
    for queue in engine.list_queues().await.unwrap() {
        if !(prefs.queues.is_empty() || prefs.queues.contains(&queue.queue.id)) {
            continue;
        }
        for c in engine.list_conversations(queue.queue.id).await.unwrap() {
            let Some(sla) = &c.sla else { continue };
            let notifiable = c.claimed_by.is_none() && c.snoozed_until.is_none();
            if notifiable && sla.due_at > now && next_due.is_none_or(|(at, _)| sla.due_at < at) {
                next_due = Some((sla.due_at, c.id));
            }
        }
    }
    let (due_at, due) = next_due.expect("the demo backlog has a conversation not yet due");
    let paused_until = engine
        .pause_alerts(24 * 60)
        .await
        .unwrap()
        .paused_until
        .expect("paused");
    assert!(due_at < paused_until, "it falls due within the pause");
    let probe = *shown
        .iter()
        .find(|c| **c != id && **c != due && sink.open().values().any(|m| m.contains(c)))
        .expect("another conversation is notified");
    let probe_key = sink.key_of(probe);
    let mark = sink.len();
    *clock.0.lock().unwrap() = due_at.plus_millis(60_000);
    engine.claim(probe).await.unwrap();
    // The probe leaves every notification (however that is delivered).
    tokio::time::timeout(Duration::from_secs(10), async {
        while sink.open().values().any(|members| members.contains(&probe)) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the claimed probe leaves its notification within 10 s");
    let during = sink.since(mark);
    assert!(
        during.iter().all(|a| clears(a, &probe_key, probe)),
        "nothing shown while paused: {during:?}"
    );
    assert!(
        engine.overdue_count().await > 0,
        "the tray count still tells"
    );

    // Resuming shows what was held: the conversation that fell due during the pause.
    let mark = sink.len();
    engine.pause_alerts(0).await.unwrap();
    delivered(
        &sink,
        mark,
        "the held alert after the pause",
        |a| matches!(a, AlertAction::Show(n) if n.conversations.contains(&due)),
    )
    .await;
    engine.shutdown().await;
}
