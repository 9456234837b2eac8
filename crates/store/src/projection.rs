//! A conversation's **projection row**: the columns the UI reads, the SLA deadlines the
//! workspace policy gives it, and the stored reducer state — all computed from the state.
//!
//! The values come in one fixed parameter order shared by every statement that writes the
//! row ([`INSERT`], [`UPDATE_ALL`], [`UPDATE_CONTENT`]) and by both drivers (the ingest
//! writer's rusqlite connection and sqlx for people's actions):
//! `?1` id, `?2`–`?17` content, `?18` queue, `?19`–`?21` deadlines, `?22` thread key,
//! `?23` platform. [`UPDATE_CONTENT`] leaves the queue and deadline columns — and so four of
//! the table's five indexes — alone; ingest uses it when those did not change.

use switchboard_core::{ConversationState, Deadlines, Timestamp};

use crate::codec::encode_state;
use crate::read::done_reason_name;
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
pub(crate) const PARAMETERS: usize = 23;

macro_rules! content_columns {
    () => {
        "preview = ?2, last_activity_at = ?3, waiting_since = ?4, answered_before = ?5,
         kind = ?6, customer_handle = ?7, customer_name = ?8, claimed_by = ?9,
         done_reason = ?10, snoozed_until = ?11, handoff_note = ?12, handoff_by = ?13,
         handoff_at = ?14, item_count = ?15, note_count = ?16, state = ?17"
    };
}

/// Rewrites the row of conversation `?1` except its queue and deadlines.
pub(crate) const UPDATE_CONTENT: &str = concat!(
    "UPDATE conversations SET ",
    content_columns!(),
    " WHERE id = ?1"
);

/// Rewrites the whole row of conversation `?1`.
pub(crate) const UPDATE_ALL: &str = concat!(
    "UPDATE conversations SET ",
    content_columns!(),
    ", queue_id = ?18, at_risk_at = ?19, breached_at = ?20, escalated_at = ?21 WHERE id = ?1"
);

/// Number of parameters of [`UPDATE_ALL`].
pub(crate) const UPDATE_ALL_PARAMETERS: usize = 21;

/// Adds a conversation; a NULL `?1` lets SQLite choose its id.
pub(crate) const INSERT: &str = "INSERT INTO conversations (id, preview, last_activity_at,
     waiting_since, answered_before, kind, customer_handle, customer_name, claimed_by,
     done_reason, snoozed_until, handoff_note, handoff_by, handoff_at, item_count, note_count,
     state, queue_id, at_risk_at, breached_at, escalated_at, thread_key, platform)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21, ?22, ?23)";

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
    snoozed_until: Option<Timestamp>,
    encoded: Vec<u8>,
}

impl<'a> Projection<'a> {
    /// The row of conversation `id` (`None`: not stored yet) in `state` as of `now`.
    pub fn new(
        id: Option<i64>,
        state: &'a ConversationState,
        planner: &dyn DeadlinePlanner,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        Ok(Projection {
            id,
            state,
            deadlines: state.waiting_since().and_then(|_| planner.plan(state)),
            snoozed_until: state.snoozed_until(now),
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
        let customer = s.customer.as_ref();
        let handoff = s.handoff_note.as_ref();
        let deadlines = self.deadlines;
        [
            int(self.id),
            Value::Text(&s.preview),
            Value::Int(s.last_activity_at.millis()),
            int(s.waiting_since().map(Timestamp::millis)),
            Value::Int(i64::from(s.answered_before())),
            text(s.kind.map(|k| k.as_str())),
            text(customer.map(|c| c.handle.as_str())),
            text(customer.map(|c| c.display_name.as_str())),
            text(s.claimed_by.as_deref()),
            text(s.done.as_ref().map(|d| done_reason_name(d.reason))),
            int(self.snoozed_until.map(Timestamp::millis)),
            text(handoff.map(|n| n.text.as_str())),
            text(handoff.and_then(|n| n.by.as_deref())),
            int(handoff.map(|n| n.at.millis())),
            Value::Int(i64::from(s.item_count)),
            Value::Int(i64::from(s.note_count)),
            Value::Blob(&self.encoded),
            Value::Text(&s.queue.0),
            int(deadlines.map(|d| d.at_risk_at.millis())),
            int(deadlines.map(|d| d.breached_at.millis())),
            int(deadlines.map(|d| d.escalated_at.millis())),
            Value::Text(&s.thread.0),
            Value::Text(s.platform.as_str()),
        ]
    }
}

fn int(value: Option<i64>) -> Value<'static> {
    value.map_or(Value::Null, Value::Int)
}

fn text(value: Option<&str>) -> Value<'_> {
    value.map_or(Value::Null, Value::Text)
}
