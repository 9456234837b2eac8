//! Poll leases: one laptop polls each brand account for the whole team.
//!
//! A poll lease is one row per brand account (platform + account): the holder device (and
//! its member), a **fence** that grows whenever the lease changes hands or is acquired
//! again after it expired, an expiry (about three poll intervals) and the platform
//! **cursor** (how far the team has read the account). Only laptops that hold a token
//! for the account ask for it. The holder renews with
//! `UPDATE … WHERE holder = me AND fence = f`, and [`TeamClient::commit_poll`] checks the
//! fence again — locking the lease row — in the same transaction that writes the items
//! and moves the cursor. A holder that slept or lost its connection past the expiry, and
//! was replaced, therefore cannot write: its fence is stale and the whole commit is
//! refused with [`TeamError::FenceMoved`]. No session-level advisory locks are used
//! (laptops sleep; connection poolers break them).

use std::time::Duration;

use serde_json::json;
use sqlx::Row;

use crate::client::{insert_events, seconds, TeamClient};
use crate::event::{NewEvent, TeamItem};
use crate::TeamError;

/// A brand account of a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrandAccount<'a> {
    /// `mastodon`, `bluesky`, …
    pub platform: &'a str,
    /// The account's id on the platform.
    pub account: &'a str,
}

/// The answer to [`TeamClient::acquire_poll_lease`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseOutcome {
    /// This device polls the account under `fence`, starting from `cursor`.
    Granted {
        /// The lease's fence.
        fence: i64,
        /// Where the team's reading of the account stands (None: from the start).
        cursor: Option<String>,
        /// Expiry, milliseconds since the Unix epoch (database clock).
        expires_at_ms: i64,
    },
    /// Another device polls it.
    Held {
        /// The holder's device.
        device: String,
        /// The holder's login role.
        member: String,
        /// Until when, milliseconds since the Unix epoch (database clock).
        until_ms: i64,
    },
}

/// What [`TeamClient::commit_poll`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PollCommitted {
    /// Items new to the team (an `item` event was appended for each).
    pub new_items: usize,
}

const EXPIRY_MS: &str = "(extract(epoch FROM expires_at) * 1000)::int8";

impl TeamClient {
    /// Asks for the poll lease of `account` for this device for `ttl`. Granted when
    /// nobody holds it, it expired, or this device holds it already (then renewed, same
    /// fence).
    pub async fn acquire_poll_lease(
        &self,
        account: BrandAccount<'_>,
        ttl: Duration,
    ) -> Result<LeaseOutcome, TeamError> {
        let mut tx = self.begin().await?;
        let granted = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO switchboard.poll_leases AS l \
               (team_id, platform, account, holder_member, holder_device, fence, expires_at) \
             VALUES ($1::uuid, $2, $3, current_user, $4, 1, now() + make_interval(secs => $5)) \
             ON CONFLICT (team_id, platform, account) DO UPDATE \
               SET holder_member = EXCLUDED.holder_member, holder_device = EXCLUDED.holder_device, \
                   fence = CASE WHEN l.holder_device = EXCLUDED.holder_device AND l.expires_at > now() \
                                THEN l.fence ELSE l.fence + 1 END, \
                   expires_at = EXCLUDED.expires_at \
               WHERE l.expires_at <= now() OR l.holder_device = EXCLUDED.holder_device \
             RETURNING fence, cursor, {EXPIRY_MS}"
        )))
        .bind(self.team.to_string())
        .bind(account.platform)
        .bind(account.account)
        .bind(&self.device)
        .bind(seconds(ttl))
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = match granted {
            Some(row) => LeaseOutcome::Granted {
                fence: row.try_get(0)?,
                cursor: row.try_get(1)?,
                expires_at_ms: row.try_get(2)?,
            },
            None => {
                let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT holder_device, holder_member, {EXPIRY_MS} FROM switchboard.poll_leases \
                     WHERE team_id = $1::uuid AND platform = $2 AND account = $3"
                )))
                .bind(self.team.to_string())
                .bind(account.platform)
                .bind(account.account)
                .fetch_one(&mut *tx)
                .await?;
                LeaseOutcome::Held {
                    device: row.try_get(0)?,
                    member: row.try_get(1)?,
                    until_ms: row.try_get(2)?,
                }
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Extends this device's lease under `fence` by `ttl` from now; returns the new
    /// expiry. Refused with [`TeamError::FenceMoved`] when the lease changed hands.
    pub async fn renew_poll_lease(
        &self,
        account: BrandAccount<'_>,
        fence: i64,
        ttl: Duration,
    ) -> Result<i64, TeamError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE switchboard.poll_leases SET expires_at = now() + make_interval(secs => $6) \
             WHERE team_id = $1::uuid AND platform = $2 AND account = $3 \
               AND holder_device = $4 AND fence = $5 \
             RETURNING {EXPIRY_MS}"
        )))
        .bind(self.team.to_string())
        .bind(account.platform)
        .bind(account.account)
        .bind(&self.device)
        .bind(fence)
        .bind(seconds(ttl))
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        match row {
            Some(row) => Ok(row.try_get(0)?),
            None => Err(lease_fence_moved(account, fence)),
        }
    }

    /// Writes what one poll of `account` brought — `items` (each entered once into the
    /// team, with an `item` event when new) and the platform's `new_cursor` — if and only
    /// if this device still holds the lease under `fence`. The fence is checked, and the
    /// lease row locked, in the same transaction, so a replaced holder writes nothing.
    pub async fn commit_poll(
        &self,
        account: BrandAccount<'_>,
        fence: i64,
        items: &[TeamItem],
        new_cursor: Option<&str>,
    ) -> Result<PollCommitted, TeamError> {
        let mut tx = self.begin().await?;
        let held = sqlx::query(
            "SELECT 1 FROM switchboard.poll_leases \
             WHERE team_id = $1::uuid AND platform = $2 AND account = $3 \
               AND holder_device = $4 AND fence = $5 FOR UPDATE",
        )
        .bind(self.team.to_string())
        .bind(account.platform)
        .bind(account.account)
        .bind(&self.device)
        .bind(fence)
        .fetch_optional(&mut *tx)
        .await?;
        if held.is_none() {
            return Err(lease_fence_moved(account, fence));
        }
        let mut events = Vec::new();
        for item in items {
            let inserted = sqlx::query(
                "INSERT INTO switchboard.items \
                   (team_id, platform, account, native_id, payload, device, lease_fence) \
                 VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6, $7) \
                 ON CONFLICT (team_id, platform, account, native_id) DO NOTHING",
            )
            .bind(self.team.to_string())
            .bind(account.platform)
            .bind(account.account)
            .bind(&item.native_id)
            .bind(item.payload.to_string())
            .bind(&self.device)
            .bind(fence)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 1 {
                events.push(NewEvent {
                    stamp: item.stamp,
                    kind: "item".into(),
                    payload: json!({ "platform": account.platform, "account": account.account,
                                     "native_id": item.native_id, "item": item.payload }),
                });
            }
        }
        insert_events(&mut tx, self.team, &self.device, &events).await?;
        if let Some(cursor) = new_cursor {
            sqlx::query(
                "UPDATE switchboard.poll_leases SET cursor = $4 \
                 WHERE team_id = $1::uuid AND platform = $2 AND account = $3",
            )
            .bind(self.team.to_string())
            .bind(account.platform)
            .bind(account.account)
            .bind(cursor)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(PollCommitted {
            new_items: events.len(),
        })
    }
}

fn lease_fence_moved(account: BrandAccount<'_>, fence: i64) -> TeamError {
    TeamError::FenceMoved {
        what: format!(
            "the poll lease of {} account {}",
            account.platform, account.account
        ),
        fence,
    }
}
