//! Trainees' replies: queued as awaiting a lead's approval, posted only once a lead
//! approves (by the lead's laptop, exactly once), never when rejected.

use switchboard_core::{ApiError, ErrorCode, Thread};

use crate::Engine;

impl Engine {
    /// A lead approves the trainee's reply `approval` in conversation `id`, optionally
    /// edited; this laptop posts it.
    pub async fn approve_reply(
        &self,
        _id: i64,
        _approval: String,
        _text: Option<String>,
    ) -> Result<Thread, ApiError> {
        // TODO(issue 17): built by the approval work.
        Err(ApiError::new(ErrorCode::NotAllowed, "Not built yet."))
    }

    /// A lead rejects the trainee's reply `approval` in conversation `id`.
    pub async fn reject_reply(
        &self,
        _id: i64,
        _approval: String,
        _reason: String,
    ) -> Result<Thread, ApiError> {
        // TODO(issue 17): built by the approval work.
        Err(ApiError::new(ErrorCode::NotAllowed, "Not built yet."))
    }
}
