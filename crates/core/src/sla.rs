//! SLA clocks: response targets in business time, the deadlines they give and the state of
//! a waiting conversation at an instant.
//!
//! A conversation's clock starts when the customer's unanswered run begins
//! (`waiting_since`) and runs only while its queue's [`BusinessCalendar`] is open and the
//! conversation is not paused (snoozed). The [`SlaThresholds`] turn one target into three
//! [`Deadlines`]: *at risk* (75 % of the target by default), *breached* (100 %) and
//! *escalated* (200 %).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{BusinessCalendar, ItemKind, Timestamp};

/// How a waiting conversation stands against its response target. Ordered from best to
/// worst, so `max` gives the worst of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Less than the at-risk share of the target has elapsed.
    OnTrack,
    /// The at-risk share has elapsed; the target has not.
    AtRisk,
    /// The target has elapsed.
    Breached,
    /// The escalation share (twice the target by default) has elapsed.
    Escalated,
}

impl SlaState {
    /// The stable name sent to the UI, e.g. `at_risk`.
    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::OnTrack => "on_track",
            SlaState::AtRisk => "at_risk",
            SlaState::Breached => "breached",
            SlaState::Escalated => "escalated",
        }
    }
}

/// When a waiting conversation changes state, as fractions of its target: at risk at
/// `at_risk × target` of elapsed business time, breached at `breached × target`, escalated
/// at `escalated × target`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaThresholds {
    /// Default 0.75.
    pub at_risk: f64,
    /// Default 1.0.
    pub breached: f64,
    /// Default 2.0.
    pub escalated: f64,
}

impl Default for SlaThresholds {
    fn default() -> Self {
        SlaThresholds {
            at_risk: 0.75,
            breached: 1.0,
            escalated: 2.0,
        }
    }
}

/// Thresholds that are not `0 < at_risk < breached < escalated` (finite).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdsError {
    /// `at_risk` is not a finite number above zero.
    AtRiskNotPositive,
    /// `breached` is not above `at_risk`.
    BreachedNotAboveAtRisk,
    /// `escalated` is not above `breached`, or not finite.
    EscalatedNotAboveBreached,
}

impl fmt::Display for ThresholdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ThresholdsError::AtRiskNotPositive => "the at-risk threshold must be above zero",
            ThresholdsError::BreachedNotAboveAtRisk => {
                "the breached threshold must be above the at-risk threshold"
            }
            ThresholdsError::EscalatedNotAboveBreached => {
                "the escalated threshold must be above the breached threshold"
            }
        })
    }
}

impl std::error::Error for ThresholdsError {}

impl SlaThresholds {
    /// Checked thresholds: `0 < at_risk < breached < escalated`, all finite.
    pub fn new(at_risk: f64, breached: f64, escalated: f64) -> Result<Self, ThresholdsError> {
        let thresholds = SlaThresholds {
            at_risk,
            breached,
            escalated,
        };
        thresholds.validate().map(|()| thresholds)
    }

    /// Whether `0 < at_risk < breached < escalated`, all finite.
    pub fn validate(&self) -> Result<(), ThresholdsError> {
        // `partial_cmp` so that NaN fails every check.
        let above = |a: f64, b: f64| a.partial_cmp(&b) == Some(Ordering::Greater);
        if !(self.at_risk.is_finite() && above(self.at_risk, 0.0)) {
            return Err(ThresholdsError::AtRiskNotPositive);
        }
        if !above(self.breached, self.at_risk) {
            return Err(ThresholdsError::BreachedNotAboveAtRisk);
        }
        if !(self.escalated.is_finite() && above(self.escalated, self.breached)) {
            return Err(ThresholdsError::EscalatedNotAboveBreached);
        }
        Ok(())
    }
}

/// Response targets in milliseconds of business time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct SlaTarget {
    /// Time to the brand's first answer in a conversation.
    #[ts(type = "number")]
    pub first_response_millis: i64,
    /// Time to the brand's next answer after the customer wrote again.
    #[ts(type = "number")]
    pub next_response_millis: i64,
}

impl SlaTarget {
    /// The same target for first and next responses.
    pub fn both(millis: i64) -> Self {
        SlaTarget {
            first_response_millis: millis,
            next_response_millis: millis,
        }
    }

    /// The target for a first (`true`) or next (`false`) response.
    pub fn millis(&self, first_response: bool) -> i64 {
        if first_response {
            self.first_response_millis
        } else {
            self.next_response_millis
        }
    }
}

/// A queue's SLA: its targets and the calendar its clock runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    /// The targets for item kinds without an override.
    pub default: SlaTarget,
    /// Per-kind overrides, e.g. a shorter target for direct messages. The first entry for
    /// a kind wins.
    pub per_kind: Vec<(ItemKind, SlaTarget)>,
    /// The name of the calendar in the policy file (for display).
    pub calendar_name: String,
    /// The calendar the clock runs on.
    pub calendar: Arc<BusinessCalendar>,
}

impl SlaPolicy {
    /// The target for a conversation started by an item of `kind`, for its first response
    /// (`first_response`) or a next one, in milliseconds of business time.
    pub fn target_millis(&self, kind: ItemKind, first_response: bool) -> i64 {
        self.per_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, target)| target)
            .unwrap_or(&self.default)
            .millis(first_response)
    }

    /// The deadlines of a conversation of `kind` waiting since `waiting_since`, on this
    /// policy's calendar: [`deadlines`] with [`SlaPolicy::target_millis`].
    pub fn deadlines(
        &self,
        kind: ItemKind,
        first_response: bool,
        waiting_since: Timestamp,
        thresholds: &SlaThresholds,
        pauses: &[(Timestamp, Timestamp)],
    ) -> Deadlines {
        deadlines(
            &self.calendar,
            waiting_since,
            self.target_millis(kind, first_response),
            thresholds,
            pauses,
        )
    }
}

/// The instants at which a waiting conversation becomes at risk, breached and escalated.
/// Always `at_risk_at <= breached_at <= escalated_at`. [`BusinessCalendar::NEVER`] means
/// the deadline is too far away to matter (more than ten years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Deadlines {
    /// From this instant on the conversation is [`SlaState::AtRisk`].
    pub at_risk_at: Timestamp,
    /// From this instant on it is [`SlaState::Breached`].
    pub breached_at: Timestamp,
    /// From this instant on it is [`SlaState::Escalated`].
    pub escalated_at: Timestamp,
}

/// The deadlines of a waiting run that began at `waiting_since` with a target of
/// `target_millis` of business time.
///
/// The clock runs while `calendar` is open and outside every pause: `pauses` are
/// `[from, until)` intervals (snoozes, in any order, possibly overlapping or reaching
/// before `waiting_since`) during which it stands still. Each deadline is the *first*
/// instant at which the elapsed clock time reaches its share of the target, so a deadline
/// never falls inside closed or paused time unless the share ends exactly where that
/// time begins (a 30-minute target started at 16:30 is due at 17:00, not the next morning).
///
/// A share is `threshold × target_millis` computed in `f64` and rounded to the nearest
/// millisecond, halves away from zero (`f64::round`), then clamped to `0..=i64::MAX`: for
/// example 75 % of 1 ms is 1 ms and 75 % of 2 ms is 2 ms (1.5 rounds up). A target of 0 or
/// less makes every deadline `waiting_since`.
pub fn deadlines(
    calendar: &BusinessCalendar,
    waiting_since: Timestamp,
    target_millis: i64,
    thresholds: &SlaThresholds,
    pauses: &[(Timestamp, Timestamp)],
) -> Deadlines {
    let pauses = normalize_pauses(waiting_since, pauses);
    let at = |threshold: f64| {
        clock_reaches(
            calendar,
            waiting_since,
            share(target_millis, threshold),
            &pauses,
        )
    };
    let at_risk_at = at(thresholds.at_risk);
    let breached_at = at(thresholds.breached).max(at_risk_at);
    let escalated_at = at(thresholds.escalated).max(breached_at);
    Deadlines {
        at_risk_at,
        breached_at,
        escalated_at,
    }
}

/// The state at `now`: the worst deadline reached, where reaching means `now >= deadline`
/// (at the deadline instant the new state already holds).
pub fn state_at(deadlines: &Deadlines, now: Timestamp) -> SlaState {
    if now >= deadlines.escalated_at {
        SlaState::Escalated
    } else if now >= deadlines.breached_at {
        SlaState::Breached
    } else if now >= deadlines.at_risk_at {
        SlaState::AtRisk
    } else {
        SlaState::OnTrack
    }
}

/// The next instant after `now` at which [`state_at`] gives a different state: the first
/// deadline later than `now`. `None` once escalated, and when the next deadline is
/// [`BusinessCalendar::NEVER`].
pub fn next_change_after(deadlines: &Deadlines, now: Timestamp) -> Option<Timestamp> {
    [
        deadlines.at_risk_at,
        deadlines.breached_at,
        deadlines.escalated_at,
    ]
    .into_iter()
    .find(|d| *d > now)
    .filter(|d| *d != BusinessCalendar::NEVER)
}

/// `threshold × target`, rounded to the nearest millisecond (halves away from zero).
fn share(target_millis: i64, threshold: f64) -> i64 {
    if target_millis <= 0 {
        return 0;
    }
    // `as` saturates (and maps NaN to 0).
    ((target_millis as f64) * threshold).round().max(0.0) as i64
}

/// Pauses clipped to start no earlier than `since`, sorted, overlapping ones merged,
/// empty ones dropped.
fn normalize_pauses(since: Timestamp, pauses: &[(Timestamp, Timestamp)]) -> Vec<(i64, i64)> {
    let mut clipped: Vec<(i64, i64)> = pauses
        .iter()
        .map(|(from, until)| (from.0.max(since.0), until.0))
        .filter(|(from, until)| until > from)
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(clipped.len());
    for (from, until) in clipped {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(until),
            _ => merged.push((from, until)),
        }
    }
    merged
}

/// The first instant at which `millis` of clock time (open and not paused) have passed
/// since `since`. `pauses` are normalized and start no earlier than `since`.
fn clock_reaches(
    calendar: &BusinessCalendar,
    since: Timestamp,
    millis: i64,
    pauses: &[(i64, i64)],
) -> Timestamp {
    if millis <= 0 {
        return since;
    }
    let mut cursor = since;
    let mut remaining = millis;
    for &(from, until) in pauses {
        if until <= cursor.0 {
            continue;
        }
        if from > cursor.0 {
            let open = calendar.business_millis_between(cursor, Timestamp(from));
            if remaining <= open {
                return calendar.add_business_millis(cursor, remaining);
            }
            remaining -= open;
        }
        cursor = Timestamp(until.max(cursor.0));
    }
    calendar.add_business_millis(cursor, remaining)
}
