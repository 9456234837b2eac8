//! What the replicas' change listeners saw: the first change naming each conversation on
//! each replica, and the watched claims, each confirmed by reading the conversation there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use tokio::sync::mpsc;

use crate::laptops::Laptop;

/// Items whose visibility is resolved after the run, at most.
pub(crate) const ITEM_SAMPLE: usize = 400;
/// How long the replicas may take to catch up after the load stops.
pub(crate) const DRAIN: Duration = Duration::from_secs(60);

/// A change as a replica's listener saw it.
pub(crate) struct Seen {
    pub(crate) laptop: usize,
    pub(crate) conversations: Vec<i64>,
    pub(crate) at: Instant,
}

/// A claim whose arrival on the other replicas is watched.
pub(crate) struct Watch {
    pub(crate) actor: String,
    /// When the actor asked for the claim (None: not yet).
    pub(crate) asked_at: Option<Instant>,
    /// When the claim returned on the actor's laptop (None: not yet).
    pub(crate) claimed_at: Option<Instant>,
    /// Per replica that showed it: the change that did, and the reading that confirmed it.
    pub(crate) shown: Vec<(Instant, Instant)>,
}

/// What the checker keeps: the first change naming each conversation on each replica,
/// and the claims being watched.
#[derive(Default)]
pub(crate) struct Tracker {
    /// Per replica: conversation id → first change naming it.
    pub(crate) first_seen: Vec<HashMap<i64, Instant>>,
    /// (replica, conversation id) → index into `watches`, until the claim is seen there.
    pub(crate) watched: HashMap<(usize, i64), usize>,
    pub(crate) watches: Vec<Watch>,
    /// Changes after a claim whose reading did not show it yet.
    pub(crate) unconfirmed: usize,
    /// Replicas on which a watched claim never showed.
    pub(crate) claim_missing: usize,
}

pub(crate) type Shared = Arc<Mutex<Tracker>>;

/// Consumes the listeners' changes: first sightings, and watched claims (each confirmed
/// by reading the conversation on that replica).
pub(crate) async fn check(
    mut seen: mpsc::UnboundedReceiver<Seen>,
    tracker: Shared,
    replicas: Vec<Arc<Laptop>>,
) {
    while let Some(change) = seen.recv().await {
        let mut to_confirm = Vec::new();
        {
            let mut t = tracker.lock().unwrap();
            for &id in &change.conversations {
                t.first_seen[change.laptop].entry(id).or_insert(change.at);
                let Some(&w) = t.watched.get(&(change.laptop, id)) else {
                    continue;
                };
                let watch = &t.watches[w];
                if watch.asked_at.is_some_and(|asked| change.at >= asked) {
                    to_confirm.push((id, w, watch.actor.clone()));
                }
            }
        }
        for (id, w, actor) in to_confirm {
            let replica = replicas[change.laptop].clone();
            let tracker = tracker.clone();
            let (laptop, at) = (change.laptop, change.at);
            tokio::spawn(async move {
                let Ok(thread) = replica.engine.get_thread(id).await else {
                    return;
                };
                let confirmed = Instant::now();
                let shows = thread.conversation.claimed_by.as_deref() == Some(actor.as_str())
                    || thread
                        .history
                        .iter()
                        .any(|h| h.kind == "claimed" && h.by.as_deref() == Some(actor.as_str()));
                let mut t = tracker.lock().unwrap();
                if !shows {
                    t.unconfirmed += 1;
                    return;
                }
                if t.watched.get(&(laptop, id)) == Some(&w) {
                    t.watched.remove(&(laptop, id));
                    t.watches[w].shown.push((at, confirmed));
                }
            });
        }
    }
}

/// Waits until every replica has the last item; returns how long that took after the
/// load stopped (None: not within [`DRAIN`]).
pub(crate) async fn drain(replicas: &[Arc<Laptop>], fed: &[(String, Instant)]) -> Option<Duration> {
    let Some((last, _)) = fed.last() else {
        return Some(Duration::ZERO);
    };
    let started = Instant::now();
    for r in replicas {
        while r
            .engine
            .conversation_of_thread(last)
            .await
            .ok()
            .flatten()
            .is_none()
        {
            if started.elapsed() > DRAIN {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Some(started.elapsed())
}

/// Item-to-visible for a sample of the items on every replica.
pub(crate) async fn item_latencies(
    replicas: &[Arc<Laptop>],
    fed: &[(String, Instant)],
    tracker: &Shared,
) -> Vec<Duration> {
    let step = fed.len().div_ceil(ITEM_SAMPLE).max(1);
    let sample: Vec<&(String, Instant)> = fed.iter().step_by(step).collect();
    let per_replica = join_all(replicas.iter().map(|r| async {
        let mut ids = Vec::with_capacity(sample.len());
        for (thread, _) in &sample {
            ids.push(r.engine.conversation_of_thread(thread).await.ok().flatten());
        }
        ids
    }))
    .await;
    let t = tracker.lock().unwrap();
    let mut latencies = Vec::new();
    for (laptop, ids) in per_replica.iter().enumerate() {
        for ((_, committed), id) in sample.iter().zip(ids) {
            if let Some(seen) = id.and_then(|id| t.first_seen[laptop].get(&id)) {
                latencies.push(seen.saturating_duration_since(*committed));
            }
        }
    }
    latencies
}
