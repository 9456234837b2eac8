//! [`TeamClient`]: one laptop's connection to its team's database, and the shared log
//! (append, read after a server sequence).
//!
//! Every call runs in its own transaction that starts with
//! `set_config('switchboard.team', <team>, true)` — `SET LOCAL`, so the setting ends with
//! the transaction and never leaks to the pool's next user. Row-level security then
//! shows the member only that team's rows, and only if the member belongs to it.

use std::time::Duration;

use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, Row, Transaction};
use switchboard_vault::Sensitive;
use uuid::Uuid;

use crate::connect::{member_pool, member_pool_lazy};
use crate::event::{NewEvent, TeamEvent};
use crate::join_code::JoinCode;
use crate::TeamError;

/// One laptop's handle on the team database (a pool of at most two connections).
#[derive(Clone)]
pub struct TeamClient {
    pub(crate) pool: PgPool,
    pub(crate) team: Uuid,
    pub(crate) device: String,
}

/// What [`TeamClient::append`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Appended {
    /// Events new to the log.
    pub accepted: usize,
    /// Events the log already had (same event id): re-sent, harmless.
    pub duplicates: usize,
}

impl TeamClient {
    /// Connects with a join code, as `device`.
    pub async fn join(code: &JoinCode, device: impl Into<String>) -> Result<Self, TeamError> {
        Self::connect(&code.url, &code.secret, code.team, device).await
    }

    /// Connects to `url` (which names the member's login role as its user) with the
    /// member's password `secret`, for `team`, as `device`.
    pub async fn connect(
        url: &str,
        secret: &Sensitive<String>,
        team: Uuid,
        device: impl Into<String>,
    ) -> Result<Self, TeamError> {
        let pool = member_pool(url, secret).await?;
        Ok(Self::from_pool(pool, team, device))
    }

    /// Like [`TeamClient::join`], without connecting yet: the first call connects, and
    /// calls made while the server is unreachable fail after `acquire_timeout`. Fails
    /// now only on an address the join code should never hold.
    pub fn join_lazy(
        code: &JoinCode,
        device: impl Into<String>,
        acquire_timeout: Duration,
    ) -> Result<Self, TeamError> {
        let pool = member_pool_lazy(&code.url, &code.secret, acquire_timeout)?;
        Ok(Self::from_pool(pool, code.team, device))
    }

    /// Wraps an existing pool (it should allow at most two connections).
    pub fn from_pool(pool: PgPool, team: Uuid, device: impl Into<String>) -> Self {
        TeamClient {
            pool,
            team,
            device: device.into(),
        }
    }

    /// The team this client works for.
    pub fn team(&self) -> Uuid {
        self.team
    }

    /// This laptop's device name.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// The pool (for closing it, or for tests).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Starts a transaction scoped to this client's team.
    pub(crate) async fn begin(&self) -> Result<Transaction<'static, Postgres>, TeamError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT set_config('switchboard.team', $1, true)")
            .bind(self.team.to_string())
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }

    /// Appends `events` in their order, in one transaction. Events already in the log
    /// (same event id) are skipped, so pushing an outbox again after a lost answer is
    /// harmless.
    pub async fn append(&self, events: &[NewEvent]) -> Result<Appended, TeamError> {
        if events.is_empty() {
            return Ok(Appended::default());
        }
        let mut tx = self.begin().await?;
        let accepted = insert_events(&mut tx, self.team, &self.device, events).await?;
        tx.commit().await?;
        Ok(Appended {
            accepted,
            duplicates: events.len() - accepted,
        })
    }

    /// Up to `limit` events of the team with a server sequence above `after`, in
    /// server-sequence order. A reader that moves its cursor to the last one it got never
    /// misses a row (see [`crate::schema`]).
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<TeamEvent>, TeamError> {
        let mut tx = self.begin().await?;
        let rows = sqlx::query(
            "SELECT server_seq, event_id::text, author, device, device_seq, kind, payload::text, \
                    (extract(epoch FROM recorded_at) * 1000)::int8 \
             FROM switchboard.events WHERE team_id = $1::uuid AND server_seq > $2 \
             ORDER BY server_seq LIMIT $3",
        )
        .bind(self.team.to_string())
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter().map(event_from_row).collect()
    }
}

fn event_from_row(row: &PgRow) -> Result<TeamEvent, TeamError> {
    let event_id: String = row.try_get(1)?;
    let payload: String = row.try_get(6)?;
    Ok(TeamEvent {
        server_seq: row.try_get(0)?,
        event_id: Uuid::parse_str(&event_id)
            .map_err(|e| TeamError::Database(sqlx::Error::Decode(Box::new(e))))?,
        author: row.try_get(2)?,
        device: row.try_get(3)?,
        device_seq: row.try_get(4)?,
        kind: row.try_get(5)?,
        payload: serde_json::from_str(&payload)?,
        recorded_at_ms: row.try_get(7)?,
    })
}

/// Inserts `events` (skipping known event ids) inside `tx`; returns how many were new.
pub(crate) async fn insert_events(
    tx: &mut Transaction<'static, Postgres>,
    team: Uuid,
    device: &str,
    events: &[NewEvent],
) -> Result<usize, TeamError> {
    let ids: Vec<String> = events
        .iter()
        .map(|e| e.stamp.event_id.to_string())
        .collect();
    let seqs: Vec<i64> = events.iter().map(|e| e.stamp.device_seq).collect();
    let kinds: Vec<String> = events.iter().map(|e| e.kind.clone()).collect();
    let payloads: Vec<String> = events.iter().map(|e| e.payload.to_string()).collect();
    let done = sqlx::query(
        "INSERT INTO switchboard.events (team_id, server_seq, event_id, device, device_seq, kind, payload) \
         SELECT $1::uuid, 0, e.id::uuid, $2, e.seq, e.kind, e.payload::jsonb \
         FROM unnest($3::text[], $4::int8[], $5::text[], $6::text[]) WITH ORDINALITY \
              AS e(id, seq, kind, payload, n) \
         ORDER BY e.n \
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(team.to_string())
    .bind(device)
    .bind(ids)
    .bind(seqs)
    .bind(kinds)
    .bind(payloads)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() as usize)
}

/// `ttl` as the seconds PostgreSQL's `make_interval(secs => …)` takes.
pub(crate) fn seconds(ttl: Duration) -> f64 {
    ttl.as_secs_f64()
}
