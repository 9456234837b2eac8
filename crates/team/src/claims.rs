//! Claims: who works on a conversation, decided in one place.
//!
//! A claim is a **lease**: one row per conversation with its holder (a member's login
//! role), the holder's device, an expiry and a **fence** — a number that grows whenever
//! the claim changes hands (or is granted again after it expired), so anything done
//! under an older fence can be recognised as stale. The holder renews the lease while
//! working on the conversation; a laptop that went to sleep loses it at expiry.
//!
//! A claim is granted by one statement: `INSERT … ON CONFLICT DO UPDATE … WHERE the
//! claim expired OR its holder is me RETURNING fence`. Concurrent claimers queue on the
//! row; the first one wins and the others find a live claim of someone else and get no
//! row back. The statement runs inside the database function `switchboard.claim` (see
//! the migration), so a claim takes one round trip and the row is never locked while a
//! laptop's packets travel. A `claimed` event is appended in the same transaction only when a row comes
//! back. Taking over a live claim is an explicit act ([`TeamClient::take_over`]), logged
//! as a `claim_taken_over` event. All times are the database's clock (`now()`): laptops'
//! clocks disagree, the server's is the one clock everybody shares.

use std::time::Duration;

use serde_json::json;
use sqlx::Row;

use crate::client::{insert_events, seconds, TeamClient};
use crate::event::{NewEvent, Stamp};
use crate::TeamError;

/// The answer to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// The claim is this member's, under `fence`, until `expires_at_ms`.
    Granted {
        /// The claim's fence.
        fence: i64,
        /// Expiry, milliseconds since the Unix epoch (database clock).
        expires_at_ms: i64,
    },
    /// Someone else holds a live claim.
    Held {
        /// The holder's login role.
        holder: String,
        /// The holder's device.
        device: String,
        /// Until when, milliseconds since the Unix epoch (database clock).
        until_ms: i64,
    },
}

const EXPIRY_MS: &str = "(extract(epoch FROM expires_at) * 1000)::int8";

impl TeamClient {
    /// Claims `conversation` for the connected member on this device for `ttl`. Granted
    /// when nobody holds it, its claim expired, or the member already holds it (then
    /// it is renewed and the fence stays). The `claimed` event carries `stamp`.
    pub async fn claim(
        &self,
        conversation: &str,
        ttl: Duration,
        stamp: Stamp,
    ) -> Result<ClaimOutcome, TeamError> {
        // One round trip: `switchboard.claim` (see the migration) sets the team for its
        // transaction, runs the upsert and appends the `claimed` event when granted.
        let row = sqlx::query(
            "SELECT granted, fence, holder, device, expires_at_ms \
             FROM switchboard.claim($1::uuid, $2, $3, $4, $5::uuid, $6)",
        )
        .bind(self.team.to_string())
        .bind(conversation)
        .bind(&self.device)
        .bind(seconds(ttl))
        .bind(stamp.event_id.to_string())
        .bind(stamp.device_seq)
        .fetch_one(&self.pool)
        .await?;
        let granted: bool = row.try_get(0)?;
        Ok(if granted {
            ClaimOutcome::Granted {
                fence: row.try_get(1)?,
                expires_at_ms: row.try_get(4)?,
            }
        } else {
            ClaimOutcome::Held {
                holder: row.try_get(2)?,
                device: row.try_get(3)?,
                until_ms: row.try_get(4)?,
            }
        })
    }

    /// Extends this member's claim under `fence` by `ttl` from now; returns the new
    /// expiry. Refused with [`TeamError::FenceMoved`] when the claim changed hands.
    pub async fn renew_claim(
        &self,
        conversation: &str,
        fence: i64,
        ttl: Duration,
    ) -> Result<i64, TeamError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE switchboard.claims SET expires_at = now() + make_interval(secs => $4) \
             WHERE team_id = $1::uuid AND conversation = $2 AND holder = current_user AND fence = $3 \
             RETURNING {EXPIRY_MS}"
        )))
        .bind(self.team.to_string())
        .bind(conversation)
        .bind(fence)
        .bind(seconds(ttl))
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        match row {
            Some(row) => Ok(row.try_get(0)?),
            None => Err(claim_fence_moved(conversation, fence)),
        }
    }

    /// Gives up this member's claim under `fence` (it expires now; the next grant gets a
    /// new fence) and appends a `claim_released` event. Refused when the claim changed
    /// hands.
    pub async fn release_claim(
        &self,
        conversation: &str,
        fence: i64,
        stamp: Stamp,
    ) -> Result<(), TeamError> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE switchboard.claims SET expires_at = now() \
             WHERE team_id = $1::uuid AND conversation = $2 AND holder = current_user AND fence = $3",
        )
        .bind(self.team.to_string())
        .bind(conversation)
        .bind(fence)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(claim_fence_moved(conversation, fence));
        }
        let event = NewEvent::new(
            stamp,
            "claim_released",
            &json!({ "conversation": conversation, "fence": fence }),
        )?;
        insert_events(&mut tx, self.team, &self.device, &[event]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes `conversation` over from whoever holds it (an explicit act: a person chose
    /// "take over"), with a new fence, and logs a `claim_taken_over` event naming the
    /// previous holder. Returns the new fence and expiry.
    pub async fn take_over(
        &self,
        conversation: &str,
        ttl: Duration,
        stamp: Stamp,
    ) -> Result<ClaimOutcome, TeamError> {
        let mut tx = self.begin().await?;
        let previous = sqlx::query(
            "SELECT holder, device, fence FROM switchboard.claims \
             WHERE team_id = $1::uuid AND conversation = $2 FOR UPDATE",
        )
        .bind(self.team.to_string())
        .bind(conversation)
        .fetch_optional(&mut *tx)
        .await?;
        let (prev_holder, prev_device, prev_fence) = match &previous {
            Some(p) => (
                Some(p.try_get::<String, _>(0)?),
                Some(p.try_get::<String, _>(1)?),
                Some(p.try_get::<i64, _>(2)?),
            ),
            None => (None, None, None),
        };
        // The event comes first: the database admits the change of holder of a live claim
        // only when the member logged a take-over for this conversation and new fence.
        let fence = prev_fence.map_or(1, |f| f + 1);
        let event = NewEvent::new(
            stamp,
            "claim_taken_over",
            &json!({ "conversation": conversation, "fence": fence, "device": self.device,
                     "previous_holder": prev_holder, "previous_device": prev_device,
                     "previous_fence": prev_fence }),
        )?;
        insert_events(&mut tx, self.team, &self.device, &[event]).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO switchboard.claims AS c (team_id, conversation, holder, device, fence, expires_at) \
             VALUES ($1::uuid, $2, current_user, $3, 1, now() + make_interval(secs => $4)) \
             ON CONFLICT (team_id, conversation) DO UPDATE \
               SET holder = EXCLUDED.holder, device = EXCLUDED.device, fence = c.fence + 1, \
                   expires_at = EXCLUDED.expires_at \
             RETURNING fence, {EXPIRY_MS}"
        )))
        .bind(self.team.to_string())
        .bind(conversation)
        .bind(&self.device)
        .bind(seconds(ttl))
        .fetch_one(&mut *tx)
        .await?;
        let fence: i64 = row.try_get(0)?;
        let expires_at_ms: i64 = row.try_get(1)?;
        tx.commit().await?;
        Ok(ClaimOutcome::Granted {
            fence,
            expires_at_ms,
        })
    }
}

fn claim_fence_moved(conversation: &str, fence: i64) -> TeamError {
    TeamError::FenceMoved {
        what: format!("the claim on {conversation}"),
        fence,
    }
}
