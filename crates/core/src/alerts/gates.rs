//! When an alert may be shown: the pause, the cool-down and quiet hours.

use super::AlertPlanner;
use crate::Timestamp;

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
}
