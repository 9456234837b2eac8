//! The load: the feeder (the platform side, simulated) and the actors (claim, note,
//! hand-off).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_core::QueueId;
use switchboard_team::{JoinCode, LeaseOutcome, TeamClient, TeamItem};

use crate::laptops::{mention_item, Laptop, FEED_ACCOUNT};
use crate::watch::{Shared, Watch};

/// A claimed conversation was entered at least this long before.
pub(crate) const CLAIM_AGE: Duration = Duration::from_secs(3);
/// Between claim and note, and note and hand-off.
pub(crate) const STEP: Duration = Duration::from_secs(2);
/// Actor `a` claims the oldest unclaimed conversation entered at least [`CLAIM_AGE`]
/// ago, adds a note and hands it off to sales. Returns whether it acted.
pub(crate) async fn act(
    a: usize,
    replicas: &[Arc<Laptop>],
    tracker: &Shared,
    fed: &Mutex<Vec<(String, Instant)>>,
    taken: &Mutex<HashSet<String>>,
) -> bool {
    let thread = {
        let fed = fed.lock().unwrap();
        let mut taken = taken.lock().unwrap();
        let pick = fed
            .iter()
            .rev()
            .find(|(thread, at)| at.elapsed() >= CLAIM_AGE && !taken.contains(thread));
        let Some((thread, _)) = pick else {
            println!("actor agent{a}: nothing old enough to claim yet");
            return false;
        };
        taken.insert(thread.clone());
        thread.clone()
    };
    // Its id on every replica (all have it by now, or soon).
    let mut ids = Vec::with_capacity(replicas.len());
    for r in replicas {
        let deadline = Instant::now() + Duration::from_secs(10);
        let id = loop {
            match r
                .engine
                .conversation_of_thread(&thread)
                .await
                .ok()
                .flatten()
            {
                Some(id) => break Some(id),
                None if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                None => break None,
            }
        };
        ids.push(id);
    }
    let Some(mine) = ids[a] else {
        println!("actor agent{a}: the conversation never arrived here");
        return false;
    };
    let actor = replicas[a].engine.me().to_owned();
    let w = {
        let mut t = tracker.lock().unwrap();
        let w = t.watches.len();
        t.watches.push(Watch {
            actor: actor.clone(),
            asked_at: None,
            claimed_at: None,
            shown: Vec::new(),
        });
        for (laptop, id) in ids.iter().enumerate() {
            if let (Some(id), true) = (id, laptop != a) {
                t.watched.insert((laptop, *id), w);
            }
        }
        w
    };
    let engine = &replicas[a].engine;
    tracker.lock().unwrap().watches[w].asked_at = Some(Instant::now());
    if let Err(e) = engine.claim(mine).await {
        println!("actor {actor}: claim refused: {}", e.message);
        let mut t = tracker.lock().unwrap();
        t.watched.retain(|_, v| *v != w);
        return false;
    }
    tracker.lock().unwrap().watches[w].claimed_at = Some(Instant::now());
    tokio::time::sleep(STEP).await;
    if let Err(e) = engine
        .add_note(mine, "Checked the order: it left the warehouse.".into())
        .await
    {
        println!("actor {actor}: note failed: {}", e.message);
    }
    tokio::time::sleep(STEP).await;
    if let Err(e) = engine
        .hand_off(
            mine,
            QueueId("sales".into()),
            "A refund question; over to sales.".into(),
        )
        .await
    {
        println!("actor {actor}: hand-off failed: {}", e.message);
    }
    true
}

/// The platform side, simulated: holds the brand account's poll lease and, once a second,
/// asks for it again and commits `per_sec` new items. Returns how many items it entered.
pub(crate) async fn feed(
    code: &JoinCode,
    seconds: u64,
    per_sec: usize,
    fed: &Mutex<Vec<(String, Instant)>>,
    polls: &AtomicU64,
) -> usize {
    let client = TeamClient::join(code, "feeder")
        .await
        .expect("the feeder connects");
    let start = Instant::now();
    let mut next = 0usize;
    for second in 0..seconds {
        tokio::time::sleep_until((start + Duration::from_secs(second)).into()).await;
        polls.fetch_add(1, Ordering::Relaxed);
        let LeaseOutcome::Granted { fence, .. } = client
            .acquire_poll_lease(FEED_ACCOUNT, Duration::from_secs(10))
            .await
            .expect("the lease answers")
        else {
            panic!("the feeder holds the lease");
        };
        let mut threads = Vec::with_capacity(per_sec);
        let items: Vec<TeamItem> = (0..per_sec)
            .map(|_| {
                next += 1;
                let (thread, item) = mention_item(next as u64, "support");
                threads.push(thread);
                item
            })
            .collect();
        client
            .commit_poll(FEED_ACCOUNT, fence, &items, None)
            .await
            .expect("the items enter the log");
        let at = Instant::now();
        fed.lock()
            .unwrap()
            .extend(threads.into_iter().map(|t| (t, at)));
    }
    next
}
