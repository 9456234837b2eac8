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
//!     `group:support:breached`) — two or more conversations of one queue at one level.
//!     A later delivery at the same queue and level joins the open group (the group is
//!     shown again with the new count), and so does a conversation shown alone at that
//!     queue and level: a burst that arrives a few at a time (deadlines milliseconds
//!     apart, escalations that pass the cool-down one by one) is still one notification
//!     per queue and level.
//!   - `summary` — the "While you were away" notification.
//!
//!   A conversation that worsens leaves its group or summary (which is quietly rewritten,
//!   [`AlertAction::Update`], or closed when empty) for its new notification. A cleared
//!   conversation leaves its notification the same way; a `conv:` notification is closed.
//!   A group or summary left with one conversation is worded like a single one.
//! - **delivery**: a call that shows at least one alert ([`AlertAction::Show`]), new or
//!   replaced in place. Rewrites and closes are not deliveries.
//! - **grouping**: the alerts delivered in one call are grouped per queue and level with
//!   what is already shown at that queue and level: one alone gets `conv:<id>`, two or
//!   more one `group:` notification.
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
//! A caller that watches many conversations keeps them in a [`Watchlist`], tells it what
//! changed, and calls [`AlertPlanner::decide_watchlist`]: the same decisions, looking
//! only at the changed conversations and those whose time has come.
//! Titles and bodies are plain text (customer text is cut to one line, control characters
//! removed); escape `&`, `<` and `>` for notification servers that render markup in
//! bodies. The planner's memory ([`AlertPlanner`] is `Serialize`) can be persisted so a
//! restart does not alert again for runs already delivered; without it, every pending
//! alert is delivered once (grouped) after a restart.

mod gates;
mod notification;
mod planner;
mod quiet;
mod render;
mod settings;
mod text;
mod watched;
mod watchlist;

pub use notification::{conversation_key, AlertAction, Decision, Notification, Urgency};
pub use planner::AlertPlanner;
pub use quiet::{QuietHours, QuietHoursError};
pub use settings::AlertSettings;
pub use text::human_duration;
pub use watched::WatchedConversation;
pub use watchlist::Watchlist;

/// The cool-down a person gets unless they choose another: one minute.
pub const DEFAULT_COOLDOWN_MILLIS: i64 = 60_000;

/// How long the planner remembers the acknowledged level of a run whose conversation is
/// no longer in the waiting list (done, moved away…): seven days. If it comes back in
/// the same run within that time it alerts only when it worsens; later it alerts again.
pub const RUN_MEMORY_MILLIS: i64 = 7 * 86_400_000;

/// The key of the "While you were away" notification.
pub const SUMMARY_KEY: &str = "summary";
