//! The window's commands through the one dispatcher both fronts use: a call naming a
//! workspace runs only on that workspace (never on the other workspace's conversation with
//! the same number), a reply sent again with its key is queued once, and the demo network
//! answers only for the demo's own account.

#[allow(dead_code)] // this file uses only some of the helpers
mod common;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use switchboard_core::{
    ApiError, Author, ConversationState, Deadlines, ErrorCode, Item, ItemKind, Platform, QueueId,
    ReplyState, Thread, ThreadKey, Timestamp,
};
use switchboard_engine::commands::{dispatch, CallContext};
use switchboard_engine::{Console, EngineConfig, WorkspaceFiles, DEMO_WORKSPACE_ID};
use switchboard_store::{DeadlinePlanner, RoutedItem, Store};

use common::wait_until;

fn config(dir: &tempfile::TempDir) -> EngineConfig {
    common::backlog_config(dir, 7, "cmd")
}

async fn open(dir: &tempfile::TempDir) -> Console {
    common::open_quiet(config(dir)).await
}

fn context(dir: &tempfile::TempDir) -> CallContext {
    CallContext {
        export_dir: dir.path().join("exports"),
    }
}

/// Command `name` with `args`, as the window sends it.
async fn call(
    console: &Console,
    dir: &tempfile::TempDir,
    name: &str,
    args: Value,
) -> Result<Value, ApiError> {
    dispatch(console, &context(dir), name, args).await
}

/// Command `name`'s thread answer.
async fn thread(console: &Console, dir: &tempfile::TempDir, name: &str, args: Value) -> Thread {
    let answer = call(console, dir, name, args)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_value(answer).unwrap()
}

/// Conversation `id`'s thread in the open workspace, read straight from the engine.
async fn thread_now(console: &Console, id: i64) -> Thread {
    console
        .engine()
        .await
        .unwrap()
        .get_thread(id)
        .await
        .unwrap()
}

/// Waits until the demo backlog is stored; returns a conversation waiting for an answer.
async fn waiting_demo_conversation(console: &Console) -> i64 {
    let engine = console.engine().await.unwrap();
    common::find_conversation(&engine, Duration::from_secs(20), |c| {
        c.waiting_since.is_some()
    })
    .await
    .expect("the demo backlog within 20 s")
}

struct NoDeadlines;

impl DeadlinePlanner for NoDeadlines {
    fn plan(&self, _state: &ConversationState) -> Option<Deadlines> {
        None
    }
}

/// A customer's mention on `account` opening thread `root`.
fn mention(account: &str, root: &str) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: account.into(),
            native_id: format!("{root}-1"),
            thread: ThreadKey::new(Platform::Mastodon, account, root),
            kind: ItemKind::Mention,
            author: Author {
                handle: "@ana@social.example".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: "Where is my order?".into(),
            lang: None,
            created_at: Timestamp(1_000),
        },
        queue: QueueId::from("triage"),
    }
}

/// Writes `items` into workspace `id`'s database while it is closed.
async fn add_items(dir: &tempfile::TempDir, id: &str, items: Vec<RoutedItem>) -> Vec<i64> {
    let files = WorkspaceFiles::new(&config(dir).workspaces_dir(), id);
    let store = Store::open(&files.database).await.unwrap();
    let report = store
        .ingest(items, None, Timestamp(2_000), &NoDeadlines)
        .await
        .unwrap();
    store.close().await;
    report.changed_conversations
}

/// The demo workspace open with conversation `number` waiting, and workspace "Acme" whose
/// own conversation has the same number; Acme is open at the end. Returns Acme's id.
async fn two_workspaces_sharing_a_number(
    console: &Console,
    dir: &tempfile::TempDir,
    number: i64,
) -> String {
    let acme = console.create_workspace("Acme").await.unwrap().id;
    console.switch_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    let items = (1..=number)
        .map(|n| mention("109876", &format!("acme-thread-{n}")))
        .collect();
    let ids = add_items(dir, &acme, items).await;
    assert!(
        ids.contains(&number),
        "Acme has a conversation {number}: {ids:?}"
    );
    console.switch_workspace(&acme).await.unwrap();
    acme
}

#[tokio::test]
async fn a_call_naming_another_workspace_is_refused_and_the_open_ones_conversation_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    let number = waiting_demo_conversation(&console).await;
    let demo_before = thread_now(&console, number).await;
    let acme = two_workspaces_sharing_a_number(&console, &dir, number).await;
    let acme_before = thread_now(&console, number).await;

    // Calls the window made for the demo while it was open, arriving after the switch.
    let late = [
        ("claim", json!({ "conversationId": number })),
        (
            "send_reply",
            json!({ "conversationId": number, "text": "Sorry!", "idempotencyKey": null }),
        ),
        (
            "add_note",
            json!({ "conversationId": number, "note": "Called back" }),
        ),
        (
            "mark_done",
            json!({ "conversationId": number, "reason": "spam" }),
        ),
        ("snooze", json!({ "conversationId": number, "minutes": 60 })),
        ("get_thread", json!({ "conversationId": number })),
        ("list_queues", json!({})),
    ];
    for (name, mut args) in late {
        args["workspace"] = json!(DEMO_WORKSPACE_ID);
        let error = call(&console, &dir, name, args).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::WorkspaceChanged, "{name}: {error}");
        assert!(
            error.message.contains("no longer open")
                && error.message.contains("Demo")
                && error.message.contains("“Acme” is open now"),
            "says what happened: {}",
            error.message
        );
    }
    let acme_after = thread_now(&console, number).await;
    assert_eq!(
        acted_on(&acme_after),
        acted_on(&acme_before),
        "Acme's conversation {number} is untouched"
    );

    // A call naming Acme runs on Acme.
    let claimed = thread(
        &console,
        &dir,
        "claim",
        json!({ "workspace": acme, "conversationId": number }),
    )
    .await;
    assert_eq!(claimed.conversation.claimed_by.as_deref(), Some("maya"));

    // Nothing of the late calls reached the demo either.
    console.switch_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    let demo_after = thread_now(&console, number).await;
    assert_eq!(demo_after.history, demo_before.history);
    assert!(demo_after.outgoing.is_empty());
    // A call without its workspace is refused as malformed.
    let error = call(&console, &dir, "claim", json!({ "conversationId": number }))
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(error.message.contains("workspace"), "{}", error.message);
    console.shutdown().await;
}

#[tokio::test]
async fn calls_in_flight_during_a_switch_land_on_their_own_workspace_or_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let console = Arc::new(open(&dir).await);
    let number = waiting_demo_conversation(&console).await;
    let acme = two_workspaces_sharing_a_number(&console, &dir, number).await;
    let acme_before = thread_now(&console, number).await;
    console.switch_workspace(DEMO_WORKSPACE_ID).await.unwrap();

    // Notes for the demo's conversation keep coming while the person switches to Acme.
    let mut calls = Vec::new();
    for n in 0..40 {
        let task_console = Arc::clone(&console);
        let ctx = context(&dir);
        calls.push(tokio::spawn(async move {
            let args = json!({
                "workspace": DEMO_WORKSPACE_ID,
                "conversationId": number,
                "note": format!("note {n}"),
            });
            dispatch(&task_console, &ctx, "add_note", args).await
        }));
        if n == 10 {
            console.switch_workspace(&acme).await.unwrap();
        }
    }
    let mut refused = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(_) => {}
            Err(e) => {
                assert_eq!(e.code, ErrorCode::WorkspaceChanged, "{e}");
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the calls after the switch are refused");
    let acme_after = thread_now(&console, number).await;
    assert_eq!(
        acted_on(&acme_after),
        acted_on(&acme_before),
        "no note reached Acme's conversation {number}"
    );
    console.shutdown().await;
}

/// A dated reply key, as the window mints it.
fn reply_key() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.as_secs(),
        now.subsec_nanos(),
    ))
    .to_string()
}

/// What a person's action changes in a thread (not the SLA view, which moves with the
/// clock).
fn acted_on(thread: &Thread) -> impl PartialEq + std::fmt::Debug + '_ {
    let c = &thread.conversation;
    (
        &thread.history,
        &thread.items,
        &thread.outgoing,
        (
            &c.queue,
            &c.claimed_by,
            &c.done_reason,
            &c.snoozed_until,
            c.note_count,
        ),
    )
}

fn queued_count(thread: &Thread) -> usize {
    thread
        .history
        .iter()
        .filter(|h| h.kind == "reply_queued")
        .count()
}

#[tokio::test]
async fn a_reply_sent_again_with_its_key_is_queued_and_posted_once() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    let id = waiting_demo_conversation(&console).await;
    let key = reply_key();
    let args = json!({
        "workspace": DEMO_WORKSPACE_ID,
        "conversationId": id,
        "text": "A new one is on its way.",
        "idempotencyKey": key,
    });
    // The first answer is lost on the way to the window, which sends the reply again —
    // once after it, and twice at the same time.
    let first = thread(&console, &dir, "send_reply", args.clone()).await;
    assert_eq!(queued_count(&first), 1);
    let again = thread(&console, &dir, "send_reply", args.clone()).await;
    assert_eq!(queued_count(&again), 1, "the resend queued nothing new");
    let (a, b) = tokio::join!(
        call(&console, &dir, "send_reply", args.clone()),
        call(&console, &dir, "send_reply", args.clone()),
    );
    a.unwrap();
    b.unwrap();

    let engine = console.engine().await.unwrap();
    wait_until(Duration::from_secs(20), "the reply is sent", || {
        let engine = Arc::clone(&engine);
        async move {
            let t = engine.get_thread(id).await.unwrap();
            t.history.iter().any(|h| h.kind == "reply_sent") && t.outgoing.is_empty()
        }
    })
    .await;
    let done = engine.get_thread(id).await.unwrap();
    assert_eq!(queued_count(&done), 1, "queued once");
    assert_eq!(
        done.history
            .iter()
            .filter(|h| h.kind == "reply_sent")
            .count(),
        1,
        "sent once"
    );
    assert_eq!(
        done.items
            .iter()
            .filter(|i| i.from_brand && i.text == "A new one is on its way.")
            .count(),
        1,
        "posted once"
    );

    // The key of this reply, for another conversation: refused, nothing queued there.
    let other = engine
        .list_queues()
        .await
        .unwrap()
        .into_iter()
        .map(|q| q.queue.id);
    let mut other_id = None;
    for queue in other {
        let list = engine.list_conversations(queue).await.unwrap();
        if let Some(c) = list.into_iter().find(|c| c.id != id) {
            other_id = Some(c.id);
            break;
        }
    }
    let other_id = other_id.expect("another conversation");
    let mut reused = args.clone();
    reused["conversationId"] = json!(other_id);
    let error = call(&console, &dir, "send_reply", reused)
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput, "{error}");
    assert_eq!(queued_count(&engine.get_thread(other_id).await.unwrap()), 0);
    // A key that is not a UUID is refused before anything is queued.
    let mut bad = args.clone();
    bad["idempotencyKey"] = json!("not a key");
    bad["conversationId"] = json!(other_id);
    let error = call(&console, &dir, "send_reply", bad).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput, "{error}");
    console.shutdown().await;
}

#[tokio::test]
async fn the_demo_network_does_not_answer_for_a_real_account() {
    let dir = tempfile::tempdir().unwrap();
    let console = open(&dir).await;
    waiting_demo_conversation(&console).await;
    // A conversation of a real Mastodon account in the demo workspace (the account is
    // not signed in on this laptop, so nothing can send for it).
    let acme = console.create_workspace("Acme").await.unwrap().id;
    let ids = add_items(
        &dir,
        DEMO_WORKSPACE_ID,
        vec![mention("109876", "real-customer-thread")],
    )
    .await;
    let id = *ids.last().expect("a conversation of the real account");
    console.switch_workspace(DEMO_WORKSPACE_ID).await.unwrap();
    let _ = acme;

    let sent = thread(
        &console,
        &dir,
        "send_reply",
        json!({
            "workspace": DEMO_WORKSPACE_ID,
            "conversationId": id,
            "text": "We are on it.",
            "idempotencyKey": reply_key(),
        }),
    )
    .await;
    assert_eq!(queued_count(&sent), 1);
    let engine = console.engine().await.unwrap();
    wait_until(Duration::from_secs(20), "the reply is settled", || {
        let engine = Arc::clone(&engine);
        async move {
            let t = engine.get_thread(id).await.unwrap();
            t.history.iter().any(|h| h.kind == "reply_sent")
                || t.outgoing.iter().any(|r| r.state == ReplyState::Failed)
        }
    })
    .await;
    let settled = engine.get_thread(id).await.unwrap();
    assert!(
        !settled.history.iter().any(|h| h.kind == "reply_sent"),
        "not recorded as sent: {:?}",
        settled.history
    );
    assert!(
        !settled.items.iter().any(|i| i.from_brand),
        "no brand reply appeared: {:?}",
        settled.items
    );
    assert_eq!(
        settled.outgoing[0].state,
        ReplyState::Failed,
        "not sent, with why"
    );
    console.shutdown().await;
}
