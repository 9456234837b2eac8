//! How values are encoded in the database: the reducer's conversation state, events, and
//! the key that makes an item unique.
//!
//! A conversation's **state** is stored as a format byte followed by its `postcard`
//! encoding (a third of the JSON size, and cheaper to read and write on the ingest path).
//! Databases written before 0.1 hold JSON states; they are still read, and rewritten in the
//! compact form the next time the conversation changes.

use switchboard_core::{ConversationState, Event, Item};

use crate::StoreError;

/// First byte of a compact (postcard) state. JSON states start with `{`.
const POSTCARD_STATE: u8 = 1;

/// `state` in its stored form.
pub(crate) fn encode_state(state: &ConversationState) -> Result<Vec<u8>, StoreError> {
    // Room for a typical state (≈ 150 bytes) without growing the buffer step by step.
    let mut bytes = Vec::with_capacity(256);
    bytes.push(POSTCARD_STATE);
    postcard::to_extend(state, bytes).map_err(|e| corrupt_state(e.to_string()))
}

/// A stored state, compact or legacy JSON.
pub(crate) fn decode_state(bytes: &[u8]) -> Result<ConversationState, StoreError> {
    match bytes.first() {
        Some(&POSTCARD_STATE) => {
            postcard::from_bytes(&bytes[1..]).map_err(|e| corrupt_state(e.to_string()))
        }
        Some(b'{') => serde_json::from_slice(bytes).map_err(|e| corrupt_state(e.to_string())),
        _ => Err(corrupt_state(String::from_utf8_lossy(bytes).into_owned())),
    }
}

fn corrupt_state(value: String) -> StoreError {
    StoreError::Corrupt {
        what: "conversation state",
        value,
    }
}

/// Appends `event` as the log's JSON payload to `payload`.
pub(crate) fn encode_event(event: &Event, payload: &mut Vec<u8>) -> Result<(), StoreError> {
    serde_json::to_writer(payload, event).map_err(|e| corrupt_event(e.to_string()))
}

/// `event` as the log's JSON payload.
pub(crate) fn encode_event_string(event: &Event) -> Result<String, StoreError> {
    serde_json::to_string(event).map_err(|e| corrupt_event(e.to_string()))
}

/// A logged event's payload.
pub(crate) fn decode_event(payload: &str) -> Result<Event, StoreError> {
    serde_json::from_str(payload).map_err(|e| corrupt_event(e.to_string()))
}

pub(crate) fn corrupt_event(value: String) -> StoreError {
    StoreError::Corrupt {
        what: "event",
        value,
    }
}

/// What makes an item unique: platform, account and native id, written so that no two
/// different items share a key (the account's length in bytes is spelled out, so an
/// account or id containing `:` cannot shift the boundary). Migration 0004 writes the
/// same form in SQL.
pub(crate) fn item_key(item: &Item) -> String {
    let platform = item.platform.as_str();
    let mut key =
        String::with_capacity(platform.len() + item.account.len() + item.native_id.len() + 24);
    key.push_str(platform);
    key.push(':');
    key.push_str(itoa::Buffer::new().format(item.account.len()));
    key.push(':');
    key.push_str(&item.account);
    key.push(':');
    key.push_str(&item.native_id);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, EventKind, ItemKind, Platform, QueueId, ThreadKey, Timestamp};

    fn item(account: &str, native_id: &str) -> Item {
        Item {
            platform: Platform::Bluesky,
            account: account.into(),
            native_id: native_id.into(),
            thread: ThreadKey::new(Platform::Bluesky, account, native_id),
            kind: ItemKind::Mention,
            author: Author {
                handle: "ana.bsky.social".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: "Где мой заказ? 📦\nline two".into(),
            lang: Some("ru".into()),
            created_at: Timestamp(1_700_000_000_000),
        }
    }

    fn state() -> ConversationState {
        let event = Event {
            thread: item("did:plc:brand", "at://x/1").thread,
            at: Timestamp(5),
            by: None,
            kind: EventKind::ItemIngested {
                item: item("did:plc:brand", "at://x/1"),
                queue: QueueId::from("support"),
            },
        };
        ConversationState::apply(None, &event).unwrap()
    }

    #[test]
    fn a_state_survives_the_compact_form() {
        let state = state();
        let bytes = encode_state(&state).unwrap();
        assert_eq!(bytes[0], POSTCARD_STATE);
        assert_eq!(decode_state(&bytes).unwrap(), state);
    }

    #[test]
    fn a_legacy_json_state_is_still_read() {
        let state = state();
        let json = serde_json::to_vec(&state).unwrap();
        assert_eq!(decode_state(&json).unwrap(), state);
    }

    #[test]
    fn an_unreadable_state_is_reported_not_guessed() {
        let error = decode_state(b"\x07garbage").unwrap_err();
        assert!(matches!(
            error,
            StoreError::Corrupt {
                what: "conversation state",
                ..
            }
        ));
        assert!(decode_state(&[POSTCARD_STATE, 0xff]).is_err());
        assert!(decode_state(b"").is_err());
    }

    #[test]
    fn accounts_and_ids_with_colons_never_share_a_key() {
        let a = item_key(&item("did:plc:a", "b:c"));
        let b = item_key(&item("did:plc:a:b", "c"));
        assert_ne!(a, b);
        assert_eq!(a, "bluesky:9:did:plc:a:b:c");
    }
}
