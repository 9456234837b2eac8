//! Claims in a team workspace: decided by the team database, one winner each.
//!
//! - **Claim**: the database grants it (the `claimed` event is in the log at once, and the
//!   replica records it under the same event id), or refuses it because someone else
//!   holds a live claim (the person is told who), or cannot be reached: then the claim is
//!   **pending** — kept on this laptop, shown as such, and asked again as soon as the
//!   database answers; it then becomes held, or **lost** to whoever got it first.
//! - A held claim is a lease ([`CLAIM_TTL`]): renewed every [`RENEW_EVERY`] while the
//!   conversation is still claimed by this person here; given back when it is released,
//!   handed off or claimed by someone else.

use std::time::Duration;

use switchboard_core::{ApiError, ErrorCode, EventKind, Timestamp};
use switchboard_store::{SharedEvent, StoreError, TeamClaim, TeamClaimStatus};
use switchboard_team::{ClaimOutcome, Stamp, TeamError};

use super::replicate::ExchangeError;
use super::Replica;
use crate::api::to_api;
use crate::planner::PolicyPlanner;
use crate::Shared;

/// How long a claim lasts without renewal (a laptop asleep loses it after this).
pub(crate) const CLAIM_TTL: Duration = Duration::from_secs(15 * 60);

/// How often held claims are renewed.
pub(crate) const RENEW_EVERY: Duration = Duration::from_secs(60);

/// Claims conversation `id` for this person through the team database.
pub(crate) async fn claim(shared: &Shared, replica: &Replica, id: i64) -> Result<(), ApiError> {
    let thread = shared.store.thread_key(id).await.map_err(to_api)?;
    match ask(shared, replica, id, &thread).await {
        Ok(Asked::Held) => Ok(()),
        Ok(Asked::Refused { holder, until_ms }) => Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!(
                "{holder} is working on this conversation (their claim runs until {}). \
                 Ask them to hand it off, or take it over.",
                Timestamp(until_ms).to_rfc3339()
            ),
        )),
        Err(ExchangeError::Team(e)) if e.is_unreachable() => {
            record(shared, &thread, TeamClaimStatus::Pending, None, None)
                .await
                .map_err(to_api)?;
            replica.offline(shared.now(), e.to_string());
            shared.changed(vec![id]);
            Ok(())
        }
        Err(ExchangeError::Store(e)) => Err(to_api(e)),
        Err(e) => Err(ApiError::new(ErrorCode::Platform, e.to_string())),
    }
}

enum Asked {
    Held,
    Refused { holder: String, until_ms: i64 },
}

/// Asks the database for the claim and records the answer.
async fn ask(
    shared: &Shared,
    replica: &Replica,
    id: i64,
    thread: &str,
) -> Result<Asked, ExchangeError> {
    let stamp = Stamp::new(0);
    let asked = match replica.client.claim(thread, CLAIM_TTL, stamp).await? {
        ClaimOutcome::Granted { fence, .. } => {
            let policy = shared.policy();
            shared
                .store
                .record_claimed(
                    id,
                    &replica.member,
                    shared.now(),
                    &PolicyPlanner(&policy),
                    &stamp.event_id.to_string(),
                )
                .await?;
            record(shared, thread, TeamClaimStatus::Held, Some(fence), None).await?;
            Asked::Held
        }
        ClaimOutcome::Held {
            holder, until_ms, ..
        } => Asked::Refused { holder, until_ms },
    };
    shared.changed(vec![id]);
    replica.kick.notify_one();
    Ok(asked)
}

/// Asks again for every pending claim (the database answers again).
pub(crate) async fn settle_pending(
    shared: &Shared,
    replica: &Replica,
) -> Result<(), ExchangeError> {
    for pending in shared.store.team_claims(TeamClaimStatus::Pending).await? {
        let Some(id) = shared.store.conversation_id(&pending.thread_key).await? else {
            continue;
        };
        match ask(shared, replica, id, &pending.thread_key).await? {
            Asked::Held => tracing::info!(thread = %pending.thread_key, "pending claim granted"),
            Asked::Refused { holder, .. } => {
                tracing::info!(thread = %pending.thread_key, %holder, "pending claim lost");
                record(
                    shared,
                    &pending.thread_key,
                    TeamClaimStatus::Lost,
                    None,
                    Some(holder),
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Marks this laptop's claims lost where the log shows someone else claimed first.
pub(crate) async fn note_remote_claims(
    shared: &Shared,
    replica: &Replica,
    events: &[SharedEvent],
) -> Result<(), StoreError> {
    for event in events {
        if event.event.kind != EventKind::Claimed {
            continue;
        }
        let Some(by) = event.event.by.as_deref() else {
            continue;
        };
        if by == replica.member {
            continue;
        }
        let Some(mine) = shared.store.team_claim(&event.event.thread.0).await? else {
            continue;
        };
        if matches!(
            mine.status,
            TeamClaimStatus::Held | TeamClaimStatus::Pending
        ) {
            record(
                shared,
                &event.event.thread.0,
                TeamClaimStatus::Lost,
                None,
                Some(by.to_owned()),
            )
            .await?;
        }
    }
    Ok(())
}

/// Gives back this person's claim of conversation `id` (after a release or a hand-off),
/// if the database granted one. Offline, the claim simply runs out.
pub(crate) async fn give_back(shared: &Shared, replica: &Replica, id: i64) {
    let Ok(thread) = shared.store.thread_key(id).await else {
        return;
    };
    let Ok(Some(mine)) = shared.store.team_claim(&thread).await else {
        return;
    };
    match (mine.status, mine.fence) {
        (TeamClaimStatus::Held, Some(fence)) => {
            match replica
                .client
                .release_claim(&thread, fence, Stamp::new(0))
                .await
            {
                Ok(()) | Err(TeamError::FenceMoved { .. }) => {}
                Err(e) => tracing::info!(error = %e, "claim not given back; it runs out"),
            }
        }
        (TeamClaimStatus::Pending, _) => {}
        _ => return,
    }
    if let Err(e) = record(shared, &thread, TeamClaimStatus::Released, None, None).await {
        tracing::warn!(error = %e, "could not record a claim given back");
    }
}

/// Renews held claims still claimed here by this person; gives back the others.
pub(crate) async fn renew_held(shared: &Shared, replica: &Replica) {
    let Ok(held) = shared.store.team_claims(TeamClaimStatus::Held).await else {
        return;
    };
    for claim in held {
        let Some(fence) = claim.fence else { continue };
        let Ok(Some(id)) = shared.store.conversation_id(&claim.thread_key).await else {
            continue;
        };
        let still_mine = shared
            .store
            .conversation(id, shared.now())
            .await
            .is_ok_and(|c| c.claimed_by.as_deref() == Some(replica.member.as_str()));
        if !still_mine {
            give_back(shared, replica, id).await;
            continue;
        }
        match replica
            .client
            .renew_claim(&claim.thread_key, fence, CLAIM_TTL)
            .await
        {
            Ok(_) => {}
            Err(TeamError::FenceMoved { .. }) => {
                let _ = record(shared, &claim.thread_key, TeamClaimStatus::Lost, None, None).await;
                shared.changed(vec![id]);
            }
            Err(e) => {
                tracing::info!(error = %e, "could not renew a claim");
                return;
            }
        }
    }
}

async fn record(
    shared: &Shared,
    thread: &str,
    status: TeamClaimStatus,
    fence: Option<i64>,
    holder: Option<String>,
) -> Result<(), StoreError> {
    shared
        .store
        .set_team_claim(&TeamClaim {
            thread_key: thread.to_owned(),
            status,
            fence,
            holder,
            updated_at: shared.now(),
        })
        .await
}
