//! The store as a **replica** of a team's shared log (team mode).
//!
//! A team workspace is shared by many laptops through a server-side log of events, ordered
//! by a team-wide **server sequence** (`server_seq`). Each laptop's SQLite file is a
//! replica of it:
//! - **Sharing** ([`Store::share_actions`]): every action recorded here gets a fresh
//!   **event id** (a UUID v7) and waits in the **team outbox** (`team_outbox`) until the
//!   server accepted it; rows are marked, never deleted.
//! - **Mapping** (`team_events`): which local event (`events.seq`) stands for which event
//!   id, and its server sequence once the server **acknowledged** it (NULL until then).
//! - **Folding in** ([`Store::apply_shared`], in `replica_apply`): the team's events are
//!   appended to the local log and the conversations they touch are rebuilt.
//! - **Canonical order**: a conversation's state is the fold of its events with a server
//!   sequence first, by server sequence, then the unacknowledged ones by local `seq`.
//!   Actions are last-writer-wins in that order, so once every event is acknowledged every
//!   replica holds the same projections. An event that does not apply (a snooze in the
//!   past, an action before any item) is skipped in the fold.
//! - **Team cursor**: the highest server sequence folded in (setting `team_cursor`).
//! - **Claims** (`team_claims`): this laptop's view of its own claims on conversations —
//!   held, pending (asked, not confirmed yet), lost or released — updated in place.

use std::sync::atomic::Ordering;

use sqlx::{Sqlite, Transaction};
use switchboard_core::{Event, EventKind, Timestamp};

use crate::codec::decode_state;
use crate::project::DeadlinePlanner;
use crate::{Store, StoreError};

/// The settings key of the team cursor.
pub(crate) const CURSOR_KEY: &str = "team_cursor";

/// One event of the team's shared log, mapped to the core event it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedEvent {
    /// Its id in the shared log (the same on every laptop).
    pub event_id: String,
    /// Its place in the team-wide order.
    pub server_seq: i64,
    /// What happened.
    pub event: Event,
}

/// An action of this laptop waiting to be pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEvent {
    /// Its place in this laptop's outbox.
    pub device_seq: i64,
    /// Its id in the shared log.
    pub event_id: String,
    /// The event's kind name (`claimed`, `note_added`, …).
    pub kind: String,
    /// JSON text `{"event": <core Event>}`.
    pub payload: String,
}

/// What [`Store::apply_shared`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SharedApplied {
    /// Conversations whose projection was rebuilt, sorted, without repeats.
    pub conversations: Vec<i64>,
    /// Events new to this replica (set-aside ones included).
    pub applied: usize,
    /// Events already in this replica that got their server sequence (this laptop's own
    /// coming back).
    pub acknowledged: usize,
    /// Events kept in the log but not folded: their conversation is not in this replica.
    pub set_aside: usize,
}

/// This laptop's claim on a conversation as it knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamClaim {
    /// The conversation's thread key.
    pub thread_key: String,
    /// Where the claim stands.
    pub status: TeamClaimStatus,
    /// The server's fence token of the claim, once granted.
    pub fence: Option<i64>,
    /// Who holds the conversation, as last heard.
    pub holder: Option<String>,
    /// When this record last changed.
    pub updated_at: Timestamp,
}

/// Where one of this laptop's claims stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamClaimStatus {
    /// The server granted it.
    Held,
    /// Asked for, not confirmed yet.
    Pending,
    /// Someone else holds the conversation.
    Lost,
    /// This person gave it back (released it or handed the conversation off).
    Released,
}

impl TeamClaimStatus {
    /// The stored name.
    fn as_str(self) -> &'static str {
        match self {
            TeamClaimStatus::Held => "held",
            TeamClaimStatus::Pending => "pending",
            TeamClaimStatus::Lost => "lost",
            TeamClaimStatus::Released => "released",
        }
    }

    fn parse(value: &str) -> Result<Self, StoreError> {
        match value {
            "held" => Ok(TeamClaimStatus::Held),
            "pending" => Ok(TeamClaimStatus::Pending),
            "lost" => Ok(TeamClaimStatus::Lost),
            "released" => Ok(TeamClaimStatus::Released),
            other => Err(StoreError::Corrupt {
                what: "team claim status",
                value: other.to_owned(),
            }),
        }
    }
}

/// How an action recorded now is shared with the team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sharing<'a> {
    /// Not at all (a local workspace).
    Off,
    /// Under a fresh event id, queued in the team outbox.
    Queue,
    /// Under this event id, which the server already logged: mapped, not queued.
    Logged(&'a str),
}

/// Shares the event just appended as `seq` as `sharing` says, in the caller's transaction.
pub(crate) async fn log_shared(
    tx: &mut Transaction<'_, Sqlite>,
    seq: i64,
    event: &Event,
    sharing: Sharing<'_>,
) -> Result<(), StoreError> {
    let fresh;
    let event_id = match sharing {
        Sharing::Off => return Ok(()),
        Sharing::Logged(event_id) => event_id,
        Sharing::Queue => {
            fresh = uuid::Uuid::now_v7().to_string();
            &fresh
        }
    };
    sqlx::query("INSERT INTO team_events (event_id, local_seq, server_seq) VALUES (?, ?, NULL)")
        .bind(event_id)
        .bind(seq)
        .execute(&mut **tx)
        .await?;
    if sharing == Sharing::Queue {
        let payload = serde_json::json!({ "event": event }).to_string();
        sqlx::query("INSERT INTO team_outbox (event_id, kind, payload) VALUES (?, ?, ?)")
            .bind(event_id)
            .bind(event.kind.name())
            .bind(payload)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    thread_key: String,
    status: String,
    fence: Option<i64>,
    holder: Option<String>,
    updated_at: i64,
}

impl TryFrom<ClaimRow> for TeamClaim {
    type Error = StoreError;

    fn try_from(row: ClaimRow) -> Result<Self, StoreError> {
        Ok(TeamClaim {
            thread_key: row.thread_key,
            status: TeamClaimStatus::parse(&row.status)?,
            fence: row.fence,
            holder: row.holder,
            updated_at: Timestamp(row.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct FingerprintRow {
    thread_key: String,
    queue_id: String,
    waiting_since: Option<i64>,
    has_customer: i64,
    done: i64,
    at_risk_at: Option<i64>,
    breached_at: Option<i64>,
    escalated_at: Option<i64>,
    state: Vec<u8>,
}

impl Store {
    /// Turns on sharing: from now on every action recorded (`record_action`, replies…)
    /// also gets, in the same transaction, a fresh event id, its `team_events` row
    /// (unacknowledged) and a team outbox row. Off by default: a local workspace shares
    /// nothing.
    pub fn share_actions(&self) {
        self.sharing.store(true, Ordering::Release);
    }

    /// Records `Claimed` by `by` on conversation `id` at `now` like `record_action`, under
    /// `event_id`, which the server already logged: mapped (unacknowledged), not queued.
    /// Nothing changes when that event is already in this replica.
    pub async fn record_claimed(
        &self,
        id: i64,
        by: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
        event_id: &str,
    ) -> Result<(), StoreError> {
        self.record_with(
            id,
            by,
            EventKind::Claimed,
            now,
            planner,
            Sharing::Logged(event_id),
        )
        .await
    }

    /// Up to `limit` team outbox events not pushed yet, oldest first.
    pub async fn team_outbox_pending(&self, limit: i64) -> Result<Vec<OutgoingEvent>, StoreError> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT device_seq, event_id, kind, payload FROM team_outbox
             WHERE pushed_at IS NULL ORDER BY device_seq LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(device_seq, event_id, kind, payload)| OutgoingEvent {
                device_seq,
                event_id,
                kind,
                payload,
            })
            .collect())
    }

    /// Marks the team outbox events up to and including `up_to_device_seq` as accepted by
    /// the server at `now`.
    pub async fn team_outbox_accepted(
        &self,
        up_to_device_seq: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE team_outbox SET pushed_at = ? WHERE device_seq <= ? AND pushed_at IS NULL",
        )
        .bind(now.millis())
        .bind(up_to_device_seq)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many team outbox events wait to be pushed.
    pub async fn team_outbox_len(&self) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM team_outbox WHERE pushed_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// The highest server sequence folded in (0: none).
    pub async fn team_cursor(&self) -> Result<i64, StoreError> {
        let stored = self.setting(CURSOR_KEY).await?;
        stored.map_or(Ok(0), |value| parse_cursor(&value))
    }

    /// The conversation id of `thread_key`, if stored.
    pub async fn conversation_id(&self, thread_key: &str) -> Result<Option<i64>, StoreError> {
        let id = sqlx::query_scalar("SELECT id FROM conversations WHERE thread_key = ?")
            .bind(thread_key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(id)
    }

    /// The thread key of conversation `id`.
    pub async fn thread_key(&self, id: i64) -> Result<String, StoreError> {
        let key: Option<String> =
            sqlx::query_scalar("SELECT thread_key FROM conversations WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        key.ok_or(StoreError::NotFound {
            what: "conversation",
            id,
        })
    }

    /// Sets this laptop's claim record of `claim.thread_key`.
    pub async fn set_team_claim(&self, claim: &TeamClaim) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO team_claims (thread_key, status, fence, holder, updated_at)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (thread_key) DO UPDATE SET status = excluded.status,
                 fence = excluded.fence, holder = excluded.holder,
                 updated_at = excluded.updated_at",
        )
        .bind(&claim.thread_key)
        .bind(claim.status.as_str())
        .bind(claim.fence)
        .bind(claim.holder.as_deref())
        .bind(claim.updated_at.millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// This laptop's claim record of `thread_key`.
    pub async fn team_claim(&self, thread_key: &str) -> Result<Option<TeamClaim>, StoreError> {
        let row: Option<ClaimRow> = sqlx::query_as(
            "SELECT thread_key, status, fence, holder, updated_at FROM team_claims
             WHERE thread_key = ?",
        )
        .bind(thread_key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(TeamClaim::try_from).transpose()
    }

    /// This laptop's claim records with `status`, by thread key.
    pub async fn team_claims(&self, status: TeamClaimStatus) -> Result<Vec<TeamClaim>, StoreError> {
        let rows: Vec<ClaimRow> = sqlx::query_as(
            "SELECT thread_key, status, fence, holder, updated_at FROM team_claims
             WHERE status = ? ORDER BY thread_key",
        )
        .bind(status.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(TeamClaim::try_from).collect()
    }

    /// A fingerprint of every conversation's projection — its row's queue, waiting,
    /// done and deadline columns and its whole decoded state (claim, hand-off note,
    /// counts, activity…) — one line per conversation by thread key, without local ids.
    /// Replicas that converged have equal fingerprints.
    pub async fn projection_fingerprint(&self) -> Result<String, StoreError> {
        let rows: Vec<FingerprintRow> = sqlx::query_as(
            "SELECT thread_key, queue_id, waiting_since, has_customer, done, at_risk_at,
                    breached_at, escalated_at, CAST(state AS BLOB) AS state
             FROM conversations ORDER BY thread_key",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut fingerprint = String::new();
        for row in rows {
            let state = decode_state(&row.state)?;
            let state = serde_json::to_string(&state).map_err(|e| StoreError::Corrupt {
                what: "conversation state",
                value: e.to_string(),
            })?;
            fingerprint.push_str(&format!(
                "{} queue={} waiting_since={:?} customer={} done={} deadlines={:?}/{:?}/{:?} \
                 state={}\n",
                row.thread_key,
                row.queue_id,
                row.waiting_since,
                row.has_customer,
                row.done,
                row.at_risk_at,
                row.breached_at,
                row.escalated_at,
                state
            ));
        }
        Ok(fingerprint)
    }
}

/// The stored team cursor (a JSON number).
pub(crate) fn parse_cursor(value: &str) -> Result<i64, StoreError> {
    value.trim().parse().map_err(|_| StoreError::Corrupt {
        what: "team cursor",
        value: value.to_owned(),
    })
}
