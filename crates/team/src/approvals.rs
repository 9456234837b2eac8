//! Leads' decisions on trainees' replies: one per reply, the first one wins.
//!
//! A trainee's reply waits for a lead's approval under its **approval** id (a UUID minted
//! by the trainee's laptop). A lead **decides** it — approved or rejected — with one
//! `INSERT` into `switchboard.approvals`, whose primary key `(team_id, approval)` lets
//! only the first decision in; row-level security lets only a current lead insert, under
//! their own login role. A second lead (or the same lead again, e.g. after a crash) is
//! told who decided first and how, so an approved reply is posted by exactly one laptop.

use sqlx::Row;

use crate::client::TeamClient;
use crate::TeamError;

/// What deciding a reply came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// This decision is the one.
    Decided,
    /// Someone decided first (maybe this member, earlier).
    AlreadyDecided {
        /// Who decided (login role).
        by: String,
        /// Whether they approved.
        approved: bool,
    },
}

/// PostgreSQL's `insufficient_privilege`: what row-level security answers a non-lead.
const INSUFFICIENT_PRIVILEGE: &str = "42501";

impl TeamClient {
    /// Records this member's decision on the trainee's reply `approval` — approved with
    /// the `text` to post, or rejected (`None`) — unless someone decided it first.
    /// Refused with [`TeamError::NotALead`] when the member does not lead.
    pub async fn decide(&self, approval: &str, text: Option<&str>) -> Result<Decided, TeamError> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO switchboard.approvals (team_id, approval, approved, text) \
             VALUES ($1::uuid, $2, $3, $4) ON CONFLICT (team_id, approval) DO NOTHING \
             RETURNING decided_by",
        )
        .bind(self.team.to_string())
        .bind(approval)
        .bind(text.is_some())
        .bind(text)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|db| db.code()) {
            Some(code) if code == INSUFFICIENT_PRIVILEGE => TeamError::NotALead,
            _ => TeamError::Database(e),
        })?;
        let decided = if inserted.is_some() {
            Decided::Decided
        } else {
            let row = sqlx::query(
                "SELECT decided_by, approved FROM switchboard.approvals \
                 WHERE team_id = $1::uuid AND approval = $2",
            )
            .bind(self.team.to_string())
            .bind(approval)
            .fetch_one(&mut *tx)
            .await?;
            Decided::AlreadyDecided {
                by: row.try_get(0)?,
                approved: row.try_get(1)?,
            }
        };
        tx.commit().await?;
        Ok(decided)
    }

    /// The decision on `approval`, if any: who decided and whether they approved.
    pub async fn decision(&self, approval: &str) -> Result<Option<(String, bool)>, TeamError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT decided_by, approved FROM switchboard.approvals \
             WHERE team_id = $1::uuid AND approval = $2",
        )
        .bind(self.team.to_string())
        .bind(approval)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// The text this member approved for `approval`, when they approved it (what their
    /// laptop must post, also after it stopped between deciding and queueing).
    pub async fn approved_by_me(&self, approval: &str) -> Result<Option<String>, TeamError> {
        let mut tx = self.begin().await?;
        let text: Option<Option<String>> = sqlx::query_scalar(
            "SELECT text FROM switchboard.approvals \
             WHERE team_id = $1::uuid AND approval = $2 AND approved \
               AND decided_by = current_user",
        )
        .bind(self.team.to_string())
        .bind(approval)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(text.flatten())
    }
}
