//! Declares the app's own commands so that each needs an explicit permission in
//! `capabilities/` (nothing is callable from the UI unless a capability allows it).

/// The commands `src-tauri/commands.rs` registers.
const COMMANDS: &[&str] = &[
    "workspace_info",
    "list_queues",
    "response_times",
    "list_conversations",
    "get_thread",
    "claim",
    "release",
    "hand_off",
    "add_note",
    "mark_done",
    "reopen",
    "snooze",
    "send_reply",
    "retry_reply",
    "alert_preferences",
    "set_alert_preferences",
    "pause_alerts",
    "list_workspaces",
    "create_workspace",
    "rename_workspace",
    "switch_workspace",
    "export_workspace_log",
    "remove_workspace",
    "list_accounts",
    "add_account",
    "cancel_sign_in",
    "confirm_account",
    "remove_account",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build configuration");
}
