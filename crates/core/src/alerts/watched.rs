//! The planner's view of a waiting conversation, and the alert levels it deserves for one
//! person over time (see the module docs of [`super`] for *in scope*, *alertable* and
//! *level*).

use serde::{Deserialize, Serialize};

use super::AlertSettings;
use crate::{Deadlines, QueueId, SlaState, Timestamp};

/// A waiting conversation as the planner sees it. Pass only waiting conversations (a
/// customer item after the brand's last one, not marked done); anything absent counts as
/// no longer waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedConversation {
    /// The conversation's id; also the target of a notification's "Open" action.
    pub id: i64,
    /// Its queue.
    pub queue: QueueId,
    /// The queue's label, e.g. `Support`.
    pub queue_label: String,
    /// The customer's display name (or handle).
    pub customer: String,
    /// The customer's latest text; its first line is shown.
    pub preview: String,
    /// When the current waiting run began; a different value is a new run.
    pub waiting_since: Timestamp,
    /// The run's SLA deadlines.
    pub deadlines: Deadlines,
    /// Someone (anyone) has claimed it.
    pub claimed: bool,
    /// Snoozed until then; a past instant means not snoozed.
    pub snoozed_until: Option<Timestamp>,
    /// The leads of its queue ([`crate::QueueConfig::leads`]).
    pub leads: Vec<String>,
}

/// Whether `c` is in a queue the person works in or leads.
pub(super) fn in_scope(settings: &AlertSettings, c: &WatchedConversation) -> bool {
    settings.watches(&c.queue) || settings.is_lead(&c.leads)
}

/// Waiting, unclaimed, not snoozed at `now`, in scope.
pub(super) fn alertable(settings: &AlertSettings, c: &WatchedConversation, now: Timestamp) -> bool {
    !c.claimed && c.snoozed_until.is_none_or(|s| s <= now) && in_scope(settings, c)
}

/// The level `c` deserves for this person at `now` (see the module docs).
pub(super) fn level_at(
    settings: &AlertSettings,
    c: &WatchedConversation,
    now: Timestamp,
) -> SlaState {
    relevant_levels(settings, c)
        .filter(|(_, at)| *at <= now)
        .map(|(level, _)| level)
        .last()
        .unwrap_or(SlaState::OnTrack)
}

/// The levels that concern this person for `c` with the instants they begin, in order.
pub(super) fn relevant_levels(
    settings: &AlertSettings,
    c: &WatchedConversation,
) -> impl Iterator<Item = (SlaState, Timestamp)> {
    let watch = settings.watches(&c.queue);
    let lead = settings.is_lead(&c.leads);
    let d = c.deadlines;
    [
        (SlaState::AtRisk, d.at_risk_at, watch),
        (SlaState::Breached, d.breached_at, watch),
        (SlaState::Escalated, d.escalated_at, lead),
    ]
    .into_iter()
    .filter(|(_, _, relevant)| *relevant)
    .map(|(level, at, _)| (level, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_at;

    #[test]
    fn levels_follow_state_at() {
        // The planner's levels agree with the SLA module's states for a watching lead.
        let mut settings = AlertSettings::new("lead@x");
        settings.queues = vec![QueueId::from("support")];
        let c = WatchedConversation {
            id: 1,
            queue: QueueId::from("support"),
            queue_label: "Support".into(),
            customer: "Ana".into(),
            preview: String::new(),
            waiting_since: Timestamp(0),
            deadlines: Deadlines {
                at_risk_at: Timestamp(10),
                breached_at: Timestamp(20),
                escalated_at: Timestamp(30),
            },
            claimed: false,
            snoozed_until: None,
            leads: vec!["Lead@X ".into()],
        };
        for t in 0..40 {
            assert_eq!(
                level_at(&settings, &c, Timestamp(t)),
                state_at(&c.deadlines, Timestamp(t))
            );
        }
    }
}
