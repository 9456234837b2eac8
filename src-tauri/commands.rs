//! Tauri commands: one line each into the engine. Errors reach the UI as `{code, message}`.

use switchboard_core::{
    AlertPreferences, ApiError, ConversationSummary, DoneReason, QueueId, QueueSummary, Thread,
    WorkspaceInfo,
};
use switchboard_engine::Engine;
use tauri::State;

#[tauri::command]
fn workspace_info(engine: State<'_, Engine>) -> WorkspaceInfo {
    engine.workspace_info()
}

#[tauri::command]
async fn list_queues(engine: State<'_, Engine>) -> Result<Vec<QueueSummary>, ApiError> {
    engine.list_queues().await
}

#[tauri::command]
async fn list_conversations(
    engine: State<'_, Engine>,
    queue: QueueId,
) -> Result<Vec<ConversationSummary>, ApiError> {
    engine.list_conversations(queue).await
}

#[tauri::command]
async fn get_thread(engine: State<'_, Engine>, conversation_id: i64) -> Result<Thread, ApiError> {
    engine.get_thread(conversation_id).await
}

#[tauri::command]
async fn claim(engine: State<'_, Engine>, conversation_id: i64) -> Result<Thread, ApiError> {
    engine.claim(conversation_id).await
}

#[tauri::command]
async fn release(engine: State<'_, Engine>, conversation_id: i64) -> Result<Thread, ApiError> {
    engine.release(conversation_id).await
}

#[tauri::command]
async fn hand_off(
    engine: State<'_, Engine>,
    conversation_id: i64,
    queue: QueueId,
    note: String,
) -> Result<Thread, ApiError> {
    engine.hand_off(conversation_id, queue, note).await
}

#[tauri::command]
async fn add_note(
    engine: State<'_, Engine>,
    conversation_id: i64,
    note: String,
) -> Result<Thread, ApiError> {
    engine.add_note(conversation_id, note).await
}

#[tauri::command]
async fn mark_done(
    engine: State<'_, Engine>,
    conversation_id: i64,
    reason: DoneReason,
) -> Result<Thread, ApiError> {
    engine.mark_done(conversation_id, reason).await
}

#[tauri::command]
async fn reopen(engine: State<'_, Engine>, conversation_id: i64) -> Result<Thread, ApiError> {
    engine.reopen(conversation_id).await
}

#[tauri::command]
async fn snooze(
    engine: State<'_, Engine>,
    conversation_id: i64,
    minutes: u32,
) -> Result<Thread, ApiError> {
    engine.snooze(conversation_id, minutes).await
}

#[tauri::command]
async fn alert_preferences(engine: State<'_, Engine>) -> Result<AlertPreferences, ApiError> {
    Ok(engine.alert_preferences().await)
}

#[tauri::command]
async fn set_alert_preferences(
    engine: State<'_, Engine>,
    preferences: AlertPreferences,
) -> Result<AlertPreferences, ApiError> {
    engine.set_alert_preferences(preferences).await
}

#[tauri::command]
async fn pause_alerts(
    engine: State<'_, Engine>,
    minutes: u32,
) -> Result<AlertPreferences, ApiError> {
    engine.pause_alerts(minutes).await
}

/// The handler for every command of this module (listed in `build.rs` too).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        workspace_info,
        list_queues,
        list_conversations,
        get_thread,
        claim,
        release,
        hand_off,
        add_note,
        mark_done,
        reopen,
        snooze,
        alert_preferences,
        set_alert_preferences,
        pause_alerts
    ]
}
