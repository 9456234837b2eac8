//! A conversation's **projection row**: what queues filter, sort and index on — its queue,
//! whether a customer has written and whether it is done, its latest activity, the SLA
//! deadlines the workspace policy gives it — and the stored reducer state, from which
//! everything a list shows is read. All of it is computed from the state.
//!
//! The values come in one fixed parameter order shared by every statement that writes the
//! row ([`INSERT`], [`UPDATE_ALL`], [`UPDATE_CONTENT`]) and by both drivers (the ingest
//! writer's rusqlite connection and sqlx for people's actions):
//! `?1` id, `?2`–`?6` content, `?7` queue, `?8`–`?10` deadlines, `?11` thread key.
//! [`UPDATE_CONTENT`] leaves the queue and deadline columns — and so four of the table's
//! five indexes — alone; ingest uses it when those did not change.

use switchboard_core::{ConversationState, Deadlines, Timestamp};

use crate::codec::encode_state;
use crate::{DeadlinePlanner, StoreError};

/// One bound value, whatever the driver.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Number of parameters of [`INSERT`] (the others use a prefix of them).
pub(crate) const PARAMETERS: usize = 11;

/// Rewrites the row of conversation `?1` except its queue and deadlines.
pub(crate) const UPDATE_CONTENT: &str = "UPDATE conversations
     SET last_activity_at = ?2, waiting_since = ?3, has_customer = ?4, done = ?5, state = ?6
     WHERE id = ?1";

/// Rewrites the whole row of conversation `?1`.
pub(crate) const UPDATE_ALL: &str = "UPDATE conversations
     SET last_activity_at = ?2, waiting_since = ?3, has_customer = ?4, done = ?5, state = ?6,
         queue_id = ?7, at_risk_at = ?8, breached_at = ?9, escalated_at = ?10
     WHERE id = ?1";

/// Number of parameters of [`UPDATE_ALL`].
pub(crate) const UPDATE_ALL_PARAMETERS: usize = 10;

/// Adds a conversation; a NULL `?1` lets SQLite choose its id.
pub(crate) const INSERT: &str = "INSERT INTO conversations (id, last_activity_at,
     waiting_since, has_customer, done, state, queue_id, at_risk_at, breached_at, escalated_at,
     thread_key)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// Where a conversation sits in the indexes ingest may leave untouched: its queue and
/// deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placement {
    pub queue: String,
    pub deadlines: Option<Deadlines>,
}

impl Placement {
    /// From the stored `queue_id, at_risk_at, breached_at, escalated_at` columns.
    pub fn from_columns(
        queue: String,
        at_risk: Option<i64>,
        breached: Option<i64>,
        escalated: Option<i64>,
    ) -> Placement {
        let deadlines = match (at_risk, breached, escalated) {
            (Some(a), Some(b), Some(e)) => Some(Deadlines {
                at_risk_at: Timestamp(a),
                breached_at: Timestamp(b),
                escalated_at: Timestamp(e),
            }),
            _ => None,
        };
        Placement { queue, deadlines }
    }
}

/// A projection row ready to bind.
pub(crate) struct Projection<'a> {
    id: Option<i64>,
    state: &'a ConversationState,
    deadlines: Option<Deadlines>,
    encoded: Vec<u8>,
}

impl<'a> Projection<'a> {
    /// The row of conversation `id` (`None`: not stored yet) in `state`.
    pub fn new(
        id: Option<i64>,
        state: &'a ConversationState,
        planner: &dyn DeadlinePlanner,
    ) -> Result<Self, StoreError> {
        Ok(Projection {
            id,
            state,
            deadlines: state.waiting_since().and_then(|_| planner.plan(state)),
            encoded: encode_state(state)?,
        })
    }

    /// Where the row sits.
    pub fn placement(&self) -> Placement {
        Placement {
            queue: self.state.queue.0.clone(),
            deadlines: self.deadlines,
        }
    }

    /// Whether the row would sit where `placement` says.
    pub fn is_placed(&self, placement: &Placement) -> bool {
        placement.queue == self.state.queue.0 && placement.deadlines == self.deadlines
    }

    /// The parameters, in the order the module docs give.
    pub fn values(&self) -> [Value<'_>; PARAMETERS] {
        let s = self.state;
        let deadlines = self.deadlines;
        [
            int(self.id),
            Value::Int(s.last_activity_at.millis()),
            int(s.waiting_since().map(Timestamp::millis)),
            Value::Int(i64::from(s.customer.is_some())),
            Value::Int(i64::from(s.done.is_some())),
            Value::Blob(&self.encoded),
            Value::Text(&s.queue.0),
            int(deadlines.map(|d| d.at_risk_at.millis())),
            int(deadlines.map(|d| d.breached_at.millis())),
            int(deadlines.map(|d| d.escalated_at.millis())),
            Value::Text(&s.thread.0),
        ]
    }
}

/// `query` with `values` bound in order (for sqlx, on people's and the replica's side).
pub(crate) fn bind_values<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    values: &[Value<'q>],
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    for value in values {
        query = match *value {
            Value::Null => query.bind(None::<i64>),
            Value::Int(i) => query.bind(i),
            Value::Text(s) => query.bind(s),
            Value::Blob(b) => query.bind(b),
        };
    }
    query
}

fn int(value: Option<i64>) -> Value<'static> {
    value.map_or(Value::Null, Value::Int)
}
