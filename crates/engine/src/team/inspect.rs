//! What a team workspace's replica can say about itself (the window's team state, and
//! the tests that compare replicas).

use switchboard_core::ApiError;
use switchboard_store::TeamClaim;

use crate::api::to_api;
use crate::Engine;

impl Engine {
    /// This laptop's record of its claim on conversation `id` (held, pending, lost or
    /// released), if it ever claimed it in a team workspace.
    pub async fn team_claim(&self, id: i64) -> Result<Option<TeamClaim>, ApiError> {
        let thread = self.shared.store.thread_key(id).await.map_err(to_api)?;
        self.shared.store.team_claim(&thread).await.map_err(to_api)
    }

    /// The id of the conversation of thread `thread_key` in this workspace, if stored.
    pub async fn conversation_of_thread(&self, thread_key: &str) -> Result<Option<i64>, ApiError> {
        self.shared
            .store
            .conversation_id(thread_key)
            .await
            .map_err(to_api)
    }

    /// A fingerprint of every conversation as this replica has it, without local ids:
    /// equal on two replicas when they agree.
    pub async fn replica_fingerprint(&self) -> Result<String, ApiError> {
        self.shared
            .store
            .projection_fingerprint()
            .await
            .map_err(to_api)
    }

    /// The name this laptop records actions under (in a team: the member's login role).
    pub fn me(&self) -> &str {
        &self.shared.me
    }
}
