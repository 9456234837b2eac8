//! What a simulated teammate's acts do to the demo workspace (see the parent module for
//! what is recorded how, and why).

use switchboard_core::{
    Activity, AlertAction, ConversationSummary, EventKind, Item, Notification, QueueId, SlaState,
    Timestamp, Urgency,
};
use switchboard_platforms::ReplyTarget;
use switchboard_store::{RoutedItem, StoreError, TeamClaim, TeamClaimStatus};

use super::script::{Act, Pick, TEAMMATES};
use super::DemoTeam;
use crate::planner::PolicyPlanner;
use crate::Shared;

/// The note of the opening's hand-off after a restart.
const AGAIN_NOTE: &str = "Could you take this one? I'm in meetings all afternoon and they \
     need an answer today.";

/// How many of a queue's soonest-due waiting conversations a teammate picks from.
const PICK_FROM: i64 = 8;

/// Why an act could not be done.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ActError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the demo network did not take the reply: {0}")]
    Platform(String),
}

/// The conversation teammate `index` opens for `pick`, if there is one: one handed to
/// them by name first, else waiting, not claimed, not snoozed, not handed to someone else
/// by name, and nobody else of the team on it (for [`Pick::YourOpen`]: the one the person
/// has open, when nobody claimed it).
pub(crate) async fn pick(
    shared: &Shared,
    team: &DemoTeam,
    index: usize,
    pick: &Pick,
) -> Option<i64> {
    let now = shared.now();
    let (mine, taken): (Option<i64>, Vec<i64>) = {
        let state = team.state();
        let taken = state
            .on
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .filter_map(|(_, on)| on.map(|(id, _)| id))
            .collect();
        (state.my_open, taken)
    };
    match pick {
        Pick::YourOpen => {
            let id = mine?;
            let conversation = shared.store.conversation(id, now).await.ok()?;
            (conversation.claimed_by.is_none()
                && conversation.done_reason.is_none()
                && for_anyone(&conversation, TEAMMATES[index].id)
                && !taken.contains(&id))
            .then_some(id)
        }
        Pick::Queue(queue, n) => {
            // A conversation the person handed to them comes first.
            if let Some(id) = handed_to(shared, TEAMMATES[index].id, now).await {
                if Some(id) != mine && !taken.contains(&id) {
                    return Some(id);
                }
            }
            let waiting = shared
                .store
                .waiting_page(&QueueId::from(*queue), PICK_FROM, now)
                .await
                .ok()?;
            let free: Vec<i64> = waiting
                .into_iter()
                .filter(|c| c.claimed_by.is_none() && c.snoozed_until.is_none())
                .filter(|c| for_anyone(c, TEAMMATES[index].id))
                .map(|c| c.id)
                .filter(|id| Some(*id) != mine && !taken.contains(id))
                .collect();
            (!free.is_empty()).then(|| free[*n as usize % free.len()])
        }
    }
}

/// Whether `member` may take `conversation`: not when it was handed to someone else by
/// name (it is theirs to take).
fn for_anyone(conversation: &ConversationSummary, member: &str) -> bool {
    conversation
        .handoff_note
        .as_ref()
        .and_then(|n| n.to_member.as_deref())
        .is_none_or(|m| m == member)
}

/// A waiting conversation handed to teammate `member` by name that nobody claimed since.
async fn handed_to(shared: &Shared, member: &str, now: Timestamp) -> Option<i64> {
    for queue in shared.policy().queues() {
        let Ok(waiting) = shared.store.waiting_page(&queue.id, PICK_FROM, now).await else {
            continue;
        };
        let handed = waiting.into_iter().find(|c| {
            c.claimed_by.is_none()
                && c.handoff_note
                    .as_ref()
                    .is_some_and(|n| n.to_member.as_deref() == Some(member))
        });
        if let Some(conversation) = handed {
            return Some(conversation.id);
        }
    }
    None
}

/// Does `act` (anything but [`Act::View`]) as teammate `index`.
pub(crate) async fn act(
    shared: &Shared,
    team: &DemoTeam,
    index: usize,
    act: &Act,
) -> Result<(), ActError> {
    let mate = TEAMMATES[index];
    let now = shared.now();
    if let Act::BringHandOff { message, note } = act {
        // Brought once per workspace: after a restart, a waiting conversation of their
        // queue is handed over instead.
        if shared.store.team_cursor().await? == 0 {
            let (id, event_id) =
                super::log::bring_hand_off(shared, mate.id, &team.me, message, note).await?;
            notify_hand_off(shared, &event_id, mate.name, note, id).await;
            return Ok(());
        }
        let Some(id) = pick(shared, team, index, &Pick::Queue(mate.queues[0], 0)).await else {
            return Ok(());
        };
        team.state().on[index] = Some((id, Activity::Viewing));
        return Box::pin(self::act(
            shared,
            team,
            index,
            &Act::HandToYou(AGAIN_NOTE.into()),
        ))
        .await;
    }
    let current = team.state().on[index].map(|(id, _)| id);
    let Some(id) = current else {
        return Ok(()); // nothing open (nothing was free, or they gave up)
    };
    let leave = || team.state().on[index] = None;
    if *act == Act::Leave {
        leave();
        return Ok(());
    }
    let conversation = shared.store.conversation(id, now).await?;
    // Someone else took it meanwhile (the person): a teammate lets it be, as the team
    // database would refuse their claim.
    if conversation
        .claimed_by
        .as_deref()
        .is_some_and(|holder| holder != mate.id)
        || conversation.done_reason.is_some()
    {
        leave();
        return Ok(());
    }
    match act {
        Act::StartReplying => team.state().on[index] = Some((id, Activity::Replying)),
        Act::Claim => {
            if conversation.claimed_by.is_none() {
                record(shared, id, mate.id, EventKind::Claimed, now).await?;
            }
        }
        Act::Reply(text) => {
            reply(shared, team, id, mate.id, text).await?;
            team.state().on[index] = Some((id, Activity::Viewing));
        }
        Act::HandToYou(note) => {
            let kind = EventKind::HandedOff {
                to: conversation.queue.clone(),
                note: note.clone(),
                to_member: Some(team.me.clone()),
            };
            record(shared, id, mate.id, kind, now).await?;
            leave();
            let key = format!("demo:{id}:{}", now.millis());
            notify_hand_off(shared, &key, mate.name, note, id).await;
        }
        Act::View(_) | Act::Leave | Act::BringHandOff { .. } => {}
    }
    Ok(())
}

/// Records `kind` by teammate `by` on conversation `id` at `at`, as the store records any
/// action, and tells the window.
pub(crate) async fn record(
    shared: &Shared,
    id: i64,
    by: &str,
    kind: EventKind,
    at: Timestamp,
) -> Result<(), StoreError> {
    let policy = shared.policy();
    shared
        .store
        .record_action(id, by, kind, at, &PolicyPlanner(&policy))
        .await?;
    shared.changed(vec![id]);
    Ok(())
}

/// Notes on this laptop that the person's claim of conversation `id` was lost to `winner`
/// (the claim records a team replica keeps), so the window can say so.
pub(crate) async fn lost_claim(shared: &Shared, id: i64, winner: &str, now: Timestamp) {
    let Ok(thread_key) = shared.store.thread_key(id).await else {
        return;
    };
    // Asked now: the window says by how much the teammate was first.
    shared.team_live.note_asked(&thread_key, now);
    let lost = TeamClaim {
        thread_key,
        status: TeamClaimStatus::Lost,
        fence: None,
        holder: Some(winner.to_owned()),
        updated_at: now,
    };
    if let Err(e) = shared.store.set_team_claim(&lost).await {
        tracing::debug!(error = %e, "could not note a lost claim");
    }
    shared.changed(vec![id]);
}

/// Teammate `by` answers conversation `id` with `text`: their reply is queued and sent
/// (events authored by them), posted through the demo network, and the posted item
/// stored like any brand reply seen on the platform.
async fn reply(
    shared: &Shared,
    team: &DemoTeam,
    id: i64,
    by: &str,
    text: &str,
) -> Result<(), ActError> {
    let Some(answered) = shared.store.reply_would_answer(id).await? else {
        return Ok(()); // nothing to answer
    };
    let Some(source) = shared.accounts.for_account(&answered.account) else {
        return Ok(());
    };
    let reply = {
        let mut state = team.state();
        state.replies += 1;
        state.replies
    };
    let now = shared.now();
    let kind = EventKind::ReplyQueued {
        reply,
        text: text.to_owned(),
        sent_anyway: None,
        guardrail_overrides: Vec::new(),
        trainee_overrides: Vec::new(),
    };
    record(shared, id, by, kind, now).await?;
    let target = ReplyTarget {
        thread: answered.thread.clone(),
        in_reply_to: answered.native_id.clone(),
    };
    let key = format!("{by}-{}-{reply}", now.millis());
    let posted: Item = source
        .provider
        .reply(&target, text, &key, now)
        .await
        .map_err(|e| ActError::Platform(e.to_string()))?;
    let sent = EventKind::ReplySent {
        reply,
        native_id: posted.native_id.clone(),
    };
    record(shared, id, by, sent, now).await?;
    let policy = shared.policy();
    let routed = RoutedItem {
        queue: policy.routing.route(&posted),
        item: posted,
    };
    let report = shared
        .store
        .ingest(vec![routed], None, now, &PolicyPlanner(&policy))
        .await?;
    shared.changed(report.changed_conversations);
    Ok(())
}

/// Shows "Priya Shah handed you a conversation (Sales)" with the note, on this laptop,
/// as a team replica does for a hand-off to this person (`key` names the hand-off).
pub(crate) async fn notify_hand_off(shared: &Shared, key: &str, by: &str, note: &str, id: i64) {
    let Some(sink) = shared.alerts.sink() else {
        return;
    };
    let Ok(conversation) = shared.store.conversation(id, shared.now()).await else {
        return;
    };
    let queue = conversation.queue;
    let label = shared
        .policy()
        .queues()
        .iter()
        .find(|q| q.id == queue)
        .map_or_else(|| queue.0.clone(), |q| q.label.clone());
    let notification = Notification {
        key: format!("handoff:{key}"),
        title: format!("{by} handed you a conversation ({label})"),
        body: note.to_owned(),
        urgency: Urgency::Normal,
        level: SlaState::OnTrack,
        queue: Some(queue),
        conversation: Some(id),
        conversations: vec![id],
    };
    crate::notifier::deliver(&sink, vec![AlertAction::Show(notification)]).await;
}
