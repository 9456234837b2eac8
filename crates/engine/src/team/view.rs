//! The team in the window: the team's view (members, link, policy version) and this
//! person's presence on conversations.

use switchboard_core::{Activity, ApiError, TeamView};

use crate::Engine;

impl Engine {
    /// In a team workspace: the team, its members and the link's state; `None` otherwise.
    pub async fn team_view(&self) -> Result<Option<TeamView>, ApiError> {
        // TODO(issue 17): built by the team-view work.
        Ok(None)
    }

    /// Tells teammates what this person is doing on conversation `conversation_id`
    /// (`None`: nothing). Does nothing outside a team.
    pub async fn set_presence(
        &self,
        _conversation_id: Option<i64>,
        _activity: Option<Activity>,
    ) -> Result<(), ApiError> {
        // TODO(issue 17): built by the team-view work.
        Ok(())
    }
}
