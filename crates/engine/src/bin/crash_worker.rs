//! Test helper, not part of the app: the process the crash test
//! (`crates/engine/tests/crash.rs`) starts to panic in the middle of work.
//!
//! On `CRASH_DATA_DIR` (the demo workspace, paused) it runs in one of two modes
//! (`CRASH_MODE`):
//! - `crash`: takes the first waiting conversation, prints its id, claims it, adds the
//!   note "Checked the order.", then starts sending the reply "Refund on its way." and
//!   panics `CRASH_AFTER_US` microseconds later, in the middle of queueing or posting it
//!   (the fault is injected here, around the real engine calls; the engine has none);
//! - `check`: opens the console again (the engine resumes replies left sending), waits
//!   until conversation `CRASH_CONVERSATION` has nothing on its way, and prints one JSON
//!   line: how often the reply was posted, how often the note is there, who claimed it.

#![allow(clippy::print_stdout)] // the test reads the worker's answers on stdout

use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_engine::{Console, ConsoleHooks, EngineConfig, SystemClock};

/// The reply the crash interrupts.
const REPLY: &str = "Refund on its way.";
/// The note recorded before it.
const NOTE: &str = "Checked the order.";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let data_dir = std::env::var_os("CRASH_DATA_DIR").expect("CRASH_DATA_DIR set by the test");
    let config = EngineConfig {
        data_dir: data_dir.into(),
        demo_seed: 7,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: format!("app.switchboard.test.crash.{}", std::process::id()),
        poll_interval: Some(Duration::from_millis(100)),
    };
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: None,
        shell: None,
    };
    let console = Console::open(config, Arc::new(SystemClock), hooks)
        .await
        .expect("the console opens");
    let engine = console.engine().await.expect("a workspace is open");
    match std::env::var("CRASH_MODE").as_deref() {
        Ok("crash") => {
            // The demo writes its backlog just after the workspace opens.
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut waiting = None;
            while waiting.is_none() && Instant::now() < deadline {
                for queue in engine.list_queues().await.expect("queues") {
                    let conversations = engine
                        .list_conversations(queue.queue.id)
                        .await
                        .expect("list");
                    if let Some(c) = conversations
                        .into_iter()
                        .find(|c| c.waiting_since.is_some())
                    {
                        waiting = Some(c.id);
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let id = waiting.expect("the demo backlog has a waiting conversation");
            println!("{id}");
            engine.claim(id).await.expect("claimed");
            engine.add_note(id, NOTE.into()).await.expect("noted");
            let after: u64 = std::env::var("CRASH_AFTER_US")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let sending = Arc::clone(&engine);
            tokio::spawn(async move { sending.send_reply(id, REPLY.into()).await });
            std::thread::sleep(Duration::from_micros(after));
            panic!("injected fault {after} µs into sending a reply");
        }
        Ok("check") => {
            let id: i64 = std::env::var("CRASH_CONVERSATION")
                .expect("CRASH_CONVERSATION set")
                .parse()
                .expect("a conversation id");
            let deadline = Instant::now() + Duration::from_secs(20);
            let thread = loop {
                let thread = engine.get_thread(id).await.expect("the thread");
                if thread.outgoing.is_empty() || Instant::now() > deadline {
                    break thread;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            let posted = thread
                .items
                .iter()
                .filter(|i| i.from_brand && i.text == REPLY)
                .count();
            let notes = thread
                .history
                .iter()
                .filter(|h| h.kind == "note_added")
                .count();
            let sent = thread
                .history
                .iter()
                .filter(|h| h.kind == "reply_sent")
                .count();
            let result = serde_json::json!({
                "posted": posted,
                "notes": notes,
                "reply_sent": sent,
                "still_sending": thread.outgoing.len(),
                "claimed_by": thread.conversation.claimed_by,
            });
            println!("{result}");
            console.shutdown().await;
        }
        other => panic!("CRASH_MODE must be crash or check, not {other:?}"),
    }
}
