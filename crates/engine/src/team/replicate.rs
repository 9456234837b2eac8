//! The replication loop of a team workspace: push the outbox, settle pending claims,
//! pull the shared log — whenever the database says something was committed, this laptop
//! did something, or a few seconds passed.
//!
//! - **Push**: the outbox in device order, in batches, each batch in one transaction;
//!   an answer lost on the way means the batch goes again, and the database skips the
//!   events it already has (same event id).
//! - **Pull**: everything after the replica's cursor, by server sequence, in batches; the
//!   store folds each batch and moves the cursor in one transaction, so a crash in
//!   between loses or doubles nothing. A batch's saved-reply changes are folded just
//!   before it (idempotent, so a crash in between is harmless too).
//! - **Wake-ups** (`LISTEN`) never carry anything: after any wake-up, a reconnect or the
//!   fallback timer, the puller reads from its cursor. A missed notification costs at
//!   most [`FALLBACK`]. A presence wake-up (someone started or stopped viewing or
//!   replying) only re-reads presence, not the log.
//! - **Live snapshot** (see [`super::live`]): presence is read again after every round
//!   and presence wake-up; every [`super::live::HEARTBEAT`] this laptop says it is
//!   connected and reads the members, when each was last connected and the policy
//!   version.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use switchboard_platforms::backoff::Backoff;
use switchboard_store::SharedEvent;
use switchboard_team::{TeamError, Wake, Wakeups};
use tokio::sync::watch;

use super::mapping::{from_log, Mapped};
use super::Replica;
use crate::planner::PolicyPlanner;
use crate::Shared;

/// Longest pause between two pulls when nothing wakes the puller.
pub(crate) const FALLBACK: Duration = Duration::from_secs(3);

/// Events pushed per transaction.
const PUSH_BATCH: i64 = 200;

/// Events pulled per read.
const PULL_BATCH: i64 = 500;

/// Runs until `stop` turns true.
pub(crate) async fn run(
    shared: Arc<Shared>,
    replica: Arc<Replica>,
    mut stop: watch::Receiver<bool>,
) {
    let mut wakeups: Option<Wakeups> = None;
    let mut failures: u32 = 0;
    let mut next_renewal = tokio::time::Instant::now();
    let mut next_heartbeat = tokio::time::Instant::now();
    let mut presence_only = false;
    // A lead's approvals decided but not queued when this laptop stopped are posted once
    // the replica is in step (see `approval::resume`).
    let mut approvals_resumed = false;
    // When the next round is due however many presence wake-ups come in between (a busy
    // team's typing must not hold off the fallback pull).
    let mut round_due = tokio::time::Instant::now();
    loop {
        if wakeups.is_none() {
            wakeups = replica.client.wakeups().await.ok();
        }
        super::live::note_pending(&shared).await;
        if presence_only && tokio::time::Instant::now() < round_due {
            presence_only = false;
            super::live::refresh(&shared, &replica, false).await;
            let left = round_due.saturating_duration_since(tokio::time::Instant::now());
            if wait(&replica, &mut wakeups, &mut stop, left, &mut presence_only).await {
                break;
            }
            continue;
        }
        presence_only = false;
        let pause = match exchange(&shared, &replica).await {
            Ok(()) => {
                failures = 0;
                if !approvals_resumed {
                    approvals_resumed = super::approval::resume(&shared, &replica).await;
                }
                // Due at start (it may have changed while this laptop was away), after a
                // `policy_changed` event, and again after a failed attempt.
                let mut policy_read = false;
                if replica.policy_due.swap(false, Ordering::SeqCst) {
                    policy_read = super::policy::follow(&shared, &replica).await;
                    if !policy_read {
                        replica.policy_due.store(true, Ordering::SeqCst);
                    }
                }
                if tokio::time::Instant::now() >= next_renewal {
                    super::claims::renew_held(&shared, &replica).await;
                    next_renewal = tokio::time::Instant::now() + super::claims::RENEW_EVERY;
                }
                let beat = tokio::time::Instant::now() >= next_heartbeat;
                if beat {
                    if let Err(e) = replica.client.heartbeat().await {
                        tracing::debug!(error = %e, "team heartbeat failed");
                    }
                    next_heartbeat = tokio::time::Instant::now() + super::live::HEARTBEAT;
                }
                // A new policy version shows with its author at once ("policy v12 by
                // Priya"), not at the next heartbeat.
                super::live::refresh(&shared, &replica, beat || policy_read).await;
                FALLBACK
            }
            Err(error) => {
                failures += 1;
                let message = plain(&error);
                tracing::warn!(failures, error = %message, "team database exchange failed");
                let was_online = replica.status().online;
                replica.offline(shared.now(), message);
                if was_online || failures == 1 {
                    shared.changed(Vec::new());
                }
                wakeups = None; // listen again once the server is back
                Backoff::SYNC.delay(failures, None).min(FALLBACK)
            }
        };
        round_due = tokio::time::Instant::now() + pause;
        if wait(&replica, &mut wakeups, &mut stop, pause, &mut presence_only).await {
            break;
        }
    }
    drop(wakeups); // gives its connection back, so the pool can close
    replica.client.pool().close().await;
    tracing::debug!("team replication stopped");
}

/// Waits for a wake-up, a kick, `pause` or the stop; sets `presence_only` when only
/// presence changed. Returns whether to stop.
async fn wait(
    replica: &Replica,
    wakeups: &mut Option<Wakeups>,
    stop: &mut watch::Receiver<bool>,
    pause: Duration,
    presence_only: &mut bool,
) -> bool {
    let woken = async {
        match wakeups.as_mut() {
            Some(w) => w.next().await,
            None => std::future::pending::<Wake>().await,
        }
    };
    tokio::select! {
        wake = woken => {
            *presence_only = wake == Wake::Presence;
            false
        }
        _ = replica.kick.notified() => false,
        _ = tokio::time::sleep(pause) => false,
        _ = stop.wait_for(|stopped| *stopped) => true,
    }
}

/// One round: push, settle pending claims, pull.
async fn exchange(shared: &Shared, replica: &Replica) -> Result<(), ExchangeError> {
    let pushed = push(shared, replica).await?;
    super::claims::settle_pending(shared, replica).await?;
    let pulled = pull(shared, replica).await?;
    let unpushed = shared.store.team_outbox_len().await?;
    let cursor = shared.store.team_cursor().await?;
    let was_online = replica.status().online;
    replica.online(|s| {
        s.unpushed = unpushed;
        s.cursor = cursor;
        s.behind = 0;
    });
    if !was_online && pushed == 0 && pulled == 0 {
        shared.changed(Vec::new()); // the window shows "online" again
    }
    Ok(())
}

/// Pushes the outbox; returns how many events went.
async fn push(shared: &Shared, replica: &Replica) -> Result<usize, ExchangeError> {
    let mut pushed = 0;
    loop {
        let batch = shared.store.team_outbox_pending(PUSH_BATCH).await?;
        let Some(last) = batch.last().map(|e| e.device_seq) else {
            return Ok(pushed);
        };
        let events = batch
            .iter()
            .map(|e| {
                Ok(switchboard_team::NewEvent {
                    stamp: switchboard_team::Stamp {
                        event_id: uuid::Uuid::parse_str(&e.event_id)
                            .map_err(|err| ExchangeError::Local(err.to_string()))?,
                        device_seq: e.device_seq,
                    },
                    kind: e.kind.clone(),
                    payload: serde_json::from_str(&e.payload)
                        .map_err(|err| ExchangeError::Local(err.to_string()))?,
                })
            })
            .collect::<Result<Vec<_>, ExchangeError>>()?;
        replica.client.append(&events).await?;
        shared
            .store
            .team_outbox_accepted(last, shared.now())
            .await?;
        pushed += events.len();
        if (batch.len() as i64) < PUSH_BATCH {
            return Ok(pushed);
        }
    }
}

/// Pulls what the log has after the replica's cursor; returns how many events came.
async fn pull(shared: &Shared, replica: &Replica) -> Result<usize, ExchangeError> {
    let mut pulled = 0;
    loop {
        let cursor = shared.store.team_cursor().await?;
        let batch = replica.client.events_after(cursor, PULL_BATCH).await?;
        let Some(last) = batch.last().map(|e| e.server_seq) else {
            return Ok(pulled);
        };
        let mut fold: Vec<SharedEvent> = Vec::with_capacity(batch.len());
        let mut saved_replies = Vec::new();
        for event in &batch {
            match from_log(event) {
                Mapped::Fold(shared_event) => fold.push(*shared_event),
                Mapped::SavedReply(change) => saved_replies.push(*change),
                Mapped::PolicyChanged => replica.policy_due.store(true, Ordering::SeqCst),
                Mapped::Skip => {}
                Mapped::SetAside(reason) => tracing::warn!(
                    server_seq = event.server_seq,
                    kind = %event.kind,
                    %reason,
                    "set aside an event of the team's log"
                ),
            }
        }
        // Saved replies first: folding them again is harmless, so a crash before the
        // cursor moves past them (with the batch below) loses or doubles nothing.
        let saved_changed = shared
            .store
            .apply_shared_saved_replies(&saved_replies)
            .await?;
        let policy = shared.policy();
        let applied = shared
            .store
            .apply_shared(&fold, last, &PolicyPlanner(&policy))
            .await?;
        super::claims::note_remote_claims(shared, replica, &fold).await?;
        super::handoffs::notify(shared, replica, &fold).await;
        super::approval::notify(shared, replica, &fold).await;
        pulled += batch.len();
        if !applied.conversations.is_empty() {
            shared.changed(applied.conversations);
        }
        if saved_changed > 0 {
            shared.changed(Vec::new()); // the saved replies changed: anything may show them
        }
        if (batch.len() as i64) < PULL_BATCH {
            return Ok(pulled);
        }
        // A full page: there is a backlog; say how much ("catching up (N events)").
        let head = replica.client.log_head().await?;
        replica.online(|s| s.behind = (head - last).max(0));
        shared.changed(Vec::new());
    }
}

/// What can stop a round.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExchangeError {
    #[error(transparent)]
    Team(#[from] TeamError),
    #[error(transparent)]
    Store(#[from] switchboard_store::StoreError),
    #[error("a local event could not be read: {0}")]
    Local(String),
}

/// The failure in plain words.
fn plain(error: &ExchangeError) -> String {
    match error {
        ExchangeError::Team(e) if e.is_unreachable() => {
            "the team database cannot be reached; your work is kept on this laptop and sent \
             when it is back"
                .into()
        }
        other => other.to_string(),
    }
}
