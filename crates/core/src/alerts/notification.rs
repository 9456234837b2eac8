//! What the planner asks of the OS: notifications with their keys, and the actions to
//! show, rewrite or close them.

use serde::{Deserialize, Serialize};

use crate::{QueueId, SlaState, Timestamp};

/// How insistently the OS should show a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// At risk only.
    Normal,
    /// Something in it is breached or escalated.
    Critical,
}

/// The content of one OS notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Stable id: showing a key that is open replaces it in place; see the module docs
    /// for the forms (`conv:42`, `group:support:breached`, `summary`).
    pub key: String,
    /// One line, e.g. `Support · Ana Souza — overdue 12 m`.
    pub title: String,
    /// Plain text, possibly several lines; may be empty.
    pub body: String,
    /// Critical when anything in it is breached or escalated.
    pub urgency: Urgency,
    /// The worst level in it.
    pub level: SlaState,
    /// The queue of everything in it, when they share one.
    pub queue: Option<QueueId>,
    /// The conversation to open, when it is about exactly one.
    pub conversation: Option<i64>,
    /// Every conversation in it, longest waiting first.
    pub conversations: Vec<i64>,
}

/// One thing to do to the OS notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertAction {
    /// Show it, or replace the open notification with the same key: there is something
    /// new to see (sound and banner as the urgency says).
    Show(Notification),
    /// Rewrite the open notification with the same key without drawing attention (no
    /// sound, no new banner if the server allows): some of its conversations were cleared.
    Update(Notification),
    /// Close the notification with this key: everything in it was cleared or moved on.
    Close {
        /// The key of the notification.
        key: String,
    },
}

/// The outcome of one [`AlertPlanner::decide`](super::AlertPlanner::decide).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// In order: closes, then rewrites, then shows (each by key).
    pub actions: Vec<AlertAction>,
    /// Call again at this instant even if nothing changes; `None` when only a change in
    /// the data or settings can lead to a notification.
    pub wake_at: Option<Timestamp>,
    /// How many conversations have an alert held back (cool-down, quiet hours, pause),
    /// e.g. for the tray.
    pub held: usize,
}

/// The key of the notification about conversation `id` alone: `conv:<id>`.
pub fn conversation_key(id: i64) -> String {
    format!("conv:{id}")
}
