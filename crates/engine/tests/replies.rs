//! Replies exactly once, against a real Mastodon-shaped server: `mastodon_mock` behind a
//! proxy that drops the `Idempotency-Key`, as several Mastodon-API servers ignore it (and
//! Mastodon forgets it after an hour). A reply that got through before a crash is found in
//! the thread and not posted again, and so is one a Retry finds; a Retry naming another
//! conversation changes nothing, and two Retries at once post once and log once; a reply
//! written while the server fails waits ("Will send when Mastodon is reachable") and is
//! sent once when it is back, also across a restart; a reply longer than the instance
//! takes is refused before it is queued.

mod brand_console;
mod common;
mod keyless_proxy;
#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use keyless_proxy::KeylessProxy;
use serde_json::{json, Value};
use support::{MockServer, User};
use switchboard_core::{ErrorCode, ReplyState, Thread};
use switchboard_engine::{Console, Engine};

async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    common::wait_until(Duration::from_secs(60), what, check).await
}

/// A workspace whose brand account `@brand` on `server` is signed in, through a proxy
/// that drops idempotency keys.
struct Setup {
    _proxy: KeylessProxy,
    data: tempfile::TempDir,
    namespace: String,
    console: Console,
    engine: Arc<Engine>,
    workspace: String,
    brand: User,
    customer: User,
}

impl Setup {
    async fn new(server: &MockServer, name: &str) -> Setup {
        let data = tempfile::tempdir().unwrap();
        let brand = server.create_user("brand").await;
        let customer = server.create_user("customer").await;
        let proxy = KeylessProxy::start(&server.url).await;
        let namespace = format!("app.switchboard.test.{name}.{}", std::process::id());
        let (console, workspace) =
            brand_console::with_brand_signed_in(&data, &namespace, &proxy.url, &proxy.host()).await;
        let engine = console.engine().await.unwrap();
        Setup {
            _proxy: proxy,
            data,
            namespace,
            console,
            engine,
            workspace,
            brand,
            customer,
        }
    }

    /// The customer asks `text`; returns the status and its conversation's id.
    async fn customer_asks(&self, server: &MockServer, text: &str) -> (Value, i64) {
        let status = server
            .post_status(&self.customer, &format!("@brand {text}"), None, "public")
            .await;
        let found = common::find_conversation(&self.engine, Duration::from_secs(60), |c| {
            c.preview.contains(text)
        })
        .await;
        let Some(id) = found else {
            let queues = self.engine.list_queues().await.unwrap();
            let accounts = self.engine.list_accounts().await;
            panic!(
                "the customer's mention is not in a queue within a minute: {queues:?} {accounts:?}"
            );
        };
        (status, id)
    }

    /// Closes the console and opens it again on the same data (a restart).
    async fn restart(&mut self) {
        self.console.shutdown().await;
        self.reopen().await;
    }

    /// Opens the console again on the same data, after it was closed.
    async fn reopen(&mut self) {
        self.console = brand_console::open_console(&self.data, &self.namespace).await;
        self.engine = self.console.engine().await.unwrap();
    }

    /// Waits, naming `what`, until conversation `id`'s first reply on its way is in `state`.
    async fn wait_first_reply(&self, what: &str, id: i64, state: ReplyState) {
        wait_until(what, || {
            let engine = Arc::clone(&self.engine);
            async move {
                let thread = engine.get_thread(id).await.unwrap();
                thread.outgoing.first().is_some_and(|r| r.state == state)
            }
        })
        .await;
    }

    async fn thread(&self, id: i64) -> Thread {
        self.engine.get_thread(id).await.unwrap()
    }

    /// Waits until conversation `id` has no reply on its way and is answered.
    async fn wait_answered(&self, id: i64) {
        wait_until("the reply sent and the conversation answered", || {
            let engine = Arc::clone(&self.engine);
            async move {
                let thread = engine.get_thread(id).await.unwrap();
                thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none()
            }
        })
        .await;
    }
}

/// The brand's statuses on the server answering `status`.
async fn brand_replies_to(server: &MockServer, setup: &Setup, status: &Value) -> Vec<Value> {
    server
        .statuses_of(&setup.customer, &setup.brand.id)
        .await
        .into_iter()
        .filter(|s| s["in_reply_to_id"] == status["id"])
        .collect()
}

/// The server refuses the next post (422, "Validation failed: try later"): the reply fails.
async fn refuse_next_post(server: &MockServer) {
    server
        .add_fault(json!({
            "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "status", "status": 422,
                       "body": {"error": "Validation failed: try later"}},
            "count": 1
        }))
        .await;
}

/// How many history entries of `kind` conversation `id` has.
fn logged(thread: &Thread, kind: &str) -> usize {
    thread.history.iter().filter(|h| h.kind == kind).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_that_got_through_before_a_crash_is_found_in_the_thread_not_posted_again() {
    let server = MockServer::start().await;
    let mut setup = Setup::new(&server, "replies.crash").await;
    let (question, id) = setup.customer_asks(&server, "where is my parcel?").await;

    // The server takes its time with the post; the app closes meanwhile, so the post gets
    // through but is never recorded: the reply stays "sending", as after a crash.
    server
        .add_fault(json!({
            "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "latency", "delay_ms": 3000},
            "count": 1
        }))
        .await;
    let text = "It left the depot today:  https://shop.example/track/1 — sorry for the wait!";
    setup.engine.send_reply(id, text.into()).await.unwrap();
    setup.console.shutdown().await;
    wait_until("the post to reach the server", || {
        let (server, setup, question) = (&server, &setup, &question);
        async move { brand_replies_to(server, setup, question).await.len() == 1 }
    })
    .await;
    let files = switchboard_engine::WorkspaceFiles::new(
        &setup.data.path().join("workspaces"),
        &setup.workspace,
    );
    let store = switchboard_store::Store::open(&files.database)
        .await
        .unwrap();
    assert_eq!(
        store.replies_sending().await.unwrap().len(),
        1,
        "posted but not recorded, as after a crash"
    );
    store.close().await;

    // The next start looks in the thread, finds it and records it: nothing new is posted.
    setup.reopen().await;
    setup.wait_answered(id).await;
    let thread = setup.thread(id).await;
    assert_eq!(logged(&thread, "reply_sent"), 1, "{:?}", thread.history);
    assert_eq!(logged(&thread, "reply_failed"), 0);
    let brand_items: Vec<_> = thread.items.iter().filter(|i| i.from_brand).collect();
    assert_eq!(brand_items.len(), 1, "the found post is the reply's item");
    // A later pull has nothing to add either; the server holds the one post.
    setup.restart().await;
    setup.wait_answered(id).await;
    assert_eq!(brand_replies_to(&server, &setup, &question).await.len(), 1);
    setup.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_checks_before_it_changes_anything_and_two_retries_post_once() {
    let server = MockServer::start().await;
    let setup = Setup::new(&server, "replies.retry").await;
    let (question, id) = setup.customer_asks(&server, "my order is late").await;
    let (_, other) = setup.customer_asks(&server, "another question").await;
    assert_ne!(id, other);

    // A refusal: the reply is not sent.
    refuse_next_post(&server).await;
    setup
        .engine
        .send_reply(id, "We are on it.".into())
        .await
        .unwrap();
    setup
        .wait_first_reply("the reply to fail", id, ReplyState::Failed)
        .await;
    let reply = setup.thread(id).await.outgoing[0].id;

    // A Retry naming the other conversation is refused and changes nothing.
    let refused = setup.engine.retry_reply(other, reply).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotFound);
    let outgoing = setup.thread(id).await.outgoing;
    assert_eq!(outgoing.len(), 1);
    assert_eq!(
        outgoing[0].state,
        ReplyState::Failed,
        "still failed, not stuck sending"
    );

    // Two Retries at once: one post, one reply_sent.
    let (first, second) = tokio::join!(
        setup.engine.retry_reply(id, reply),
        setup.engine.retry_reply(id, reply)
    );
    first.unwrap();
    second.unwrap();
    setup.wait_answered(id).await;
    let thread = setup.thread(id).await;
    assert_eq!(logged(&thread, "reply_sent"), 1, "{:?}", thread.history);
    assert_eq!(brand_replies_to(&server, &setup, &question).await.len(), 1);
    // A Retry after it is sent does nothing.
    let after = setup.engine.retry_reply(id, reply).await.unwrap();
    assert!(after.outgoing.is_empty());
    assert_eq!(logged(&after, "reply_sent"), 1);
    assert_eq!(brand_replies_to(&server, &setup, &question).await.len(), 1);
    setup.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_finds_a_reply_that_got_through_and_does_not_post_it_again() {
    let server = MockServer::start().await;
    let setup = Setup::new(&server, "replies.retry_found").await;
    let (question, id) = setup.customer_asks(&server, "do you ship abroad?").await;
    refuse_next_post(&server).await;
    let text = "Yes — to 40 countries.\nDetails: https://shop.example/shipping";
    setup.engine.send_reply(id, text.into()).await.unwrap();
    setup
        .wait_first_reply("the reply to fail", id, ReplyState::Failed)
        .await;
    let reply = setup.thread(id).await.outgoing[0].id;

    // It reached the server after all (as Mastodon shows it: the customer named first,
    // line breaks as HTML): the Retry records that post and posts nothing.
    let question_id = question["id"].as_str().unwrap();
    let got_through = server
        .post_status(
            &setup.brand,
            &format!("@customer {text}"),
            Some(question_id),
            "public",
        )
        .await;
    setup.engine.retry_reply(id, reply).await.unwrap();
    setup.wait_answered(id).await;
    let thread = setup.thread(id).await;
    assert_eq!(logged(&thread, "reply_sent"), 1);
    let posted = brand_replies_to(&server, &setup, &question).await;
    assert_eq!(posted.len(), 1, "nothing posted again");
    assert_eq!(posted[0]["id"], got_through["id"]);
    setup.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_written_while_the_server_fails_waits_and_is_sent_once_when_it_is_back() {
    let server = MockServer::start().await;
    let mut setup = Setup::new(&server, "replies.outage").await;
    let (question, id) = setup.customer_asks(&server, "is the shop open?").await;
    let (later_question, later) = setup.customer_asks(&server, "and on sunday?").await;

    // The server fails every post (reads still work).
    let outage = json!({
        "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
        "effect": {"type": "status", "status": 503}
    });
    server.add_fault(outage.clone()).await;
    setup
        .engine
        .send_reply(id, "Yes, until 6 pm.".into())
        .await
        .unwrap();
    let waiting = |id: i64| {
        let engine = Arc::clone(&setup.engine);
        async move {
            let thread = engine.get_thread(id).await.unwrap();
            thread.outgoing.first().is_some_and(|r| {
                r.state == ReplyState::Waiting
                    && r.error
                        .as_deref()
                        .is_some_and(|e| e.starts_with("Will send when Mastodon is reachable."))
            })
        }
    };
    wait_until("the reply to wait for the server", || waiting(id)).await;
    assert_eq!(logged(&setup.thread(id).await, "reply_failed"), 0);

    // The server is back: sent by itself, once.
    server.clear_faults().await;
    setup.wait_answered(id).await;
    let thread = setup.thread(id).await;
    assert_eq!(logged(&thread, "reply_sent"), 1);
    assert_eq!(logged(&thread, "reply_failed"), 0);
    assert_eq!(brand_replies_to(&server, &setup, &question).await.len(), 1);

    // Down again; the app restarts while a reply waits; back: sent once.
    server.add_fault(outage).await;
    setup
        .engine
        .send_reply(later, "Sundays too, 10 to 4.".into())
        .await
        .unwrap();
    wait_until("the second reply to wait", || waiting(later)).await;
    setup.restart().await;
    setup
        .wait_first_reply(
            "the second reply to wait after the restart",
            later,
            ReplyState::Waiting,
        )
        .await;
    server.clear_faults().await;
    setup.wait_answered(later).await;
    let thread = setup.thread(later).await;
    assert_eq!(logged(&thread, "reply_sent"), 1);
    assert_eq!(logged(&thread, "reply_failed"), 0);
    assert_eq!(
        brand_replies_to(&server, &setup, &later_question)
            .await
            .len(),
        1
    );
    setup.console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_longer_than_the_instance_takes_is_refused_before_it_is_queued() {
    let server = MockServer::start().await;
    let setup = Setup::new(&server, "replies.limit").await;
    let (_, id) = setup
        .customer_asks(&server, "how long can replies be?")
        .await;

    // The instance takes 500; "@customer " is put in front of the reply.
    let too_long = "a".repeat(491);
    let refused = setup.engine.send_reply(id, too_long).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(
        refused.message.contains("at most 500") && refused.message.contains("by 1 character"),
        "{}",
        refused.message
    );
    let thread = setup.thread(id).await;
    assert!(thread.outgoing.is_empty(), "nothing queued");
    assert_eq!(logged(&thread, "reply_queued"), 0);

    // Exactly at the limit: queued and sent.
    setup.engine.send_reply(id, "a".repeat(490)).await.unwrap();
    setup.wait_answered(id).await;
    setup.console.shutdown().await;
}
