//! When an alert may be shown: the pause, the cool-down and quiet hours, and the next
//! instant worth waking up for.

use std::collections::BTreeMap;

use super::watched::{in_scope, relevant_levels};
use super::{AlertPlanner, WatchedConversation};
use crate::{BusinessCalendar, SlaState, Timestamp};

impl AlertPlanner {
    /// The first instant from `t` on at which an alert (an escalation or not) may be
    /// shown: past the pause, the cool-down (not for escalations) and quiet hours (not
    /// for escalations when they pierce).
    pub(super) fn open_at(&self, t: Timestamp, escalation: bool) -> Timestamp {
        let mut t = t;
        if let Some(until) = self.settings.paused_until {
            t = t.max(until);
        }
        if !escalation && self.settings.cooldown_millis > 0 {
            if let Some(last) = self.last_delivery_at {
                let end = last.plus_millis(self.settings.cooldown_millis);
                if last <= t && t < end {
                    t = end;
                }
            }
        }
        if !(escalation && self.settings.escalations_pierce_quiet_hours) {
            if let Some(quiet) = &self.settings.quiet_hours {
                // Windows do not touch, so one step suffices; a few guard odd zones.
                for _ in 0..4 {
                    match quiet.window_at(t) {
                        Some((_, end)) => t = end,
                        None => break,
                    }
                }
            }
        }
        t
    }

    /// Whether the person was away (quiet hours or a pause) at some time in
    /// `[since, now)`.
    pub(super) fn was_away(&self, since: Timestamp, now: Timestamp) -> bool {
        self.settings.paused_until.is_some_and(|u| u > since)
            || self
                .settings
                .quiet_hours
                .as_ref()
                .is_some_and(|q| q.overlaps(since, now))
    }

    /// The earliest instant after `now` at which something would be shown.
    pub(super) fn wake_at(
        &self,
        now: Timestamp,
        by_id: &BTreeMap<i64, &WatchedConversation>,
    ) -> Option<Timestamp> {
        let mut best: Option<Timestamp> = None;
        for c in by_id.values() {
            if c.claimed || !in_scope(&self.settings, c) {
                continue;
            }
            let from = c.snoozed_until.map_or(now, |s| s.max(now));
            let acked = self.acked(c.id);
            for (level, deadline) in relevant_levels(&self.settings, c) {
                if level <= acked || deadline == BusinessCalendar::NEVER {
                    continue;
                }
                let at = self.open_at(deadline.max(from), level == SlaState::Escalated);
                if at > now && best.is_none_or(|b| at < b) {
                    best = Some(at);
                }
            }
        }
        best
    }
}
