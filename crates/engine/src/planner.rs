//! SLA deadlines from the workspace policy: the queue's targets (per kind, first or next
//! response), its business calendar, the thresholds, and the snoozes of the waiting run.

use switchboard_core::{deadlines, ConversationState, Deadlines, ItemKind, Policy};
use switchboard_store::DeadlinePlanner;

/// Target for queues the policy gives no SLA: one business day.
const FALLBACK_TARGET_MILLIS: i64 = 8 * 60 * 60 * 1000;

/// Plans deadlines with one policy.
pub struct PolicyPlanner<'a>(pub &'a Policy);

impl DeadlinePlanner for PolicyPlanner<'_> {
    fn plan(&self, state: &ConversationState) -> Option<Deadlines> {
        let since = state.waiting_since()?;
        let kind = state.kind.unwrap_or(ItemKind::Mention);
        let first_response = !state.answered_before();
        let target = self
            .0
            .sla_for(&state.queue)
            .map(|policy| policy.target_millis(kind, first_response))
            .unwrap_or(FALLBACK_TARGET_MILLIS);
        Some(deadlines(
            self.0.calendar_for(&state.queue),
            since,
            target,
            &self.0.thresholds,
            &state.pauses,
        ))
    }
}
