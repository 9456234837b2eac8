//! Hand-offs from teammates: a conversation handed by someone else to a queue this member
//! works raises a desktop notification on this laptop, with the note. The member's queues
//! come from the team (their membership); a member who works no queue is told of every
//! hand-off.

use switchboard_core::{AlertAction, EventKind, Notification, SlaState, Urgency};
use switchboard_store::SharedEvent;

use super::Replica;
use crate::Shared;

/// Notifies this member of the hand-offs among `events` made by others to their queues.
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
        let EventKind::HandedOff { to, note, .. } = &handoff.event.kind else {
            continue;
        };
        if !mine.is_empty() && !mine.contains(&to.0) {
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
        let by = handoff
            .event
            .by
            .clone()
            .unwrap_or_else(|| "A teammate".into());
        actions.push(AlertAction::Show(Notification {
            key: format!("handoff:{}", handoff.event_id),
            title: format!("{by} handed a conversation to {queue}"),
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
