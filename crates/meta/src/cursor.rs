//! The sync position of one stream (incoming or brand), stored by the engine with the
//! items it covers.
//!
//! Meta's times are not an order (clocks are skewed, a comment can be dated before the
//! last one seen), so the position is not a time. It is a **watch list** per **listing**
//! (the Page's feed, the Instagram account's media, its mentions, a Messenger or
//! Instagram inbox): for each **parent** the listing showed last time (a post, a media,
//! a conversation) its **activity signature** — what Meta reports that changes when
//! something is added under it (a post's `updated_time`, a media's `comments_count`, a
//! conversation's `updated_time` and `message_count`). A parent whose signature changed,
//! or that is new, has its children read again, all of them (bounded); the store drops
//! what it already has. A parent's new signature is written only after its children were
//! read, so a fetch that stops early (an error, the per-fetch bound) leaves the rest to
//! the next fetch.
//!
//! The JSON is versioned (`{"v":1,"lists":{"feed":{"<post id>":"<signature>"}}}`); any
//! other text is a [`switchboard_platforms::ProviderError::BadCursor`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use switchboard_platforms::ProviderError;

/// The version written.
const VERSION: u32 = 1;

/// One stream's position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    v: u32,
    /// Listing name → parent id → activity signature.
    pub lists: BTreeMap<String, BTreeMap<String, String>>,
}

impl Cursor {
    /// The position before the first sync.
    pub fn first() -> Self {
        Cursor {
            v: VERSION,
            lists: BTreeMap::new(),
        }
    }

    /// Reads a stored position.
    pub fn read(text: &str) -> Result<Self, ProviderError> {
        let bad = || ProviderError::BadCursor(text.chars().take(80).collect());
        let cursor: Cursor = serde_json::from_str(text).map_err(|_| bad())?;
        if cursor.v != VERSION {
            return Err(bad());
        }
        Ok(cursor)
    }

    /// The text stored.
    pub fn write(&self) -> String {
        serde_json::to_string(self).expect("a cursor serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_others() {
        let mut cursor = Cursor::first();
        cursor
            .lists
            .entry("feed".into())
            .or_default()
            .insert("1_2".into(), "2026-12-06T13:01:31+0000".into());
        assert_eq!(Cursor::read(&cursor.write()).unwrap(), cursor);
        assert!(matches!(
            Cursor::read("12345"),
            Err(ProviderError::BadCursor(_))
        ));
        assert!(matches!(
            Cursor::read(r#"{"v":9,"lists":{}}"#),
            Err(ProviderError::BadCursor(_))
        ));
    }
}
