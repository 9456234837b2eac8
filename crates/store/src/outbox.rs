//! The outbox: replies written in Switchboard on their way to the platform.
//!
//! Writing a reply appends `reply_queued` and adds an outbox row in one transaction; the
//! engine then posts it with the row's **idempotency key** and records `reply_sent` or
//! `reply_failed`. A reply still `sending` after a crash is posted again with the same key,
//! which the platform answers with the first post instead of a second one (where the
//! platform keeps keys; the engine also looks in the thread first).
//!
//! A `sending` reply may be **waiting**: its platform was unreachable, and the engine
//! tries again later; the row then says why (plain words) until it is sent or fails.
//! Finishing a reply (`sent` or `failed`) happens once: the second attempt to finish
//! the same reply changes nothing and logs nothing.
//!
//! A conversation's **outgoing** replies are the outbox rows not sent yet, then (team
//! mode) its trainees' replies awaiting a lead's approval or rejected, read from the log
//! (see `approvals`): those are on every laptop, while outbox rows are this laptop's.

use switchboard_core::{Event, EventKind, Item, OutgoingReply, ReplyState, ThreadKey, Timestamp};

// The only dynamic SQL here joins two constants.
use sqlx::AssertSqlSafe;

use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::project::{apply_action, DeadlinePlanner};
use crate::replica::Sharing;
use crate::{Store, StoreError};

/// A reply to post: what the platform client needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedReply {
    /// The outbox row.
    pub id: i64,
    /// The conversation.
    pub conversation_id: i64,
    /// Its thread.
    pub thread: ThreadKey,
    /// The brand account that answers (the account the customer's item came in on).
    pub account: String,
    /// The platform's id of the customer item answered.
    pub in_reply_to: String,
    /// The text.
    pub text: String,
    /// Sent with every attempt.
    pub idempotency_key: String,
    /// When it was written.
    pub created_at: Timestamp,
}

/// What a Retry found, checked before anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryClaim {
    /// The reply was failed and is `sending` again: post it.
    Claimed(QueuedReply),
    /// The reply is already sending (another Retry, or still waiting) or sent: nothing
    /// to do.
    Underway,
    /// The reply belongs to another conversation than the one named: nothing changed.
    OtherConversation,
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: i64,
    conversation_id: i64,
    thread_key: String,
    account: String,
    in_reply_to: String,
    body: String,
    idempotency_key: String,
    created_at: i64,
}

impl From<QueuedRow> for QueuedReply {
    fn from(row: QueuedRow) -> Self {
        QueuedReply {
            id: row.id,
            conversation_id: row.conversation_id,
            thread: ThreadKey(row.thread_key),
            account: row.account,
            in_reply_to: row.in_reply_to,
            text: row.body,
            idempotency_key: row.idempotency_key,
            created_at: Timestamp(row.created_at),
        }
    }
}

const QUEUED_COLUMNS: &str = "o.id, o.conversation_id, c.thread_key, o.account, o.in_reply_to, \
     o.body, o.idempotency_key, o.created_at FROM outbox o JOIN conversations c ON c.id = o.conversation_id";

impl Store {
    /// Queues `text` by `by` as the reply to conversation `id`'s latest customer item.
    /// `idempotency_key` must be unique (a UUID). `sent_anyway` is what the writer was
    /// told of a teammate's reply or claim before sending anyway (plain words), kept in
    /// the log's `reply_queued`.
    #[allow(clippy::too_many_arguments)]
    pub async fn queue_reply(
        &self,
        id: i64,
        by: &str,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
        sent_anyway: Option<&str>,
    ) -> Result<QueuedReply, StoreError> {
        self.queue_reply_confirmed(
            id,
            by,
            text,
            idempotency_key,
            now,
            planner,
            sent_anyway,
            &[],
        )
        .await
    }

    /// [`Store::queue_reply`], logging `guardrail_overrides` (the guardrail rules the
    /// writer was warned of and confirmed) in the `reply_queued`.
    #[allow(clippy::too_many_arguments)]
    pub async fn queue_reply_confirmed(
        &self,
        id: i64,
        by: &str,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
        sent_anyway: Option<&str>,
        guardrail_overrides: &[String],
    ) -> Result<QueuedReply, StoreError> {
        let mut tx = self.write_tx().await?;
        let reply = NewReply {
            by,
            text,
            idempotency_key,
            sent_anyway,
            guardrail_overrides,
            trainee_overrides: &[],
        };
        let queued = queue_in(&mut tx, id, &reply, now, planner, self.sharing()).await?;
        tx.commit().await?;
        Ok(queued)
    }

    /// The customer item a reply to conversation `id` would answer now (its latest), to
    /// check the reply against its platform's limits before queueing; `None` when there is
    /// no customer item.
    pub async fn reply_would_answer(&self, id: i64) -> Result<Option<Item>, StoreError> {
        Ok(crate::items::items_of(&self.pool, id)
            .await?
            .into_iter()
            .rfind(|(_, item)| !item.from_brand)
            .map(|(_, item)| item))
    }

    /// Outbox row `reply`, to post (again).
    pub async fn queued_reply(&self, reply: i64) -> Result<QueuedReply, StoreError> {
        let row: Option<QueuedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {QUEUED_COLUMNS} WHERE o.id = ?"
        )))
        .bind(reply)
        .fetch_optional(&self.pool)
        .await?;
        row.map(QueuedReply::from).ok_or(StoreError::NotFound {
            what: "reply",
            id: reply,
        })
    }

    /// Replies still `sending` (after a crash: to post again with the same key).
    pub async fn replies_sending(&self) -> Result<Vec<QueuedReply>, StoreError> {
        let rows: Vec<QueuedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {QUEUED_COLUMNS} WHERE o.state = 'sending' ORDER BY o.id"
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(QueuedReply::from).collect())
    }

    /// Sets failed reply `reply` of conversation `conversation` back to `sending` for a
    /// retry. Checks first, in the same transaction: a reply of another conversation, or
    /// one already sending or sent (a second Retry), is left as it is.
    pub async fn retry_reply(
        &self,
        conversation: i64,
        reply: i64,
    ) -> Result<RetryClaim, StoreError> {
        let mut tx = self.write_tx().await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT conversation_id, state FROM outbox WHERE id = ?")
                .bind(reply)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((owner, state)) = row else {
            return Err(StoreError::NotFound {
                what: "reply",
                id: reply,
            });
        };
        if owner != conversation {
            return Ok(RetryClaim::OtherConversation);
        }
        if state != "failed" {
            return Ok(RetryClaim::Underway);
        }
        sqlx::query(
            "UPDATE outbox SET state = 'sending', error = NULL, waiting = NULL WHERE id = ?",
        )
        .bind(reply)
        .execute(&mut *tx)
        .await?;
        let queued: QueuedRow = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {QUEUED_COLUMNS} WHERE o.id = ?"
        )))
        .bind(reply)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(RetryClaim::Claimed(queued.into()))
    }

    /// Notes why sending reply `reply` waits (its platform is unreachable; plain words).
    /// Only a reply still sending waits.
    pub async fn reply_waiting(&self, reply: i64, why: &str) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("UPDATE outbox SET waiting = ? WHERE id = ? AND state = 'sending'")
            .bind(why)
            .bind(reply)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether another reply than `reply` was recorded as posted as `native_id` (so a
    /// post found in the thread is not claimed twice).
    pub async fn native_id_claimed(&self, reply: i64, native_id: &str) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM outbox WHERE native_id = ? AND id != ? AND state = 'sent' LIMIT 1",
        )
        .bind(native_id)
        .bind(reply)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Records that the platform posted `reply` as `native_id`. Returns false (and
    /// records nothing) when the reply was already finished, or when another reply was
    /// recorded as that post.
    pub async fn reply_sent(
        &self,
        reply: &QueuedReply,
        native_id: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<bool, StoreError> {
        self.finish_reply(
            reply,
            "sent",
            None,
            Some(native_id),
            EventKind::ReplySent {
                reply: reply.id,
                native_id: native_id.to_owned(),
            },
            now,
            planner,
        )
        .await
    }

    /// Records that posting `reply` failed with `error` (plain words). Returns false (and
    /// records nothing) when the reply was already finished.
    pub async fn reply_failed(
        &self,
        reply: &QueuedReply,
        error: &str,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<bool, StoreError> {
        self.finish_reply(
            reply,
            "failed",
            Some(error),
            None,
            EventKind::ReplyFailed {
                reply: reply.id,
                error: error.to_owned(),
            },
            now,
            planner,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn finish_reply(
        &self,
        reply: &QueuedReply,
        state: &str,
        error: Option<&str>,
        native_id: Option<&str>,
        kind: EventKind,
        now: Timestamp,
        planner: &dyn DeadlinePlanner,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write_tx().await?;
        // A post is one reply's: never recorded for a second one (two replies with the
        // same text may both find the same post in the thread).
        let changed = sqlx::query(
            "UPDATE outbox SET state = ?, error = ?, native_id = ?, waiting = NULL \
             WHERE id = ? AND state = 'sending' AND (? IS NULL OR NOT EXISTS \
             (SELECT 1 FROM outbox AS other WHERE other.native_id = ? AND other.id != ? \
              AND other.state = 'sent'))",
        )
        .bind(state)
        .bind(error)
        .bind(native_id)
        .bind(reply.id)
        .bind(native_id)
        .bind(native_id)
        .bind(reply.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        let event = Event {
            thread: reply.thread.clone(),
            at: now,
            by: None,
            kind,
        };
        apply_action(
            &mut tx,
            reply.conversation_id,
            &event,
            planner,
            self.sharing(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Conversation `id`'s replies that are still sending (or waiting) or failed, oldest
    /// first, then its trainees' replies awaiting a lead's approval or rejected.
    pub async fn outgoing(&self, id: i64) -> Result<Vec<OutgoingReply>, StoreError> {
        outgoing_in(self.pool.acquire().await?, id).await
    }
}

/// A reply about to be queued.
pub(crate) struct NewReply<'a> {
    /// Who writes it.
    pub by: &'a str,
    /// What is posted.
    pub text: &'a str,
    /// Unique (a UUID): sent with every attempt.
    pub idempotency_key: &'a str,
    /// What the writer was told before sending anyway, if anything.
    pub sent_anyway: Option<&'a str>,
    /// The guardrail rules the writer was warned of and confirmed.
    pub guardrail_overrides: &'a [String],
    /// A trainee's approved reply: the rules the trainee confirmed (else empty).
    pub trainee_overrides: &'a [String],
}

/// Queues `reply` to conversation `id`'s latest customer item in the caller's
/// transaction: the outbox row and `reply_queued` (shared as `sharing` says).
pub(crate) async fn queue_in(
    tx: &mut Transaction<'_, Sqlite>,
    id: i64,
    reply: &NewReply<'_>,
    now: Timestamp,
    planner: &dyn DeadlinePlanner,
    sharing: Sharing<'_>,
) -> Result<QueuedReply, StoreError> {
    let thread: Option<String> =
        sqlx::query_scalar("SELECT thread_key FROM conversations WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    let latest_customer_item = crate::items::items_of(&mut **tx, id)
        .await?
        .into_iter()
        .rfind(|(_, item)| !item.from_brand);
    let (thread, account, in_reply_to) = match (thread, latest_customer_item) {
        (Some(thread), Some((_, item))) => (thread, item.account, item.native_id),
        _ => {
            return Err(StoreError::NotFound {
                what: "conversation with a customer message",
                id,
            })
        }
    };
    let row: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (conversation_id, account, in_reply_to, body, state, author, \
         created_at, idempotency_key) VALUES (?, ?, ?, ?, 'sending', ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(&account)
    .bind(&in_reply_to)
    .bind(reply.text)
    .bind(reply.by)
    .bind(now.millis())
    .bind(reply.idempotency_key)
    .fetch_one(&mut **tx)
    .await?;
    let event = Event {
        thread: ThreadKey(thread.clone()),
        at: now,
        by: Some(reply.by.to_owned()),
        kind: EventKind::ReplyQueued {
            reply: row,
            text: reply.text.to_owned(),
            sent_anyway: reply.sent_anyway.map(str::to_owned),
            guardrail_overrides: reply.guardrail_overrides.to_vec(),
            trainee_overrides: reply.trainee_overrides.to_vec(),
        },
    };
    apply_action(tx, id, &event, planner, sharing).await?;
    Ok(QueuedReply {
        id: row,
        conversation_id: id,
        thread: ThreadKey(thread),
        account,
        in_reply_to,
        text: reply.text.to_owned(),
        idempotency_key: reply.idempotency_key.to_owned(),
        created_at: now,
    })
}

/// [`Store::outgoing`] on `connection`.
pub(crate) async fn outgoing_in(
    mut connection: impl std::ops::DerefMut<Target = SqliteConnection>,
    id: i64,
) -> Result<Vec<OutgoingReply>, StoreError> {
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        i64,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, body, state, error, waiting, author, created_at FROM outbox \
             WHERE conversation_id = ? AND state != 'sent' ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *connection)
    .await?;
    let mut outgoing = rows
        .into_iter()
        .map(|(id, text, state, error, waiting, by, created_at)| {
            let (state, error) = match (state.as_str(), waiting) {
                ("sending", Some(why)) => (ReplyState::Waiting, Some(why)),
                ("sending", None) => (ReplyState::Sending, error),
                ("failed", _) => (ReplyState::Failed, error),
                ("sent", _) => (ReplyState::Sent, error),
                (other, _) => {
                    return Err(StoreError::Corrupt {
                        what: "reply state",
                        value: other.to_owned(),
                    })
                }
            };
            Ok(OutgoingReply {
                id,
                text,
                state,
                error,
                by,
                created_at: Timestamp(created_at),
                approval: None,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let requests = crate::approvals::approvals_in(&mut connection, id).await?;
    outgoing.extend(crate::approvals::outgoing_of(requests));
    Ok(outgoing)
}
