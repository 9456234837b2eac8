//! Saved replies: the workspace's reusable answers, kept behind the event log (nothing is
//! deleted: archived ones stay), shared through the team in a team workspace, filled in
//! for a conversation (variables, placeholders).
//! (Contract stub: the saved-replies work fills it in.)

use switchboard_core::{
    ApiError, ErrorCode, FilledReply, PlaceholderAnswer, SavedReply, SavedReplyDraft,
};

use crate::Engine;

fn not_yet() -> ApiError {
    ApiError::new(ErrorCode::Internal, "Saved replies are not built yet.")
}

impl Engine {
    /// The workspace's saved replies.
    pub async fn list_saved_replies(&self) -> Result<Vec<SavedReply>, ApiError> {
        Ok(Vec::new())
    }

    /// Creates or changes a saved reply.
    pub async fn save_saved_reply(&self, _draft: SavedReplyDraft) -> Result<SavedReply, ApiError> {
        Err(not_yet())
    }

    /// Archives or restores saved reply `id`.
    pub async fn archive_saved_reply(
        &self,
        _id: &str,
        _archived: bool,
    ) -> Result<Vec<SavedReply>, ApiError> {
        Err(not_yet())
    }

    /// Saved reply `id` filled in for conversation `conversation_id`.
    pub async fn fill_saved_reply(
        &self,
        _conversation_id: i64,
        _id: &str,
        _answers: Vec<PlaceholderAnswer>,
    ) -> Result<FilledReply, ApiError> {
        Err(not_yet())
    }
}
