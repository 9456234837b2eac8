//! The engine on the demo workspace: queues fill, threads open, restarts continue.

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{ErrorCode, QueueId};
use switchboard_engine::{Change, ChangeListener, Engine, EngineConfig, SystemClock};
use tokio::sync::mpsc;

fn config(dir: &tempfile::TempDir, speed: f64) -> EngineConfig {
    EngineConfig {
        data_dir: dir.path().to_path_buf(),
        demo_seed: 11,
        demo_speed: speed,
    }
}

async fn start(dir: &tempfile::TempDir, speed: f64) -> (Engine, mpsc::UnboundedReceiver<Change>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let listener: ChangeListener = Arc::new(move |change: &Change| {
        let _ = tx.send(change.clone());
    });
    let engine = Engine::start(config(dir, speed), Arc::new(SystemClock), listener)
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_everything_and_continues() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, mut rx) = start(&dir, 50.0).await;
    changes(&mut rx, 3).await;
    engine.stop_sync().await;
    let before = total_conversations(&engine).await;
    assert!(before > 0);
    engine.shutdown().await;

    // Paused demo: after its first pull, the restarted workspace holds exactly what it had.
    let (engine, _rx) = start(&dir, 0.0).await;
    wait_for_first_pull(&engine).await;
    assert_eq!(
        total_conversations(&engine).await,
        before,
        "kept, and nothing replayed"
    );
    assert_eq!(engine.change_version(), 0, "a paused demo changes nothing");
    engine.shutdown().await;

    let (engine, mut rx) = start(&dir, 50.0).await;
    changes(&mut rx, 2).await;
    assert!(
        total_conversations(&engine).await >= before,
        "the demo continues after a restart"
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
