//! The [`AlertPlanner`]: its memory of delivered runs and open notifications, and
//! [`AlertPlanner::decide`], which clears, groups and delivers (the rules are in the module
//! docs of [`super`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::watched::{alertable, level_at, relevant_levels};
use super::{
    conversation_key, AlertAction, AlertSettings, Decision, WatchedConversation, Watchlist,
    RUN_MEMORY_MILLIS, SUMMARY_KEY,
};
use crate::{QueueId, SlaState, Timestamp};

/// Decides one person's notifications; holds the memory of what was delivered. See the
/// module docs for the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPlanner {
    pub(super) settings: AlertSettings,
    /// Conversation id → the run whose alerts were delivered.
    pub(super) runs: BTreeMap<i64, Run>,
    /// Key → open notification.
    pub(super) open: BTreeMap<String, Open>,
    /// The last call that showed something.
    pub(super) last_delivery_at: Option<Timestamp>,
    /// During a call: the notifications whose members it changed, with their members
    /// before (`None`: it was not open).
    #[serde(skip)]
    pub(super) touched: BTreeMap<String, Option<BTreeSet<i64>>>,
}

/// What was delivered for one waiting run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Run {
    pub(super) waiting_since: Timestamp,
    /// The acknowledged level (above `OnTrack`).
    pub(super) acked: SlaState,
    /// The open notification it sits in; `None` once cleared.
    pub(super) shown_in: Option<String>,
    /// The last call that saw it in the waiting list.
    pub(super) last_seen: Timestamp,
}

/// An open notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Open {
    pub(super) kind: Kind,
    pub(super) members: BTreeSet<i64>,
}

/// What an open notification holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Kind {
    Single,
    Group {
        queue: QueueId,
        label: String,
        level: SlaState,
    },
    Summary,
}

/// A pending alert.
pub(super) struct Pending<'a> {
    pub(super) conv: &'a WatchedConversation,
    pub(super) level: SlaState,
    /// When it became pending: the deadline of the first level above the acknowledged one.
    pub(super) since: Timestamp,
}

impl AlertPlanner {
    /// A planner with no memory.
    pub fn new(settings: AlertSettings) -> Self {
        AlertPlanner {
            settings,
            runs: BTreeMap::new(),
            open: BTreeMap::new(),
            last_delivery_at: None,
            touched: BTreeMap::new(),
        }
    }

    /// The current settings.
    pub fn settings(&self) -> &AlertSettings {
        &self.settings
    }

    /// Replaces the settings (queues, quiet hours, pause…). Takes effect at the next
    /// [`AlertPlanner::decide`], which the caller should make right away: e.g. dropping a
    /// queue closes its notifications there, ending a pause delivers the summary.
    pub fn set_settings(&mut self, settings: AlertSettings) {
        self.settings = settings;
    }

    /// The keys of the notifications this planner believes are open.
    pub fn open_keys(&self) -> Vec<&str> {
        self.open.keys().map(String::as_str).collect()
    }

    /// Decides what to show, replace and close at `now`, given every waiting conversation,
    /// and records it as done. See the module docs.
    pub fn decide(&mut self, now: Timestamp, waiting: &[WatchedConversation]) -> Decision {
        let mut list = Watchlist::new();
        list.replace_all(waiting.iter().cloned());
        self.decide_watchlist(now, &mut list)
    }

    /// Like [`AlertPlanner::decide`] with every conversation in `list`, looking only at
    /// the conversations changed since the last call and those whose time has come (see
    /// [`Watchlist`]): the same decision, in time that grows with what changed rather
    /// than with how many conversations wait.
    pub fn decide_watchlist(&mut self, now: Timestamp, list: &mut Watchlist) -> Decision {
        let full = list.needs_full(&self.settings);
        let candidates: BTreeSet<i64> = if full {
            list.convs.keys().chain(self.runs.keys()).copied().collect()
        } else {
            list.candidates(now)
        };
        self.touched.clear();

        // Clear what is no longer alertable; forget finished runs.
        let mut leave = Vec::new();
        let mut forget = Vec::new();
        for id in &candidates {
            let Some(run) = self.runs.get_mut(id) else {
                continue;
            };
            match list.convs.get(id) {
                Some(c) if c.waiting_since != run.waiting_since => {
                    leave.push(*id);
                    forget.push(*id);
                }
                Some(c) => {
                    run.last_seen = now;
                    if !alertable(&self.settings, c, now) {
                        leave.push(*id);
                    }
                }
                None if !full => {
                    // It left the list just now.
                    run.last_seen = now;
                    leave.push(*id);
                }
                None => {
                    leave.push(*id);
                    if now.0.saturating_sub(run.last_seen.0) >= RUN_MEMORY_MILLIS {
                        forget.push(*id);
                    }
                }
            }
        }
        for id in leave {
            self.leave(id);
        }
        for id in forget {
            self.runs.remove(&id);
        }

        // What is pending, and what of it may be shown now.
        let mut deliver = Vec::new();
        let mut held = 0;
        for c in candidates.iter().filter_map(|id| list.convs.get(id)) {
            if !alertable(&self.settings, c, now) {
                continue;
            }
            let acked = self.acked(c.id);
            let level = level_at(&self.settings, c, now);
            if level <= acked {
                continue;
            }
            let since = relevant_levels(&self.settings, c)
                .find(|(l, _)| *l > acked)
                .map_or(now, |(_, at)| at);
            if self.open_at(now, level == SlaState::Escalated) == now {
                deliver.push(Pending {
                    conv: c,
                    level,
                    since,
                });
            } else {
                held += 1;
            }
        }

        let mut shown: BTreeSet<String> = BTreeSet::new();
        if !deliver.is_empty() {
            // During quiet hours only piercing escalations get here: they are shown as
            // they come, not summarized.
            let quiet_now = self
                .settings
                .quiet_hours
                .as_ref()
                .is_some_and(|q| q.contains(now));
            let away = !quiet_now && deliver.iter().any(|p| self.was_away(p.since, now));
            if away {
                for p in &deliver {
                    self.join(p.conv, p.level, SUMMARY_KEY, Kind::Summary, now);
                }
                shown.insert(SUMMARY_KEY.to_owned());
            } else {
                let mut groups: BTreeMap<(QueueId, SlaState), Vec<&Pending>> = BTreeMap::new();
                for p in &deliver {
                    groups
                        .entry((p.conv.queue.clone(), p.level))
                        .or_default()
                        .push(p);
                }
                for ((queue, level), members) in groups {
                    let key = format!("group:{}:{}", queue.0, level.as_str());
                    // What is already on screen at this queue and level joins them: the
                    // open group, and conversations shown alone. A burst that arrives a
                    // few at a time (deadlines milliseconds apart, escalations past the
                    // cool-down) still ends up as one notification per queue and level.
                    let fresh: BTreeSet<i64> = members.iter().map(|p| p.conv.id).collect();
                    let alone = self.shown_alone(&queue, level, &list.convs, &fresh);
                    let in_group = self.open.get(&key).map_or(0, |o| o.members.len());
                    if let ([p], [], 0) = (members.as_slice(), alone.as_slice(), in_group) {
                        let key = conversation_key(p.conv.id);
                        self.join(p.conv, level, &key, Kind::Single, now);
                        shown.insert(key);
                    } else {
                        let kind = Kind::Group {
                            queue,
                            label: members[0].conv.queue_label.clone(),
                            level,
                        };
                        for c in alone.iter().copied().chain(members.iter().map(|p| p.conv)) {
                            self.join(c, level, &key, kind.clone(), now);
                        }
                        shown.insert(key);
                    }
                }
            }
            self.last_delivery_at = Some(now);
        }

        // Closes, rewrites and shows of the notifications whose members changed.
        let touched = std::mem::take(&mut self.touched);
        for key in touched.keys() {
            if self.open.get(key).is_some_and(|o| o.members.is_empty()) {
                self.open.remove(key);
            }
        }
        let mut actions: Vec<AlertAction> = touched
            .iter()
            .filter(|(k, before)| before.is_some() && !self.open.contains_key(*k))
            .map(|(k, _)| AlertAction::Close { key: k.clone() })
            .collect();
        for (key, before) in &touched {
            if let Some(open) = self.open.get(key) {
                if !shown.contains(key) && before.as_ref() != Some(&open.members) {
                    actions.push(AlertAction::Update(self.render(
                        key,
                        open,
                        &list.convs,
                        now,
                    )));
                }
            }
        }
        for key in &shown {
            if let Some(open) = self.open.get(key) {
                actions.push(AlertAction::Show(self.render(key, open, &list.convs, now)));
            }
        }

        // Bring the index up to date for what may have changed: the candidates' data and
        // acknowledged levels (everything, on a full call).
        if full {
            list.clear_index();
            let all: Vec<i64> = list.convs.keys().copied().collect();
            for id in all {
                let next = self.next_instants(&list.convs[&id]);
                list.reindex(id, next);
            }
            list.indexed_for = Some(self.settings.clone());
            list.stale = false;
        } else {
            for id in &candidates {
                let next = list
                    .convs
                    .get(id)
                    .map(|c| self.next_instants(c))
                    .unwrap_or_default();
                list.reindex(*id, next);
            }
        }
        list.changed.clear();

        Decision {
            actions,
            wake_at: self.wake_from_index(now, list),
            held,
        }
    }

    /// The acknowledged level of conversation `id`'s remembered run.
    pub(super) fn acked(&self, id: i64) -> SlaState {
        self.runs.get(&id).map_or(SlaState::OnTrack, |r| r.acked)
    }

    /// The conversations of `queue` shown alone (`conv:<id>`) at `level`, other than
    /// `except`.
    fn shown_alone<'a>(
        &self,
        queue: &QueueId,
        level: SlaState,
        convs: &'a HashMap<i64, WatchedConversation>,
        except: &BTreeSet<i64>,
    ) -> Vec<&'a WatchedConversation> {
        self.open
            .values()
            .filter(|o| o.kind == Kind::Single)
            .flat_map(|o| o.members.iter())
            .filter(|id| !except.contains(id) && self.acked(**id) == level)
            .filter_map(|id| convs.get(id))
            .filter(|c| c.queue == *queue)
            .collect()
    }

    /// Notes the members of notification `key` before this call first changes them.
    fn touch(&mut self, key: &str) {
        if !self.touched.contains_key(key) {
            let before = self.open.get(key).map(|o| o.members.clone());
            self.touched.insert(key.to_owned(), before);
        }
    }

    /// Takes conversation `id` out of its open notification (it stays acknowledged).
    fn leave(&mut self, id: i64) {
        let Some(key) = self.runs.get_mut(&id).and_then(|r| r.shown_in.take()) else {
            return;
        };
        self.touch(&key);
        if let Some(open) = self.open.get_mut(&key) {
            open.members.remove(&id);
        }
    }

    /// Delivers `c` at `level` into the notification `key`.
    fn join(
        &mut self,
        c: &WatchedConversation,
        level: SlaState,
        key: &str,
        kind: Kind,
        now: Timestamp,
    ) {
        self.leave(c.id);
        self.touch(key);
        let open = self.open.entry(key.to_owned()).or_insert_with(|| Open {
            kind: kind.clone(),
            members: BTreeSet::new(),
        });
        open.kind = kind;
        open.members.insert(c.id);
        self.runs.insert(
            c.id,
            Run {
                waiting_since: c.waiting_since,
                acked: level,
                shown_in: Some(key.to_owned()),
                last_seen: now,
            },
        );
    }
}
