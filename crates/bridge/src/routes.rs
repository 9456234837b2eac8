//! The bridge's routes: the engine API under `/api` (bearer token required) and the UI.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use switchboard_core::{AlertPreferences, ApiError, ErrorCode, QueueId};
use switchboard_engine::{Console, Engine};

#[derive(Clone)]
pub(crate) struct Bridge {
    pub console: Arc<Console>,
    token: Arc<str>,
}

impl Bridge {
    /// The open workspace's engine.
    pub async fn engine(&self) -> Result<Arc<Engine>, ApiFailure> {
        self.console.engine().await.map_err(ApiFailure)
    }
}

/// All routes.
pub fn router(console: Arc<Console>, token: String, ui_dir: PathBuf) -> Router {
    let bridge = Bridge {
        console,
        token: token.into(),
    };
    let api = Router::new()
        .route("/workspace", get(workspace))
        .route("/queues", get(queues))
        .route("/response-times", get(response_times))
        .route("/queues/{queue}/conversations", get(conversations))
        .route("/conversations/{id}", get(thread))
        .route("/changes", get(changes))
        .route("/conversations/{id}/{action}", post(act))
        .route("/alerts", get(alert_preferences).put(set_alert_preferences))
        .route("/alerts/pause", post(pause_alerts))
        .merge(crate::workspace_routes::routes())
        .route_layer(middleware::from_fn_with_state(
            bridge.clone(),
            require_token,
        ))
        .with_state(bridge);
    Router::new()
        .nest("/api", api)
        .fallback(get(move |request: Request| {
            crate::static_files::serve(ui_dir.clone(), request)
        }))
}

/// Refuses API calls without the bridge's bearer token.
async fn require_token(State(bridge): State<Bridge>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq(presented.as_bytes(), bridge.token.as_bytes()) {
        next.run(request).await
    } else {
        let error = ApiError::new(
            ErrorCode::InvalidInput,
            "The bridge token is missing or wrong. Open the URL the bridge printed.",
        );
        (StatusCode::UNAUTHORIZED, Json(error)).into_response()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An engine error as an HTTP response with the `{code, message}` body.
pub(crate) struct ApiFailure(pub ApiError);

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status = match self.0.code {
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::InvalidInput => StatusCode::BAD_REQUEST,
            ErrorCode::NotAllowed => StatusCode::FORBIDDEN,
            ErrorCode::NoWorkspace => StatusCode::CONFLICT,
            ErrorCode::SignInAgain => StatusCode::UNAUTHORIZED,
            ErrorCode::Platform => StatusCode::BAD_GATEWAY,
            ErrorCode::Keychain | ErrorCode::Storage | ErrorCode::Internal => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(self.0)).into_response()
    }
}

pub(crate) type ApiResult<T> = Result<Json<T>, ApiFailure>;

async fn workspace(State(b): State<Bridge>) -> ApiResult<switchboard_core::WorkspaceInfo> {
    Ok(Json(b.engine().await?.workspace_info()))
}

async fn queues(State(b): State<Bridge>) -> ApiResult<Vec<switchboard_core::QueueSummary>> {
    b.engine()
        .await?
        .list_queues()
        .await
        .map(Json)
        .map_err(ApiFailure)
}

/// `?days=N` of [`response_times`].
#[derive(serde::Deserialize)]
struct Period {
    days: u32,
}

async fn response_times(
    State(b): State<Bridge>,
    Query(period): Query<Period>,
) -> ApiResult<switchboard_core::ResponseTimesReport> {
    b.engine()
        .await?
        .response_times(period.days)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn conversations(
    State(b): State<Bridge>,
    Path(queue): Path<String>,
) -> ApiResult<Vec<switchboard_core::ConversationSummary>> {
    b.engine()
        .await?
        .list_conversations(QueueId(queue))
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn thread(
    State(b): State<Bridge>,
    Path(id): Path<i64>,
) -> ApiResult<switchboard_core::Thread> {
    b.engine()
        .await?
        .get_thread(id)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

/// The body of an action: only the fields the action needs.
#[derive(serde::Deserialize, Default)]
struct ActionBody {
    queue: Option<QueueId>,
    note: Option<String>,
    reason: Option<switchboard_core::DoneReason>,
    minutes: Option<u32>,
    text: Option<String>,
}

async fn act(
    State(b): State<Bridge>,
    Path((id, action)): Path<(i64, String)>,
    body: Option<Json<ActionBody>>,
) -> ApiResult<switchboard_core::Thread> {
    let Json(body) = body.unwrap_or_default();
    let missing = |what: &str| {
        ApiFailure(ApiError::new(
            ErrorCode::InvalidInput,
            format!("`{action}` needs `{what}`"),
        ))
    };
    let engine = b.engine().await?;
    let result = match action.as_str() {
        "reply" => engine.send_reply(id, body.text.unwrap_or_default()).await,
        "claim" => engine.claim(id).await,
        "release" => engine.release(id).await,
        "reopen" => engine.reopen(id).await,
        "hand_off" => {
            let queue = body.queue.ok_or_else(|| missing("queue"))?;
            engine
                .hand_off(id, queue, body.note.unwrap_or_default())
                .await
        }
        "add_note" => engine.add_note(id, body.note.unwrap_or_default()).await,
        "mark_done" => {
            engine
                .mark_done(id, body.reason.ok_or_else(|| missing("reason"))?)
                .await
        }
        "snooze" => {
            engine
                .snooze(id, body.minutes.ok_or_else(|| missing("minutes"))?)
                .await
        }
        other => Err(ApiError::new(
            ErrorCode::NotFound,
            format!("There is no action `{other}`."),
        )),
    };
    result.map(Json).map_err(ApiFailure)
}

async fn alert_preferences(State(b): State<Bridge>) -> ApiResult<AlertPreferences> {
    Ok(Json(b.engine().await?.alert_preferences().await))
}

async fn set_alert_preferences(
    State(b): State<Bridge>,
    Json(preferences): Json<AlertPreferences>,
) -> ApiResult<AlertPreferences> {
    b.engine()
        .await?
        .set_alert_preferences(preferences)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

#[derive(serde::Deserialize)]
struct PauseBody {
    minutes: u32,
}

async fn pause_alerts(
    State(b): State<Bridge>,
    Json(body): Json<PauseBody>,
) -> ApiResult<AlertPreferences> {
    b.engine()
        .await?
        .pause_alerts(body.minutes)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

async fn changes(State(b): State<Bridge>) -> Json<serde_json::Value> {
    let version = match b.console.try_engine().await {
        Some(engine) => engine.change_version(),
        None => 0,
    };
    Json(serde_json::json!({ "version": version }))
}
