//! The tray icon: the count of overdue conversations in its tooltip (and title where the
//! desktop shows one), and a menu to open the window, pause notifications for an hour, and
//! quit.

use switchboard_engine::Engine;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager};

/// How long "Pause notifications" pauses them, in minutes.
const PAUSE_MINUTES: u32 = 60;

/// Builds the tray icon and its menu.
pub fn create(app: &AppHandle) -> tauri::Result<TrayIcon> {
    let open = MenuItem::with_id(app, "open", "Open Switchboard", true, None::<&str>)?;
    let pause = MenuItem::with_id(
        app,
        "pause",
        "Pause notifications for an hour",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", "Quit Switchboard", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &pause, &separator, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("Switchboard")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => crate::show_window(app),
            "pause" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    if let Some(engine) = app.try_state::<Engine>() {
                        if let Err(e) = engine.pause_alerts(PAUSE_MINUTES).await {
                            tracing::warn!(error = %e.message, "could not pause notifications");
                        }
                    }
                });
            }
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)
}

/// Shows `overdue` conversations in the tray's tooltip and title.
pub fn show_overdue(tray: &TrayIcon, overdue: u32) {
    let text = match overdue {
        0 => "Switchboard — nothing overdue".to_owned(),
        1 => "Switchboard — 1 conversation overdue".to_owned(),
        n => format!("Switchboard — {n} conversations overdue"),
    };
    let _ = tray.set_tooltip(Some(&text));
    let title = (overdue > 0).then(|| overdue.to_string());
    let _ = tray.set_title(title.as_deref());
}
