//! The running console: the one Rust API every front (the Tauri shell, the dev HTTP
//! bridge, tests) calls.
//!
//! An [`Engine`] runs one **workspace** (one organisation's setup on this laptop: its
//! queues, routing rules and brand accounts, with its own database file). It starts a
//! **sync loop** per provider that pulls items, routes them to queues and stores them, and
//! it reports every change through a [`ChangeListener`] that the shell maps to UI events.
//! Nothing here depends on Tauri.

mod actions;
mod api;
mod clock;
mod config;
mod notifier;
mod planner;
mod policy_file;
mod preferences;
mod sync;

pub use clock::{Clock, SystemClock};
pub use config::{EngineConfig, DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME};
pub use notifier::AlertSink;
pub use sync::SyncStatus;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use std::time::Duration;

use switchboard_core::{Policy, Timestamp, WorkspaceInfo};
use switchboard_platforms::demo::DemoNetwork;
use switchboard_store::{Store, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Something in the workspace changed; the UI should refresh what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Conversations that changed (empty: possibly all, e.g. after a policy change).
    pub conversations: Vec<i64>,
    /// The workspace's change counter after this change.
    pub version: u64,
}

/// Called on every change, from the engine's tasks. Keep it quick.
pub type ChangeListener = Arc<dyn Fn(&Change) + Send + Sync>;

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory could not be created.
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The workspace database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How often the policy file is checked for changes.
const POLICY_CHECK: Duration = Duration::from_secs(2);

/// Shared by the engine handle and its tasks.
struct Shared {
    store: Store,
    workspace: WorkspaceInfo,
    policy: policy_file::PolicySlot,
    me: String,
    clock: Arc<dyn Clock>,
    version: AtomicU64,
    listener: ChangeListener,
    sync_status: std::sync::Mutex<SyncStatus>,
    /// Woken on every change, so the notifier re-plans.
    wake: tokio::sync::Notify,
    /// Grows when the notification settings change.
    alert_version: AtomicU64,
}

impl Shared {
    fn changed(&self, conversations: Vec<i64>) {
        let version = self.version.fetch_add(1, Ordering::SeqCst) + 1;
        self.wake.notify_one();
        (self.listener)(&Change {
            conversations,
            version,
        });
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    fn policy(&self) -> Arc<Policy> {
        self.policy.current()
    }

    /// Re-reads the policy file if it changed (or always, when `force`); a new policy
    /// updates the queues and every waiting conversation's deadlines.
    async fn check_policy(&self, force: bool) -> Result<(), StoreError> {
        let before = self.policy.error();
        let replaced = if force {
            self.policy.reload()
        } else {
            self.policy.reload_if_changed()
        };
        if !replaced {
            if self.policy.error() != before {
                self.changed(Vec::new()); // the UI shows (or clears) the error
            }
            return Ok(());
        }
        let policy = self.policy();
        self.store.set_queues(&policy.queues()).await?;
        let now = self.now();
        let replanned = self
            .store
            .replan(now, &planner::PolicyPlanner(&policy))
            .await?;
        self.store
            .record_policy_change(&self.policy.path().display().to_string(), now)
            .await?;
        tracing::info!(replanned, "policy changed; deadlines re-planned");
        self.changed(Vec::new());
        Ok(())
    }
}

/// A running workspace. Call [`Engine::shutdown`] on exit.
pub struct Engine {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: tokio::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl Engine {
    /// Opens the demo workspace under `config.data_dir` and starts its sync loop, its
    /// policy watcher and, when `alerts` is given, its notifier.
    pub async fn start(
        config: EngineConfig,
        clock: Arc<dyn Clock>,
        listener: ChangeListener,
        alerts: Option<Arc<dyn AlertSink>>,
    ) -> Result<Engine, StartError> {
        let dir = config.workspaces_dir();
        std::fs::create_dir_all(&dir).map_err(|source| StartError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let db_path = dir.join(format!("{DEMO_WORKSPACE_ID}.sqlite3"));
        let store = Store::open(&db_path).await?;
        tracing::info!(path = %db_path.display(), "workspace database open");
        let policy = policy_file::PolicySlot::load_or_create(
            &dir.join(format!("{DEMO_WORKSPACE_ID}.policy.toml")),
        );
        store.set_queues(&policy.current().queues()).await?;
        // Deadlines follow the policy read now, which may differ from the last run's.
        store
            .replan(clock.now(), &planner::PolicyPlanner(&policy.current()))
            .await?;

        let shared = Arc::new(Shared {
            store,
            workspace: WorkspaceInfo {
                id: DEMO_WORKSPACE_ID.into(),
                name: DEMO_WORKSPACE_NAME.into(),
                is_demo: true,
                policy_path: policy.path().display().to_string(),
                policy_error: None,
            },
            policy,
            me: config.me.clone(),
            clock,
            version: AtomicU64::new(0),
            listener,
            sync_status: std::sync::Mutex::new(SyncStatus::default()),
            wake: tokio::sync::Notify::new(),
            alert_version: AtomicU64::new(0),
        });
        let (stop, stop_rx) = watch::channel(false);
        let provider = DemoNetwork::new(config.demo_seed, config.demo_speed);
        let sync_task = tokio::spawn(sync::run(
            Arc::clone(&shared),
            Arc::new(provider),
            stop_rx.clone(),
        ));
        let policy_task = tokio::spawn(watch_policy(Arc::clone(&shared), stop_rx.clone()));
        let mut tasks = vec![sync_task, policy_task];
        if let Some(sink) = alerts {
            tasks.push(tokio::spawn(notifier::run(
                Arc::clone(&shared),
                sink,
                stop_rx,
            )));
        }
        Ok(Engine {
            shared,
            stop,
            tasks: tokio::sync::Mutex::new(tasks),
        })
    }

    /// Stops the sync loops, letting a running ingest finish. Reads still work.
    pub async fn stop_sync(&self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().await);
        for task in tasks {
            if let Err(e) = task.await {
                tracing::warn!(error = %e, "background task ended abnormally");
            }
        }
    }

    /// Stops the background tasks and closes the database.
    pub async fn shutdown(&self) {
        self.stop_sync().await;
        self.shared.store.close().await;
    }

    /// Checks the policy file now (the watcher also does every two seconds).
    pub async fn reload_policy(&self) -> Result<(), switchboard_core::ApiError> {
        self.shared.check_policy(true).await.map_err(api::to_api)
    }
}

async fn watch_policy(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(POLICY_CHECK) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
        if let Err(e) = shared.check_policy(false).await {
            tracing::warn!(error = %e, "could not apply the new policy");
        }
    }
}
