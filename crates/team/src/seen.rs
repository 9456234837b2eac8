//! What a laptop sees of the team's progress: when each member's laptop was last
//! connected — a **heartbeat** per member and device (`member_seen`), written by the
//! laptop every few seconds while it can reach the database, read as "online now" /
//! "last seen" in the members panel — and the **head** of the shared log (how far behind
//! a replica that is catching up is).

use sqlx::Row;

use crate::client::TeamClient;
use crate::TeamError;

impl TeamClient {
    /// Records that this member's laptop (this device) is connected now.
    pub async fn heartbeat(&self) -> Result<(), TeamError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO switchboard.member_seen AS s (team_id, device) VALUES ($1::uuid, $2) \
             ON CONFLICT (team_id, member, device) DO UPDATE SET seen_at = now()",
        )
        .bind(self.team.to_string())
        .bind(&self.device)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// For each member who ever connected: their login role and when one of their
    /// laptops was last connected (milliseconds since the Unix epoch, database clock).
    pub async fn member_seen(&self) -> Result<Vec<(String, i64)>, TeamError> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT member, (extract(epoch FROM max(seen_at)) * 1000)::int8 \
             FROM switchboard.member_seen WHERE team_id = $1::uuid \
             GROUP BY member ORDER BY member",
        )
        .bind(self.team.to_string())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// The highest server sequence in the team's log (0: empty).
    pub async fn log_head(&self) -> Result<i64, TeamError> {
        let mut tx = self.begin().await?;
        let head: Option<i64> = sqlx::query_scalar(
            "SELECT max(server_seq) FROM switchboard.events WHERE team_id = $1::uuid",
        )
        .bind(self.team.to_string())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(head.unwrap_or(0))
    }
}
