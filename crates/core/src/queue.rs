//! Queues: role-labelled lists of conversations.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A queue's stable id, e.g. `support`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct QueueId(pub String);

impl QueueId {
    /// The queue every item lands in when no routing rule matches.
    pub fn triage() -> Self {
        QueueId("triage".into())
    }
}

impl From<&str> for QueueId {
    fn from(id: &str) -> Self {
        QueueId(id.to_owned())
    }
}

/// A role-labelled queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Queue {
    /// Stable id.
    pub id: QueueId,
    /// What people see: "Support", "Sales"…
    pub label: String,
    /// The label colour as a CSS hex colour, e.g. `#2f80ed`.
    pub color: String,
}

impl Queue {
    /// A queue with this id, label and colour.
    pub fn new(id: &str, label: &str, color: &str) -> Self {
        Queue {
            id: QueueId::from(id),
            label: label.to_owned(),
            color: color.to_owned(),
        }
    }

    /// The queues a new workspace starts with: Triage first, then the roles.
    pub fn defaults() -> Vec<Queue> {
        vec![
            Queue::new("triage", "Triage", "#8a8f98"),
            Queue::new("support", "Support", "#2f80ed"),
            Queue::new("sales", "Sales", "#27ae60"),
            Queue::new("marketing", "Marketing", "#bb6bd9"),
        ]
    }
}
