//! What we know of our notifications on screen (by key and by server id) and of the
//! server, and how the server's signals about them become [`AlertResponse`]s.

use std::collections::HashMap;

use tracing::debug;

use super::CLOSED_BY_USER;
use crate::{AlertResponse, ACTION_OPEN, ACTION_SNOOZE, SNOOZE_MINUTES};

/// Our notifications on screen, by key and by server id, and what we know of the server.
#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) shown: HashMap<String, Shown>,
    pub(super) keys: HashMap<u32, String>,
    /// Unique bus name of the server that last answered us.
    pub(super) server: Option<String>,
    pub(super) capabilities: Vec<String>,
}

#[derive(Debug)]
pub(super) struct Shown {
    pub(super) id: u32,
    pub(super) conversation: Option<i64>,
    /// Unique bus name of the server that gave out `id`: only its signals count.
    pub(super) server: Option<String>,
    /// An action was invoked: the close that follows is not a dismissal.
    pub(super) acted: bool,
}

impl State {
    /// Records that `key` is on screen as server notification `id`.
    pub(super) fn remember(
        &mut self,
        key: &str,
        id: u32,
        conversation: Option<i64>,
        server: Option<String>,
    ) {
        let shown = Shown {
            id,
            conversation,
            server,
            acted: false,
        };
        if let Some(old) = self.shown.insert(key.to_owned(), shown) {
            if old.id != id {
                self.keys.remove(&old.id);
            }
        }
        self.keys.insert(id, key.to_owned());
    }

    pub(super) fn forget(&mut self, key: &str) -> Option<Shown> {
        let shown = self.shown.remove(key)?;
        self.keys.remove(&shown.id);
        Some(shown)
    }

    /// Ours and from the server that gave the id out, or `None`.
    pub(super) fn ours(&mut self, id: u32, sender: Option<&str>) -> Option<(&String, &mut Shown)> {
        let key = self.keys.get(&id)?;
        let shown = self.shown.get_mut(key)?;
        if shown.server.is_some() && shown.server.as_deref() != sender {
            debug!(
                id,
                ?sender,
                "ignoring a signal from a bus peer that is not the server"
            );
            return None;
        }
        Some((key, shown))
    }

    pub(super) fn action_invoked(
        &mut self,
        id: u32,
        action: &str,
        sender: Option<&str>,
    ) -> Option<AlertResponse> {
        let (_, shown) = self.ours(id, sender)?;
        shown.acted = true;
        let conversation = shown.conversation?;
        match action {
            ACTION_OPEN => Some(AlertResponse::Open { conversation }),
            ACTION_SNOOZE => Some(AlertResponse::Snooze {
                conversation,
                minutes: SNOOZE_MINUTES,
            }),
            other => {
                debug!(id, action = other, "ignoring an unknown action");
                None
            }
        }
    }

    pub(super) fn closed(
        &mut self,
        id: u32,
        reason: u32,
        sender: Option<&str>,
    ) -> Option<AlertResponse> {
        let key = self.ours(id, sender)?.0.clone();
        let shown = self.forget(&key)?;
        (reason == CLOSED_BY_USER && !shown.acted).then_some(AlertResponse::Dismissed { key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Option<&str> = Some(":1.7");

    fn state_with(key: &str, id: u32, conversation: Option<i64>) -> State {
        let mut state = State::default();
        state.remember(key, id, conversation, SERVER.map(str::to_owned));
        state
    }

    #[test]
    fn actions_map_to_responses_for_the_alerts_conversation() {
        let mut state = state_with("sla:7", 4, Some(7));
        assert_eq!(
            state.action_invoked(4, "default", SERVER),
            Some(AlertResponse::Open { conversation: 7 })
        );
        assert_eq!(
            state.action_invoked(4, "snooze-15", SERVER),
            Some(AlertResponse::Snooze {
                conversation: 7,
                minutes: 15
            })
        );
        assert_eq!(
            state.action_invoked(4, "reply", SERVER),
            None,
            "unknown action"
        );
        assert_eq!(
            state.action_invoked(5, "default", SERVER),
            None,
            "not our id"
        );
    }

    #[test]
    fn signals_from_other_bus_peers_are_ignored() {
        let mut state = state_with("sla:7", 4, Some(7));
        assert_eq!(state.action_invoked(4, "default", Some(":1.99")), None);
        assert_eq!(state.closed(4, CLOSED_BY_USER, Some(":1.99")), None);
        assert!(
            state.shown.contains_key("sla:7"),
            "still ours after a spoofed close"
        );
    }

    #[test]
    fn only_a_user_dismissal_without_an_action_is_reported() {
        let mut state = state_with("a", 1, Some(7));
        assert_eq!(
            state.closed(1, CLOSED_BY_USER, SERVER),
            Some(AlertResponse::Dismissed { key: "a".into() })
        );
        assert!(
            state.shown.is_empty() && state.keys.is_empty(),
            "forgotten once closed"
        );

        let mut state = state_with("a", 1, Some(7));
        assert_eq!(state.closed(1, 1, SERVER), None, "expired");
        let mut state = state_with("a", 1, Some(7));
        assert_eq!(
            state.closed(1, 3, SERVER),
            None,
            "closed by CloseNotification"
        );

        let mut state = state_with("a", 1, Some(7));
        state.action_invoked(1, "default", SERVER);
        assert_eq!(
            state.closed(1, CLOSED_BY_USER, SERVER),
            None,
            "servers close a notification after its action: that is not a dismissal"
        );
    }

    #[test]
    fn replacing_under_a_new_id_forgets_the_old_one() {
        let mut state = state_with("a", 1, None);
        state.remember("a", 2, None, SERVER.map(str::to_owned));
        assert_eq!(state.keys.get(&2).map(String::as_str), Some("a"));
        assert!(!state.keys.contains_key(&1));
        assert_eq!(state.shown.len(), 1);
    }
}
