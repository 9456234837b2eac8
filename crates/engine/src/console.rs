//! The console: the workspaces on this laptop and the one open now.
//!
//! A [`Console`] keeps the registry (names, last used) and runs one [`Engine`] at a time.
//! Switching closes the open workspace completely — its loops stop, its notifications are
//! closed, its database is closed — before the next one opens, so nothing of one
//! workspace is visible in another. Removing a workspace signs out of its accounts
//! (revoking tokens where the platform allows), deletes its keychain entries and its files.
//!
//! At launch the workspace used last opens; when it cannot (a damaged or locked database,
//! an unreadable file) the others are tried in turn, and the console starts with none
//! open if none can. Each failure is kept as the workspace's **open error**, shown in the
//! window until the workspace opens.
//!
//! The organisation's [managed settings](crate::managed) are read when the console opens
//! and hold until it closes: they may forbid the demo (it is then neither listed nor
//! opened), local workspaces, join codes for other servers and brand accounts not on
//! their list.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use switchboard_core::{ApiError, ErrorCode, WorkspaceEntry, WorkspaceInfo};
use switchboard_store::Store;
use tokio::sync::{Mutex, RwLock};

use crate::accounts::{SecretVault, UrlOpener};
use crate::managed::Managed;
use crate::registry::Registry;
use crate::{
    AlertSink, ChangeListener, Clock, Engine, EngineConfig, EngineHooks, StartError, WorkspaceFiles,
};

/// Called after the open workspace changed, with the new one (none: no workspace left).
pub type SwitchListener = Arc<dyn Fn(Option<&WorkspaceInfo>) + Send + Sync>;

/// What the console hands every engine it opens.
pub struct ConsoleHooks {
    /// Called on every change of the open workspace, and after a switch.
    pub listener: ChangeListener,
    /// Called after the open workspace changed (the id of the new one, if any).
    pub switched: SwitchListener,
    /// Where notifications go.
    pub alerts: Option<Arc<dyn AlertSink>>,
    /// Opens the browser for sign-ins.
    pub open_url: Option<UrlOpener>,
    /// The desktop shell's services (start at login, updates, folders, crash reports);
    /// `None` outside the desktop app.
    pub shell: Option<Arc<dyn crate::DesktopShell>>,
}

/// The workspaces and the open one.
pub struct Console {
    config: EngineConfig,
    clock: Arc<dyn Clock>,
    hooks: ConsoleHooks,
    version: Arc<AtomicU64>,
    /// Also serialises switches, creations and removals.
    registry: Mutex<Registry>,
    current: RwLock<Option<Arc<Engine>>>,
    /// Where sign-ins are kept (the OS keychain, or a test's stand-in).
    vault: Arc<dyn SecretVault>,
    /// Why workspaces could not be opened at launch, by id, in plain words.
    open_errors: std::sync::Mutex<HashMap<String, String>>,
    /// The organisation's managed settings, read at open.
    managed: Arc<Managed>,
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

impl Console {
    /// Reads the registry in `config.data_dir` and opens the workspace used last (the
    /// demo workspace on a first launch). When it cannot be opened, the others are tried in
    /// turn; if none opens the console starts without one. Why each failed is logged and
    /// kept for the window ([`WorkspaceEntry::open_error`]). Fails only when the data
    /// directory itself cannot be used.
    ///
    /// The managed settings of this laptop ([`Managed::load_system`]) are read first;
    /// their keychain namespace, if any, replaces `config.keychain_namespace`.
    pub async fn open(
        config: EngineConfig,
        clock: Arc<dyn Clock>,
        hooks: ConsoleHooks,
    ) -> Result<Console, StartError> {
        Console::open_managed(config, clock, hooks, Managed::load_system()).await
    }

    /// Like [`Console::open`], with the managed settings `managed` (read by the caller,
    /// e.g. the shell, which applies their log level before anything logs).
    pub async fn open_managed(
        mut config: EngineConfig,
        clock: Arc<dyn Clock>,
        hooks: ConsoleHooks,
        managed: Managed,
    ) -> Result<Console, StartError> {
        managed.apply_to(&mut config);
        let vault = Arc::new(switchboard_vault::Vault::new(
            config.keychain_namespace.clone(),
        ));
        Console::open_with_vault_managed(config, clock, hooks, vault, managed).await
    }

    /// Like [`Console::open`], with sign-ins kept in `vault` instead of the OS keychain of
    /// `config.keychain_namespace`.
    pub async fn open_with_vault(
        config: EngineConfig,
        clock: Arc<dyn Clock>,
        hooks: ConsoleHooks,
        vault: Arc<dyn SecretVault>,
    ) -> Result<Console, StartError> {
        Console::open_with_vault_managed(config, clock, hooks, vault, Managed::load_system()).await
    }

    /// Like [`Console::open_with_vault`], with the managed settings `managed`.
    pub async fn open_with_vault_managed(
        mut config: EngineConfig,
        clock: Arc<dyn Clock>,
        hooks: ConsoleHooks,
        vault: Arc<dyn SecretVault>,
        managed: Managed,
    ) -> Result<Console, StartError> {
        managed.apply_to(&mut config);
        // A data folder that cannot be created or read does not stop the app: it opens
        // with the first-launch registry in memory, and the demo workspace says why it
        // cannot be opened (its database cannot be written either).
        let now = clock.now().millis();
        let registry = std::fs::create_dir_all(&config.data_dir)
            .and_then(|()| Registry::load(&config.data_dir, now))
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, data = %config.data_dir.display(), "the data folder cannot be used; nothing will be saved");
                Registry::unsaved(&config.data_dir, now)
            });
        let console = Console {
            config,
            clock,
            hooks,
            version: Arc::new(AtomicU64::new(0)),
            registry: Mutex::new(registry),
            current: RwLock::new(None),
            vault,
            open_errors: std::sync::Mutex::new(HashMap::new()),
            managed: Arc::new(managed),
        };
        console.open_at_launch().await;
        Ok(console)
    }

    /// Opens the workspace used last, else the first of the others that opens.
    async fn open_at_launch(&self) {
        let mut registry = self.registry.lock().await;
        let first = registry.to_open().map(|w| w.spec());
        let first_id = first.as_ref().map(|f| f.id.clone());
        let others = registry
            .workspaces
            .iter()
            .map(|w| w.spec())
            .filter(|w| Some(&w.id) != first_id.as_ref());
        let demo_allowed = self.managed.demo_allowed();
        let candidates: Vec<_> = first
            .into_iter()
            .chain(others)
            .filter(|w| demo_allowed || !w.is_demo)
            .collect();
        for spec in candidates {
            match self.start_engine(&spec).await {
                Ok(engine) => {
                    registry.last_used = Some(spec.id.clone());
                    if let Err(e) = registry.save() {
                        tracing::warn!(error = %e, "could not save the workspace registry");
                    }
                    *self.current.write().await = Some(Arc::new(engine));
                    return;
                }
                Err(e) => {
                    let why = crate::open_failure::describe(&e);
                    tracing::error!(workspace = %spec.id, error = %e, "could not open the workspace at launch");
                    self.open_errors
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(spec.id.clone(), why);
                }
            }
        }
        if !registry.workspaces.is_empty() {
            tracing::error!("no workspace could be opened; starting without one");
        }
    }

    /// Why workspace `id` could not be opened at launch, if it could not.
    fn open_error(&self, id: &str) -> Option<String> {
        self.open_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }

    async fn start_engine(&self, spec: &crate::WorkspaceSpec) -> Result<Engine, StartError> {
        let hooks = EngineHooks {
            listener: Arc::clone(&self.hooks.listener),
            alerts: self.hooks.alerts.clone(),
            version: Arc::clone(&self.version),
            open_url: self.hooks.open_url.clone(),
        };
        let engine = Engine::open_with_vault(
            self.config.clone(),
            spec,
            Arc::clone(&self.clock),
            hooks,
            Arc::clone(&self.vault),
        )
        .await?;
        engine.set_managed(Arc::clone(&self.managed));
        // The demo workspace plays its simulated team (unless switched off).
        if spec.is_demo && crate::demo_team::wanted() {
            engine
                .start_demo_team(self.config.demo_seed, self.config.demo_speed)
                .await;
        }
        Ok(engine)
    }

    /// The open workspace's engine.
    pub async fn engine(&self) -> Result<Arc<Engine>, ApiError> {
        self.current.read().await.clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::NoWorkspace,
                "No workspace is open. Create one to start.",
            )
        })
    }

    /// The open workspace's engine, if any (for the tray and the shell).
    pub async fn try_engine(&self) -> Option<Arc<Engine>> {
        self.current.read().await.clone()
    }

    /// Every workspace, in creation order, the open one marked.
    pub async fn workspaces(&self) -> Vec<WorkspaceEntry> {
        let registry = self.registry.lock().await;
        self.entries(&registry).await
    }

    async fn entries(&self, registry: &Registry) -> Vec<WorkspaceEntry> {
        let current = self
            .current
            .read()
            .await
            .as_ref()
            .map(|e| e.workspace_info().id);
        let demo_allowed = self.managed.demo_allowed();
        registry
            .workspaces
            .iter()
            .filter(|w| demo_allowed || !w.is_demo)
            .map(|w| WorkspaceEntry {
                id: w.id.clone(),
                name: w.name.clone(),
                is_demo: w.is_demo,
                is_current: current.as_deref() == Some(w.id.as_str()),
                is_team: w.is_team,
                open_error: self.open_error(&w.id),
            })
            .collect()
    }

    /// Creates a workspace named `name` and opens it.
    pub async fn create_workspace(&self, name: &str) -> Result<WorkspaceEntry, ApiError> {
        self.managed
            .check_local_workspace()
            .map_err(|m| ApiError::new(ErrorCode::NotAllowed, m))?;
        self.create_workspace_with(name, false, |_| async { Ok(()) })
            .await
    }

    /// Creates workspace `name` (a team's when `is_team`), runs `prepare` with its id
    /// before it opens (undoing the creation when `prepare` fails), and opens it.
    pub(crate) async fn create_workspace_with<F, Fut>(
        &self,
        name: &str,
        is_team: bool,
        prepare: F,
    ) -> Result<WorkspaceEntry, ApiError>
    where
        F: FnOnce(String) -> Fut,
        Fut: std::future::Future<Output = Result<(), ApiError>>,
    {
        let mut registry = self.registry.lock().await;
        let entry = registry
            .add(name, self.clock.now().millis(), is_team)
            .map_err(|m| ApiError::new(ErrorCode::InvalidInput, m))?;
        if let Err(e) = prepare(entry.id.clone()).await {
            registry.remove(&entry.id);
            return Err(e);
        }
        registry.save().map_err(internal)?;
        tracing::info!(workspace = %entry.id, "workspace created");
        self.switch_locked(&mut registry, &entry.id).await?;
        Ok(WorkspaceEntry {
            id: entry.id,
            name: entry.name,
            is_demo: false,
            is_current: true,
            open_error: None,
            is_team,
        })
    }

    /// The organisation's managed settings, read when the console opened.
    pub fn managed(&self) -> &Managed {
        &self.managed
    }

    /// Where sign-ins (and join codes) are kept.
    pub(crate) fn vault(&self) -> &Arc<dyn SecretVault> {
        &self.vault
    }

    /// The data directory (where the console's own small settings files live).
    pub(crate) fn data_dir(&self) -> &Path {
        &self.config.data_dir
    }

    /// The desktop shell's services, when running inside the desktop app.
    pub(crate) fn shell(&self) -> Option<&Arc<dyn crate::DesktopShell>> {
        self.hooks.shell.as_ref()
    }

    /// Renames workspace `id`.
    pub async fn rename_workspace(
        &self,
        id: &str,
        name: &str,
    ) -> Result<Vec<WorkspaceEntry>, ApiError> {
        let mut registry = self.registry.lock().await;
        registry
            .rename(id, name)
            .map_err(|m| ApiError::new(ErrorCode::InvalidInput, m))?;
        registry.save().map_err(internal)?;
        if let Some(engine) = self.current.read().await.as_ref() {
            if engine.workspace_info().id == id {
                engine.set_name(registry.get(id).map(|w| w.name.clone()).unwrap_or_default());
            }
        }
        Ok(self.entries(&registry).await)
    }

    /// Closes the open workspace and opens `id`.
    pub async fn switch_workspace(&self, id: &str) -> Result<WorkspaceInfo, ApiError> {
        let mut registry = self.registry.lock().await;
        self.switch_locked(&mut registry, id).await
    }

    async fn switch_locked(
        &self,
        registry: &mut Registry,
        id: &str,
    ) -> Result<WorkspaceInfo, ApiError> {
        let spec = registry.get(id).map(|w| w.spec()).ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, "That workspace no longer exists.")
        })?;
        if spec.is_demo && !self.managed.demo_allowed() {
            return Err(ApiError::new(
                ErrorCode::NotAllowed,
                "Your organisation does not allow the demo workspace on this laptop.",
            ));
        }
        if let Some(engine) = self.current.read().await.as_ref() {
            if engine.workspace_info().id == id {
                return Ok(engine.workspace_info());
            }
        }
        let previous = self
            .current
            .read()
            .await
            .as_ref()
            .and_then(|e| registry.get(&e.workspace_info().id).map(|w| w.spec()));
        self.close_current().await;
        let engine = match self.start_engine(&spec).await {
            Ok(engine) => engine,
            Err(e) => {
                tracing::warn!(workspace = %spec.id, error = %e, "could not open the workspace");
                // Back to where the person was, so the window keeps working.
                if let Some(previous) = previous {
                    if let Ok(engine) = self.start_engine(&previous).await {
                        *self.current.write().await = Some(Arc::new(engine));
                    }
                }
                return Err(ApiError::new(
                    ErrorCode::Storage,
                    format!(
                        "Could not open the workspace “{}”: {}",
                        spec.name,
                        crate::open_failure::describe(&e)
                    ),
                ));
            }
        };
        let info = engine.workspace_info();
        *self.current.write().await = Some(Arc::new(engine));
        self.open_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&spec.id);
        registry.last_used = Some(spec.id.clone());
        if let Err(e) = registry.save() {
            tracing::warn!(error = %e, "could not save the workspace registry");
        }
        tracing::info!(workspace = %spec.id, "switched workspace");
        (self.hooks.switched)(Some(&info));
        Ok(info)
    }

    async fn close_current(&self) {
        let previous = self.current.write().await.take();
        if let Some(engine) = previous {
            engine.close().await;
        }
    }

    /// Writes workspace `id`'s whole event log as JSON Lines into `dir`; returns the file.
    pub async fn export_log(&self, id: &str, dir: &Path) -> Result<PathBuf, ApiError> {
        let registry = self.registry.lock().await;
        let workspace = registry.get(id).ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, "That workspace no longer exists.")
        })?;
        std::fs::create_dir_all(dir).map_err(internal)?;
        let stamp = jiff::Timestamp::from_millisecond(self.clock.now().millis())
            .map(|t| t.strftime("%Y%m%d-%H%M%S").to_string())
            .unwrap_or_default();
        let path = dir.join(format!("switchboard-{}-log-{stamp}.jsonl", workspace.id));
        let open = self.current.read().await.clone();
        let written = match open.filter(|e| e.workspace_info().id == id) {
            Some(engine) => engine.export_log(&path).await?,
            None => {
                let files = WorkspaceFiles::new(&self.config.workspaces_dir(), id);
                let store = Store::open(&files.database)
                    .await
                    .map_err(crate::api::to_api)?;
                let written = store.export_log(&path).await.map_err(crate::api::to_api);
                store.close().await;
                written?
            }
        };
        tracing::info!(workspace = %id, events = written, path = %path.display(), "event log exported");
        Ok(path)
    }

    /// Removes workspace `id`: signs out of its accounts, deletes its keychain entries and
    /// files, and forgets it. If it was open, the next workspace opens (or none).
    pub async fn remove_workspace(&self, id: &str) -> Result<Vec<WorkspaceEntry>, ApiError> {
        let mut registry = self.registry.lock().await;
        if registry.get(id).is_none() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "That workspace no longer exists.",
            ));
        }
        let was_open = self
            .current
            .read()
            .await
            .as_ref()
            .is_some_and(|e| e.workspace_info().id == id);
        if was_open {
            self.close_current().await;
        }
        if let Err(e) = self.delete_workspace_data(id).await {
            if was_open {
                // The workspace stays (its files are untouched): reopen it so the person
                // can try again.
                let _ = self.switch_locked(&mut registry, id).await;
            }
            return Err(e);
        }
        registry.remove(id);
        registry.save().map_err(internal)?;
        self.open_errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        tracing::info!(workspace = %id, "workspace removed");
        if was_open {
            match registry.to_open().map(|w| w.id.clone()) {
                Some(next) => {
                    self.switch_locked(&mut registry, &next).await?;
                }
                None => (self.hooks.switched)(None),
            }
        }
        Ok(self.entries(&registry).await)
    }

    /// Signs out of workspace `id`'s accounts, deletes their keychain entries, then its
    /// files. Stops at the first failure (e.g. no keychain), before any file is deleted.
    async fn delete_workspace_data(&self, id: &str) -> Result<(), ApiError> {
        let files = WorkspaceFiles::new(&self.config.workspaces_dir(), id);
        if files.database.exists() {
            let store = Store::open(&files.database)
                .await
                .map_err(crate::api::to_api)?;
            let accounts = store.accounts().await.map_err(crate::api::to_api);
            store.close().await;
            let keychain = crate::accounts::Keychain::new(Arc::clone(&self.vault), id);
            for record in accounts? {
                crate::accounts::sign_out_account(&keychain, &record).await?;
            }
            for entry in [
                crate::team::JOIN_CODE_ENTRY,
                crate::accounts::META_CLIENT_TOKEN_ENTRY,
            ] {
                keychain
                    .delete(entry)
                    .await
                    .map_err(|e| ApiError::new(ErrorCode::Keychain, e.to_string()))?;
            }
        }
        for file in files.all() {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(ApiError::new(
                        ErrorCode::Storage,
                        format!("Could not delete {}: {e}", file.display()),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Closes the open workspace (on quit).
    pub async fn shutdown(&self) {
        if let Some(engine) = self.current.read().await.as_ref() {
            engine.shutdown().await;
        }
    }
}
