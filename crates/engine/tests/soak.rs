//! Soak: 50 `kill -9` restarts while customers post and replies are sent.
//!
//! A real peer (`mastodon_mock`, behind a proxy that drops idempotency keys, so that only
//! Switchboard can keep a reply from being posted twice) and a customer who posts a new
//! question every 0.4 s. The app is the `soak_worker` helper binary: it opens the console
//! and answers every waiting conversation. It is killed with SIGKILL at a random moment
//! (0.2–1.4 s after it starts: while opening, pulling, queueing, posting or recording),
//! 50 times; then it runs until every question is answered. In the end every question is
//! stored exactly once, every reply is posted exactly once (counted on the server), and
//! every conversation is answered with one `reply_sent`.

mod brand_console;
#[allow(dead_code)] // its wait_until is not used here
mod common;
mod keyless_proxy;
#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use keyless_proxy::KeylessProxy;
use serde_json::Value;
use support::MockServer;

const RESTARTS: usize = 50;

/// Starts the worker on `data` (its output goes to `log`).
fn start_worker(data: &std::path::Path, namespace: &str, log: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_soak_worker"))
        .env("SOAK_DATA_DIR", data)
        .env("SOAK_NAMESPACE", namespace)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("the soak worker starts")
}

/// Every status of account `id`, as `token`'s owner sees them, newest first.
async fn all_statuses(server: &MockServer, token: &str, id: &str) -> Vec<Value> {
    let http = reqwest::Client::new();
    let mut all: Vec<Value> = Vec::new();
    let mut max_id: Option<String> = None;
    loop {
        let mut url = server.endpoint(&format!("api/v1/accounts/{id}/statuses?limit=40"));
        if let Some(max) = &max_id {
            url.push_str(&format!("&max_id={max}"));
        }
        let page: Vec<Value> = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let Some(last) = page.last() else {
            return all;
        };
        max_id = last["id"].as_str().map(str::to_owned);
        all.extend(page);
    }
}

/// How many brand statuses answer each status id.
async fn answers(
    server: &MockServer,
    customer_token: &str,
    brand_id: &str,
) -> HashMap<String, usize> {
    let mut count = HashMap::new();
    for status in all_statuses(server, customer_token, brand_id).await {
        if let Some(parent) = status["in_reply_to_id"].as_str() {
            *count.entry(parent.to_owned()).or_insert(0) += 1;
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_kill_9_restarts_lose_nothing_and_post_every_reply_exactly_once() {
    let started = Instant::now();
    let server = MockServer::start().await;
    let proxy = KeylessProxy::start(&server.url).await;
    let brand = server.create_user("brand").await;
    let customer = server.create_user("customer").await;
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("worker.log");
    let namespace = format!("app.switchboard.test.soak.{}", std::process::id());
    let (console, workspace) =
        brand_console::with_brand_signed_in(&data, &namespace, &proxy.url, &proxy.host()).await;
    console.shutdown().await;
    drop(console);

    // The customer posts a question every 0.4 s until told to stop.
    let questions: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let server = Arc::new(server);
    let poster = tokio::spawn({
        let (server, customer, questions, stop) = (
            Arc::clone(&server),
            customer.clone(),
            Arc::clone(&questions),
            Arc::clone(&stop),
        );
        async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let status = server
                    .post_status(&customer, &format!("@brand question {n}?"), None, "public")
                    .await;
                questions
                    .lock()
                    .unwrap()
                    .push(status["id"].as_str().unwrap().to_owned());
                tokio::time::sleep(Duration::from_millis(400)).await;
            }
        }
    });

    for _ in 0..RESTARTS {
        let mut worker = start_worker(data.path(), &namespace, &log);
        tokio::time::sleep(Duration::from_millis(200 + fastrand::u64(0..1200))).await;
        worker.kill().expect("SIGKILL");
        worker.wait().unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    poster.await.unwrap();
    let questions = questions.lock().unwrap().clone();
    let soak_time = started.elapsed();

    // A last run answers what is left.
    let mut worker = start_worker(data.path(), &namespace, &log);
    let everything_answered = tokio::time::timeout(Duration::from_secs(90), async {
        loop {
            let answered = answers(&server, &customer.token, &brand.id).await;
            if questions.iter().all(|q| answered.contains_key(q)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await;
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert!(
        everything_answered.is_ok(),
        "not every question was answered; worker log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );

    // In the app: every question stored once in its own conversation, answered, with
    // exactly one reply_sent (read from the database; the list views are paged).
    let files =
        switchboard_engine::WorkspaceFiles::new(&data.path().join("workspaces"), &workspace);
    let store = switchboard_store::Store::open(&files.database)
        .await
        .unwrap();
    let now = switchboard_core::Timestamp::now_from_system();
    let mut conversations = 0;
    for id in 1..=(questions.len() as i64 + 10) {
        let Ok(thread) = store.thread(id, now).await else {
            continue;
        };
        conversations += 1;
        let customer_items = thread.items.iter().filter(|i| !i.from_brand).count();
        let brand_items = thread.items.iter().filter(|i| i.from_brand).count();
        let sent = thread
            .history
            .iter()
            .filter(|h| h.kind == "reply_sent")
            .count();
        let failed = thread
            .history
            .iter()
            .filter(|h| h.kind == "reply_failed")
            .count();
        assert_eq!(
            (customer_items, brand_items, sent, failed),
            (1, 1, 1, 0),
            "conversation {id}: {:?}",
            thread.history
        );
        assert!(thread.outgoing.is_empty());
        assert_eq!(thread.conversation.waiting_since, None, "answered");
    }
    assert_eq!(
        conversations,
        questions.len(),
        "one conversation per question"
    );
    store.close().await;
    // On the server: every question answered exactly once.
    let answered = answers(&server, &customer.token, &brand.id).await;
    let twice: Vec<_> = answered.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "answered more than once: {twice:?}");
    let brand_posts = all_statuses(&server, &customer.token, &brand.id)
        .await
        .len();
    assert_eq!(brand_posts, questions.len(), "one brand post per question");

    eprintln!(
        "soak: {RESTARTS} kill -9 restarts in {:.1} s, {} questions, all answered once ({:.1} s in all)",
        soak_time.as_secs_f64(),
        questions.len(),
        started.elapsed().as_secs_f64()
    );
}
