//! One person's notification preferences: the queues they work in, quiet hours,
//! cool-down and pause.

use serde::{Deserialize, Serialize};

use super::quiet::QuietHours;
use super::DEFAULT_COOLDOWN_MILLIS;
use crate::{QueueId, Timestamp};

/// One person's notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertSettings {
    /// The person's id, matched against queue leads (trimmed, case-insensitive).
    pub person: String,
    /// The queues the person works in; empty means every queue.
    pub queues: Vec<QueueId>,
    /// Daily quiet hours, if any.
    pub quiet_hours: Option<QuietHours>,
    /// After a delivery, ordinary alerts wait this long (milliseconds; 0 or less: no
    /// cool-down).
    pub cooldown_millis: i64,
    /// Nothing is shown before this instant ("pause for an hour").
    pub paused_until: Option<Timestamp>,
    /// Whether escalations are shown during quiet hours (never during a pause).
    pub escalations_pierce_quiet_hours: bool,
}

impl AlertSettings {
    /// The defaults for `person`: every queue, no quiet hours, a one-minute cool-down, not
    /// paused, escalations held during quiet hours.
    pub fn new(person: impl Into<String>) -> Self {
        AlertSettings {
            person: person.into(),
            queues: Vec::new(),
            quiet_hours: None,
            cooldown_millis: DEFAULT_COOLDOWN_MILLIS,
            paused_until: None,
            escalations_pierce_quiet_hours: false,
        }
    }

    /// Whether the person works in `queue`.
    pub fn watches(&self, queue: &QueueId) -> bool {
        self.queues.is_empty() || self.queues.contains(queue)
    }

    /// Whether the person is one of `leads` (trimmed, case-insensitive; an empty person
    /// leads nothing).
    pub fn is_lead(&self, leads: &[String]) -> bool {
        let me = self.person.trim().to_lowercase();
        !me.is_empty() && leads.iter().any(|l| l.trim().to_lowercase() == me)
    }
}
