//! The team's members as every member may read them: who they are, the queues they work
//! (their roles) and whether they lead.

use sqlx::Row;

use crate::client::TeamClient;
use crate::TeamError;

/// One member of the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Their login role (what the log's `author` says).
    pub login_role: String,
    /// Their name.
    pub name: String,
    /// The queues they work.
    pub queues: Vec<String>,
    /// Whether they lead.
    pub lead: bool,
    /// Whether their replies wait for a lead's approval.
    pub trainee: bool,
}

impl TeamClient {
    /// The team's current members (removed ones left out), by name.
    pub async fn members(&self) -> Result<Vec<Member>, TeamError> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT login_role, name, queues, lead, trainee FROM switchboard.members \
             WHERE team_id = $1::uuid AND removed_at IS NULL ORDER BY name",
        )
        .bind(self.team.to_string())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Member {
                    login_role: r.try_get(0)?,
                    name: r.try_get(1)?,
                    queues: r.try_get(2)?,
                    lead: r.try_get(3)?,
                    trainee: r.try_get(4)?,
                })
            })
            .collect()
    }
}
