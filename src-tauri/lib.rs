//! The thin desktop shell: windows, logging, OS directories and the Tauri commands, each
//! a one-line call into [`switchboard_engine`]. The engine reports changes through a
//! closure that this shell turns into the `workspace://changed` event.

mod alerts;
mod commands;
mod crash;
mod dirs;
mod logging;
mod shell;
mod tray;
mod updates;

use std::sync::Arc;

use switchboard_core::WorkspaceInfo;
use switchboard_engine::{
    AlertSink, Change, ChangeListener, Console, ConsoleHooks, EngineConfig, SystemClock, UrlOpener,
};
use tauri::{AppHandle, Emitter, Manager, RunEvent};

/// The event the UI listens to for "something changed, refresh".
pub const CHANGED_EVENT: &str = "workspace://changed";
/// Another workspace opened (from the tray, or after a removal); payload: its id or null.
pub const SWITCHED_EVENT: &str = "workspace://switched";

/// Builds and runs the app until the user quits.
pub fn run() {
    // First: a panic anywhere from here on leaves a crash report.
    crash::install();
    let context = tauri::generate_context!();
    let mut builder = tauri::Builder::default();
    if let Some(single_instance) = single_instance(&context.config().identifier) {
        // First among the plugins: a second launch must be caught before anything starts.
        builder = builder.plugin(single_instance);
    }
    let app = builder
        .plugin(tauri_plugin_opener::init())
        .plugin(shell::autostart_plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(updates::plugin())
        .setup(|app| {
            let dirs = dirs::AppDirs::resolve(app.handle())?;
            // The organisation's settings first: they may fix the log level.
            let managed = switchboard_engine::managed::Managed::load_system();
            let log_guard = logging::init(&dirs.log_dir, managed.log_level())?;
            let crash_dir = crash::crash_dir(&dirs.log_dir);
            crash::report_to(crash_dir.clone());
            app.manage(log_guard);
            tracing::info!(data = %dirs.data_dir.display(), logs = %dirs.log_dir.display(), "starting Switchboard");

            let handle = app.handle().clone();
            let (tray_tx, mut tray_rx) = tokio::sync::mpsc::unbounded_channel::<bool>();
            let changes = tray_tx.clone();
            let listener: ChangeListener = Arc::new(move |change: &Change| {
                if let Err(e) = handle.emit(CHANGED_EVENT, change.version) {
                    tracing::warn!(error = %e, "could not tell the window about a change");
                }
                let _ = changes.send(false);
            });
            let handle = app.handle().clone();
            let switched = Arc::new(move |info: Option<&WorkspaceInfo>| {
                if let Err(e) = handle.emit(SWITCHED_EVENT, info.map(|i| i.id.clone())) {
                    tracing::warn!(error = %e, "could not tell the window about a switch");
                }
                let _ = tray_tx.send(true);
            });
            let sink: Option<Arc<dyn AlertSink>> = match alerts::DesktopSink::connect(app.handle()) {
                Ok(sink) => Some(Arc::new(sink)),
                Err(e) => {
                    tracing::warn!(error = %e, detail = e.detail(), "desktop notifications are off");
                    None
                }
            };
            let opener_app = app.handle().clone();
            let open_url: UrlOpener = Arc::new(move |url: &str| {
                use tauri_plugin_opener::OpenerExt;
                opener_app
                    .opener()
                    .open_url(url, None::<&str>)
                    .map_err(|e| e.to_string())
            });
            let config = EngineConfig::from_env(dirs.data_dir);
            let hooks = ConsoleHooks {
                listener,
                switched,
                alerts: sink,
                open_url: Some(open_url),
                shell: Some(Arc::new(shell::TauriShell::new(
                    app.handle().clone(),
                    crash_dir,
                ))),
            };
            let console = tauri::async_runtime::block_on(Console::open_managed(
                config,
                Arc::new(SystemClock),
                hooks,
                managed,
            ))?;
            let workspaces = tauri::async_runtime::block_on(console.workspaces());
            app.manage(console);

            match tray::create(app.handle(), &workspaces) {
                Ok(tray) => {
                    if shell::launched_hidden() {
                        // Started at login: stay in the tray until the person opens it.
                        if let Some(window) = app.get_webview_window("main") {
                            let _ = window.hide();
                        }
                    }
                    let handle = app.handle().clone();
                    tauri::async_runtime::spawn(async move {
                        let mut menu_stale = false;
                        loop {
                            if let Some(console) = commands::console(&handle) {
                                if menu_stale {
                                    tray::show_workspaces(&handle, &tray, &console.workspaces().await);
                                }
                                match console.try_engine().await {
                                    Some(engine) => tray::show_overdue(
                                        &tray,
                                        &engine.workspace_info().name,
                                        engine.overdue_count().await,
                                    ),
                                    None => tray::show_overdue(&tray, "no workspace", 0),
                                }
                            }
                            let Some(switched) = tray_rx.recv().await else { break };
                            menu_stale = switched;
                            while let Ok(more) = tray_rx.try_recv() {
                                menu_stale |= more; // one update per burst
                            }
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "no tray icon on this desktop"),
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(context)
        .expect("Switchboard could not start its window");

    app.run(|handle, event| {
        if let RunEvent::WindowEvent {
            label,
            event: tauri::WindowEvent::CloseRequested { api, .. },
            ..
        } = &event
        {
            // Closing the window keeps Switchboard running in the tray, so notifications
            // keep coming; "Quit" in the tray menu ends it.
            if label == "main" && handle.tray_by_id("main").is_some() {
                api.prevent_close();
                if let Some(window) = handle.get_webview_window("main") {
                    let _ = window.hide();
                }
                return;
            }
        }
        if let RunEvent::Exit = event {
            if let Some(console) = handle.try_state::<Console>() {
                tauri::async_runtime::block_on(console.shutdown());
            }
        }
    });
}

/// Shows, unminimises and focuses the main window.
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// One running Switchboard per data directory: a second launch on the same data raises the
/// running window and exits (two apps writing one workspace database would fight over it).
///
/// The plugin tells instances apart by a name derived from the app identifier (a D-Bus
/// name on Linux), so by default every launch is "the same app". With
/// `SWITCHBOARD_DATA_DIR` set, a launch on *another* data directory is another app — the
/// team e2e test runs two of them, as two teammates' laptops, on one desktop — so on Linux
/// the name is made from the identifier and that directory. The plugin offers that choice
/// on Linux only; elsewhere a launch with `SWITCHBOARD_DATA_DIR` skips the check.
fn single_instance(identifier: &str) -> Option<tauri::plugin::TauriPlugin<tauri::Wry>> {
    let plugin = tauri_plugin_single_instance::Builder::new().callback(|app, _argv, _cwd| {
        // A second launch raises the running window instead of opening a second app.
        show_window(app);
    });
    let Some(data_dir) = std::env::var_os("SWITCHBOARD_DATA_DIR") else {
        return Some(plugin.build());
    };
    #[cfg(target_os = "linux")]
    {
        let dir = std::path::absolute(&data_dir).unwrap_or_else(|_| data_dir.into());
        let hash = fnv1a(dir.as_os_str().as_encoded_bytes());
        Some(
            plugin
                .dbus_id(format!("{identifier}.data_{hash:016x}"))
                .build(),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (plugin, data_dir, identifier);
        None
    }
}

#[cfg(target_os = "linux")]
/// FNV-1a, 64 bits: a name for a data directory that is the same in every build (the
/// standard library's hasher promises no such thing).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
