//! The bridge's routes: the engine's commands under `/api` (bearer token required) and
//! the UI.
//!
//! Every command of `switchboard_engine::commands` (the one list the desktop app also
//! answers from) is `POST /api/commands/{name}` with its arguments as a JSON object
//! (camelCase keys, as the app's IPC takes them); the answer is its JSON. `GET
//! /api/changes` tells polling windows when something changed. Every refusal — a missing
//! token, unreadable JSON, wrong or missing arguments, an unknown command or route, a
//! wrong method — is the `{code, message}` body of [`ApiError`].

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use switchboard_core::{ApiError, ErrorCode};
use switchboard_engine::commands::{dispatch, CallContext};
use switchboard_engine::Console;

#[derive(Clone)]
pub(crate) struct Bridge {
    pub console: Arc<Console>,
    token: Arc<str>,
}

/// All routes.
pub fn router(console: Arc<Console>, token: String, ui_dir: PathBuf) -> Router {
    let bridge = Bridge {
        console,
        token: token.into(),
    };
    let api = Router::new()
        .route("/commands/{name}", post(command).fallback(wrong_method))
        .route("/changes", get(changes).fallback(wrong_method))
        .fallback(no_route)
        .layer(middleware::from_fn_with_state(
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
            ErrorCode::NoWorkspace
            | ErrorCode::WorkspaceChanged
            | ErrorCode::Collision
            | ErrorCode::Guardrail
            | ErrorCode::WindowClosed => StatusCode::CONFLICT,
            ErrorCode::SignInAgain => StatusCode::UNAUTHORIZED,
            ErrorCode::Platform => StatusCode::BAD_GATEWAY,
            ErrorCode::Keychain | ErrorCode::Storage | ErrorCode::Internal => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(self.0)).into_response()
    }
}

fn invalid(message: impl Into<String>) -> ApiFailure {
    ApiFailure(ApiError::new(ErrorCode::InvalidInput, message))
}

/// `POST /api/commands/{name}`: runs the command with the JSON body as its arguments.
async fn command(
    State(b): State<Bridge>,
    name: Result<Path<String>, PathRejection>,
    body: Body,
) -> Result<Json<serde_json::Value>, ApiFailure> {
    let Path(name) = name.map_err(|e| invalid(format!("The command name is unreadable ({e}).")))?;
    let body = read_body(body).await?;
    let args = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            invalid(format!(
                "The body of `{name}` is not a JSON object of arguments ({e})."
            ))
        })?
    };
    if !matches!(args, serde_json::Value::Object(_) | serde_json::Value::Null) {
        return Err(invalid(format!(
            "The body of `{name}` must be a JSON object of arguments."
        )));
    }
    let context = CallContext {
        export_dir: std::env::var_os("SWITCHBOARD_EXPORT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir),
    };
    dispatch(&b.console, &context, &name, args)
        .await
        .map(Json)
        .map_err(ApiFailure)
}

/// The largest command body kept (arguments are small; a reply is at most 10,000
/// characters).
const MAX_BODY: usize = 2 << 20;
/// How much of an oversized body is still read (and dropped) before answering, so that the
/// client has sent it all and reads the refusal instead of a reset connection.
const DRAIN_LIMIT: usize = 16 << 20;

/// Reads a command's body: up to [`MAX_BODY`] bytes, else refused in plain words once the
/// rest (up to [`DRAIN_LIMIT`]) has been read.
async fn read_body(mut body: Body) -> Result<Vec<u8>, ApiFailure> {
    use http_body_util::BodyExt;
    let mut kept = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| invalid(format!("The request body is unreadable ({e}).")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len();
        if total <= MAX_BODY {
            kept.extend_from_slice(&data);
        } else if total > DRAIN_LIMIT {
            break;
        }
    }
    if total > MAX_BODY {
        return Err(invalid(format!(
            "The request body is too large: at most {} MiB.",
            MAX_BODY >> 20
        )));
    }
    Ok(kept)
}

async fn changes(State(b): State<Bridge>) -> Json<serde_json::Value> {
    let version = match b.console.try_engine().await {
        Some(engine) => engine.change_version(),
        None => 0,
    };
    Json(serde_json::json!({ "version": version }))
}

async fn no_route(request: Request) -> ApiFailure {
    ApiFailure(ApiError::new(
        ErrorCode::NotFound,
        format!(
            "The bridge has no route {} {}; commands are POST /api/commands/{{name}}.",
            request.method(),
            request.uri().path()
        ),
    ))
}

async fn wrong_method(request: Request) -> Response {
    let error = ApiError::new(
        ErrorCode::InvalidInput,
        format!(
            "{} is not how {} is called (commands are POST, changes are GET).",
            request.method(),
            request.uri().path()
        ),
    );
    (StatusCode::METHOD_NOT_ALLOWED, Json(error)).into_response()
}
