//! Trainees' replies: queued as awaiting a lead's approval, posted only once a lead
//! approves (by the lead's laptop, exactly once), never when rejected.
//!
//! - A **trainee** (a member flag in the team) who sends a reply records
//!   `reply_awaiting_approval` under an **approval** id — the reply's idempotency key, a
//!   UUID v7 — instead of queueing a post. It reaches every laptop through the log, shows
//!   among the thread's outgoing replies as awaiting approval, and leads are notified.
//! - A lead **approves** it (maybe edited) or **rejects** it (with a reason). The team
//!   database takes the first decision only ([`switchboard_team::TeamClient::decide`]),
//!   so a second lead is told who decided; without the database nothing is decided.
//! - The approving lead's laptop logs `reply_approved` (the lead as `by`) and queues the
//!   reply in one transaction, under an idempotency key derived from the approval id, and
//!   posts it like any reply. Approving again (a retry after a lost answer or a crash
//!   between the decision and the queueing) finds the decision its own and the reply
//!   queued, or queues it then: never twice.
//! - A rejected reply is never posted; the trainee sees it rejected with the reason.
//! - The approved reply passes the guardrails like any reply (see [`guardrails`]): the
//!   trainee's confirmations are logged with it, and findings they did not confirm for
//!   that very text need the lead's.

use std::sync::Arc;

use switchboard_core::{
    AlertAction, ApiError, ErrorCode, EventKind, Notification, SlaState, Thread, Urgency,
};
use switchboard_store::{ApprovalRequest, ApprovalState, ApprovedOverrides, SharedEvent};
use switchboard_team::{Decided, TeamError};

use super::Replica;
use crate::actions::checked_text;
use crate::api::to_api;
use crate::outbox::{check_length, checked_reply, start_posting};
use crate::planner::PolicyPlanner;
use crate::{Engine, Shared};

#[path = "approval_guardrails.rs"]
mod guardrails;

/// The setting that remembers whether the person at this laptop is a trainee, for when
/// the team's members cannot be read (offline at start).
const TRAINEE_KEY: &str = "team_trainee";

/// Longest reason for a rejection, in characters.
const MAX_REASON_CHARS: usize = 2_000;

impl Engine {
    /// A lead approves the trainee's reply `approval` in conversation `id`, optionally
    /// edited (`text`); this laptop posts it, once. Guardrail findings in the approved
    /// text that the trainee did not confirm for it refuse with `guardrail` until their
    /// rules are in `confirmed_rules`; a blocked one always refuses.
    pub async fn approve_reply(
        &self,
        id: i64,
        approval: String,
        text: Option<String>,
        confirmed_rules: Vec<String>,
    ) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let replica = team_of(shared)?;
        let approval = approval_id(&approval)?;
        lead_only(replica, "Only a lead can approve replies.").await?;
        let now = shared.now();
        let key = approved_key(&approval);
        // Approved and queued here already (a retry): it stands.
        if shared
            .store
            .reply_with_key(&key)
            .await
            .map_err(to_api)?
            .is_some()
        {
            return shared.thread(id).await;
        }
        let request = request_of(shared, id, &approval).await?;
        match &request.state {
            ApprovalState::Awaiting => {}
            // Approved by this person on another of their laptops, which posts it.
            ApprovalState::Approved { by, .. } if by.as_deref() == Some(&replica.member) => {
                return shared.thread(id).await;
            }
            ApprovalState::Approved { by, .. } => {
                return Err(decided_already(replica, by.as_deref(), true).await)
            }
            ApprovalState::Rejected { by, .. } => {
                return Err(decided_already(replica, by.as_deref(), false).await)
            }
        }
        let text = match text {
            Some(edited) => checked_reply(edited)?,
            None => request.text.clone(),
        };
        check_length(shared, id, &text).await?;
        shared.check_reply_window(id).await?;
        let confirmations =
            guardrails::check(shared, id, &request, &text, &confirmed_rules).await?;
        let (text, confirmations) = match decide(replica, &approval, Some(&text)).await? {
            // Approved by this person before (a crash before queueing): what they approved
            // then is what goes (its checks passed then).
            Some(before) if before != text => {
                let confirmations = guardrails::confirmed(shared, id, &request, &before).await?;
                (before, confirmations)
            }
            _ => (text, confirmations),
        };
        queue_approved(shared, replica, id, &request, &text, &confirmations, now).await?;
        shared.thread(id).await
    }

    /// A lead rejects the trainee's reply `approval` in conversation `id` because of
    /// `reason` (shown to the trainee); it is never posted.
    pub async fn reject_reply(
        &self,
        id: i64,
        approval: String,
        reason: String,
    ) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let replica = team_of(shared)?;
        let approval = approval_id(&approval)?;
        lead_only(replica, "Only a lead can reject replies.").await?;
        let reason = checked_text(
            reason,
            MAX_REASON_CHARS,
            "Say why the reply is rejected: the trainee reads it.",
            "A reason",
        )?;
        let now = shared.now();
        let request = request_of(shared, id, &approval).await?;
        match &request.state {
            ApprovalState::Awaiting => {}
            ApprovalState::Rejected { by, .. } if by.as_deref() == Some(&replica.member) => {
                return shared.thread(id).await;
            }
            ApprovalState::Approved { by, .. } => {
                return Err(decided_already(replica, by.as_deref(), true).await)
            }
            ApprovalState::Rejected { by, .. } => {
                return Err(decided_already(replica, by.as_deref(), false).await)
            }
        }
        decide(replica, &approval, None).await?;
        let policy = shared.policy();
        shared
            .store
            .record_rejection(
                id,
                &replica.member,
                &approval,
                &reason,
                now,
                &PolicyPlanner(&policy),
            )
            .await
            .map_err(to_api)?;
        tracing::info!(conversation = id, %approval, "trainee's reply rejected");
        shared.recorded(vec![id]);
        shared.thread(id).await
    }
}

/// Whether the person at this laptop is a trainee: as the team says, or (when the members
/// cannot be read) as it said last.
pub(crate) async fn is_trainee(shared: &Shared, replica: &Replica) -> bool {
    let remembered = matches!(
        shared.store.setting(TRAINEE_KEY).await,
        Ok(Some(value)) if value == "true"
    );
    let Some(me) = replica.membership.me(replica).await else {
        return remembered;
    };
    if me.trainee != remembered {
        let value = if me.trainee { "true" } else { "false" };
        if let Err(e) = shared.store.set_setting(TRAINEE_KEY, value).await {
            tracing::warn!(error = %e, "could not remember the trainee flag");
        }
    }
    me.trainee
}

/// Records the trainee's reply `text` to conversation `id` as awaiting a lead's approval
/// under `approval` (the reply's key); nothing is posted. `confirmed`: what the trainee
/// was warned of and sent anyway (kept in the log).
pub(crate) async fn request(
    shared: &Shared,
    id: i64,
    text: String,
    approval: String,
    confirmed: crate::outbox::Confirmed,
) -> Result<Thread, ApiError> {
    let now = shared.now();
    let policy = shared.policy();
    shared
        .store
        .record_action(
            id,
            &shared.me,
            EventKind::ReplyAwaitingApproval {
                approval: approval.clone(),
                text,
                sent_anyway: confirmed.sent_anyway,
                guardrail_overrides: confirmed.guardrail_overrides,
            },
            now,
            &PolicyPlanner(&policy),
        )
        .await
        .map_err(to_api)?;
    tracing::info!(conversation = id, %approval, "trainee's reply waits for a lead's approval");
    shared.recorded(vec![id]);
    shared.thread(id).await
}

/// Whether a reply awaiting approval under `key` is in conversation `id` already (the
/// trainee's window sent it again).
pub(crate) async fn requested(shared: &Shared, id: i64, key: &str) -> Result<bool, ApiError> {
    Ok(shared
        .store
        .approvals(id)
        .await
        .map_err(to_api)?
        .iter()
        .any(|request| request.approval == key))
}

/// Notifies this laptop's lead of the trainees' replies among `events` that wait for an
/// approval (still undecided here).
pub(crate) async fn notify(shared: &Shared, replica: &Replica, events: &[SharedEvent]) {
    let Some(sink) = shared.alerts.sink() else {
        return;
    };
    let requests: Vec<&SharedEvent> = events
        .iter()
        .filter(|e| matches!(e.event.kind, EventKind::ReplyAwaitingApproval { .. }))
        .filter(|e| e.event.by.as_deref() != Some(replica.member.as_str()))
        .collect();
    if requests.is_empty() {
        return;
    }
    if !replica
        .membership
        .me(replica)
        .await
        .is_some_and(|me| me.lead)
    {
        return;
    }
    let mut actions = Vec::new();
    for shared_event in requests {
        let EventKind::ReplyAwaitingApproval { approval, text, .. } = &shared_event.event.kind
        else {
            continue;
        };
        let Ok(Some(id)) = shared
            .store
            .conversation_id(&shared_event.event.thread.0)
            .await
        else {
            continue;
        };
        let still_waiting = shared.store.approvals(id).await.is_ok_and(|requests| {
            requests
                .iter()
                .any(|r| r.approval == *approval && r.state == ApprovalState::Awaiting)
        });
        if !still_waiting {
            continue;
        }
        let name = match shared_event.event.by.as_deref() {
            Some(by) => replica.membership.name_of(replica, by).await,
            None => "A trainee".into(),
        };
        actions.push(AlertAction::Show(Notification {
            key: format!("approval:{approval}"),
            title: format!("{name}'s reply waits for your approval"),
            body: text.clone(),
            urgency: Urgency::Normal,
            level: SlaState::OnTrack,
            queue: None,
            conversation: Some(id),
            conversations: vec![id],
        }));
    }
    if !actions.is_empty() {
        crate::notifier::deliver(&sink, actions).await;
    }
}

/// The replica, or why approvals do not apply here.
fn team_of(shared: &Shared) -> Result<&Replica, ApiError> {
    shared.team.as_deref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotAllowed,
            "Replies wait for approval only in team workspaces.",
        )
    })
}

/// The approval id as written everywhere (a UUID, hyphenated).
fn approval_id(approval: &str) -> Result<String, ApiError> {
    uuid::Uuid::try_parse(approval.trim())
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "That is not a reply awaiting approval. Reload the window and try again.",
            )
        })
}

/// Refuses with `refusal` unless the person at this laptop leads (as the team said
/// last; the team database checks again when the decision is made).
async fn lead_only(replica: &Replica, refusal: &str) -> Result<(), ApiError> {
    match replica.membership.me(replica).await {
        Some(me) if me.lead => Ok(()),
        Some(_) => Err(ApiError::new(ErrorCode::NotAllowed, refusal)),
        None => Err(unreachable_team()),
    }
}

/// The idempotency key the approved reply `approval` is posted under: a UUID v7 with the
/// approval's time (platforms that date by it date the reply when it was written) and
/// its other bits turned by a constant — the same on every try, never the approval's own.
fn approved_key(approval: &str) -> String {
    let mut bytes = uuid::Uuid::try_parse(approval)
        .map(|id| id.into_bytes())
        .unwrap_or_default();
    for byte in &mut bytes[10..] {
        *byte ^= 0xa5;
    }
    uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
}

/// Conversation `id`'s request `approval`.
async fn request_of(shared: &Shared, id: i64, approval: &str) -> Result<ApprovalRequest, ApiError> {
    shared
        .store
        .approvals(id)
        .await
        .map_err(to_api)?
        .into_iter()
        .find(|request| request.approval == approval)
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "There is no reply waiting for approval with that id in this conversation.",
            )
        })
}

/// Makes this lead's decision on `approval` the team's. A decision of this person's own
/// that matches (a retry) counts as made now.
/// Records this lead's decision — approved with `text`, or rejected (`None`) — in the
/// team database. When this lead had approved it already, answers with the text they
/// approved then.
async fn decide(
    replica: &Replica,
    approval: &str,
    text: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let approved = text.is_some();
    match replica.client.decide(approval, text).await {
        Ok(Decided::Decided) => Ok(None),
        Ok(Decided::AlreadyDecided { by, approved: same }) if by == replica.member => {
            if same != approved {
                return Err(decided_already(replica, Some(&by), same).await);
            }
            if !approved {
                return Ok(None);
            }
            match replica.client.approved_by_me(approval).await {
                Ok(before) => Ok(before),
                Err(e) => Err(not_taken(e)),
            }
        }
        Ok(Decided::AlreadyDecided { by, approved }) => {
            Err(decided_already(replica, Some(&by), approved).await)
        }
        Err(TeamError::NotALead) => {
            replica.membership.forget();
            Err(ApiError::new(
                ErrorCode::NotAllowed,
                "Only a lead can approve or reject replies.",
            ))
        }
        Err(e) => Err(not_taken(e)),
    }
}

fn not_taken(e: TeamError) -> ApiError {
    if e.is_unreachable() {
        return unreachable_team();
    }
    ApiError::new(
        ErrorCode::Platform,
        format!("The team database did not take the decision: {e}. Nothing was changed."),
    )
}

/// Logs this lead's approval of `request` and queues `text` as the reply to conversation
/// `id` (one local transaction, under the key derived from the approval) with who
/// confirmed which guardrail rule, then posts it. Queued already (a concurrent approval
/// here): that stands.
async fn queue_approved(
    shared: &Arc<Shared>,
    replica: &Replica,
    id: i64,
    request: &ApprovalRequest,
    text: &str,
    confirmations: &guardrails::Confirmations,
    now: switchboard_core::Timestamp,
) -> Result<(), ApiError> {
    let approval = request.approval.as_str();
    let key = approved_key(approval);
    let policy = shared.policy();
    let overrides = ApprovedOverrides {
        trainee: &confirmations.trainee,
        lead: &confirmations.lead,
    };
    let queued = match shared
        .store
        .queue_approved_reply(
            id,
            &replica.member,
            approval,
            text,
            &key,
            overrides,
            now,
            &PolicyPlanner(&policy),
        )
        .await
    {
        Ok(queued) => queued,
        Err(e) => match shared.store.reply_with_key(&key).await.map_err(to_api)? {
            Some(_) => return Ok(()),
            None => return Err(to_api(e)),
        },
    };
    tracing::info!(conversation = id, %approval, "trainee's reply approved; posting it");
    shared.recorded(vec![id]);
    start_posting(shared, queued);
    Ok(())
}

/// Posts the replies this lead approved in the team database whose approval this laptop
/// did not log and queue — it stopped between the two (crashed, killed, lost power).
/// Run once the replica is in step with the log (the requests are known here). Returns
/// whether the team database could be asked.
pub(crate) async fn resume(shared: &Arc<Shared>, replica: &Replica) -> bool {
    match replica.membership.me(replica).await {
        Some(me) if me.lead => {}
        Some(_) => return true,
        None => return false,
    }
    let awaiting = match shared.store.awaiting_approvals().await {
        Ok(awaiting) => awaiting,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the replies awaiting approval");
            return true;
        }
    };
    for (id, approval) in awaiting {
        let text = match replica.client.approved_by_me(&approval).await {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(e) => {
                tracing::info!(error = %e, "could not check this lead's approvals");
                return false;
            }
        };
        if let Err(e) = resume_one(shared, replica, id, &approval, &text).await {
            tracing::warn!(conversation = id, error = %e.message, "an approved reply could not be queued");
        }
    }
    true
}

/// Queues `text`, approved by this lead for `approval` in conversation `id` (its
/// guardrail checks passed when it was approved), with who confirmed what.
async fn resume_one(
    shared: &Arc<Shared>,
    replica: &Replica,
    id: i64,
    approval: &str,
    text: &str,
) -> Result<(), ApiError> {
    let request = request_of(shared, id, approval).await?;
    let confirmations = guardrails::confirmed(shared, id, &request, text).await?;
    queue_approved(
        shared,
        replica,
        id,
        &request,
        text,
        &confirmations,
        shared.now(),
    )
    .await
}

fn unreachable_team() -> ApiError {
    ApiError::new(
        ErrorCode::Platform,
        "The team database cannot be reached, and only it can settle which lead decides a \
         trainee's reply. Nothing was changed; try again once you are online.",
    )
}

/// "Priya already approved this reply." (or "You already rejected …").
async fn decided_already(replica: &Replica, by: Option<&str>, approved: bool) -> ApiError {
    let who = match by {
        Some(by) if by == replica.member => "You".to_owned(),
        Some(by) => replica.membership.name_of(replica, by).await,
        None => "A lead".to_owned(),
    };
    let what = if approved { "approved" } else { "rejected" };
    ApiError::new(
        ErrorCode::NotAllowed,
        format!("{who} already {what} this reply."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_approved_reply_key_is_fixed_dated_and_not_the_approval() {
        let approval = uuid::Uuid::now_v7().to_string();
        let key = approved_key(&approval);
        assert_eq!(key, approved_key(&approval));
        assert_ne!(key, approval);
        let parsed = uuid::Uuid::try_parse(&key).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert_eq!(&key[..18], &approval[..18], "same time and version");
    }
}
