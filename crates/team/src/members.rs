//! The team's members as every member may read them: who they are, the queues they work
//! (their roles) and whether they lead — and the team's own name, and who published a
//! version of its policy ("policy v12 by Priya").

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

/// Who published a version of the team's policy, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPublished {
    /// The version.
    pub version: i32,
    /// The login role of the lead who published it.
    pub author: String,
    /// When, milliseconds since the Unix epoch (database clock).
    pub at_ms: i64,
}

impl TeamClient {
    /// The team's name.
    pub async fn team_name(&self) -> Result<String, TeamError> {
        let mut tx = self.begin().await?;
        let name: Option<String> =
            sqlx::query_scalar("SELECT name FROM switchboard.teams WHERE team_id = $1::uuid")
                .bind(self.team.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        tx.commit().await?;
        name.ok_or_else(|| TeamError::NotFound("this member's team no longer exists".into()))
    }

    /// Who published version `version` of the team's policy, and when (`None`: no such
    /// version).
    pub async fn policy_published(
        &self,
        version: i32,
    ) -> Result<Option<PolicyPublished>, TeamError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT version, author, (extract(epoch FROM created_at) * 1000)::int8 \
             FROM switchboard.policy WHERE team_id = $1::uuid AND version = $2",
        )
        .bind(self.team.to_string())
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.map(|r| {
            Ok(PolicyPublished {
                version: r.try_get(0)?,
                author: r.try_get(1)?,
                at_ms: r.try_get(2)?,
            })
        })
        .transpose()
    }

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
