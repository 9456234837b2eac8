//! Hand-offs from teammates: a conversation handed by someone else raises a desktop
//! notification on this laptop, with the note, when
//! - it is handed to this member **as a person** (`to_member`): always, whichever queue it
//!   goes to ("Priya handed you a conversation (Sales)");
//! - or it goes to a **queue this member works**, even when it is handed to someone else
//!   by name as well ("Priya handed a conversation to Sales — for Ana").
//!
//! The member's queues come from the team (their membership); a member who works no
//! queue is told of every hand-off to a queue.

use switchboard_core::{AlertAction, EventKind, Notification, SlaState, Urgency};
use switchboard_store::SharedEvent;

use super::Replica;
use crate::Shared;

/// Notifies this member of the hand-offs among `events` made by others to them or to
/// their queues.
pub(crate) async fn notify(shared: &Shared, replica: &Replica, events: &[SharedEvent]) {
    let Some(sink) = shared.alerts.sink() else {
        return;
    };
    let handoffs: Vec<&SharedEvent> = events
        .iter()
        .filter(|e| matches!(e.event.kind, EventKind::HandedOff { .. }))
        .filter(|e| e.event.by.as_deref() != Some(replica.member.as_str()))
        .collect();
    if handoffs.is_empty() {
        return;
    }
    let mine = replica
        .membership
        .me(replica)
        .await
        .map(|m| m.queues)
        .unwrap_or_default();
    let policy = shared.policy();
    let mut actions = Vec::new();
    for handoff in handoffs {
        let EventKind::HandedOff {
            to,
            note,
            to_member,
        } = &handoff.event.kind
        else {
            continue;
        };
        let to_me = to_member.as_deref() == Some(replica.member.as_str());
        if !to_me && !mine.is_empty() && !mine.contains(&to.0) {
            continue;
        }
        let Ok(Some(id)) = shared.store.conversation_id(&handoff.event.thread.0).await else {
            continue;
        };
        let queue = policy
            .queues()
            .iter()
            .find(|q| q.id == *to)
            .map_or_else(|| to.0.clone(), |q| q.label.clone());
        let by = match handoff.event.by.as_deref() {
            Some(by) => replica.membership.name_of(replica, by).await,
            None => "A teammate".into(),
        };
        let title = match to_member.as_deref() {
            _ if to_me => format!("{by} handed you a conversation ({queue})"),
            Some(other) => format!(
                "{by} handed a conversation to {queue} — for {}",
                replica.membership.name_of(replica, other).await
            ),
            None => format!("{by} handed a conversation to {queue}"),
        };
        actions.push(AlertAction::Show(Notification {
            key: format!("handoff:{}", handoff.event_id),
            title,
            body: note.clone(),
            urgency: Urgency::Normal,
            level: SlaState::OnTrack,
            queue: Some(to.clone()),
            conversation: Some(id),
            conversations: vec![id],
        }));
    }
    if !actions.is_empty() {
        crate::notifier::deliver(&sink, actions).await;
    }
}
