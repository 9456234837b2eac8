//! Launching never fails on one workspace and never changes a team's rules silently: a
//! damaged or locked last-used workspace is reported while another (or none) opens; a
//! policy file broken while the app was closed leaves the last good policy in force; a
//! valid edit that drops a queue moves its conversations to Triage and says so.

#[allow(dead_code)] // this file uses only some of the helpers
mod common;

use std::time::Duration;

use switchboard_core::{ErrorCode, ItemKind, QueueId, WorkspaceEntry, DEMO_POLICY_TOML};
use switchboard_engine::{Console, Engine, EngineConfig, WorkspaceFiles, DEMO_WORKSPACE_ID};

fn config(dir: &tempfile::TempDir) -> EngineConfig {
    common::backlog_config(dir, 5, "startup")
}

async fn open(dir: &tempfile::TempDir) -> Console {
    common::open_quiet(config(dir)).await
}

fn files(dir: &tempfile::TempDir, id: &str) -> WorkspaceFiles {
    WorkspaceFiles::new(&dir.path().join("workspaces"), id)
}

/// Creates workspace "Acme" next to the demo (so it is the one used last) and closes all.
async fn acme_used_last(dir: &tempfile::TempDir) -> String {
    let console = open(dir).await;
    let acme = console.create_workspace("Acme").await.unwrap();
    console.shutdown().await;
    acme.id
}

/// Asserts that the demo is open although `acme` was used last; returns the console's
/// workspace list and why Acme did not open.
async fn demo_open_instead_of(console: &Console, acme: &str) -> (Vec<WorkspaceEntry>, String) {
    let engine = console.engine().await.expect("another workspace is open");
    assert_eq!(engine.workspace_info().id, DEMO_WORKSPACE_ID);
    let entries = console.workspaces().await;
    let failed = entries.iter().find(|w| w.id == acme).unwrap();
    let why = failed.open_error.clone().expect("Acme's failure is kept");
    (entries, why)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_last_used_workspace_is_reported_and_another_opens() {
    let dir = tempfile::tempdir().unwrap();
    let acme = acme_used_last(&dir).await;
    let database = files(&dir, &acme).database;
    for file in files(&dir, &acme).all().iter().skip(1).take(3) {
        let _ = std::fs::remove_file(file); // -wal, -shm, -journal
    }
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&database, &garbage).unwrap();

    let console = open(&dir).await;

    let (entries, why) = demo_open_instead_of(&console, &acme).await;
    assert!(
        why.starts_with("the database file is damaged (") && why.contains("not a database"),
        "{why}"
    );
    let failed = entries.iter().find(|w| w.id == acme).unwrap();
    assert!(!failed.is_current);
    let demo = entries.iter().find(|w| w.id == DEMO_WORKSPACE_ID).unwrap();
    assert_eq!(demo.open_error, None);
    assert_eq!(
        std::fs::read(&database).unwrap(),
        garbage,
        "the damaged file is left as it was"
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_database_file_is_reported_and_another_opens() {
    let dir = tempfile::tempdir().unwrap();
    let acme = acme_used_last(&dir).await;
    let files = files(&dir, &acme);
    for file in files.all().iter().take(4) {
        let _ = std::fs::remove_file(file);
    }
    // Something that cannot be opened as a file (permissions do not stop root).
    std::fs::create_dir(&files.database).unwrap();

    let console = open(&dir).await;

    let (_, why) = demo_open_instead_of(&console, &acme).await;
    assert!(
        why.starts_with("the database file cannot be read or written ("),
        "{why}"
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_only_workspace_is_reported_and_the_console_starts_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let acme = acme_used_last(&dir).await;
    let console = open(&dir).await;
    console.remove_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    console.shutdown().await;

    // Another program holds the database exclusively (no other connection may read it).
    let holder = rusqlite::Connection::open(files(&dir, &acme).database).unwrap();
    holder
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    holder
        .execute_batch("INSERT INTO settings (key, value) VALUES ('held', '1')")
        .unwrap();

    let console = tokio::time::timeout(Duration::from_secs(60), open(&dir))
        .await
        .expect("the console starts within a minute");

    let none = console.engine().await.err().expect("no workspace is open");
    assert_eq!(none.code, ErrorCode::NoWorkspace);
    let entries = console.workspaces().await;
    assert_eq!(entries.len(), 1);
    let why = entries[0]
        .open_error
        .as_deref()
        .expect("the failure is kept");
    assert!(
        why.starts_with("the database file is in use by another program ("),
        "{why}"
    );

    // Once the other program lets go, the workspace opens and its error is gone.
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    console.switch_workspace(&acme).await.unwrap();
    let entries = console.workspaces().await;
    assert!(entries[0].is_current);
    assert_eq!(entries[0].open_error, None);
    console.shutdown().await;
}

/// The demo policy with a Billing queue (7-minute target) that every item is routed to,
/// and one more brand account on the allowlist.
fn policy_with_billing() -> String {
    let billing = "[[queue]]\nid = \"billing\"\nlabel = \"Billing\"\ncolor = \"#e2b93b\"\n\n\
                   [queue.sla]\ncalendar = \"around_the_clock\"\nfirst_response = \"7m\"\n\n\
                   [[rule]]\nqueue = \"billing\"\nregex = '.'\n\n";
    let at = DEMO_POLICY_TOML.find("[[rule]]").unwrap();
    let mut text = DEMO_POLICY_TOML.to_owned();
    text.insert_str(at, billing);
    text.push_str(
        "\n[[brand_account]]\nplatform = \"mastodon\"\naccount = \"@acme@billing.example\"\n",
    );
    text
}

async fn queue_ids(engine: &Engine) -> Vec<String> {
    let queues = engine.list_queues().await.unwrap();
    queues.into_iter().map(|q| q.queue.id.0).collect()
}

async fn count_in(engine: &Engine, queue: &str) -> u32 {
    let queues = engine.list_queues().await.unwrap();
    queues
        .iter()
        .find(|q| q.queue.id.0 == queue)
        .map_or(0, |q| q.conversation_count)
}

/// Opens the demo with the Billing policy and waits for the backlog in Billing.
async fn demo_with_billing(dir: &tempfile::TempDir) -> (Console, u32) {
    let policy = files(dir, DEMO_WORKSPACE_ID).policy;
    std::fs::create_dir_all(policy.parent().unwrap()).unwrap();
    std::fs::write(&policy, policy_with_billing()).unwrap();
    let console = open(dir).await;
    let engine = console.engine().await.unwrap();
    tokio::time::timeout(Duration::from_secs(20), async {
        while count_in(&engine, "billing").await < 10 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the backlog in Billing");
    // The backlog is stored in one go; wait until the count holds still.
    let mut count = count_in(&engine, "billing").await;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = count_in(&engine, "billing").await;
        if now == count {
            break;
        }
        count = now;
    }
    (console, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_file_broken_while_closed_leaves_the_last_good_policy_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let (console, in_billing) = demo_with_billing(&dir).await;
    let engine = console.engine().await.unwrap();
    let queues_before = queue_ids(&engine).await;
    assert!(queues_before.contains(&"billing".to_owned()));
    let allowlist_before = engine.policy().allowlist.clone();
    assert!(allowlist_before
        .iter()
        .any(|a| a.account == "@acme@billing.example"));
    console.shutdown().await;
    drop(engine);

    // Broken while the app was closed: line 3, column 5 is not TOML.
    let path = files(&dir, DEMO_WORKSPACE_ID).policy;
    let mut text = std::fs::read_to_string(&path).unwrap();
    let third_line = text.match_indices('\n').nth(1).unwrap().0 + 1;
    text.insert_str(third_line, "oops = = 1\n");
    std::fs::write(&path, text).unwrap();

    let console = open(&dir).await;
    let engine = console.engine().await.unwrap();
    let error = engine
        .workspace_info()
        .policy_error
        .expect("the error shows");
    assert!(
        error.starts_with(&format!("{}:3:", path.display())),
        "file:line:column: {error}"
    );
    assert_eq!(queue_ids(&engine).await, queues_before, "the same queues");
    assert_eq!(count_in(&engine, "billing").await, in_billing);
    assert_eq!(
        engine.policy().allowlist,
        allowlist_before,
        "the same allowlist"
    );
    let billing = engine.policy().sla_for(&QueueId("billing".into())).cloned();
    let target = billing.map(|sla| sla.target_millis(ItemKind::Mention, true));
    assert_eq!(
        target,
        Some(7 * 60_000),
        "Billing keeps its 7-minute target"
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conversations_of_a_removed_queue_move_to_triage_with_an_event_and_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let (console, in_billing) = demo_with_billing(&dir).await;
    let engine = console.engine().await.unwrap();
    let in_triage = count_in(&engine, "triage").await;
    let moved_one = engine
        .list_conversations(QueueId("billing".into()))
        .await
        .unwrap()[0]
        .id;

    // A valid edit renames the queue's id: "billing" is gone.
    let path = files(&dir, DEMO_WORKSPACE_ID).policy;
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\"billing\"", "\"invoices\"")).unwrap();
    engine.reload_policy().await.unwrap();

    assert!(!queue_ids(&engine).await.contains(&"billing".to_owned()));
    assert_eq!(count_in(&engine, "invoices").await, 0);
    assert_eq!(count_in(&engine, "triage").await, in_triage + in_billing);
    let info = engine.workspace_info();
    assert_eq!(info.policy_error, None);
    assert_eq!(
        info.policy_notice.as_deref(),
        Some(
            format!("Queue “Billing” was removed: {in_billing} conversations moved to Triage.")
                .as_str()
        )
    );
    let thread = engine.get_thread(moved_one).await.unwrap();
    assert_eq!(thread.conversation.queue, QueueId::triage());
    let moved = thread
        .history
        .iter()
        .find(|h| h.kind == "queue_removed")
        .expect("the move is in the conversation's history");
    assert_eq!(moved.by.as_deref(), Some("policy"));

    // Nothing is moved twice: a restart finds nothing stranded.
    console.shutdown().await;
    drop(engine);
    let console = open(&dir).await;
    let engine = console.engine().await.unwrap();
    assert_eq!(engine.workspace_info().policy_notice, None);
    assert_eq!(count_in(&engine, "triage").await, in_triage + in_billing);
    console.shutdown().await;
}
