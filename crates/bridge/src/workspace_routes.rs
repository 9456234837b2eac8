//! Routes for work profiles, brand accounts and reply retries.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use switchboard_core::{AccountView, SignInOutcome, SignInRequest, Thread, WorkspaceEntry};

use crate::routes::{ApiFailure, ApiResult, Bridge};

pub(crate) fn routes() -> Router<Bridge> {
    Router::new()
        .route("/workspaces", get(list).post(create))
        .route("/workspaces/{id}", put(rename).delete(remove))
        .route("/workspaces/{id}/switch", post(switch))
        .route("/workspaces/{id}/export", post(export))
        .route("/accounts", get(accounts).post(add_account))
        .route("/accounts/cancel", post(cancel_sign_in))
        .route("/accounts/confirm", post(confirm_account))
        .route("/accounts/{key}", axum::routing::delete(remove_account))
        .route(
            "/conversations/{id}/replies/{reply}/retry",
            post(retry_reply),
        )
}

#[derive(serde::Deserialize)]
struct NameBody {
    name: String,
}

async fn list(State(b): State<Bridge>) -> Json<Vec<WorkspaceEntry>> {
    Json(b.console.workspaces().await)
}

async fn create(State(b): State<Bridge>, Json(body): Json<NameBody>) -> ApiResult<WorkspaceEntry> {
    b.console
        .create_workspace(&body.name)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn rename(
    State(b): State<Bridge>,
    Path(id): Path<String>,
    Json(body): Json<NameBody>,
) -> ApiResult<Vec<WorkspaceEntry>> {
    b.console
        .rename_workspace(&id, &body.name)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn remove(State(b): State<Bridge>, Path(id): Path<String>) -> ApiResult<Vec<WorkspaceEntry>> {
    b.console
        .remove_workspace(&id)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn switch(
    State(b): State<Bridge>,
    Path(id): Path<String>,
) -> ApiResult<switchboard_core::WorkspaceInfo> {
    b.console
        .switch_workspace(&id)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn export(State(b): State<Bridge>, Path(id): Path<String>) -> ApiResult<String> {
    let dir = std::env::var_os("SWITCHBOARD_EXPORT_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    b.console
        .export_log(&id, &dir)
        .await
        .map(|p| Json(p.display().to_string()))
        .map_err(ApiFailure)
}

async fn accounts(State(b): State<Bridge>) -> ApiResult<Vec<AccountView>> {
    Ok(Json(b.engine().await?.list_accounts().await))
}

async fn add_account(
    State(b): State<Bridge>,
    Json(request): Json<SignInRequest>,
) -> ApiResult<SignInOutcome> {
    b.engine()
        .await?
        .add_account(request)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn cancel_sign_in(State(b): State<Bridge>) -> ApiResult<()> {
    b.engine().await?.cancel_sign_in();
    Ok(Json(()))
}

#[derive(serde::Deserialize)]
struct ConfirmBody {
    pending: String,
    confirm: bool,
}

async fn confirm_account(
    State(b): State<Bridge>,
    Json(body): Json<ConfirmBody>,
) -> ApiResult<Option<AccountView>> {
    b.engine()
        .await?
        .confirm_account(&body.pending, body.confirm)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn remove_account(
    State(b): State<Bridge>,
    Path(key): Path<String>,
) -> ApiResult<Vec<AccountView>> {
    b.engine()
        .await?
        .remove_account(&key)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn retry_reply(
    State(b): State<Bridge>,
    Path((id, reply)): Path<(i64, i64)>,
) -> ApiResult<Thread> {
    b.engine()
        .await?
        .retry_reply(id, reply)
        .await
        .map(Json)
        .map_err(ApiFailure)
}
