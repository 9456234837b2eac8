//! Tauri commands: one line each into the engine. Errors reach the UI as `{code, message}`.

use switchboard_core::{
    ApiError, ConversationSummary, QueueId, QueueSummary, Thread, WorkspaceInfo,
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

/// The handler for every command of this module (listed in `build.rs` too).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![workspace_info, list_queues, list_conversations, get_thread]
}
