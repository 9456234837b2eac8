//! The [`Watchlist`]: the waiting conversations kept between two
//! [`AlertPlanner::decide_watchlist`] calls, what changed in them since, and an index of
//! when each may next need the planner — so that a call after one change looks at the
//! changed conversations and those whose time has come, not at every waiting one.
//!
//! # Words
//!
//! - **next instant** of a conversation (for the planner's person and memory): the first
//!   instant at which it could become pending — the deadline of the first level that
//!   concerns the person above its acknowledged level, or the end of its snooze if that
//!   is later. Kept apart for ordinary levels (at risk, breached) and for escalations,
//!   which the gates treat differently. Claimed and out-of-scope conversations have none.
//! - **candidates** of a call: the conversations changed since the last call, and those
//!   whose next instant is not after now (pending ones, shown now or held). No other
//!   conversation can be pending or need clearing, and the wake-up is the gated earliest
//!   next instant, read off the index.
//! - **full call**: the first call, a call after [`Watchlist::replace_all`] or
//!   [`Watchlist::invalidate`], or after the planner's settings changed: every
//!   conversation and every remembered run is looked at and the index rebuilt — the same
//!   as [`AlertPlanner::decide`] with the whole list.

use std::collections::{BTreeSet, HashMap};

use super::watched::{in_scope, relevant_levels};
use super::{AlertPlanner, AlertSettings, WatchedConversation};
use crate::{BusinessCalendar, SlaState, Timestamp};

/// The waiting conversations a planner watches, kept between calls. See the module docs.
#[derive(Debug, Clone, Default)]
pub struct Watchlist {
    pub(super) convs: HashMap<i64, WatchedConversation>,
    /// Changed (added, updated or removed) since the last call.
    pub(super) changed: BTreeSet<i64>,
    /// The next call is a full call.
    pub(super) stale: bool,
    /// The settings the index was built for.
    pub(super) indexed_for: Option<AlertSettings>,
    /// Next instants of ordinary levels and of escalations, with each one's entries.
    pub(super) ordinary: BTreeSet<(Timestamp, i64)>,
    pub(super) escalation: BTreeSet<(Timestamp, i64)>,
    pub(super) next: HashMap<i64, NextInstants>,
}

/// One conversation's entries in the index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct NextInstants {
    pub(super) ordinary: Option<Timestamp>,
    pub(super) escalation: Option<Timestamp>,
}

impl Watchlist {
    /// An empty list; the first call with it is a full call.
    pub fn new() -> Self {
        Watchlist {
            stale: true,
            ..Watchlist::default()
        }
    }

    /// Replaces every conversation (the next call is a full call). A conversation listed
    /// twice counts once, as first listed.
    pub fn replace_all(&mut self, waiting: impl IntoIterator<Item = WatchedConversation>) {
        self.convs.clear();
        for c in waiting {
            self.convs.entry(c.id).or_insert(c);
        }
        self.changed.clear();
        self.stale = true;
    }

    /// Adds or replaces one waiting conversation.
    pub fn upsert(&mut self, c: WatchedConversation) {
        self.changed.insert(c.id);
        self.convs.insert(c.id, c);
    }

    /// Takes conversation `id` out: it is no longer waiting.
    pub fn remove(&mut self, id: i64) {
        self.changed.insert(id);
        self.convs.remove(&id);
    }

    /// Makes the next call a full call: needed when the planner it serves was replaced
    /// (its memory is what the index was built from).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// Conversation `id`, if waiting.
    pub fn get(&self, id: i64) -> Option<&WatchedConversation> {
        self.convs.get(&id)
    }

    /// How many conversations are waiting.
    pub fn len(&self) -> usize {
        self.convs.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.convs.is_empty()
    }

    /// Whether the next call with `settings` is a full call.
    pub(super) fn needs_full(&self, settings: &AlertSettings) -> bool {
        self.stale || self.indexed_for.as_ref() != Some(settings)
    }

    /// The incremental call's candidates at `now` (see the module docs), in id order.
    pub(super) fn candidates(&self, now: Timestamp) -> BTreeSet<i64> {
        let due = |set: &BTreeSet<(Timestamp, i64)>| {
            set.range(..=(now, i64::MAX))
                .map(|(_, id)| *id)
                .collect::<Vec<_>>()
        };
        let mut ids = self.changed.clone();
        ids.extend(due(&self.ordinary));
        ids.extend(due(&self.escalation));
        ids
    }

    /// Sets conversation `id`'s entries in the index.
    pub(super) fn reindex(&mut self, id: i64, next: NextInstants) {
        let old = self.next.get(&id).copied().unwrap_or_default();
        if old == next {
            return;
        }
        if let Some(at) = old.ordinary {
            self.ordinary.remove(&(at, id));
        }
        if let Some(at) = old.escalation {
            self.escalation.remove(&(at, id));
        }
        if let Some(at) = next.ordinary {
            self.ordinary.insert((at, id));
        }
        if let Some(at) = next.escalation {
            self.escalation.insert((at, id));
        }
        if next == NextInstants::default() {
            self.next.remove(&id);
        } else {
            self.next.insert(id, next);
        }
    }

    /// Empties the index.
    pub(super) fn clear_index(&mut self) {
        self.ordinary.clear();
        self.escalation.clear();
        self.next.clear();
    }
}

impl AlertPlanner {
    /// Conversation `c`'s next instants for this person and memory.
    pub(super) fn next_instants(&self, c: &WatchedConversation) -> NextInstants {
        let mut next = NextInstants::default();
        if c.claimed || !in_scope(&self.settings, c) {
            return next;
        }
        let acked = self.acked(c.id);
        for (level, deadline) in relevant_levels(&self.settings, c) {
            if level <= acked || deadline == BusinessCalendar::NEVER {
                continue;
            }
            let at = c.snoozed_until.map_or(deadline, |s| s.max(deadline));
            if level == SlaState::Escalated {
                next.escalation.get_or_insert(at);
            } else {
                next.ordinary.get_or_insert(at);
            }
        }
        next
    }

    /// The earliest instant after `now` at which something would be shown: the gated
    /// earliest next instant of each kind.
    pub(super) fn wake_from_index(&self, now: Timestamp, list: &Watchlist) -> Option<Timestamp> {
        let mut best: Option<Timestamp> = None;
        for (set, escalation) in [(&list.ordinary, false), (&list.escalation, true)] {
            // The gates never move an earlier instant past a later one, so the first
            // instant that opens after now is the kind's earliest.
            for (at, _) in set {
                let at = self.open_at((*at).max(now), escalation);
                if at > now {
                    if best.is_none_or(|b| at < b) {
                        best = Some(at);
                    }
                    break;
                }
            }
        }
        best
    }
}
