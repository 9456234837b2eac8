//! Work profiles: creating, switching, renaming, exporting and removing workspaces through
//! the console, with nothing of one workspace visible in another.

#[allow(dead_code)] // this file uses only some of the helpers
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{ErrorCode, ReplyState};
use switchboard_engine::{
    Console, ConsoleHooks, Engine, EngineConfig, SystemClock, DEMO_WORKSPACE_ID,
};

fn config(dir: &tempfile::TempDir) -> EngineConfig {
    common::backlog_config(dir, 5, "ws")
}

async fn open(dir: &tempfile::TempDir) -> Console {
    common::open_quiet(config(dir)).await
}

/// Total conversations in every queue of the open workspace.
async fn conversations(engine: &Engine) -> u32 {
    let queues = engine.list_queues().await.unwrap();
    queues.iter().map(|q| q.conversation_count).sum()
}

/// The files this process holds open whose path starts with `database`'s (the database,
/// its `-wal` and `-shm`), from `/proc/self/fd`.
fn open_files_of(database: &Path) -> Vec<PathBuf> {
    let prefix = database.as_os_str().to_string_lossy().into_owned();
    std::fs::read_dir("/proc/self/fd")
        .expect("this test reads /proc/self/fd (Linux)")
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with(&prefix))
        .collect()
}

/// Waits until the demo backlog is stored.
async fn wait_for_backlog(console: &Console) {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if conversations(&console.engine().await.unwrap()).await > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the demo backlog within 10 s");
}

#[tokio::test]
async fn a_new_workspace_shows_nothing_of_the_demo_and_switching_back_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    wait_for_backlog(&console).await;
    let demo = console.engine().await.unwrap();
    assert_eq!(demo.workspace_info().id, DEMO_WORKSPACE_ID);
    let demo_database =
        switchboard_engine::WorkspaceFiles::new(&dir.path().join("workspaces"), DEMO_WORKSPACE_ID)
            .database;
    assert!(
        !open_files_of(&demo_database).is_empty(),
        "the open demo workspace holds its database open"
    );
    let demo_count = conversations(&demo).await;
    let demo_queues: Vec<String> = demo
        .list_queues()
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.queue.id.0)
        .collect();

    let acme = console.create_workspace("Acme Support").await.unwrap();
    assert!(acme.is_current);
    let engine = console.engine().await.unwrap();
    let info = engine.workspace_info();
    assert_eq!(
        (info.id.as_str(), info.name.as_str(), info.is_demo),
        (acme.id.as_str(), "Acme Support", false)
    );
    assert_eq!(
        conversations(&engine).await,
        0,
        "no demo conversation in the new workspace"
    );
    let queues = engine.list_queues().await.unwrap();
    let ids: Vec<&str> = queues.iter().map(|q| q.queue.id.0.as_str()).collect();
    assert_eq!(ids, ["triage", "support", "sales"]);
    assert!(queues
        .iter()
        .all(|q| q.waiting_count == 0 && q.breached_count == 0));
    assert!(engine.list_accounts().await.is_empty());
    // The old engine is closed: its store refuses to read, and no file of its database
    // (main file, WAL, shared memory) is open in this process any more.
    assert_ne!(demo_queues.len(), 0);
    assert!(
        demo.list_queues().await.is_err(),
        "the demo engine's store is closed"
    );
    assert_eq!(
        open_files_of(&demo_database),
        Vec::<PathBuf>::new(),
        "the demo database is closed"
    );

    let listed = console.workspaces().await;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|w| w.id == acme.id && w.is_current));
    assert!(listed
        .iter()
        .any(|w| w.id == DEMO_WORKSPACE_ID && !w.is_current));

    let back = console.switch_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    assert_eq!(back.id, DEMO_WORKSPACE_ID);
    assert_eq!(
        conversations(&console.engine().await.unwrap()).await,
        demo_count
    );
    console.shutdown().await;
}

#[tokio::test]
async fn the_last_used_workspace_opens_at_launch_and_renames_persist() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    let acme = console.create_workspace("Acme").await.unwrap();
    let entries = console
        .rename_workspace(&acme.id, "Acme Inc.")
        .await
        .unwrap();
    assert!(entries.iter().any(|w| w.name == "Acme Inc."));
    assert_eq!(
        console.engine().await.unwrap().workspace_info().name,
        "Acme Inc."
    );
    let err = console.rename_workspace(&acme.id, "  ").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    console.shutdown().await;
    drop(console);

    let again = open(&dir).await;
    let info = again.engine().await.unwrap().workspace_info();
    assert_eq!((info.id, info.name), (acme.id, "Acme Inc.".to_owned()));
    again.shutdown().await;
}

#[tokio::test]
async fn removing_the_open_workspace_deletes_its_files_and_opens_another() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    let acme = console.create_workspace("Acme").await.unwrap();
    let files = switchboard_engine::WorkspaceFiles::new(&dir.path().join("workspaces"), &acme.id);
    assert!(files.database.exists() && files.policy.exists());

    let left = console.remove_workspace(&acme.id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].is_current && left[0].id == DEMO_WORKSPACE_ID);
    for file in files.all() {
        assert!(!file.exists(), "{} is left behind", file.display());
    }
    assert_eq!(
        console.switch_workspace(&acme.id).await.unwrap_err().code,
        ErrorCode::NotFound
    );

    // The demo can be removed too; then no workspace is open until one is created.
    console.remove_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    assert_eq!(
        console.engine().await.err().map(|e| e.code),
        Some(ErrorCode::NoWorkspace)
    );
    assert!(console.workspaces().await.is_empty());
    let fresh = console.create_workspace("Fresh").await.unwrap();
    assert_eq!(
        console.engine().await.unwrap().workspace_info().id,
        fresh.id
    );
    console.shutdown().await;
}

#[tokio::test]
async fn the_event_log_exports_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    wait_for_backlog(&console).await;
    let out = tempfile::tempdir().unwrap();
    let path = console
        .export_log(DEMO_WORKSPACE_ID, out.path())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert!(lines.len() >= 40, "the backlog's events are exported");
    assert!(lines
        .windows(2)
        .all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()));
    assert!(lines
        .iter()
        .any(|l| l["kind"] == "item_ingested" && l["event"]["kind"]["type"] == "item_ingested"));
    console.shutdown().await;
}

#[tokio::test]
async fn a_reply_from_switchboard_is_sent_and_answers_the_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    wait_for_backlog(&console).await;
    let engine = console.engine().await.unwrap();
    let mut waiting = None;
    for q in engine.list_queues().await.unwrap() {
        let list = engine.list_conversations(q.queue.id).await.unwrap();
        if let Some(c) = list.into_iter().find(|c| c.waiting_since.is_some()) {
            waiting = Some(c);
            break;
        }
    }
    let conversation = waiting.expect("the backlog has a waiting conversation");
    let thread = engine
        .send_reply(
            conversation.id,
            "  Sorry about that — a new one is on its way.  ".into(),
        )
        .await
        .unwrap();
    assert_eq!(
        thread.conversation.claimed_by.as_deref(),
        Some("maya"),
        "replying takes it on"
    );
    assert!(thread
        .outgoing
        .iter()
        .all(|r| r.state == ReplyState::Sending));
    let answered = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let thread = engine.get_thread(conversation.id).await.unwrap();
            if thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none() {
                break thread;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("answered within 10 s");
    let last = answered.items.last().unwrap();
    assert!(last.from_brand);
    assert_eq!(last.text, "Sorry about that — a new one is on its way.");
    assert!(answered.history.iter().any(|h| h.kind == "reply_sent"));
    assert_eq!(
        engine
            .send_reply(conversation.id, "   ".into())
            .await
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    console.shutdown().await;
}

/// Records what the notifier hands to the desktop.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<switchboard_core::AlertAction>>);

impl switchboard_engine::AlertSink for Recorder {
    fn deliver(&self, actions: Vec<switchboard_core::AlertAction>) {
        self.0.lock().unwrap().extend(actions);
    }
}

#[tokio::test]
async fn switching_away_closes_the_workspaces_notifications() {
    use switchboard_core::AlertAction;
    let dir = tempfile::tempdir().unwrap();
    let recorder = Arc::new(Recorder::default());
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: Some(recorder.clone() as Arc<dyn switchboard_engine::AlertSink>),
        open_url: None,
        shell: None,
    };
    // Seed 11's backlog has conversations waiting for over an hour.
    let config = EngineConfig {
        demo_seed: 11,
        ..config(&dir)
    };
    let console = Console::open(config, Arc::new(SystemClock), hooks)
        .await
        .unwrap();
    // Quiet the cool-down so the first notifications show at once.
    let engine = console.engine().await.unwrap();
    let mut prefs = engine.alert_preferences().await;
    prefs.cooldown_seconds = 0;
    engine.set_alert_preferences(prefs).await.unwrap();
    drop(engine);
    // The demo backlog is two hours old: some of it is overdue, so notifications show.
    let shown = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let keys: Vec<String> = recorder
                .0
                .lock()
                .unwrap()
                .iter()
                .filter_map(|a| match a {
                    AlertAction::Show(n) => Some(n.key.clone()),
                    _ => None,
                })
                .collect();
            if !keys.is_empty() {
                break keys;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the demo's overdue conversations notify");

    console.create_workspace("Quiet").await.unwrap();
    let actions = recorder.0.lock().unwrap().clone();
    for key in &shown {
        let last = actions
            .iter()
            .rev()
            .find(|a| match a {
                AlertAction::Show(n) | AlertAction::Update(n) => &n.key == key,
                AlertAction::Close { key: k } => k == key,
            })
            .unwrap();
        assert!(
            matches!(last, AlertAction::Close { .. }),
            "{key} is closed after the switch"
        );
    }
    console.shutdown().await;
}
