//! The notifier: decides, for the person using this laptop, which desktop notifications to
//! show, replace or close (the rules live in `switchboard_core::AlertPlanner`), and hands
//! them to an [`AlertSink`] (the shell's OS notifications).
//!
//! It does not poll the database: after each decision it sleeps until the planner's next
//! instant that matters (the nearest deadline, the end of a cool-down, quiet hours or a
//! pause) or until anything in the workspace changes. It sleeps in steps of at most
//! [`WALL_CLOCK_CHECK`] of monotonic time and re-reads the wall clock after each, so a
//! deadline that passed while the laptop was asleep fires (once) right after waking.

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{AlertAction, AlertPlanner, AlertSettings, WatchedConversation};
use tokio::sync::watch;

use crate::Shared;

/// Longest sleep between two looks at the wall clock.
const WALL_CLOCK_CHECK: Duration = Duration::from_secs(15);

/// Where the notifier's decisions go: the OS notification service, or a test recorder.
pub trait AlertSink: Send + Sync {
    /// Carries out `actions` in order (show or replace by key, update quietly, close).
    /// Called from a blocking-safe context; may block on D-Bus.
    fn deliver(&self, actions: Vec<AlertAction>);
}

/// Runs until `stop` turns true.
pub(crate) async fn run(
    shared: Arc<Shared>,
    sink: Arc<dyn AlertSink>,
    mut stop: watch::Receiver<bool>,
) {
    let mut planner = restore(&shared).await;
    let mut settings_version = shared.alert_settings_version();
    loop {
        if shared.alert_settings_version() != settings_version {
            settings_version = shared.alert_settings_version();
            planner.set_settings(shared.alert_settings().await);
        }
        let wake_at = match watched(&shared).await {
            Ok(waiting) => {
                let decision = planner.decide(shared.now(), &waiting);
                tracing::trace!(waiting = waiting.len(), actions = decision.actions.len(), wake_at = ?decision.wake_at, "notifier decided");
                if !decision.actions.is_empty() {
                    tracing::debug!(actions = decision.actions.len(), "notifications");
                    save(&shared, &planner).await;
                    deliver(&sink, decision.actions).await;
                }
                decision.wake_at
            }
            Err(e) => {
                tracing::warn!(error = %e, "the notifier could not read the workspace");
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
                _ = shared.wake.notified() => break,
                _ = stop.wait_for(|stopped| *stopped) => {}
            }
            let stopped = *stop.borrow();
            if stopped {
                if shared
                    .clear_alerts_on_stop
                    .load(std::sync::atomic::Ordering::SeqCst)
                {
                    clear_all(&shared, &sink, planner).await;
                }
                return;
            }
        }
    }
}

/// Closes every notification this workspace shows (it is being closed for a switch or a
/// removal) and forgets them, so that coming back shows what is still pending once.
async fn clear_all(shared: &Shared, sink: &Arc<dyn AlertSink>, planner: AlertPlanner) {
    let actions: Vec<AlertAction> = planner
        .open_keys()
        .into_iter()
        .map(|key| AlertAction::Close {
            key: key.to_owned(),
        })
        .collect();
    let fresh = AlertPlanner::new(planner.settings().clone());
    save(shared, &fresh).await;
    if actions.is_empty() {
        return;
    }
    tracing::debug!(
        closed = actions.len(),
        "closing the workspace's notifications"
    );
    deliver(sink, actions).await;
}

/// Hands `actions` to `sink` on the blocking pool (OS notification calls block on D-Bus).
pub(crate) async fn deliver(sink: &Arc<dyn AlertSink>, actions: Vec<AlertAction>) {
    let sink = Arc::clone(sink);
    if let Err(e) = tokio::task::spawn_blocking(move || sink.deliver(actions)).await {
        tracing::warn!(error = %e, "notification delivery panicked");
    }
}

/// The waiting conversations with their queue's leads, as the planner wants them.
async fn watched(
    shared: &Shared,
) -> Result<Vec<WatchedConversation>, switchboard_store::StoreError> {
    let policy = shared.policy();
    let waiting = shared.store.waiting_conversations().await?;
    Ok(waiting
        .into_iter()
        .map(|w| WatchedConversation {
            leads: policy
                .queue(&w.queue)
                .map(|q| q.leads.clone())
                .unwrap_or_default(),
            ..w
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

async fn save(shared: &Shared, planner: &AlertPlanner) {
    let saved = match serde_json::to_string(planner) {
        Ok(json) => shared
            .store
            .set_setting(PLANNER_KEY, &json)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = saved {
        tracing::warn!(error = %e, "could not keep the notifier's memory");
    }
}

/// The settings a person starts with.
pub(crate) fn default_settings(person: &str) -> AlertSettings {
    AlertSettings::new(person)
}
