//! Finding the brand's responses in the event log, for the response-time report.
//!
//! A conversation is replayed whole (its responses depend on everything before them),
//! but only conversations the brand replied in since the period began are read.

use futures_util::TryStreamExt;
use switchboard_core::{responses, Event, Response, Timestamp};

use crate::codec::decode_event;
use crate::{Store, StoreError};

impl Store {
    /// The responses in every conversation the brand replied in since `since` (by the
    /// time the reply was logged, which is never before it was written). Responses made
    /// before `since` are included too; the report keeps those of its period. An event
    /// this version cannot read is left out of its conversation's replay and logged.
    pub async fn responses_since(&self, since: Timestamp) -> Result<Vec<Response>, StoreError> {
        let mut rows = sqlx::query_as::<_, (i64, String)>(
            "SELECT conversation_id, payload FROM events
             WHERE conversation_id IN (
                 SELECT conversation_id FROM events
                 WHERE kind = 'brand_reply_observed' AND recorded_at >= ?1)
             ORDER BY conversation_id, seq",
        )
        .bind(since.millis())
        .fetch(&self.pool);
        let mut found = Vec::new();
        let mut conversation: Option<i64> = None;
        let mut events: Vec<Event> = Vec::new();
        let mut unreadable = 0_u32;
        while let Some((id, payload)) = rows.try_next().await? {
            if conversation != Some(id) {
                found.extend(responses(&events));
                events.clear();
                conversation = Some(id);
            }
            match decode_event(&payload) {
                Ok(event) => events.push(event),
                Err(_) => unreadable += 1,
            }
        }
        found.extend(responses(&events));
        if unreadable > 0 {
            tracing::warn!(
                unreadable,
                "events this version cannot read were left out of the response times"
            );
        }
        Ok(found)
    }
}
