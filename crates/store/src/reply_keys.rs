//! Replies by their **idempotency key** (unique in the outbox): the window mints one per
//! reply written, so a resend of the same reply (its first answer was lost) finds the reply
//! already queued instead of queueing a second one.

use crate::{Store, StoreError};

impl Store {
    /// The reply queued with `idempotency_key`, if any: its outbox id and conversation.
    pub async fn reply_with_key(
        &self,
        idempotency_key: &str,
    ) -> Result<Option<(i64, i64)>, StoreError> {
        let found: Option<(i64, i64)> =
            sqlx::query_as("SELECT id, conversation_id FROM outbox WHERE idempotency_key = ?")
                .bind(idempotency_key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found)
    }
}
