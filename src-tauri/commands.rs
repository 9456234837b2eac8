//! Tauri commands: one line each into the console's open workspace. Errors reach the UI as
//! `{code, message}`.

use switchboard_core::{
    AccountView, AlertPreferences, ApiError, ConversationSummary, DoneReason, QueueId,
    QueueSummary, ResponseTimesReport, SignInOutcome, SignInRequest, Thread, WorkspaceEntry,
    WorkspaceInfo,
};
use switchboard_engine::Console;
use tauri::{AppHandle, Manager, State};

type Console_<'a> = State<'a, Console>;

#[tauri::command]
async fn workspace_info(console: Console_<'_>) -> Result<WorkspaceInfo, ApiError> {
    Ok(console.engine().await?.workspace_info())
}

#[tauri::command]
async fn list_queues(console: Console_<'_>) -> Result<Vec<QueueSummary>, ApiError> {
    console.engine().await?.list_queues().await
}

#[tauri::command]
async fn response_times(console: Console_<'_>, days: u32) -> Result<ResponseTimesReport, ApiError> {
    console.engine().await?.response_times(days).await
}

#[tauri::command]
async fn list_conversations(
    console: Console_<'_>,
    queue: QueueId,
) -> Result<Vec<ConversationSummary>, ApiError> {
    console.engine().await?.list_conversations(queue).await
}

#[tauri::command]
async fn get_thread(console: Console_<'_>, conversation_id: i64) -> Result<Thread, ApiError> {
    console.engine().await?.get_thread(conversation_id).await
}

#[tauri::command]
async fn claim(console: Console_<'_>, conversation_id: i64) -> Result<Thread, ApiError> {
    console.engine().await?.claim(conversation_id).await
}

#[tauri::command]
async fn release(console: Console_<'_>, conversation_id: i64) -> Result<Thread, ApiError> {
    console.engine().await?.release(conversation_id).await
}

#[tauri::command]
async fn hand_off(
    console: Console_<'_>,
    conversation_id: i64,
    queue: QueueId,
    note: String,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .hand_off(conversation_id, queue, note)
        .await
}

#[tauri::command]
async fn add_note(
    console: Console_<'_>,
    conversation_id: i64,
    note: String,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .add_note(conversation_id, note)
        .await
}

#[tauri::command]
async fn mark_done(
    console: Console_<'_>,
    conversation_id: i64,
    reason: DoneReason,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .mark_done(conversation_id, reason)
        .await
}

#[tauri::command]
async fn reopen(console: Console_<'_>, conversation_id: i64) -> Result<Thread, ApiError> {
    console.engine().await?.reopen(conversation_id).await
}

#[tauri::command]
async fn snooze(
    console: Console_<'_>,
    conversation_id: i64,
    minutes: u32,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .snooze(conversation_id, minutes)
        .await
}

#[tauri::command]
async fn send_reply(
    console: Console_<'_>,
    conversation_id: i64,
    text: String,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .send_reply(conversation_id, text)
        .await
}

#[tauri::command]
async fn retry_reply(
    console: Console_<'_>,
    conversation_id: i64,
    reply_id: i64,
) -> Result<Thread, ApiError> {
    console
        .engine()
        .await?
        .retry_reply(conversation_id, reply_id)
        .await
}

#[tauri::command]
async fn alert_preferences(console: Console_<'_>) -> Result<AlertPreferences, ApiError> {
    Ok(console.engine().await?.alert_preferences().await)
}

#[tauri::command]
async fn set_alert_preferences(
    console: Console_<'_>,
    preferences: AlertPreferences,
) -> Result<AlertPreferences, ApiError> {
    console
        .engine()
        .await?
        .set_alert_preferences(preferences)
        .await
}

#[tauri::command]
async fn pause_alerts(console: Console_<'_>, minutes: u32) -> Result<AlertPreferences, ApiError> {
    console.engine().await?.pause_alerts(minutes).await
}

#[tauri::command]
async fn list_workspaces(console: Console_<'_>) -> Result<Vec<WorkspaceEntry>, ApiError> {
    Ok(console.workspaces().await)
}

#[tauri::command]
async fn create_workspace(console: Console_<'_>, name: String) -> Result<WorkspaceEntry, ApiError> {
    console.create_workspace(&name).await
}

#[tauri::command]
async fn rename_workspace(
    console: Console_<'_>,
    id: String,
    name: String,
) -> Result<Vec<WorkspaceEntry>, ApiError> {
    console.rename_workspace(&id, &name).await
}

#[tauri::command]
async fn switch_workspace(console: Console_<'_>, id: String) -> Result<WorkspaceInfo, ApiError> {
    console.switch_workspace(&id).await
}

#[tauri::command]
async fn export_workspace_log(
    app: AppHandle,
    console: Console_<'_>,
    id: String,
) -> Result<String, ApiError> {
    let dir = crate::dirs::export_dir(&app);
    Ok(console.export_log(&id, &dir).await?.display().to_string())
}

#[tauri::command]
async fn remove_workspace(
    console: Console_<'_>,
    id: String,
) -> Result<Vec<WorkspaceEntry>, ApiError> {
    console.remove_workspace(&id).await
}

#[tauri::command]
async fn list_accounts(console: Console_<'_>) -> Result<Vec<AccountView>, ApiError> {
    Ok(console.engine().await?.list_accounts().await)
}

#[tauri::command]
async fn add_account(
    console: Console_<'_>,
    request: SignInRequest,
) -> Result<SignInOutcome, ApiError> {
    console.engine().await?.add_account(request).await
}

#[tauri::command]
async fn cancel_sign_in(console: Console_<'_>) -> Result<(), ApiError> {
    console.engine().await?.cancel_sign_in();
    Ok(())
}

#[tauri::command]
async fn confirm_account(
    console: Console_<'_>,
    pending: String,
    confirm: bool,
) -> Result<Option<AccountView>, ApiError> {
    console
        .engine()
        .await?
        .confirm_account(&pending, confirm)
        .await
}

#[tauri::command]
async fn remove_account(console: Console_<'_>, key: String) -> Result<Vec<AccountView>, ApiError> {
    console.engine().await?.remove_account(&key).await
}

/// The console, for code outside commands (tray, notifications).
pub fn console(app: &AppHandle) -> Option<State<'_, Console>> {
    app.try_state::<Console>()
}

/// The handler for every command of this module (listed in `build.rs` too).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        workspace_info,
        list_queues,
        response_times,
        list_conversations,
        get_thread,
        claim,
        release,
        hand_off,
        add_note,
        mark_done,
        reopen,
        snooze,
        send_reply,
        retry_reply,
        alert_preferences,
        set_alert_preferences,
        pause_alerts,
        list_workspaces,
        create_workspace,
        rename_workspace,
        switch_workspace,
        export_workspace_log,
        remove_workspace,
        list_accounts,
        add_account,
        cancel_sign_in,
        confirm_account,
        remove_account
    ]
}
