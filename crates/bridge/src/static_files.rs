//! Serves the built UI from a directory: `/` is `index.html`; only plain relative paths
//! inside the directory are served (no `..`, no absolute paths).

use std::path::{Component, Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The file for `request`'s path, or 404.
pub async fn serve(ui_dir: PathBuf, request: Request) -> Response {
    let wanted = request.uri().path().trim_start_matches('/');
    let wanted = if wanted.is_empty() {
        "index.html"
    } else {
        wanted
    };
    let relative = Path::new(wanted);
    let plain = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(ui_dir.join(relative)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type(relative))], bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}
