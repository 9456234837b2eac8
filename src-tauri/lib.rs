//! The thin desktop shell: windows, logging, OS directories and the Tauri commands, each
//! a one-line call into [`switchboard_engine`]. The engine reports changes through a
//! closure that this shell turns into the `workspace://changed` event.

mod commands;
mod dirs;
mod logging;

use std::sync::Arc;

use switchboard_engine::{Change, ChangeListener, Engine, EngineConfig, SystemClock};
use tauri::{Emitter, Manager, RunEvent};

/// The event the UI listens to for "something changed, refresh".
pub const CHANGED_EVENT: &str = "workspace://changed";

/// Builds and runs the app until the user quits.
pub fn run() {
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch raises the running window instead of opening a second app.
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .setup(|app| {
            let dirs = dirs::AppDirs::resolve(app.handle())?;
            let log_guard = logging::init(&dirs.log_dir)?;
            app.manage(log_guard);
            tracing::info!(data = %dirs.data_dir.display(), logs = %dirs.log_dir.display(), "starting Switchboard");

            let handle = app.handle().clone();
            let listener: ChangeListener = Arc::new(move |change: &Change| {
                if let Err(e) = handle.emit(CHANGED_EVENT, change.version) {
                    tracing::warn!(error = %e, "could not tell the window about a change");
                }
            });
            let config = EngineConfig::from_env(dirs.data_dir);
            let engine = tauri::async_runtime::block_on(Engine::start(
                config,
                Arc::new(SystemClock),
                listener,
            ))?;
            app.manage(engine);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!())
        .expect("Switchboard could not start its window");

    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            if let Some(engine) = handle.try_state::<Engine>() {
                tauri::async_runtime::block_on(engine.shutdown());
            }
        }
    });
}
