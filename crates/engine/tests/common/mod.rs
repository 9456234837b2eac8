//! Shared by the engine's integration tests.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::ConversationSummary;
use switchboard_engine::{
    AlertSink, Console, ConsoleHooks, Engine, EngineConfig, SystemClock, UrlOpener,
};

/// A console on `data` for a workspace with brand accounts: its own keychain namespace,
/// a paused demo, and polling every 200 ms instead of the platforms' adaptive pace.
pub async fn open_console(
    data: &tempfile::TempDir,
    namespace: &str,
    open_url: UrlOpener,
    alerts: Option<Arc<dyn AlertSink>>,
) -> Console {
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts,
        open_url: Some(open_url),
        shell: None,
    };
    let config = EngineConfig {
        data_dir: data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: namespace.to_owned(),
        poll_interval: Some(Duration::from_millis(200)),
    };
    Console::open(config, Arc::new(SystemClock), hooks)
        .await
        .unwrap()
}

/// Settings for a console on `dir` whose demo, seeded with `demo_seed`, writes its backlog
/// only (the demo speed is 0: counts stay put while a test looks), acting as "maya", with
/// the keychain namespace `app.switchboard.test.{tag}.{process id}`.
#[allow(dead_code)] // not every test file opens a backlog-only console
pub fn backlog_config(dir: &tempfile::TempDir, demo_seed: u64, tag: &str) -> EngineConfig {
    EngineConfig {
        data_dir: dir.path().to_path_buf(),
        demo_seed,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: format!("app.switchboard.test.{tag}.{}", std::process::id()),
        poll_interval: None,
    }
}

/// A console with `config` and no hooks: nobody listens for changes or switches, no
/// alerts, no link opener.
#[allow(dead_code)] // not every test file opens a backlog-only console
pub async fn open_quiet(config: EngineConfig) -> Console {
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: None,
        shell: None,
    };
    Console::open(config, Arc::new(SystemClock), hooks)
        .await
        .expect("the console opens")
}

/// Polls `check` until it holds, failing with `what` after `within`.
pub async fn wait_until<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    tokio::time::timeout(within, async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
}

/// The first conversation, queue by queue, for which `pick` holds, polled for up to
/// `within`; `None` when none turned up.
#[allow(dead_code)] // not every test file looks for a conversation
pub async fn find_conversation(
    engine: &Engine,
    within: Duration,
    pick: impl Fn(&ConversationSummary) -> bool,
) -> Option<i64> {
    tokio::time::timeout(within, async {
        loop {
            for queue in engine.list_queues().await.unwrap() {
                let listed = engine.list_conversations(queue.queue.id).await.unwrap();
                if let Some(c) = listed.iter().find(|c| pick(c)) {
                    return c.id;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .ok()
}
