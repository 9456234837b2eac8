//! The workspace policy as the database keeps it.
//!
//! - The **queues** table lists the policy's queues (the sidebar's order, labels, colours).
//! - The **policy in force** is the TOML text of the last policy that was valid, kept in
//!   the `settings` table, so that a launch with a broken policy file keeps the team's
//!   rules (queues, SLA targets, allowlist) instead of falling back to a template.
//! - A **stranded** conversation is one whose queue the policy no longer lists (the queue
//!   was removed, or renamed: its id changed). Applying a policy moves every stranded
//!   conversation to the fallback queue with a `queue_removed` event in the log, so none
//!   is left in no queue while its clock still runs.
//!
//! [`Store::apply_policy`] does all of it — queues, policy text, moves, and re-planning
//! every waiting conversation's deadlines — in one write transaction.

use rusqlite::TransactionBehavior;
use switchboard_core::{ConversationState, Event, EventKind, Queue, QueueId, ThreadKey, Timestamp};

use crate::codec::{decode_state, encode_event_string};
use crate::project::DeadlinePlanner;
use crate::projection::{Projection, UPDATE_ALL};
use crate::writer::execute_with;
use crate::{Store, StoreError};

/// The `settings` key of the policy in force (a JSON string holding the TOML text).
const POLICY_IN_FORCE: &str = "policy.in_force";

/// A policy to put in force.
#[derive(Debug, Clone, Copy)]
pub struct PolicyChange<'a> {
    /// The policy's TOML text, kept as the policy in force.
    pub text: &'a str,
    /// Its queues, in display order.
    pub queues: &'a [Queue],
    /// Where stranded conversations go; must be one of `queues`.
    pub fallback: &'a QueueId,
    /// When (the moves' event time).
    pub now: Timestamp,
    /// Who the moves are recorded under (e.g. `policy`).
    pub by: &'a str,
}

/// What putting a policy in force did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyApplied {
    /// Conversations moved to the fallback queue, per queue that is gone, by queue id
    /// (those a customer wrote in: the brand's own posts move too but are never listed).
    pub moved: Vec<(QueueId, u64)>,
    /// Waiting conversations whose deadlines were re-planned.
    pub replanned: u64,
}

impl Store {
    /// The TOML text of the last valid policy put in force, if any was.
    pub async fn policy_in_force(&self) -> Result<Option<String>, StoreError> {
        let Some(json) = self.setting(POLICY_IN_FORCE).await? else {
            return Ok(None);
        };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                what: "stored policy",
                value: e.to_string(),
            })
    }

    /// Puts `change` in force: the queues become exactly its queues, its text becomes the
    /// policy in force, stranded conversations move to the fallback queue (one
    /// `queue_removed` event each), and every waiting conversation is re-planned with
    /// `planner`. One transaction: all of it or nothing.
    pub async fn apply_policy(
        &self,
        change: &PolicyChange<'_>,
        planner: &dyn DeadlinePlanner,
    ) -> Result<PolicyApplied, StoreError> {
        let text = serde_json::to_string(change.text).map_err(|e| StoreError::Corrupt {
            what: "policy text",
            value: e.to_string(),
        })?;
        self.writer.run(|connection, cache| {
            cache.clear();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute("DELETE FROM queues", [])?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO queues (id, label, color, position) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (position, queue) in change.queues.iter().enumerate() {
                    insert.execute(rusqlite::params![
                        queue.id.0,
                        queue.label,
                        queue.color,
                        position as i64
                    ])?;
                }
            }
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                rusqlite::params![POLICY_IN_FORCE, text],
            )?;
            let moved = move_stranded(&tx, change, planner)?;
            let replanned = replan_waiting(&tx, planner)?;
            tx.commit()?;
            crate::writer::release_bulk_pages(connection);
            Ok(PolicyApplied { moved, replanned })
        })
    }
}

/// Moves every conversation whose queue is not listed to `change.fallback`.
fn move_stranded(
    tx: &rusqlite::Transaction<'_>,
    change: &PolicyChange<'_>,
    planner: &dyn DeadlinePlanner,
) -> Result<Vec<(QueueId, u64)>, StoreError> {
    let stranded = tx
        .prepare(
            "SELECT id, thread_key, queue_id, CAST(state AS BLOB) FROM conversations
             WHERE queue_id NOT IN (SELECT id FROM queues) ORDER BY queue_id, id",
        )?
        .query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut moved: Vec<(QueueId, u64)> = Vec::new();
    let mut update = tx.prepare_cached(UPDATE_ALL)?;
    let mut append = tx.prepare_cached(
        "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (id, thread, queue, stored) in stranded {
        let from = QueueId(queue);
        let event = Event {
            thread: ThreadKey(thread),
            at: change.now,
            by: Some(change.by.to_owned()),
            kind: EventKind::QueueRemoved {
                from: from.clone(),
                to: change.fallback.clone(),
            },
        };
        let state = ConversationState::apply(Some(decode_state(&stored)?), &event)?;
        let row = Projection::new(Some(id), &state, planner)?;
        execute_with(&mut update, &row.values())?;
        append.execute(rusqlite::params![
            event.at.millis(),
            event.kind.name(),
            id,
            change.by,
            encode_event_string(&event)?
        ])?;
        if state.customer.is_none() {
            continue; // the brand's own posts: moved, but never listed, so not counted
        }
        match moved.last_mut() {
            Some((queue, count)) if *queue == from => *count += 1,
            _ => moved.push((from, 1)),
        }
    }
    Ok(moved)
}

/// Recomputes the SLA deadlines of every waiting conversation; returns how many.
pub(crate) fn replan_waiting(
    tx: &rusqlite::Transaction<'_>,
    planner: &dyn DeadlinePlanner,
) -> Result<u64, StoreError> {
    let waiting = tx
        .prepare(
            "SELECT id, CAST(state AS BLOB) FROM conversations
             WHERE waiting_since IS NOT NULL",
        )?
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut update = tx.prepare_cached(UPDATE_ALL)?;
    for (id, stored) in &waiting {
        let state = decode_state(stored)?;
        let row = Projection::new(Some(*id), &state, planner)?;
        execute_with(&mut update, &row.values())?;
    }
    Ok(waiting.len() as u64)
}
