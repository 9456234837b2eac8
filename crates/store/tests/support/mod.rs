//! Shared test helpers: a deadline planner with a one-hour target on a 24/7 clock.

use switchboard_core::{deadlines, BusinessCalendar, ConversationState, Deadlines, SlaThresholds};
use switchboard_store::DeadlinePlanner;

/// One hour in milliseconds.
pub const HOUR: i64 = 60 * 60 * 1000;

/// Every conversation gets a one-hour target counted around the clock.
pub struct HourPlanner;

impl DeadlinePlanner for HourPlanner {
    fn plan(&self, state: &ConversationState) -> Option<Deadlines> {
        Some(deadlines(
            &BusinessCalendar::always_open(),
            state.waiting_since()?,
            HOUR,
            &SlaThresholds::default(),
            &state.pauses,
        ))
    }
}
