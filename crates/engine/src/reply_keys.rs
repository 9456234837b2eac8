//! The idempotency key of a reply being written. The window mints one per reply (a UUID,
//! version 7 so that it is dated) and sends it with every attempt: the store keeps keys
//! unique, so a resend after a lost answer finds the reply already queued and queues
//! nothing new. Without a key from the window the engine mints one.

use switchboard_core::{ApiError, ErrorCode, Thread, Timestamp};

use crate::api::to_api;
use crate::Shared;

/// What the key of a reply being written says.
pub(crate) enum ReplyKey {
    /// Not used yet: queue the reply under it.
    Fresh(String),
    /// This reply was queued already (with this key): the conversation as it stands.
    Queued(Box<Thread>),
}

/// Checks the window's key (or mints one) for a reply to conversation `id`.
pub(crate) async fn reply_key(
    shared: &Shared,
    id: i64,
    from_window: Option<String>,
    now: Timestamp,
) -> Result<ReplyKey, ApiError> {
    let Some(key) = from_window else {
        return Ok(ReplyKey::Fresh(minted(now)));
    };
    let key = uuid::Uuid::try_parse(key.trim())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "The window sent a reply without a usable reply key. Reload the window and send it again.",
            )
        })?
        .hyphenated()
        .to_string();
    match already_queued(shared, id, &key, now).await? {
        Some(thread) => Ok(ReplyKey::Queued(Box::new(thread))),
        None => Ok(ReplyKey::Fresh(key)),
    }
}

/// The conversation when a reply with `key` is queued already (for conversation `id`;
/// a key of another conversation's reply is refused).
pub(crate) async fn already_queued(
    shared: &Shared,
    id: i64,
    key: &str,
    now: Timestamp,
) -> Result<Option<Thread>, ApiError> {
    match shared.store.reply_with_key(key).await.map_err(to_api)? {
        None => Ok(None),
        Some((reply, conversation)) if conversation == id => {
            tracing::info!(conversation = id, reply, "reply sent again with its key: already queued");
            shared.store.thread(id, now).await.map(Some).map_err(to_api)
        }
        Some(_) => Err(ApiError::new(
            ErrorCode::InvalidInput,
            "That reply key belongs to a reply in another conversation. Reload the window and write the reply again.",
        )),
    }
}

/// A UUID v7: unique, and dated, so platforms that derive a record key from it (Bluesky)
/// date the reply when it was written.
fn minted(now: Timestamp) -> String {
    uuid::Uuid::new_v7(uuid::Timestamp::from_unix(
        uuid::NoContext,
        u64::try_from(now.millis() / 1000).unwrap_or(0),
        u32::try_from((now.millis() % 1000) * 1_000_000).unwrap_or(0),
    ))
    .to_string()
}
