//! People's actions on a conversation (claim, hand off, note, done, snooze…) and
//! re-planning deadlines when the policy changes.

use rusqlite::TransactionBehavior;
use switchboard_core::{Event, EventKind, Timestamp};

use crate::project::{apply_action, DeadlinePlanner};
use crate::replica::Sharing;
use crate::{Store, StoreError};

impl Store {
    /// Records `kind` done by `by` on conversation `id` at `now`: the event is appended and
    /// the projection updated in one transaction (and, in a team workspace, the event is
    /// queued for the team's shared log).
    pub async fn record_action(
        &self,
        id: i64,
        by: &str,
        kind: EventKind,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<(), StoreError> {
        self.record_with(id, by, kind, now, planner, self.sharing())
            .await
    }

    /// [`Store::record_action`], shared as `sharing` says. An event the server already
    /// logged and this replica already holds is not recorded again.
    pub(crate) async fn record_with(
        &self,
        id: i64,
        by: &str,
        kind: EventKind,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
        sharing: Sharing<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        if let Sharing::Logged(event_id) = sharing {
            let known: Option<i64> =
                sqlx::query_scalar("SELECT local_seq FROM team_events WHERE event_id = ?")
                    .bind(event_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if known.is_some() {
                return Ok(());
            }
        }
        let thread: Option<String> =
            sqlx::query_scalar("SELECT thread_key FROM conversations WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let thread = thread.ok_or(StoreError::NotFound {
            what: "conversation",
            id,
        })?;
        let event = Event {
            thread: switchboard_core::ThreadKey(thread),
            at: now,
            by: Some(by.to_owned()),
            kind,
        };
        apply_action(&mut tx, id, &event, planner, sharing).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Logs that the workspace policy changed (read from `file`).
    pub async fn record_policy_change(&self, file: &str, now: Timestamp) -> Result<(), StoreError> {
        let payload = serde_json::json!({ "type": "policy_changed", "file": file });
        sqlx::query(
            "INSERT INTO events (recorded_at, kind, conversation_id, actor, payload) \
             VALUES (?, 'policy_changed', NULL, NULL, ?)",
        )
        .bind(now.millis())
        .bind(payload.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Recomputes the SLA deadlines of every waiting conversation (after a policy change).
    /// Returns how many were re-planned.
    pub async fn replan(&self, planner: &dyn DeadlinePlanner) -> Result<u64, StoreError> {
        self.writer.run(|connection, cache| {
            cache.clear();
            let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let replanned = crate::policy::replan_waiting(&tx, planner)?;
            tx.commit()?;
            crate::writer::release_bulk_pages(connection);
            Ok(replanned)
        })
    }
}
