//! The thin desktop shell: windows, logging, OS directories and the Tauri commands, each
//! a one-line call into [`switchboard_engine`]. The engine reports changes through a
//! closure that this shell turns into the `workspace://changed` event.

mod alerts;
mod commands;
mod dirs;
mod logging;
mod tray;

use std::sync::Arc;

use switchboard_engine::{AlertSink, Change, ChangeListener, Engine, EngineConfig, SystemClock};
use tauri::{AppHandle, Emitter, Manager, RunEvent};

/// The event the UI listens to for "something changed, refresh".
pub const CHANGED_EVENT: &str = "workspace://changed";

/// Builds and runs the app until the user quits.
pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch raises the running window instead of opening a second app.
            show_window(app);
        }))
        .setup(|app| {
            let dirs = dirs::AppDirs::resolve(app.handle())?;
            let log_guard = logging::init(&dirs.log_dir)?;
            app.manage(log_guard);
            tracing::info!(data = %dirs.data_dir.display(), logs = %dirs.log_dir.display(), "starting Switchboard");

            let handle = app.handle().clone();
            let (tray_tx, mut tray_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
            let listener: ChangeListener = Arc::new(move |change: &Change| {
                if let Err(e) = handle.emit(CHANGED_EVENT, change.version) {
                    tracing::warn!(error = %e, "could not tell the window about a change");
                }
                let _ = tray_tx.send(());
            });
            let sink: Option<Arc<dyn AlertSink>> = match alerts::DesktopSink::connect(app.handle()) {
                Ok(sink) => Some(Arc::new(sink)),
                Err(e) => {
                    tracing::warn!(error = %e, detail = e.detail(), "desktop notifications are off");
                    None
                }
            };
            let config = EngineConfig::from_env(dirs.data_dir);
            let engine = tauri::async_runtime::block_on(Engine::start(
                config,
                Arc::new(SystemClock),
                listener,
                sink,
            ))?;
            app.manage(engine);

            match tray::create(app.handle()) {
                Ok(tray) => {
                    let handle = app.handle().clone();
                    tauri::async_runtime::spawn(async move {
                        loop {
                            if let Some(engine) = handle.try_state::<Engine>() {
                                tray::show_overdue(&tray, engine.overdue_count().await);
                            }
                            if tray_rx.recv().await.is_none() {
                                break;
                            }
                            while tray_rx.try_recv().is_ok() {} // one update per burst
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "no tray icon on this desktop"),
            }
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
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
            if let Some(engine) = handle.try_state::<Engine>() {
                tauri::async_runtime::block_on(engine.shutdown());
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
