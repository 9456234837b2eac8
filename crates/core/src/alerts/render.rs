//! Turning an open notification's members into the [`Notification`] the OS shows.

use std::collections::HashMap;

use super::planner::{Kind, Open};
use super::{text, AlertPlanner, Notification, Urgency, WatchedConversation};
use crate::{SlaState, Timestamp};

impl AlertPlanner {
    /// The notification for open `key`.
    pub(super) fn render(
        &self,
        key: &str,
        open: &Open,
        convs: &HashMap<i64, WatchedConversation>,
        now: Timestamp,
    ) -> Notification {
        let mut members: Vec<(&WatchedConversation, SlaState)> = open
            .members
            .iter()
            .filter_map(|id| convs.get(id).map(|c| (c, self.acked(*id))))
            .collect();
        members.sort_by_key(|(c, _)| (c.waiting_since, c.id));
        let level = members
            .iter()
            .map(|(_, l)| *l)
            .max()
            .unwrap_or(SlaState::OnTrack);
        let (title, body) = match (&open.kind, members.as_slice()) {
            (Kind::Summary, _) => text::summary(&members, now),
            (_, [(c, l)]) => text::single(c, *l, now),
            (Kind::Group { label, level, .. }, _) => {
                let convs: Vec<&WatchedConversation> = members.iter().map(|(c, _)| *c).collect();
                text::group(label, *level, &convs, now)
            }
            (Kind::Single, _) => (String::new(), String::new()),
        };
        let queue = members
            .first()
            .map(|(c, _)| c.queue.clone())
            .filter(|q| members.iter().all(|(c, _)| c.queue == *q));
        Notification {
            key: key.to_owned(),
            title,
            body,
            urgency: if level >= SlaState::Breached {
                Urgency::Critical
            } else {
                Urgency::Normal
            },
            level,
            queue,
            conversation: match members.as_slice() {
                [(c, _)] => Some(c.id),
                _ => None,
            },
            conversations: members.iter().map(|(c, _)| c.id).collect(),
        }
    }
}
