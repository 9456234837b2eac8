//! The tray icon: the count of overdue conversations in its tooltip (and title where the
//! desktop shows one), and a menu to open the window, switch workspace, pause
//! notifications for an hour, and quit.

use switchboard_core::WorkspaceEntry;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Wry};

use crate::commands::console;

/// How long "Pause notifications" pauses them, in minutes.
const PAUSE_MINUTES: u32 = 60;
/// Menu ids of workspace entries start with this.
const WORKSPACE_ITEM: &str = "workspace:";

/// The tray menu for these workspaces.
fn menu(app: &AppHandle, workspaces: &[WorkspaceEntry]) -> tauri::Result<Menu<Wry>> {
    let open = MenuItem::with_id(app, "open", "Open Switchboard", true, None::<&str>)?;
    let switcher = Submenu::with_id(app, "workspaces", "Workspace", !workspaces.is_empty())?;
    for w in workspaces {
        let item = CheckMenuItem::with_id(
            app,
            format!("{WORKSPACE_ITEM}{}", w.id),
            &w.name,
            true,
            w.is_current,
            None::<&str>,
        )?;
        switcher.append(&item)?;
    }
    let pause = MenuItem::with_id(
        app,
        "pause",
        "Pause notifications for an hour",
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, "quit", "Quit Switchboard", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    Menu::with_items(app, &[&open, &switcher, &pause, &separator, &quit])
}

/// Builds the tray icon and its menu.
pub fn create(app: &AppHandle, workspaces: &[WorkspaceEntry]) -> tauri::Result<TrayIcon> {
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("Switchboard")
        .menu(&menu(app, workspaces)?)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => crate::show_window(app),
            "pause" => {
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    let Some(console) = console(&app) else { return };
                    if let Some(engine) = console.try_engine().await {
                        if let Err(e) = engine.pause_alerts(PAUSE_MINUTES).await {
                            tracing::warn!(error = %e.message, "could not pause notifications");
                        }
                    }
                });
            }
            "quit" => quit(app),
            id => {
                if let Some(workspace) = id.strip_prefix(WORKSPACE_ITEM) {
                    switch_to(app, workspace.to_owned());
                }
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)
}

/// Quits, after a confirmation when conversations are overdue: quitting stops the
/// notifications.
fn quit(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let overdue = match console(&app) {
            Some(console) => match console.try_engine().await {
                Some(engine) => engine.overdue_count().await,
                None => 0,
            },
            None => 0,
        };
        if overdue == 0 {
            app.exit(0);
            return;
        }
        use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
        let quitting = app.clone();
        app.dialog()
            .message(quit_warning(overdue))
            .title("Quit Switchboard?")
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                "Quit".into(),
                "Keep running".into(),
            ))
            .show(move |quit| {
                if quit {
                    quitting.exit(0);
                }
            });
    });
}

/// What the quit confirmation says with `overdue` conversations overdue.
fn quit_warning(overdue: u32) -> String {
    let count = match overdue {
        1 => "1 conversation is overdue".to_owned(),
        n => format!("{n} conversations are overdue"),
    };
    format!("{count}. Quit Switchboard? You will get no notifications until you start it again.")
}

/// Switches workspace from the tray; the window follows through the switched event.
fn switch_to(app: &AppHandle, id: String) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let Some(console) = console(&app) else { return };
        // On failure the console reopens the workspace that was open, so the window
        // stays as it was; the reason goes to the log.
        if let Err(e) = console.switch_workspace(&id).await {
            tracing::warn!(error = %e.message, "could not switch workspace from the tray");
        }
    });
}

/// Rebuilds the menu after the workspaces changed.
pub fn show_workspaces(app: &AppHandle, tray: &TrayIcon, workspaces: &[WorkspaceEntry]) {
    match menu(app, workspaces) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(e) => tracing::warn!(error = %e, "could not rebuild the tray menu"),
    }
}

/// Shows `overdue` conversations in the tray's tooltip and title.
pub fn show_overdue(tray: &TrayIcon, workspace: &str, overdue: u32) {
    let text = match overdue {
        0 => format!("Switchboard — {workspace} — nothing overdue"),
        1 => format!("Switchboard — {workspace} — 1 conversation overdue"),
        n => format!("Switchboard — {workspace} — {n} conversations overdue"),
    };
    let _ = tray.set_tooltip(Some(&text));
    let title = (overdue > 0).then(|| overdue.to_string());
    let _ = tray.set_title(title.as_deref());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quit_warning_says_notifications_stop() {
        assert_eq!(
            super::quit_warning(3),
            "3 conversations are overdue. Quit Switchboard? You will get no notifications \
             until you start it again."
        );
        assert!(super::quit_warning(1).starts_with("1 conversation is overdue. "));
    }
}
