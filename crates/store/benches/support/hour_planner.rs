//! A deadline planner for the store's bench and the backlog seed (`examples/`, which
//! includes this file by path): the deadlines fall one hour of open time after the
//! customer's item, on the given calendar and thresholds. The app re-plans deadlines from
//! its policy when it opens a workspace.

use switchboard_core::{deadlines, BusinessCalendar, ConversationState, Deadlines, SlaThresholds};
use switchboard_store::DeadlinePlanner;

/// An hour in milliseconds.
const HOUR: i64 = 3_600_000;

/// Plans a one-hour first response on its calendar (`.0`) with its thresholds (`.1`).
pub struct HourPlanner(pub BusinessCalendar, pub SlaThresholds);

impl DeadlinePlanner for HourPlanner {
    fn plan(&self, state: &ConversationState) -> Option<Deadlines> {
        Some(deadlines(
            &self.0,
            state.waiting_since()?,
            HOUR,
            &self.1,
            &state.pauses,
        ))
    }
}
