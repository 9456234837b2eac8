//! What we know of our notifications (by key and by server id) and of the server; the
//! calls waiting for their reply; and how the server's replies and signals about them
//! become follow-up calls and [`AlertResponse`]s.
//!
//! Words used here:
//!
//! - A key is **in flight** while a `Notify` for it waits for the server's reply (which
//!   carries the notification's id). Only one `Notify` per key is ever in flight: a show of
//!   the key meanwhile is kept as its **next** content (the latest wins) and sent, replacing
//!   the id, when the reply comes; a close meanwhile is kept and carried out by that id.
//!   So a server that answers late (seconds, under a burst) never leaves a notification
//!   whose id we do not know, and a key never stacks a second notification.
//! - A **call** is a message we sent and whose reply we wait for, by its serial number.

use std::collections::{HashMap, VecDeque};

use tracing::debug;

use super::CLOSED_BY_USER;
use crate::{AlertResponse, DesktopAlert, ACTION_OPEN, ACTION_SNOOZE, SNOOZE_MINUTES};

/// Our notifications, by key and by server id, the calls waiting for a reply, and what we
/// know of the server.
#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) shown: HashMap<String, Shown>,
    pub(super) keys: HashMap<u32, String>,
    /// Calls waiting for their reply, by serial number.
    pub(super) calls: HashMap<u32, Call>,
    /// Unique bus name of the server that last answered us.
    pub(super) server: Option<String>,
    pub(super) capabilities: Vec<String>,
    /// Signals about ids not known yet, newest last (at most [`EARLY_KEPT`]): a server may
    /// signal about a notification before its answer to `Notify` has been read here.
    pub(super) early: VecDeque<EarlySignal>,
}

/// How many signals about unknown ids are held for an answer that may still come.
const EARLY_KEPT: usize = 32;

/// A signal about an id whose `Notify` answer had not been read when it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EarlySignal {
    pub(super) id: u32,
    pub(super) kind: EarlyKind,
    /// Unique bus name of its sender.
    pub(super) sender: Option<String>,
}

/// What an [`EarlySignal`] said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EarlyKind {
    /// `ActionInvoked` with this action.
    Action(String),
    /// `NotificationClosed` with this reason.
    Closed(u32),
}

/// A call waiting for its reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Call {
    /// `Notify` for this key.
    Notify(String),
    /// `CloseNotification`; its reply changes nothing.
    Close,
    /// `GetCapabilities`, after the server changed.
    Capabilities,
}

/// One key of ours.
#[derive(Debug, Default)]
pub(super) struct Shown {
    /// The server's id for it, once a `Notify` for it was answered.
    pub(super) id: Option<u32>,
    pub(super) conversation: Option<i64>,
    /// Unique bus name of the server that gave out `id`: only its signals count.
    pub(super) server: Option<String>,
    /// An action was invoked: the close that follows is not a dismissal.
    pub(super) acted: bool,
    /// A `Notify` for it waits for its reply.
    pub(super) in_flight: bool,
    /// Shown again while in flight: sent when the reply comes.
    pub(super) next: Option<DesktopAlert>,
    /// Closed while in flight: closed by its id when the reply comes.
    pub(super) close: bool,
}

/// What to send next, decided under the state's lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Send {
    /// `Notify(alert)`, replacing server id `replaces` (0: a new notification).
    Notify { alert: DesktopAlert, replaces: u32 },
    /// `CloseNotification(id)`.
    Close(u32),
    /// `GetCapabilities`: the server changed.
    Capabilities,
}

/// The server's answer to a `Notify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NotifyReply {
    /// The notification's id, and the unique bus name that answered.
    Id(u32, Option<String>),
    /// An error reply (logged by the caller).
    Failed,
}

impl State {
    /// Whether `id` is one of ours.
    pub(super) fn knows(&self, id: u32) -> bool {
        self.keys.contains_key(&id)
    }

    /// Holds a signal about an id not known yet, for [`State::take_early`].
    pub(super) fn hold_early(&mut self, signal: EarlySignal) {
        if self.early.len() == EARLY_KEPT {
            self.early.pop_front();
        }
        self.early.push_back(signal);
    }

    /// What the held signals about `id` (now known) mean, in the order they came.
    pub(super) fn take_early(&mut self, id: u32) -> Vec<AlertResponse> {
        let (now, later): (Vec<_>, Vec<_>) = self.early.drain(..).partition(|s| s.id == id);
        self.early = later.into();
        now.into_iter()
            .filter_map(|signal| match signal.kind {
                EarlyKind::Action(action) => {
                    self.action_invoked(id, &action, signal.sender.as_deref())
                }
                EarlyKind::Closed(reason) => self.closed(id, reason, signal.sender.as_deref()),
            })
            .collect()
    }

    /// `alert` is to be shown: the `Notify` to send now, or `None` when its key is in
    /// flight (it is sent when the reply comes).
    pub(super) fn show(&mut self, alert: &DesktopAlert) -> Option<Send> {
        let shown = self.shown.entry(alert.key.clone()).or_default();
        shown.close = false;
        if shown.in_flight {
            shown.next = Some(alert.clone());
            return None;
        }
        shown.in_flight = true;
        shown.conversation = alert.conversation;
        Some(Send::Notify {
            alert: alert.clone(),
            replaces: shown.id.unwrap_or(0),
        })
    }

    /// `key` is to be closed: the `CloseNotification` to send now, or `None` when there is
    /// nothing to close or its key is in flight (closed when the reply comes).
    pub(super) fn close(&mut self, key: &str) -> Option<Send> {
        let shown = self.shown.get_mut(key)?;
        if shown.in_flight {
            shown.close = true;
            shown.next = None;
            return None;
        }
        self.forget(key).and_then(|s| s.id).map(Send::Close)
    }

    /// Records `call` as sent under `serial`.
    pub(super) fn sent(&mut self, serial: u32, call: Call) {
        self.calls.insert(serial, call);
    }

    /// A send failed before it left: the key is no longer in flight.
    pub(super) fn not_sent(&mut self, call: &Call) {
        if let Call::Notify(key) = call {
            if let Some(shown) = self.shown.get_mut(key) {
                shown.in_flight = false;
                if shown.id.is_none() {
                    self.shown.remove(key);
                }
            }
        }
    }

    /// How many `Notify` calls wait for their reply.
    pub(super) fn notifies_in_flight(&self) -> usize {
        self.calls
            .values()
            .filter(|c| matches!(c, Call::Notify(_)))
            .count()
    }

    /// The reply to call `serial` arrived: what to send next. Replies to calls we did not
    /// make (or no longer wait for) change nothing.
    pub(super) fn notify_answered(&mut self, serial: u32, reply: NotifyReply) -> Vec<Send> {
        let Some(Call::Notify(key)) = self.calls.remove(&serial) else {
            return Vec::new();
        };
        let mut then = Vec::new();
        let Some(shown) = self.shown.get_mut(&key) else {
            return then;
        };
        shown.in_flight = false;
        if let NotifyReply::Id(id, server) = reply {
            let old = shown.id.replace(id);
            shown.server = server.clone();
            if let Some(old) = old.filter(|old| *old != id) {
                // The server did not replace in place (it had forgotten the old id): make
                // sure the old notification does not stay beside the new one.
                self.keys.remove(&old);
                then.push(Send::Close(old));
            }
            self.keys.insert(id, key.clone());
            if server.is_some() && server != self.server {
                // Restarted or replaced since we last asked what it supports.
                self.server = server;
                then.push(Send::Capabilities);
            }
        }
        let Some(shown) = self.shown.get_mut(&key) else {
            return then;
        };
        if shown.close {
            if let Some(id) = self.forget(&key).and_then(|s| s.id) {
                then.push(Send::Close(id));
            }
        } else if let Some(next) = shown.next.take() {
            shown.in_flight = true;
            shown.conversation = next.conversation;
            then.push(Send::Notify {
                alert: next,
                replaces: shown.id.unwrap_or(0),
            });
        } else if shown.id.is_none() {
            // Refused and never shown: nothing of it is on screen.
            self.shown.remove(&key);
        }
        then
    }

    /// The reply to a call that is not a `Notify` arrived: the call it answers, if ours.
    /// Whether call `serial` is one of ours still waiting for its reply (calls made
    /// elsewhere on the connection — `AddMatch`, the start-up questions — are not).
    pub(super) fn waits_for(&self, serial: u32) -> bool {
        self.calls.contains_key(&serial)
    }

    pub(super) fn other_answered(&mut self, serial: u32) -> Option<Call> {
        match self.calls.get(&serial) {
            Some(Call::Notify(_)) | None => None,
            Some(_) => self.calls.remove(&serial),
        }
    }

    pub(super) fn forget(&mut self, key: &str) -> Option<Shown> {
        let shown = self.shown.remove(key)?;
        if let Some(id) = shown.id {
            self.keys.remove(&id);
        }
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
        let (key, shown) = self.ours(id, sender)?;
        let key = key.clone();
        shown.acted = true;
        let conversation = shown.conversation?;
        match action {
            ACTION_OPEN => Some(AlertResponse::Open { key, conversation }),
            ACTION_SNOOZE => Some(AlertResponse::Snooze {
                key,
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
        let (key, shown) = self.ours(id, sender)?;
        let key = key.clone();
        let acted = shown.acted;
        if shown.in_flight {
            // Closed on screen while a replacement is on its way: that one will be shown
            // anew (the server no longer knows the id it replaces).
            shown.id = None;
            self.keys.remove(&id);
        } else {
            self.forget(&key)?;
        }
        (reason == CLOSED_BY_USER && !acted).then_some(AlertResponse::Dismissed { key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Option<&str> = Some(":1.7");

    fn alert(key: &str, conversation: Option<i64>, body: &str) -> DesktopAlert {
        DesktopAlert {
            key: key.into(),
            title: "t".into(),
            body: body.into(),
            critical: false,
            conversation,
            conversations: conversation.into_iter().collect(),
        }
    }

    /// Shows `key` and answers its `Notify` with `id`.
    fn state_with(key: &str, id: u32, conversation: Option<i64>) -> State {
        let mut state = State {
            server: SERVER.map(str::to_owned),
            ..State::default()
        };
        assert!(state.show(&alert(key, conversation, "")).is_some());
        state.sent(1, Call::Notify(key.into()));
        state.notify_answered(1, NotifyReply::Id(id, SERVER.map(str::to_owned)));
        state
    }

    #[test]
    fn a_signal_that_comes_before_its_notify_answer_counts_once_the_answer_names_it() {
        let mut state = State {
            server: SERVER.map(str::to_owned),
            ..State::default()
        };
        assert!(state.show(&alert("info:1", None, "")).is_some());
        state.sent(1, Call::Notify("info:1".into()));
        // The server shows it and the person dismisses it before its answer is read.
        assert!(!state.knows(9));
        state.hold_early(EarlySignal {
            id: 9,
            kind: EarlyKind::Closed(CLOSED_BY_USER),
            sender: SERVER.map(str::to_owned),
        });
        // Another program's notification closing: held too, and never matched.
        state.hold_early(EarlySignal {
            id: 3,
            kind: EarlyKind::Closed(CLOSED_BY_USER),
            sender: SERVER.map(str::to_owned),
        });
        state.notify_answered(1, NotifyReply::Id(9, SERVER.map(str::to_owned)));
        assert_eq!(
            state.take_early(9),
            vec![AlertResponse::Dismissed {
                key: "info:1".into()
            }]
        );
        assert!(state.take_early(9).is_empty(), "reported once");
        assert_eq!(
            state.early.len(),
            1,
            "the other program's signal is still held"
        );
    }

    #[test]
    fn actions_map_to_responses_for_the_alerts_conversation() {
        let mut state = state_with("sla:7", 4, Some(7));
        assert_eq!(
            state.action_invoked(4, "default", SERVER),
            Some(AlertResponse::Open {
                key: "sla:7".into(),
                conversation: 7
            })
        );
        assert_eq!(
            state.action_invoked(4, "snooze-15", SERVER),
            Some(AlertResponse::Snooze {
                key: "sla:7".into(),
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
    fn replacing_under_a_new_id_closes_and_forgets_the_old_one() {
        let mut state = state_with("a", 1, None);
        assert_eq!(
            state.show(&alert("a", None, "again")),
            Some(Send::Notify {
                alert: alert("a", None, "again"),
                replaces: 1
            })
        );
        state.sent(2, Call::Notify("a".into()));
        assert_eq!(
            state.notify_answered(2, NotifyReply::Id(2, SERVER.map(str::to_owned))),
            [Send::Close(1)],
            "the server forgot id 1 and showed a second notification: the first is closed"
        );
        assert_eq!(state.keys.get(&2).map(String::as_str), Some("a"));
        assert!(!state.keys.contains_key(&1));
        assert_eq!(state.shown.len(), 1);
    }

    #[test]
    fn a_key_in_flight_keeps_its_latest_content_and_sends_it_by_the_id_that_comes_back() {
        let mut state = State::default();
        assert!(state.show(&alert("a", Some(1), "first")).is_some());
        state.sent(10, Call::Notify("a".into()));
        assert_eq!(
            state.show(&alert("a", Some(1), "second")),
            None,
            "in flight"
        );
        assert_eq!(state.show(&alert("a", Some(1), "third")), None, "in flight");
        assert_eq!(state.notifies_in_flight(), 1);
        assert_eq!(
            state.notify_answered(10, NotifyReply::Id(5, None)),
            [Send::Notify {
                alert: alert("a", Some(1), "third"),
                replaces: 5
            }],
            "the latest content replaces the notification the late reply named"
        );
    }

    #[test]
    fn a_key_closed_in_flight_is_closed_by_the_id_that_comes_back() {
        let mut state = State::default();
        assert!(state.show(&alert("a", Some(1), "first")).is_some());
        state.sent(10, Call::Notify("a".into()));
        assert_eq!(state.close("a"), None, "nothing to close yet");
        assert_eq!(
            state.notify_answered(10, NotifyReply::Id(5, None)),
            [Send::Close(5)]
        );
        assert!(state.shown.is_empty() && state.keys.is_empty());
        assert_eq!(state.close("a"), None, "closed once");
    }

    #[test]
    fn a_refused_notify_sends_what_came_next_or_forgets_the_key() {
        let mut state = State::default();
        assert!(state.show(&alert("a", None, "first")).is_some());
        state.sent(10, Call::Notify("a".into()));
        assert_eq!(state.notify_answered(10, NotifyReply::Failed), []);
        assert!(state.shown.is_empty(), "nothing of it is on screen");

        assert!(state.show(&alert("b", None, "first")).is_some());
        state.sent(11, Call::Notify("b".into()));
        state.show(&alert("b", None, "second"));
        assert_eq!(
            state.notify_answered(11, NotifyReply::Failed),
            [Send::Notify {
                alert: alert("b", None, "second"),
                replaces: 0
            }]
        );
    }

    #[test]
    fn a_new_server_is_asked_for_its_capabilities() {
        let mut state = state_with("a", 1, None);
        state.show(&alert("a", None, "again"));
        state.sent(2, Call::Notify("a".into()));
        assert_eq!(
            state.notify_answered(2, NotifyReply::Id(1, Some(":1.9".into()))),
            [Send::Capabilities]
        );
        assert_eq!(state.server.as_deref(), Some(":1.9"));
    }
}
