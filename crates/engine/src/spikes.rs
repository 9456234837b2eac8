//! Spike alerts in the running workspace: the engine's side of
//! `switchboard_core::SpikeDetector`.
//!
//! At start the watcher replays the past weeks' customer items from the store (the
//! detector's history), then goes live and, every [`LOOK_EVERY`], reads the customer items
//! stored since its last look — whichever way they came: a sync of this laptop or the
//! team's replica — and lets the clock pass. When a queue's spike starts it tells the
//! queue's leads once (an OS notification: "Support: 46 new in 10 min, 5× usual — top
//! words: outage, login") and the window through the change bus; the queue's summary
//! carries the spike until it ends (the window is told then too). A policy change of
//! `[spikes]` starts the detector again from the store.
//!
//! In the demo workspace the person counts as a lead of every queue (so a newcomer sees
//! the alert), and the window is shortened by the demo network's speed (its crowd writes
//! that many times faster).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use switchboard_core::{
    AlertAction, Notification, QueueId, SlaState, SpikeChange, SpikeDetector, SpikeSettings,
    SpikeView, Urgency,
};
use tokio::sync::watch;

use crate::Shared;

/// How often the watcher reads new items and lets time pass.
const LOOK_EVERY: Duration = Duration::from_millis(500);
/// History replayed at start: the seasonal baseline's four weeks and a day.
const HISTORY_MS: i64 = 29 * 86_400_000;
/// Items read per query.
const PAGE: u32 = 5_000;

/// After a queue's spike notification, how long (in the workspace's world time) a spike
/// that ends and starts again counts as the same one and is not notified again: a burst
/// that hovers around the threshold flaps, and one notification is what a lead wants.
const RENOTIFY_AFTER_MS: i64 = 30 * 60_000;

/// The detector of one workspace, shared with the answers that show spikes.
pub(crate) struct SpikeWatch {
    detector: Mutex<Option<SpikeDetector>>,
    /// When each queue's last spike notification went out.
    notified: Mutex<std::collections::HashMap<QueueId, switchboard_core::Timestamp>>,
    /// How many times faster than the clock the workspace's world runs (the demo's
    /// speed; 1 elsewhere).
    speed: f64,
}

impl SpikeWatch {
    /// A watch that has seen nothing yet, for a world `speed` times as fast as the clock.
    pub(crate) fn new(speed: f64) -> SpikeWatch {
        SpikeWatch {
            detector: Mutex::new(None),
            notified: Mutex::new(std::collections::HashMap::new()),
            speed,
        }
    }

    /// Whether a spike of `queue` starting at `now` is to be notified (none was within
    /// [`RENOTIFY_AFTER_MS`] of world time); notes it when so.
    fn first_in_a_while(&self, queue: &QueueId, now: switchboard_core::Timestamp) -> bool {
        let quiet = (RENOTIFY_AFTER_MS as f64 / self.speed.max(1.0)) as i64;
        let mut notified = self.notified.lock().unwrap_or_else(PoisonError::into_inner);
        match notified.get(queue) {
            Some(at) if now.millis() - at.millis() < quiet => false,
            _ => {
                notified.insert(queue.clone(), now);
                true
            }
        }
    }

    /// `queue`'s spike while it lasts.
    pub(crate) fn spike(&self, queue: &QueueId) -> Option<SpikeView> {
        let detector = self.detector.lock().unwrap_or_else(PoisonError::into_inner);
        detector.as_ref()?.spike(queue)
    }
}

/// Runs until `stop` turns true.
pub(crate) async fn run(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut last_seq = 0;
    let mut settings: Option<SpikeSettings> = None;
    loop {
        let wanted =
            SpikeSettings::from_policy(&shared.policy().spikes).sped_up(shared.spikes.speed);
        if settings.as_ref() != Some(&wanted) {
            match replay(&shared, wanted.clone()).await {
                Ok(seq) => {
                    last_seq = seq;
                    settings = Some(wanted);
                }
                Err(e) => tracing::warn!(error = %e, "spike alerts could not read the history"),
            }
        } else if let Err(e) = look(&shared, &mut last_seq).await {
            tracing::warn!(error = %e, "spike alerts could not read new items");
        }
        tokio::select! {
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
    }
}

/// Builds the detector from the store's history and goes live; returns the log position
/// read up to.
async fn replay(
    shared: &Shared,
    settings: SpikeSettings,
) -> Result<i64, switchboard_store::StoreError> {
    let now = shared.now();
    let had_spikes = shared
        .spikes
        .detector
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .is_some_and(|d| !d.spikes().is_empty());
    let mut detector = SpikeDetector::new(settings);
    let mut last_seq = 0;
    let mut ignored = Vec::new();
    loop {
        let rows = shared
            .store
            .customer_items_after(last_seq, now.plus_millis(-HISTORY_MS), PAGE)
            .await?;
        for row in &rows {
            detector.observe(&row.queue, row.at(), &row.text, &mut ignored);
            last_seq = row.seq;
        }
        if rows.len() < PAGE as usize {
            break;
        }
    }
    let queues: Vec<QueueId> = shared
        .policy()
        .queues
        .iter()
        .map(|q| q.id.clone())
        .collect();
    detector.go_live(now, &queues);
    *shared
        .spikes
        .detector
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(detector);
    tracing::debug!(last_seq, "spike alerts watching");
    if had_spikes {
        shared.changed(Vec::new());
    }
    Ok(last_seq)
}

/// Counts the customer items stored since `last_seq`, lets time pass, and reports.
async fn look(shared: &Shared, last_seq: &mut i64) -> Result<(), switchboard_store::StoreError> {
    let now = shared.now();
    let rows = shared
        .store
        .customer_items_after(*last_seq, now.plus_millis(-HISTORY_MS), PAGE)
        .await?;
    let mut changes = Vec::new();
    {
        let mut guard = shared
            .spikes
            .detector
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(detector) = guard.as_mut() else {
            return Ok(());
        };
        for row in &rows {
            detector.observe(&row.queue, row.at(), &row.text, &mut changes);
            *last_seq = row.seq;
        }
        detector.advance(now, &mut changes);
    }
    if changes.is_empty() {
        return Ok(());
    }
    let mut alerts = Vec::new();
    for change in &changes {
        match change {
            SpikeChange::Started { queue, spike } => {
                tracing::info!(queue = %queue.0, count = spike.count, factor = spike.factor, "spike started");
                if !shared.spikes.first_in_a_while(queue, now) {
                    tracing::info!(queue = %queue.0, "spike notified a moment ago: not again");
                    continue;
                }
                if let Some(alert) = notification(shared, queue, spike).await {
                    alerts.push(alert);
                }
            }
            SpikeChange::Ended { queue } => {
                tracing::info!(queue = %queue.0, "spike ended");
            }
        }
    }
    shared.changed(Vec::new());
    if let (Some(sink), false) = (shared.alerts.sink(), alerts.is_empty()) {
        crate::notifier::deliver(&sink, alerts).await;
    }
    Ok(())
}

/// The notification of `queue`'s spike, if the person leads the queue.
async fn notification(shared: &Shared, queue: &QueueId, spike: &SpikeView) -> Option<AlertAction> {
    let is_demo = shared
        .workspace
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .is_demo;
    let policy = shared.policy();
    let label = policy
        .queue(queue)
        .map_or_else(|| queue.0.clone(), |q| q.label.clone());
    if !is_demo {
        let settings = shared.alert_settings().await;
        if !shared.lead_of(&settings).contains(queue) {
            return None;
        }
    }
    Some(AlertAction::Show(Notification {
        key: format!("spike:{}:{}", queue.0, spike.since.millis()),
        title: format!("Spike in {label}"),
        body: spike.describe(&label),
        urgency: Urgency::Normal,
        level: SlaState::OnTrack,
        queue: Some(queue.clone()),
        conversation: None,
        conversations: Vec::new(),
    }))
}
