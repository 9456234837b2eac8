//! The running console: the one Rust API every front (the Tauri shell, the dev HTTP
//! bridge, tests) calls.
//!
//! An [`Engine`] runs one **workspace** (one organisation's setup on this laptop: its
//! queues, routing rules and brand accounts, with its own database file). It starts a
//! **sync loop** per provider that pulls items, routes them to queues and stores them, and
//! it reports every change through a [`ChangeListener`] that the shell maps to UI events.
//! Nothing here depends on Tauri.

mod api;
mod clock;
mod config;
mod sync;

pub use clock::{Clock, SystemClock};
pub use config::{EngineConfig, DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME};
pub use sync::SyncStatus;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use switchboard_core::{Queue, Router, WorkspaceInfo};
use switchboard_platforms::demo::DemoNetwork;
use switchboard_store::{Store, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Something in the workspace changed; the UI should refresh what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Conversations that gained items.
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

/// Shared by the engine handle and its tasks.
struct Shared {
    store: Store,
    workspace: WorkspaceInfo,
    version: AtomicU64,
    listener: ChangeListener,
    sync_status: std::sync::Mutex<SyncStatus>,
}

impl Shared {
    fn changed(&self, conversations: Vec<i64>) {
        let version = self.version.fetch_add(1, Ordering::SeqCst) + 1;
        (self.listener)(&Change {
            conversations,
            version,
        });
    }
}

/// A running workspace. Call [`Engine::shutdown`] on exit.
pub struct Engine {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: tokio::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl Engine {
    /// Opens the demo workspace under `config.data_dir` and starts its sync loop.
    pub async fn start(
        config: EngineConfig,
        clock: Arc<dyn Clock>,
        listener: ChangeListener,
    ) -> Result<Engine, StartError> {
        let dir = config.workspaces_dir();
        std::fs::create_dir_all(&dir).map_err(|source| StartError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let db_path = dir.join(format!("{DEMO_WORKSPACE_ID}.sqlite3"));
        let store = Store::open(&db_path).await?;
        store.set_queues(&Queue::defaults()).await?;
        tracing::info!(path = %db_path.display(), "workspace database open");

        let shared = Arc::new(Shared {
            store,
            workspace: WorkspaceInfo {
                id: DEMO_WORKSPACE_ID.into(),
                name: DEMO_WORKSPACE_NAME.into(),
                is_demo: true,
            },
            version: AtomicU64::new(0),
            listener,
            sync_status: std::sync::Mutex::new(SyncStatus::default()),
        });
        let (stop, stop_rx) = watch::channel(false);
        let provider = DemoNetwork::new(config.demo_seed, config.demo_speed);
        let task = tokio::spawn(sync::run(
            Arc::clone(&shared),
            Box::new(provider),
            Router::defaults(),
            clock,
            stop_rx,
        ));
        Ok(Engine {
            shared,
            stop,
            tasks: tokio::sync::Mutex::new(vec![task]),
        })
    }

    /// Stops the sync loops, letting a running ingest finish. Reads still work.
    pub async fn stop_sync(&self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().await);
        for task in tasks {
            if let Err(e) = task.await {
                tracing::warn!(error = %e, "sync task ended abnormally");
            }
        }
    }

    /// Stops the sync loops and closes the database.
    pub async fn shutdown(&self) {
        self.stop_sync().await;
        self.shared.store.close().await;
    }
}
