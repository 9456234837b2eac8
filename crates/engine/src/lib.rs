//! The running console: the one Rust API every front (the Tauri shell, the dev HTTP
//! bridge, tests) calls.
//!
//! An [`Engine`] runs one **workspace** (one organisation's setup on this laptop: its
//! queues, routing rules and brand accounts, with its own database file). It starts a
//! **sync loop** per provider that pulls items, routes them to queues and stores them, and
//! it reports every change through a [`ChangeListener`] that the shell maps to UI events.
//! Nothing here depends on Tauri.

mod accounts;
mod actions;
mod api;
mod change_bus;
mod clock;
pub mod commands;
mod config;
mod console;
mod demo_team;
mod guardrails;
mod hiding;
mod installed;
pub mod managed;
mod notifier;
mod open_failure;
mod outbox;
mod planner;
mod policy_apply;
mod policy_file;
mod policy_service;
mod preferences;
mod registry;
mod reply_keys;
mod reply_window;
mod saved_replies;
mod shell;
mod spikes;
mod sync;
mod team;

pub use accounts::{MemoryVault, SecretVault, UrlOpener};
pub use change_bus::{Change, ChangeListener};
pub use clock::{Clock, SystemClock};
pub use config::{
    EngineConfig, WorkspaceFiles, WorkspaceSpec, DEMO_WORKSPACE_ID, DEMO_WORKSPACE_NAME,
};
pub use console::{Console, ConsoleHooks, SwitchListener};
pub use demo_team::DEMO_TEAM_ENV;
pub use installed::crash::{report_file_name, REPORT_PREFIX, REPORT_SUFFIX};
pub use notifier::AlertSink;
pub use shell::{DesktopShell, ShellFuture};
pub use switchboard_store::{TeamClaim, TeamClaimStatus};
pub use sync::SyncStatus;
pub use team::TeamStatus;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use std::time::Duration;

use switchboard_core::{Policy, Timestamp, WorkspaceInfo};
use switchboard_platforms::demo::DemoNetwork;
use switchboard_platforms::Provider;
use switchboard_store::{Store, StoreError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

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
    /// The workspace is a team workspace whose join code could not be read.
    #[error("the team workspace cannot be opened: {0}")]
    Team(String),
}

/// Shared by the engine handle and its tasks: the workspace's services.
struct Shared {
    /// The workspace database.
    store: Store,
    /// The workspace's name and kind.
    workspace: std::sync::RwLock<WorkspaceInfo>,
    /// The policy in force, its notice and its file.
    policy: policy_service::PolicyService,
    /// The person using this laptop (in a team workspace, the team member).
    me: String,
    clock: Arc<dyn Clock>,
    /// Carries every change to the front's listener and to the notifier.
    bus: change_bus::ChangeBus,
    /// How syncing goes, as the window shows it.
    sync_status: std::sync::Mutex<SyncStatus>,
    /// The brand accounts' providers and sync states.
    accounts: accounts::AccountSet,
    /// Where notifications go (also the "sign in again" one) and the notifier's settings
    /// signals.
    alerts: notifier::Alerts,
    /// See [`EngineConfig::poll_interval`] (also the pause between tries of a reply that
    /// waits for its platform).
    poll_interval: Option<Duration>,
    /// Replies being posted by this process (the outbox).
    posting: outbox::Posting,
    /// The link to the team, in a team workspace.
    team: Option<Arc<team::Replica>>,
    /// The live team snapshot (members, presence, last seen): filled by the replica, or
    /// by a simulated team; see `team::live`.
    team_live: team::live::LiveSlot,
    /// The demo workspace's simulated team, once it plays (see `demo_team`).
    demo_team: std::sync::OnceLock<Arc<demo_team::DemoTeam>>,
    /// Spike alerts: the detector and its speed (see `spikes`).
    spikes: spikes::SpikeWatch,
}

impl Shared {
    /// Reports a change of `conversations` (empty: possibly anything) on the change bus.
    fn changed(&self, conversations: Vec<i64>) {
        self.bus.changed(conversations);
    }

    /// Reports a change this laptop recorded (an action, a reply): in a team workspace
    /// the replica is woken to send it at once.
    fn recorded(&self, conversations: Vec<i64>) {
        self.changed(conversations);
        if let Some(replica) = &self.team {
            replica.kick.notify_one();
        }
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    fn policy(&self) -> Arc<Policy> {
        self.policy.current()
    }

    /// Re-reads the policy file if it changed (or always, when `force`); see
    /// [`policy_service::PolicyService::check`].
    async fn check_policy(&self, force: bool) -> Result<(), StoreError> {
        self.policy
            .check(&self.store, &self.bus, self.now(), force)
            .await
    }
}

/// A running workspace. Call [`Engine::shutdown`] on exit.
pub struct Engine {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    /// Handed to loops started later (an account added while running).
    stop_rx: watch::Receiver<bool>,
    /// The workspace's log context.
    span: tracing::Span,
    open_url: Option<UrlOpener>,
    tasks: tokio::sync::Mutex<Vec<JoinHandle<()>>>,
    /// The organisation's managed settings (set by the console; none: not managed).
    managed: std::sync::OnceLock<Arc<managed::Managed>>,
}

/// What an engine reports to, shared across the workspaces a [`Console`] opens in turn.
pub struct EngineHooks {
    /// Called on every change.
    pub listener: ChangeListener,
    /// Where notifications go (none: notifications off).
    pub alerts: Option<Arc<dyn AlertSink>>,
    /// The change counter; shared so that it keeps growing across workspace switches.
    pub version: Arc<AtomicU64>,
    /// Opens the browser for sign-ins (none: this front cannot add accounts).
    pub open_url: Option<UrlOpener>,
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
        let hooks = EngineHooks {
            listener,
            alerts,
            version: Arc::new(AtomicU64::new(0)),
            open_url: None,
        };
        Engine::open(config, &WorkspaceSpec::demo(), clock, hooks).await
    }

    /// Opens workspace `spec` under `config.data_dir` (creating its database and policy
    /// file when new) and starts its loops: the demo network for the demo workspace, one
    /// sync loop per signed-in brand account otherwise, the policy watcher, and the
    /// notifier when `hooks.alerts` is given.
    pub async fn open(
        config: EngineConfig,
        spec: &WorkspaceSpec,
        clock: Arc<dyn Clock>,
        hooks: EngineHooks,
    ) -> Result<Engine, StartError> {
        let vault = Arc::new(switchboard_vault::Vault::new(
            config.keychain_namespace.clone(),
        ));
        Engine::open_with_vault(config, spec, clock, hooks, vault).await
    }

    /// Like [`Engine::open`], with sign-ins kept in `vault` instead of the OS keychain of
    /// `config.keychain_namespace`.
    pub async fn open_with_vault(
        config: EngineConfig,
        spec: &WorkspaceSpec,
        clock: Arc<dyn Clock>,
        hooks: EngineHooks,
        vault: Arc<dyn SecretVault>,
    ) -> Result<Engine, StartError> {
        let files = WorkspaceFiles::new(&config.workspaces_dir(), &spec.id);
        std::fs::create_dir_all(&files.dir).map_err(|source| StartError::DataDir {
            path: files.dir.display().to_string(),
            source,
        })?;
        let store = Store::open(&files.database).await?;
        tracing::info!(workspace = %spec.id, path = %files.database.display(), "workspace database open");
        let policy =
            match policy_service::PolicyService::load(&store, spec, &files, clock.now()).await {
                Ok(loaded) => loaded,
                Err(e) => {
                    store.close().await;
                    return Err(e.into());
                }
            };

        let accounts = accounts::AccountSet::new(vault, &spec.id);
        // Only a team workspace reads its join code: a local one (the demo too) opens
        // without the keychain. A replica stays one even if the registry forgot it (a
        // registry rebuilt from the files).
        let replica = if spec.is_team || team::was_replica(&store).await {
            match team::Replica::from_keychain(&accounts.keychain, team::device_name(&store).await)
                .await
            {
                Ok(replica) => Some(Arc::new(replica)),
                Err(why) => {
                    store.close().await;
                    return Err(StartError::Team(why));
                }
            }
        } else {
            None
        };
        let me = match &replica {
            Some(replica) => {
                store.share_actions();
                replica.member.clone()
            }
            None => config.me.clone(),
        };
        // Every delivery of this engine says it comes from this workspace.
        let alerts = hooks
            .alerts
            .clone()
            .map(|sink| notifier::WorkspaceSink::bind(&spec.id, sink));
        let shared = Arc::new(Shared {
            store,
            workspace: std::sync::RwLock::new(WorkspaceInfo {
                id: spec.id.clone(),
                name: spec.name.clone(),
                is_demo: spec.is_demo,
                policy_path: policy.path().display().to_string(),
                policy_error: None,
                policy_notice: None,
                is_team: replica.is_some(),
            }),
            policy,
            me,
            clock,
            bus: change_bus::ChangeBus::new(hooks.version, hooks.listener),
            sync_status: std::sync::Mutex::new(SyncStatus::default()),
            alerts: notifier::Alerts::new(alerts),
            poll_interval: config.poll_interval,
            posting: outbox::Posting::default(),
            accounts,
            team: replica.clone(),
            team_live: team::live::LiveSlot::default(),
            demo_team: std::sync::OnceLock::new(),
            spikes: spikes::SpikeWatch::new(if spec.is_demo { config.demo_speed } else { 1.0 }),
        });
        let (stop, stop_rx) = watch::channel(false);
        let span = tracing::info_span!("workspace", id = %spec.id);
        let mut tasks = Vec::new();
        if spec.is_demo {
            let provider = DemoNetwork::new(config.demo_seed, config.demo_speed);
            let source = provider.source_key();
            shared
                .accounts
                .attach_demo(source.clone(), Arc::new(provider));
            tasks.push(tokio::spawn(
                sync::run(Arc::clone(&shared), source, stop_rx.clone()).instrument(span.clone()),
            ));
        }
        for source in accounts::start_signed_in(&shared).await {
            tasks.push(tokio::spawn(
                sync::run(Arc::clone(&shared), source, stop_rx.clone()).instrument(span.clone()),
            ));
        }
        tasks.push(tokio::spawn(
            policy_service::watch(Arc::clone(&shared), stop_rx.clone()).instrument(span.clone()),
        ));
        if let Some(replica) = replica {
            tasks.push(tokio::spawn(
                team::replicate::run(Arc::clone(&shared), replica, stop_rx.clone())
                    .instrument(span.clone()),
            ));
        }
        tasks.push(tokio::spawn(
            outbox::resume(Arc::clone(&shared)).instrument(span.clone()),
        ));
        tasks.push(tokio::spawn(
            spikes::run(Arc::clone(&shared), stop_rx.clone()).instrument(span.clone()),
        ));
        // Without a sink it still reports threshold crossings (the window's counts).
        tasks.push(tokio::spawn(
            notifier::run(Arc::clone(&shared), stop_rx.clone()).instrument(span.clone()),
        ));
        Ok(Engine {
            shared,
            stop,
            stop_rx,
            span,
            open_url: hooks.open_url,
            tasks: tokio::sync::Mutex::new(tasks),
            managed: std::sync::OnceLock::new(),
        })
    }

    /// Stops the sync loops, letting a running ingest finish. Reads still work.
    pub async fn stop_sync(&self) {
        let _ = self.stop.send(true);
        self.shared.posting.stop();
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

    /// Like [`Engine::shutdown`], and closes this workspace's desktop notifications first,
    /// so none of them stays on screen in another workspace.
    pub async fn close(&self) {
        self.shared.alerts.clear_on_stop();
        self.shutdown().await;
    }

    /// Starts a sync loop for `source` (an account just added).
    pub(crate) async fn spawn_sync(&self, source: String) {
        let task = tokio::spawn(
            sync::run(Arc::clone(&self.shared), source, self.stop_rx.clone())
                .instrument(self.span.clone()),
        );
        self.tasks.lock().await.push(task);
    }

    /// How this laptop's link to its team stands (`None`: not a team workspace).
    pub fn team_status(&self) -> Option<TeamStatus> {
        self.shared.team.as_ref().map(|replica| replica.status())
    }

    /// Checks the policy file now (the watcher also does every two seconds).
    pub async fn reload_policy(&self) -> Result<(), switchboard_core::ApiError> {
        self.shared.check_policy(true).await.map_err(api::to_api)
    }
}
