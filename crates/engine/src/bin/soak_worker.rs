//! Test helper, not part of the app: the process the replies soak test
//! (`crates/engine/tests/soak.rs`) starts and kills with SIGKILL again and again.
//!
//! It opens the console on `SOAK_DATA_DIR` (keychain namespace `SOAK_NAMESPACE`), whose
//! current workspace has a signed-in brand account, polls every 100 ms, and answers every
//! waiting conversation that has no reply on its way with "Answer <n>: on it." (n: the
//! conversation's id), forever. Replies left sending by the killed run before are sent by
//! the engine itself when it starts (its resume).

use std::sync::Arc;
use std::time::Duration;

use switchboard_engine::{Console, ConsoleHooks, EngineConfig, SystemClock};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let data_dir = std::env::var_os("SOAK_DATA_DIR")
        .expect("soak_worker is started by the soak test with SOAK_DATA_DIR set");
    let namespace = std::env::var("SOAK_NAMESPACE").expect("SOAK_NAMESPACE set");
    let config = EngineConfig {
        data_dir: data_dir.into(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "soak".into(),
        keychain_namespace: namespace,
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
    loop {
        for queue in engine.list_queues().await.unwrap_or_default() {
            let conversations = engine
                .list_conversations(queue.queue.id)
                .await
                .unwrap_or_default();
            for conversation in conversations {
                if conversation.waiting_since.is_none() {
                    continue;
                }
                let Ok(thread) = engine.get_thread(conversation.id).await else {
                    continue;
                };
                // Read again, in one piece: the list may be older than a reply just sent.
                if !thread.outgoing.is_empty() || thread.conversation.waiting_since.is_none() {
                    continue;
                }
                let text = format!("Answer {}: on it.", conversation.id);
                // A refusal (e.g. the conversation answered meanwhile) is tried again on
                // the next round if it still waits.
                let _ = engine.send_reply(conversation.id, text).await;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
