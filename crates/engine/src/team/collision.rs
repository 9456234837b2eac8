//! Collision checks at send time: a teammate's reply, queued reply or claim since the
//! person opened the conversation (or someone else's live claim) is pointed out before a
//! reply goes; sending anyway is logged.

use switchboard_core::{ApiError, Thread};

use crate::Engine;

impl Engine {
    /// [`Engine::send_reply_once`] after the collision checks (team workspaces only).
    pub async fn send_reply_checked(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        _seen_version: Option<i64>,
        _send_anyway: bool,
    ) -> Result<Thread, ApiError> {
        // TODO(issue 17): built by the collision work.
        self.send_reply_once(id, text, idempotency_key).await
    }
}
