//! Putting the policy in force into the workspace database: its queues, its text (kept as
//! the last good policy for the next launch), conversations of a queue the policy no
//! longer has moved to Triage (the fallback), every waiting deadline re-planned — and, when
//! conversations moved, the **policy notice**: what people should know about it, in plain
//! words ("Queue “Billing” was removed: 12 conversations moved to Triage."), shown in the
//! window and logged.

use switchboard_core::{Policy, QueueId, Timestamp};
use switchboard_store::{PolicyApplied, PolicyChange, Store, StoreError};

use crate::planner::PolicyPlanner;

/// Who moves conversations out of a removed queue, in the log.
pub(crate) const POLICY_ACTOR: &str = "policy";

/// Puts `policy` (whose TOML is `text`) in force; `previous` is the policy in force before
/// (for the names of removed queues). Returns the notice, if any conversation moved.
pub(crate) async fn put_in_force(
    store: &Store,
    policy: &Policy,
    text: &str,
    previous: Option<&Policy>,
    now: Timestamp,
) -> Result<Option<String>, StoreError> {
    let fallback = QueueId::triage();
    let queues = policy.queues();
    let applied = store
        .apply_policy(
            &PolicyChange {
                text,
                queues: &queues,
                fallback: &fallback,
                now,
                by: POLICY_ACTOR,
            },
            &PolicyPlanner(policy),
        )
        .await?;
    tracing::info!(
        replanned = applied.replanned,
        "policy in force; deadlines re-planned"
    );
    let notice = describe_moves(&applied, policy, previous, &fallback);
    if let Some(notice) = &notice {
        tracing::warn!(%notice, "conversations moved out of removed queues");
    }
    Ok(notice)
}

/// "Queue “Billing” was removed: 12 conversations moved to Triage." — one sentence per
/// removed queue; `None` when nothing moved.
fn describe_moves(
    applied: &PolicyApplied,
    policy: &Policy,
    previous: Option<&Policy>,
    fallback: &QueueId,
) -> Option<String> {
    if applied.moved.is_empty() {
        return None;
    }
    let to = policy
        .queue(fallback)
        .map_or_else(|| fallback.0.clone(), |q| q.label.clone());
    let sentences: Vec<String> = applied
        .moved
        .iter()
        .map(|(from, count)| {
            let name = previous
                .and_then(|p| p.queue(from))
                .map_or_else(|| from.0.clone(), |q| q.label.clone());
            let what = if *count == 1 {
                "1 conversation".to_owned()
            } else {
                format!("{count} conversations")
            };
            format!("Queue “{name}” was removed: {what} moved to {to}.")
        })
        .collect();
    Some(sentences.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_are_told_per_queue_with_the_old_names() {
        let policy = Policy::demo();
        let applied = PolicyApplied {
            moved: vec![(QueueId("billing".into()), 12), (QueueId("vip".into()), 1)],
            replanned: 0,
        };
        let notice = describe_moves(&applied, &policy, None, &QueueId::triage()).unwrap();
        assert_eq!(
            notice,
            "Queue “billing” was removed: 12 conversations moved to Triage. \
             Queue “vip” was removed: 1 conversation moved to Triage."
        );
        let nothing = PolicyApplied::default();
        assert_eq!(
            describe_moves(&nothing, &policy, None, &QueueId::triage()),
            None
        );
    }
}
