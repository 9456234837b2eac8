//! Desktop alerts: which OS notifications to show, replace or close for one person, and
//! when to ask again. Pure: no IO and no clock — the caller passes `now` and the waiting
//! conversations, shows the returned [`AlertAction`]s and calls again at
//! [`Decision::wake_at`] (or sooner, whenever its data changes).
//!
//! # Words
//!
//! - **person**: the one using this laptop ([`AlertSettings::person`]), an id such as an
//!   email or a name. One [`AlertPlanner`] serves one person.
//! - **watched queue**: a queue the person works in ([`AlertSettings::queues`]; an empty
//!   list means every queue).
//! - **lead**: the person is a lead of a conversation's queue when their id is in
//!   [`WatchedConversation::leads`] (copied from [`crate::QueueConfig::leads`]), compared
//!   trimmed and case-insensitively.
//! - **level**: the alert a conversation deserves for this person at an instant, from its
//!   SLA state ([`crate::state_at`]): in a watched queue *at risk* and *breached* (an
//!   escalated conversation counts as breached for a non-lead); in a queue the person
//!   leads, *escalated* — whether or not they work in that queue. A lead of a queue they
//!   do not work in hears only about escalations.
//! - **alertable**: a conversation is alertable while it is in the waiting list passed to
//!   [`AlertPlanner::decide`], not claimed (by anyone, the person included), not snoozed
//!   (`snoozed_until > now`), and in a watched or led queue. Anything else — answered from
//!   anywhere, claimed, snoozed, done, moved to a queue the person neither works in nor
//!   leads, or simply absent from the list — is **cleared**: it leaves its notification
//!   at once (never held).
//! - **waiting run**: one unanswered stretch of a conversation, identified by its
//!   `waiting_since`. A new run (the customer writes again after an answer) starts fresh.
//! - **acknowledged level**: the highest level delivered for the current run, kept even
//!   while the conversation is cleared. A conversation alerts only when its level rises
//!   above it, so an alert never fires twice for the same run and never downgrades.
//! - **pending / held**: an alertable conversation whose level is above its acknowledged
//!   level is *pending*; a pending alert the gates below do not let through yet is
//!   *held*. Held alerts are not stored: they are recomputed from the waiting list on each
//!   call, so one that is cleared while held is simply never shown, and one that worsens
//!   while held is shown once at its current level (no replay of the levels in between —
//!   the same holds after the laptop slept).
//! - **notification**: what the OS shows, named by a stable key. Every alertable
//!   conversation that has been delivered sits in exactly one open notification:
//!   - `conv:<id>` — a single conversation. Replaced in place when it worsens.
//!   - `group:<queue>:<level>` (level as in [`SlaState::as_str`], e.g.
//!     `group:support:breached`) — two or more conversations of one queue that reached
//!     one level in the same delivery. A later delivery of two or more at the same queue
//!     and level joins the open group (the group is shown again with the new count).
//!   - `summary` — the "While you were away" notification.
//!
//!   A conversation that worsens leaves its group or summary (which is quietly rewritten,
//!   [`AlertAction::Update`], or closed when empty) for its new notification. A cleared
//!   conversation leaves its notification the same way; a `conv:` notification is closed.
//!   A group or summary left with one conversation is worded like a single one.
//! - **delivery**: a call that shows at least one alert ([`AlertAction::Show`]), new or
//!   replaced in place. Rewrites and closes are not deliveries.
//! - **grouping**: the alerts delivered in one call are grouped per queue and level: one
//!   alone gets `conv:<id>`, two or more one `group:` notification.
//! - **cool-down**: after a delivery, ordinary (at-risk and breached) alerts are held
//!   until `last delivery + cooldown_millis`, then delivered together (so grouped).
//!   **Escalations bypass the cool-down** (they are rare and go to leads who must act);
//!   delivering one starts a new cool-down like any delivery.
//! - **quiet hours / pause**: while the person is *away* — inside [`QuietHours`] or before
//!   [`AlertSettings::paused_until`] — ordinary alerts are held. Escalations are held too,
//!   except that they pierce quiet hours (not a pause) when
//!   [`AlertSettings::escalations_pierce_quiet_hours`] is set. While paused nothing at all
//!   is shown.
//! - **summary**: when a delivery contains an alert that was pending during an away time
//!   (a quiet window or a pause overlapped the span from the moment it became pending to
//!   now — which includes sleeping through quiet hours), the whole delivery is one
//!   `summary` notification titled "While you were away": counts per queue and level and
//!   the oldest wait. Only alerts still pending at that moment are counted.
//! - **wake-up**: [`Decision::wake_at`] is the earliest instant after `now` at which a
//!   call with the same waiting list would show something: a deadline of an alertable
//!   conversation (or the end of its snooze), moved past a pause, the cool-down and quiet
//!   hours as the gates above say. `None` when nothing will ever be shown without a
//!   change in the data.
//!
//! # Calling it
//!
//! Pass **every** waiting conversation (at least those in the person's and their led
//! queues) on each call: a conversation missing from the list is cleared. Call
//! [`AlertPlanner::decide`] whenever the data or the settings change and at `wake_at`.
//! Titles and bodies are plain text (customer text is cut to one line, control characters
//! removed); escape `&`, `<` and `>` for notification servers that render markup in
//! bodies. The planner's memory ([`AlertPlanner`] is `Serialize`) can be persisted so a
//! restart does not alert again for runs already delivered; without it, every pending
//! alert is delivered once (grouped) after a restart.

mod quiet;
mod text;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{
    BusinessCalendar, ConversationSummary, Deadlines, Policy, QueueId, SlaState, Timestamp,
};

pub use quiet::{QuietHours, QuietHoursError};
pub use text::human_duration;

/// The cool-down a person gets unless they choose another: one minute.
pub const DEFAULT_COOLDOWN_MILLIS: i64 = 60_000;

/// How long the planner remembers the acknowledged level of a run whose conversation is
/// no longer in the waiting list (done, moved away…): seven days. If it comes back in
/// the same run within that time it alerts only when it worsens; later it alerts again.
pub const RUN_MEMORY_MILLIS: i64 = 7 * 86_400_000;

/// The key of the "While you were away" notification.
pub const SUMMARY_KEY: &str = "summary";

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

/// A waiting conversation as the planner sees it. Pass only waiting conversations (a
/// customer item after the brand's last one, not marked done); anything absent counts as
/// no longer waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedConversation {
    /// The conversation's id; also the target of a notification's "Open" action.
    pub id: i64,
    /// Its queue.
    pub queue: QueueId,
    /// The queue's label, e.g. `Support`.
    pub queue_label: String,
    /// The customer's display name (or handle).
    pub customer: String,
    /// The customer's latest text; its first line is shown.
    pub preview: String,
    /// When the current waiting run began; a different value is a new run.
    pub waiting_since: Timestamp,
    /// The run's SLA deadlines.
    pub deadlines: Deadlines,
    /// Someone (anyone) has claimed it.
    pub claimed: bool,
    /// Snoozed until then; a past instant means not snoozed.
    pub snoozed_until: Option<Timestamp>,
    /// The leads of its queue ([`crate::QueueConfig::leads`]).
    pub leads: Vec<String>,
}

impl WatchedConversation {
    /// The planner's view of a conversation row: `None` when it is not waiting (answered
    /// or done) or has no SLA clock. The label and leads come from `policy` (the queue
    /// id stands in for an unknown queue's label).
    pub fn from_summary(summary: &ConversationSummary, policy: &Policy) -> Option<Self> {
        if summary.done_reason.is_some() {
            return None;
        }
        let waiting_since = summary.waiting_since?;
        let sla = summary.sla.as_ref()?;
        let queue = policy.queue(&summary.queue);
        let name = summary.customer.display_name.trim();
        Some(WatchedConversation {
            id: summary.id,
            queue: summary.queue.clone(),
            queue_label: queue.map_or_else(|| summary.queue.0.clone(), |q| q.label.clone()),
            customer: if name.is_empty() {
                summary.customer.handle.clone()
            } else {
                name.to_owned()
            },
            preview: summary.preview.clone(),
            waiting_since,
            deadlines: Deadlines {
                at_risk_at: sla.at_risk_at,
                breached_at: sla.due_at,
                escalated_at: sla.escalated_at,
            },
            claimed: summary.claimed_by.is_some(),
            snoozed_until: summary.snoozed_until,
            leads: queue.map(|q| q.leads.clone()).unwrap_or_default(),
        })
    }
}

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

/// The outcome of one [`AlertPlanner::decide`].
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

/// Decides one person's notifications; holds the memory of what was delivered. See the
/// module docs for the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPlanner {
    settings: AlertSettings,
    /// Conversation id → the run whose alerts were delivered.
    runs: BTreeMap<i64, Run>,
    /// Key → open notification.
    open: BTreeMap<String, Open>,
    /// The last call that showed something.
    last_delivery_at: Option<Timestamp>,
}

/// What was delivered for one waiting run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Run {
    waiting_since: Timestamp,
    /// The acknowledged level (above `OnTrack`).
    acked: SlaState,
    /// The open notification it sits in; `None` once cleared.
    shown_in: Option<String>,
    /// The last call that saw it in the waiting list.
    last_seen: Timestamp,
}

/// An open notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Open {
    kind: Kind,
    members: BTreeSet<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Kind {
    Single,
    Group {
        queue: QueueId,
        label: String,
        level: SlaState,
    },
    Summary,
}

/// A pending alert.
struct Pending<'a> {
    conv: &'a WatchedConversation,
    level: SlaState,
    /// When it became pending: the deadline of the first level above the acknowledged one.
    since: Timestamp,
}

impl AlertPlanner {
    /// A planner with no memory.
    pub fn new(settings: AlertSettings) -> Self {
        AlertPlanner {
            settings,
            runs: BTreeMap::new(),
            open: BTreeMap::new(),
            last_delivery_at: None,
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
        let mut by_id: BTreeMap<i64, &WatchedConversation> = BTreeMap::new();
        for c in waiting {
            by_id.entry(c.id).or_insert(c);
        }
        let before: BTreeMap<String, BTreeSet<i64>> = self
            .open
            .iter()
            .map(|(k, o)| (k.clone(), o.members.clone()))
            .collect();

        // Clear what is no longer alertable; forget finished runs.
        let mut leave = Vec::new();
        let mut forget = Vec::new();
        for (id, run) in &mut self.runs {
            match by_id.get(id) {
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
        for c in by_id.values() {
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
                    if let [p] = members.as_slice() {
                        let key = conversation_key(p.conv.id);
                        self.join(p.conv, level, &key, Kind::Single, now);
                        shown.insert(key);
                    } else {
                        let key = format!("group:{}:{}", queue.0, level.as_str());
                        let kind = Kind::Group {
                            queue,
                            label: members[0].conv.queue_label.clone(),
                            level,
                        };
                        for p in &members {
                            self.join(p.conv, level, &key, kind.clone(), now);
                        }
                        shown.insert(key);
                    }
                }
            }
            self.last_delivery_at = Some(now);
        }
        self.open.retain(|_, o| !o.members.is_empty());

        let mut actions: Vec<AlertAction> = before
            .keys()
            .filter(|k| !self.open.contains_key(*k))
            .map(|k| AlertAction::Close { key: k.clone() })
            .collect();
        for (key, open) in &self.open {
            if !shown.contains(key) && before.get(key) != Some(&open.members) {
                actions.push(AlertAction::Update(self.render(key, open, &by_id, now)));
            }
        }
        for key in &shown {
            if let Some(open) = self.open.get(key) {
                actions.push(AlertAction::Show(self.render(key, open, &by_id, now)));
            }
        }

        Decision {
            actions,
            wake_at: self.wake_at(now, &by_id),
            held,
        }
    }

    /// The acknowledged level of conversation `id`'s remembered run.
    fn acked(&self, id: i64) -> SlaState {
        self.runs.get(&id).map_or(SlaState::OnTrack, |r| r.acked)
    }

    /// Takes conversation `id` out of its open notification (it stays acknowledged).
    fn leave(&mut self, id: i64) {
        let Some(key) = self.runs.get_mut(&id).and_then(|r| r.shown_in.take()) else {
            return;
        };
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

    /// The first instant from `t` on at which an alert (an escalation or not) may be
    /// shown: past the pause, the cool-down (not for escalations) and quiet hours (not
    /// for escalations when they pierce).
    fn open_at(&self, t: Timestamp, escalation: bool) -> Timestamp {
        let mut t = t;
        if let Some(until) = self.settings.paused_until {
            t = t.max(until);
        }
        if !escalation && self.settings.cooldown_millis > 0 {
            if let Some(last) = self.last_delivery_at {
                let end = last.plus_millis(self.settings.cooldown_millis);
                if last <= t && t < end {
                    t = end;
                }
            }
        }
        if !(escalation && self.settings.escalations_pierce_quiet_hours) {
            if let Some(quiet) = &self.settings.quiet_hours {
                // Windows do not touch, so one step suffices; a few guard odd zones.
                for _ in 0..4 {
                    match quiet.window_at(t) {
                        Some((_, end)) => t = end,
                        None => break,
                    }
                }
            }
        }
        t
    }

    /// Whether the person was away (quiet hours or a pause) at some time in
    /// `[since, now)`.
    fn was_away(&self, since: Timestamp, now: Timestamp) -> bool {
        self.settings.paused_until.is_some_and(|u| u > since)
            || self
                .settings
                .quiet_hours
                .as_ref()
                .is_some_and(|q| q.overlaps(since, now))
    }

    /// The earliest instant after `now` at which something would be shown.
    fn wake_at(
        &self,
        now: Timestamp,
        by_id: &BTreeMap<i64, &WatchedConversation>,
    ) -> Option<Timestamp> {
        let mut best: Option<Timestamp> = None;
        for c in by_id.values() {
            if c.claimed || !in_scope(&self.settings, c) {
                continue;
            }
            let from = c.snoozed_until.map_or(now, |s| s.max(now));
            let acked = self.acked(c.id);
            for (level, deadline) in relevant_levels(&self.settings, c) {
                if level <= acked || deadline == BusinessCalendar::NEVER {
                    continue;
                }
                let at = self.open_at(deadline.max(from), level == SlaState::Escalated);
                if at > now && best.is_none_or(|b| at < b) {
                    best = Some(at);
                }
            }
        }
        best
    }

    /// The notification for open `key`.
    fn render(
        &self,
        key: &str,
        open: &Open,
        by_id: &BTreeMap<i64, &WatchedConversation>,
        now: Timestamp,
    ) -> Notification {
        let mut members: Vec<(&WatchedConversation, SlaState)> = open
            .members
            .iter()
            .filter_map(|id| by_id.get(id).map(|c| (*c, self.acked(*id))))
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

/// The key of the notification about conversation `id` alone: `conv:<id>`.
pub fn conversation_key(id: i64) -> String {
    format!("conv:{id}")
}

/// Whether `c` is in a queue the person works in or leads.
fn in_scope(settings: &AlertSettings, c: &WatchedConversation) -> bool {
    settings.watches(&c.queue) || settings.is_lead(&c.leads)
}

/// Waiting, unclaimed, not snoozed at `now`, in scope.
fn alertable(settings: &AlertSettings, c: &WatchedConversation, now: Timestamp) -> bool {
    !c.claimed && c.snoozed_until.is_none_or(|s| s <= now) && in_scope(settings, c)
}

/// The level `c` deserves for this person at `now` (see the module docs).
fn level_at(settings: &AlertSettings, c: &WatchedConversation, now: Timestamp) -> SlaState {
    relevant_levels(settings, c)
        .filter(|(_, at)| *at <= now)
        .map(|(level, _)| level)
        .last()
        .unwrap_or(SlaState::OnTrack)
}

/// The levels that concern this person for `c` with the instants they begin, in order.
fn relevant_levels(
    settings: &AlertSettings,
    c: &WatchedConversation,
) -> impl Iterator<Item = (SlaState, Timestamp)> {
    let watch = settings.watches(&c.queue);
    let lead = settings.is_lead(&c.leads);
    let d = c.deadlines;
    [
        (SlaState::AtRisk, d.at_risk_at, watch),
        (SlaState::Breached, d.breached_at, watch),
        (SlaState::Escalated, d.escalated_at, lead),
    ]
    .into_iter()
    .filter(|(_, _, relevant)| *relevant)
    .map(|(level, at, _)| (level, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state_at;

    #[test]
    fn levels_follow_state_at() {
        // The planner's levels agree with the SLA module's states for a watching lead.
        let mut settings = AlertSettings::new("lead@x");
        settings.queues = vec![QueueId::from("support")];
        let c = WatchedConversation {
            id: 1,
            queue: QueueId::from("support"),
            queue_label: "Support".into(),
            customer: "Ana".into(),
            preview: String::new(),
            waiting_since: Timestamp(0),
            deadlines: Deadlines {
                at_risk_at: Timestamp(10),
                breached_at: Timestamp(20),
                escalated_at: Timestamp(30),
            },
            claimed: false,
            snoozed_until: None,
            leads: vec!["Lead@X ".into()],
        };
        for t in 0..40 {
            assert_eq!(
                level_at(&settings, &c, Timestamp(t)),
                state_at(&c.deadlines, Timestamp(t))
            );
        }
    }
}
