//! The notifier: decides, for the person using this laptop, which desktop notifications to
//! show, replace or close (the rules live in `switchboard_core::AlertPlanner`), and hands
//! them to an [`AlertSink`] (the shell's OS notifications). It also tells the window when
//! a conversation's clock crosses a threshold, so the at-risk and breached counts move at
//! that instant and not only when data arrives.
//!
//! Words used here:
//!
//! - The **watchlist** is the notifier's copy of every waiting conversation
//!   (`switchboard_core::Watchlist`). It is read whole when the notifier starts and after a
//!   change that may touch anything (a policy change re-plans every deadline); after a
//!   change that names its conversations (an ingest, an action) only those are read again,
//!   and the planner looks only at them and at those whose time has come — so a re-plan
//!   costs what changed, not the number of waiting conversations.
//! - A **threshold crossing** is the instant a waiting conversation turns at risk, breached
//!   or escalated. The notifier keeps every waiting conversation's three instants in order
//!   and, when the clock passes some, reports a change naming those conversations (the
//!   window re-reads its counts; it is exact to the clock the counts are read with).
//!
//! It does not poll the database: after each decision it sleeps until the next instant
//! that matters (the planner's wake-up — nearest deadline, end of a cool-down, quiet hours
//! or a pause — or the next threshold crossing) or until anything in the workspace
//! changes. It sleeps in steps of at most [`WALL_CLOCK_CHECK`] of monotonic time and
//! re-reads the wall clock after each, so a deadline that passed while the laptop was
//! asleep fires (once) right after waking.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use switchboard_core::{
    AlertAction, AlertPlanner, AlertSettings, BusinessCalendar, Timestamp, WatchedConversation,
    Watchlist,
};
use tokio::sync::watch;

use crate::Shared;

/// Longest sleep between two looks at the wall clock.
const WALL_CLOCK_CHECK: Duration = Duration::from_secs(15);

/// Where the notifier's decisions go: the OS notification service, or a test recorder.
pub trait AlertSink: Send + Sync {
    /// Carries out `actions` in order (show or replace by key, update quietly, close).
    /// Called from a blocking-safe context; may block on D-Bus.
    fn deliver(&self, actions: Vec<AlertAction>);

    /// Carries out `actions` of workspace `workspace`. One sink serves every workspace
    /// the console opens and conversation ids are numbers per workspace, so a sink that
    /// acts on answers ("Snooze") must remember which workspace a notification came from
    /// and act on that one only. The engine calls this; the default forgets the workspace.
    fn deliver_in(&self, workspace: &str, actions: Vec<AlertAction>) {
        let _ = workspace;
        self.deliver(actions);
    }
}

/// The **alert route** of one workspace: where its notifications go (also the "sign in
/// again" and hand-off ones), a counter that grows when the person's notification settings
/// change (the notifier re-reads them), and whether closing the workspace closes what the
/// notifier showed.
pub(crate) struct Alerts {
    /// Where notifications go (none: notifications off).
    sink: Option<Arc<dyn AlertSink>>,
    /// Grows when the notification settings change.
    settings_version: AtomicU64,
    /// Set when the workspace closes for a switch or removal: the notifier then closes
    /// what it showed.
    clear_on_stop: AtomicBool,
}

impl Alerts {
    /// A route to `sink` (none: notifications off).
    pub(crate) fn new(sink: Option<Arc<dyn AlertSink>>) -> Alerts {
        Alerts {
            sink,
            settings_version: AtomicU64::new(0),
            clear_on_stop: AtomicBool::new(false),
        }
    }

    /// Where notifications go, if anywhere.
    pub(crate) fn sink(&self) -> Option<Arc<dyn AlertSink>> {
        self.sink.clone()
    }

    /// The notification settings' version now.
    pub(crate) fn settings_version(&self) -> u64 {
        self.settings_version.load(Ordering::SeqCst)
    }

    /// Notes that the notification settings changed.
    pub(crate) fn settings_changed(&self) {
        self.settings_version.fetch_add(1, Ordering::SeqCst);
    }

    /// Asks the notifier to close what it showed when it stops.
    pub(crate) fn clear_on_stop(&self) {
        self.clear_on_stop.store(true, Ordering::SeqCst);
    }

    fn clears_on_stop(&self) -> bool {
        self.clear_on_stop.load(Ordering::SeqCst)
    }
}

/// A sink bound to one workspace: what the engine of that workspace delivers to.
pub(crate) struct WorkspaceSink {
    workspace: String,
    inner: Arc<dyn AlertSink>,
}

impl WorkspaceSink {
    /// `inner`, told that every delivery comes from `workspace`.
    pub(crate) fn bind(workspace: &str, inner: Arc<dyn AlertSink>) -> Arc<dyn AlertSink> {
        Arc::new(WorkspaceSink {
            workspace: workspace.to_owned(),
            inner,
        })
    }
}

impl AlertSink for WorkspaceSink {
    fn deliver(&self, actions: Vec<AlertAction>) {
        self.inner.deliver_in(&self.workspace, actions);
    }
}

/// What changed in the workspace since the notifier last looked: some conversations, or
/// possibly anything. Filled by every change notification.
#[derive(Debug, Default)]
pub(crate) struct Changes(Mutex<ChangeSet>);

#[derive(Debug, Default)]
struct ChangeSet {
    anything: bool,
    conversations: BTreeSet<i64>,
}

impl Changes {
    /// Notes a change of `conversations` (empty: possibly anything).
    pub(crate) fn record(&self, conversations: &[i64]) {
        let mut set = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if conversations.is_empty() {
            set.anything = true;
        } else {
            set.conversations.extend(conversations);
        }
    }

    fn take(&self) -> ChangeSet {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Every waiting conversation's threshold instants, in order, and how far the clock has
/// been reported.
#[derive(Debug, Default)]
struct Thresholds {
    ahead: BTreeSet<(Timestamp, i64)>,
    of: HashMap<i64, [Timestamp; 3]>,
    /// Crossings up to here have been reported.
    reported_to: Option<Timestamp>,
}

impl Thresholds {
    fn set(&mut self, c: &WatchedConversation) {
        self.remove(c.id);
        let d = c.deadlines;
        let instants = [d.at_risk_at, d.breached_at, d.escalated_at];
        for at in instants {
            if at != BusinessCalendar::NEVER {
                self.ahead.insert((at, c.id));
            }
        }
        self.of.insert(c.id, instants);
    }

    fn remove(&mut self, id: i64) {
        if let Some(instants) = self.of.remove(&id) {
            for at in instants {
                self.ahead.remove(&(at, id));
            }
        }
    }

    fn clear(&mut self) {
        self.ahead.clear();
        self.of.clear();
    }

    /// The conversations with a threshold in (last report, `now`]; the first call only
    /// starts the reckoning.
    fn crossed(&mut self, now: Timestamp) -> Vec<i64> {
        let from = self.reported_to.replace(now);
        let Some(from) = from.filter(|from| *from < now) else {
            return Vec::new();
        };
        let ids: BTreeSet<i64> = self
            .ahead
            .range((Timestamp(from.0.saturating_add(1)), i64::MIN)..=(now, i64::MAX))
            .map(|(_, id)| *id)
            .collect();
        ids.into_iter().collect()
    }

    /// The next threshold after `now`.
    fn next_after(&self, now: Timestamp) -> Option<Timestamp> {
        self.ahead
            .range((Timestamp(now.0.saturating_add(1)), i64::MIN)..)
            .next()
            .map(|(at, _)| *at)
    }
}

/// What the notifier keeps between two looks.
struct Notifier {
    shared: Arc<Shared>,
    sink: Option<Arc<dyn AlertSink>>,
    planner: AlertPlanner,
    list: Watchlist,
    thresholds: Thresholds,
    /// The watchlist must be read whole (at start, after a failed read).
    reload: bool,
    /// To the task that keeps the planner's memory in the database.
    keep: tokio::sync::mpsc::UnboundedSender<String>,
}

/// Runs until `stop` turns true. Without a sink it only reports threshold crossings.
pub(crate) async fn run(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let sink = shared.alerts.sink();
    // The version before the settings are read: a change made meanwhile is seen below.
    let mut settings_version = shared.alerts.settings_version();
    let planner = restore(&shared).await;
    let (keep, memories) = tokio::sync::mpsc::unbounded_channel();
    let keeper = tokio::spawn(keep_memory(Arc::clone(&shared), memories));
    let mut n = Notifier {
        shared: Arc::clone(&shared),
        sink,
        planner,
        list: Watchlist::new(),
        thresholds: Thresholds::default(),
        reload: true,
        keep,
    };
    loop {
        if shared.alerts.settings_version() != settings_version {
            settings_version = shared.alerts.settings_version();
            n.planner.set_settings(shared.alert_settings().await);
        }
        let wake_at = match n.look().await {
            Ok(wake_at) => wake_at,
            Err(e) => {
                tracing::warn!(error = %e, "the notifier could not read the workspace");
                n.reload = true;
                Some(
                    shared
                        .now()
                        .plus_millis(WALL_CLOCK_CHECK.as_millis() as i64),
                )
            }
        };
        // Sleep until `wake_at` (by the wall clock), a change, or stop.
        loop {
            let step = match wake_at {
                Some(at) => {
                    let left = at.millis() - shared.now().millis();
                    if left <= 0 {
                        break;
                    }
                    Duration::from_millis(left as u64).min(WALL_CLOCK_CHECK)
                }
                None => WALL_CLOCK_CHECK,
            };
            tokio::select! {
                _ = tokio::time::sleep(step) => {}
                _ = shared.bus.notified() => break,
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
            let stopped = *stop.borrow();
            if stopped {
                if shared.alerts.clears_on_stop() {
                    n.clear_all().await;
                }
                // The keeper writes what it was given, then ends.
                drop(n);
                if let Err(e) = keeper.await {
                    tracing::warn!(error = %e, "keeping the notifier's memory failed");
                }
                return;
            }
        }
    }
}

impl Notifier {
    /// Brings the watchlist up to date, reports threshold crossings, decides and delivers.
    /// Returns the next instant to look again.
    async fn look(&mut self) -> Result<Option<Timestamp>, switchboard_store::StoreError> {
        self.refresh().await?;
        let now = self.shared.now();
        let crossed = self.thresholds.crossed(now);
        if !crossed.is_empty() {
            tracing::trace!(conversations = crossed.len(), "clocks crossed a threshold");
            self.shared.changed(crossed);
        }
        let next_threshold = self.thresholds.next_after(now);
        let Some(sink) = self.sink.clone() else {
            return Ok(next_threshold);
        };
        let decision = self.planner.decide_watchlist(now, &mut self.list);
        tracing::trace!(waiting = self.list.len(), actions = decision.actions.len(), wake_at = ?decision.wake_at, "notifier decided");
        if !decision.actions.is_empty() {
            tracing::debug!(actions = decision.actions.len(), "notifications");
            deliver(&sink, decision.actions).await;
            self.save();
        }
        Ok(match (decision.wake_at, next_threshold) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Reads what changed since the last look: everything, or the changed conversations.
    async fn refresh(&mut self) -> Result<(), switchboard_store::StoreError> {
        let changes = self.shared.bus.notifier_changes().take();
        if self.reload || changes.anything {
            let waiting = watched(&self.shared, self.shared.store.waiting_conversations()).await;
            let waiting = match waiting {
                Ok(waiting) => waiting,
                Err(e) => {
                    self.reload = true;
                    return Err(e);
                }
            };
            self.thresholds.clear();
            for c in &waiting {
                self.thresholds.set(c);
            }
            if self.sink.is_some() {
                self.list.replace_all(waiting);
            }
            self.reload = false;
            return Ok(());
        }
        if changes.conversations.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = changes.conversations.iter().copied().collect();
        let read = watched(
            &self.shared,
            self.shared.store.waiting_conversations_among(&ids),
        )
        .await;
        let waiting = match read {
            Ok(waiting) => waiting,
            Err(e) => {
                self.reload = true;
                return Err(e);
            }
        };
        let mut gone = changes.conversations;
        // Without a sink the watchlist stays empty: only the thresholds are kept.
        let planning = self.sink.is_some();
        for c in waiting {
            gone.remove(&c.id);
            self.thresholds.set(&c);
            if planning && self.list.get(c.id) != Some(&c) {
                self.list.upsert(c);
            }
        }
        for id in gone {
            self.thresholds.remove(id);
            if self.list.get(id).is_some() {
                self.list.remove(id);
            }
        }
        Ok(())
    }
}

impl Notifier {
    /// Closes every notification this workspace shows (it is being closed for a switch or
    /// a removal) and forgets them, so that coming back shows what is still pending once.
    async fn clear_all(&mut self) {
        let Some(sink) = self.sink.clone() else {
            return;
        };
        let actions: Vec<AlertAction> = self
            .planner
            .open_keys()
            .into_iter()
            .map(|key| AlertAction::Close {
                key: key.to_owned(),
            })
            .collect();
        self.planner = AlertPlanner::new(self.planner.settings().clone());
        self.list.invalidate();
        self.save();
        if actions.is_empty() {
            return;
        }
        tracing::debug!(
            closed = actions.len(),
            "closing the workspace's notifications"
        );
        deliver(&sink, actions).await;
    }

    /// Hands the planner's memory to the keeper (the database write happens off the
    /// notifier's path, so the next change is not held up by it).
    fn save(&self) {
        match serde_json::to_string(&self.planner) {
            Ok(json) => {
                let _ = self.keep.send(json);
            }
            Err(e) => tracing::warn!(error = %e, "could not keep the notifier's memory"),
        }
    }
}

/// Hands `actions` to `sink` where it may block (OS notification calls write to D-Bus):
/// in place on a multi-threaded runtime (one thread hop less on the way to the screen),
/// else on the blocking pool.
pub(crate) async fn deliver(sink: &Arc<dyn AlertSink>, actions: Vec<AlertAction>) {
    let sink = Arc::clone(sink);
    let multi_threaded = tokio::runtime::Handle::current().runtime_flavor()
        == tokio::runtime::RuntimeFlavor::MultiThread;
    let delivered = if multi_threaded {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            tokio::task::block_in_place(|| sink.deliver(actions))
        }))
        .map_err(|_| "the sink panicked".to_owned())
    } else {
        tokio::task::spawn_blocking(move || sink.deliver(actions))
            .await
            .map_err(|e| e.to_string())
    };
    if let Err(e) = delivered {
        tracing::warn!(error = %e, "notification delivery panicked");
    }
}

/// The waiting conversations `read` gives, with their queue's leads (in a team
/// workspace the team's leads of the queue, see [`Shared::leads_of`]), as the planner
/// wants them.
async fn watched(
    shared: &Shared,
    read: impl std::future::Future<
        Output = Result<Vec<WatchedConversation>, switchboard_store::StoreError>,
    >,
) -> Result<Vec<WatchedConversation>, switchboard_store::StoreError> {
    let policy = shared.policy();
    let waiting = read.await?;
    Ok(waiting
        .into_iter()
        .map(|w| {
            let policy_leads = policy
                .queue(&w.queue)
                .map(|q| q.leads.clone())
                .unwrap_or_default();
            WatchedConversation {
                leads: shared.leads_of(&w.queue, &policy_leads),
                ..w
            }
        })
        .collect())
}

/// Where the planner's memory (what was shown, for which waiting run) is kept, so that a
/// restart does not show everything again.
const PLANNER_KEY: &str = "alerts:planner";

async fn restore(shared: &Shared) -> AlertPlanner {
    let settings = shared.alert_settings().await;
    let stored = shared.store.setting(PLANNER_KEY).await.ok().flatten();
    match stored.and_then(|json| serde_json::from_str::<AlertPlanner>(&json).ok()) {
        Some(mut planner) => {
            planner.set_settings(settings);
            planner
        }
        None => AlertPlanner::new(settings),
    }
}

/// Writes the planner's memories it is given, in order, skipping those already replaced
/// by a newer one; ends when the notifier drops its sender, after the last write.
async fn keep_memory(
    shared: Arc<Shared>,
    mut memories: tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    while let Some(mut json) = memories.recv().await {
        while let Ok(newer) = memories.try_recv() {
            json = newer;
        }
        if let Err(e) = shared.store.set_setting(PLANNER_KEY, &json).await {
            tracing::warn!(error = %e, "could not keep the notifier's memory");
        }
    }
}

/// The settings a person starts with.
pub(crate) fn default_settings(person: &str) -> AlertSettings {
    AlertSettings::new(person)
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Deadlines, QueueId};

    fn conv(id: i64, at_risk: i64, breached: i64) -> WatchedConversation {
        WatchedConversation {
            id,
            queue: QueueId::from("support"),
            queue_label: "Support".into(),
            customer: "Ana".into(),
            preview: String::new(),
            waiting_since: Timestamp(0),
            deadlines: Deadlines {
                at_risk_at: Timestamp(at_risk),
                breached_at: Timestamp(breached),
                escalated_at: Timestamp(breached * 2),
            },
            claimed: false,
            snoozed_until: None,
            leads: Vec::new(),
        }
    }

    #[test]
    fn crossings_are_reported_once_from_the_instant_they_happen() {
        let mut t = Thresholds::default();
        t.set(&conv(1, 100, 200));
        t.set(&conv(2, 150, 300));
        assert_eq!(t.crossed(Timestamp(120)), Vec::<i64>::new(), "first look");
        assert_eq!(t.next_after(Timestamp(120)), Some(Timestamp(150)));
        assert_eq!(t.crossed(Timestamp(149)), Vec::<i64>::new());
        assert_eq!(t.crossed(Timestamp(150)), [2], "exactly at the instant");
        assert_eq!(t.crossed(Timestamp(150)), Vec::<i64>::new(), "once");
        assert_eq!(
            t.crossed(Timestamp(400)),
            [1, 2],
            "both passed while asleep"
        );
        t.remove(1);
        assert_eq!(t.next_after(Timestamp(400)), Some(Timestamp(600)));
    }
}
