//! Presence: who is viewing or replying to which conversation, right now.
//!
//! One row per member and device, with a short expiry: a laptop announces again while
//! the person stays on the conversation, and a laptop that went to sleep simply drops
//! out when its row expires. A member can only announce herself. Leaving ([`TeamClient::leave`])
//! expires this device's row at once. Every announce or leave wakes the team's listeners
//! ([`crate::Wake::Presence`]).

use std::time::Duration;

use sqlx::Row;

use crate::client::{seconds, TeamClient};
use crate::TeamError;

/// What a person is doing on a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// Has it open.
    Viewing,
    /// Is writing a reply.
    Replying,
}

impl Activity {
    fn as_str(self) -> &'static str {
        match self {
            Activity::Viewing => "viewing",
            Activity::Replying => "replying",
        }
    }
}

/// One live presence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// The member's login role.
    pub member: String,
    /// Their device.
    pub device: String,
    /// The conversation.
    pub conversation: String,
    /// Viewing or replying.
    pub activity: Activity,
    /// Until when, milliseconds since the Unix epoch (database clock).
    pub until_ms: i64,
}

impl TeamClient {
    /// Announces that this member, on this device, is doing `activity` on `conversation`
    /// for `ttl`.
    pub async fn announce(
        &self,
        conversation: &str,
        activity: Activity,
        ttl: Duration,
    ) -> Result<(), TeamError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO switchboard.presence AS p (team_id, device, conversation, activity, expires_at) \
             VALUES ($1::uuid, $2, $3, $4, now() + make_interval(secs => $5)) \
             ON CONFLICT (team_id, member, device) DO UPDATE \
               SET conversation = EXCLUDED.conversation, activity = EXCLUDED.activity, \
                   expires_at = EXCLUDED.expires_at",
        )
        .bind(self.team.to_string())
        .bind(&self.device)
        .bind(conversation)
        .bind(activity.as_str())
        .bind(seconds(ttl))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends this member's presence on this device now (the conversation was closed).
    pub async fn leave(&self) -> Result<(), TeamError> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE switchboard.presence SET expires_at = now() \
             WHERE team_id = $1::uuid AND member = current_user AND device = $2 \
               AND expires_at > now()",
        )
        .bind(self.team.to_string())
        .bind(&self.device)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everyone's live presence in the team (expired rows are left out).
    pub async fn presence(&self) -> Result<Vec<Presence>, TeamError> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT member, device, conversation, activity, \
               (extract(epoch FROM expires_at) * 1000)::int8 \
             FROM switchboard.presence WHERE team_id = $1::uuid AND expires_at > now() \
             ORDER BY member, device",
        )
        .bind(self.team.to_string())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                let activity: String = r.try_get(3)?;
                Ok(Presence {
                    member: r.try_get(0)?,
                    device: r.try_get(1)?,
                    conversation: r.try_get(2)?,
                    activity: if activity == "replying" {
                        Activity::Replying
                    } else {
                        Activity::Viewing
                    },
                    until_ms: r.try_get(4)?,
                })
            })
            .collect()
    }
}
