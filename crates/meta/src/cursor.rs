//! The sync position of one stream (incoming or brand), stored by the engine with the
//! items it covers.
//!
//! Meta's times are not an order (clocks are skewed, a comment can be dated before the
//! last one seen), so the position is not a time. It is a **watch list** per **listing**
//! (the Page's feed, the Instagram account's media, its mentions, a Messenger or
//! Instagram inbox): for each **parent** the listing showed (a post, a media, a
//! conversation) a **mark** of its **activity signature** — what Meta reports that
//! changes when something is added under it (a post's `updated_time` and newest
//! comments, a media's `comments_count`, a conversation's `updated_time` and
//! `message_count`). A parent whose signature changed, or that is new, has its children
//! read again (bounded); the store drops what it already has. A parent's new mark is
//! written only after its children were read, so a fetch that stops early (an error, the
//! per-fetch bound) leaves the rest to the next fetch.
//!
//! - **Compact**: a parent is keyed by a 32-bit hash of its id and marked by a 48-bit
//!   hash of its signature (`"1a2b3c4d":"0123456789ab"`, 26 bytes a parent). A key
//!   collision only makes two parents look changed (read again, nothing lost); a mark
//!   that stays the same although the signature changed (odds 2⁻⁴⁸ a change) would miss
//!   that change. A conversation's mark also holds a 32-bit hash of its newest message
//!   seen (`"…ab.5e6f7a8b"`), where the next read stops paging back
//!   ([`crate::listing`]).
//! - **Rounds** (feed and media, see [`crate::sync`]): besides the newest parents read
//!   each fetch, a **sweep** reads one further page of older parents a fetch, from its
//!   **position** (the Graph paging cursor where it stopped) until the listing ends, a
//!   parent older than the horizon, or the sweep's parent bound; then a new round starts
//!   after the newest parents. `seen` holds the parents met this round, `earlier` those
//!   of the last round not met again yet; a round's end forgets what is left in
//!   `earlier` (deleted or aged out), so the list stays within two rounds of parents:
//!   about 26 bytes × (the newest 30 posts or 75 media + the sweep's 300), under 10 KB a
//!   swept listing, more only while deleted parents wait for the round's end.
//! - `since` is when the watch began (the first fetch): a parent first met later (a new
//!   post, or an old one the sweep reaches the first time) has its children read only
//!   from `since` less the backlog on.
//!
//! The JSON is versioned (`{"v":2,"since":…,"lists":{"feed":{"p":{…},"q":{…},"s":"…",
//! "n":30}}}`); any other text, the first version's included, is a
//! [`switchboard_platforms::ProviderError::BadCursor`] (the engine then starts again
//! with a first sync, and the store drops what it already has).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use switchboard_core::Timestamp;
use switchboard_platforms::ProviderError;

/// The version written.
const VERSION: u32 = 2;

/// One stream's position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    v: u32,
    /// When the watch began (milliseconds since the Unix epoch).
    pub since: i64,
    /// Listing name → its watch list.
    pub lists: BTreeMap<String, Watch>,
}

/// The watch list of one listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Watch {
    /// Parents met this round: key → mark.
    #[serde(rename = "p", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, String>,
    /// Parents of the last round not met again yet: key → mark.
    #[serde(rename = "q", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub earlier: BTreeMap<String, String>,
    /// Where the sweep goes on (a Graph paging cursor); none: after the newest parents.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<String>,
    /// Parents the sweep passed this round.
    #[serde(rename = "n", default, skip_serializing_if = "is_zero")]
    pub swept: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Watch {
    /// The mark stored for the parent with `key`.
    pub fn mark(&self, key: &str) -> Option<&String> {
        self.seen.get(key).or_else(|| self.earlier.get(key))
    }

    /// Notes the parent with `key` as met this round with `mark`.
    pub fn meet(&mut self, key: String, mark: String) {
        self.earlier.remove(&key);
        self.seen.insert(key, mark);
    }

    /// Ends a round: what was not met again is forgotten, what was met waits for the
    /// next round, and the sweep starts again after the newest parents.
    pub fn end_round(&mut self) {
        self.earlier = std::mem::take(&mut self.seen);
        self.sweep = None;
        self.swept = 0;
    }
}

impl Cursor {
    /// The position before the first sync at `now`.
    pub fn first(now: Timestamp) -> Self {
        Cursor {
            v: VERSION,
            since: now.millis(),
            lists: BTreeMap::new(),
        }
    }

    /// When the watch began.
    pub fn since(&self) -> Timestamp {
        Timestamp(self.since)
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

/// The key of the parent with `id`: 32 bits of its hash, in hex.
pub(crate) fn key(id: &str) -> String {
    format!("{:08x}", fnv1a(&[id]) & 0xffff_ffff)
}

/// The mark of `signature` (48 bits of its hash, in hex), with the key of the newest
/// message seen when there is one.
pub(crate) fn mark(signature: &str, newest: Option<&str>) -> String {
    let hash = format!("{:012x}", fnv1a(&[signature]) & 0xffff_ffff_ffff);
    match newest {
        Some(id) => format!("{hash}.{}", key(id)),
        None => hash,
    }
}

/// Whether `stored` marks the same signature as `fresh` (the newest-message part aside).
pub(crate) fn same_signature(stored: &str, fresh: &str) -> bool {
    stored.split('.').next() == fresh.split('.').next()
}

/// The key of the newest message a stored mark remembers.
pub(crate) fn newest_seen(stored: &str) -> Option<&str> {
    stored.split_once('.').map(|(_, newest)| newest)
}

/// FNV-1a of `parts` (each followed by a zero byte).
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts
        .iter()
        .flat_map(|part| part.bytes().chain(std::iter::once(0)))
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_others() {
        let mut cursor = Cursor::first(Timestamp(1_765_000_000_000));
        cursor
            .lists
            .entry("feed".into())
            .or_default()
            .meet(key("1_2"), mark("2026-12-06T13:01:31+0000", None));
        assert_eq!(Cursor::read(&cursor.write()).unwrap(), cursor);
        for bad in [
            "12345",
            r#"{"v":9,"since":0,"lists":{}}"#,
            r#"{"v":1,"lists":{"feed":{"1_2":"x"}}}"#,
        ] {
            assert!(
                matches!(Cursor::read(bad), Err(ProviderError::BadCursor(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn marks_are_short_and_keep_the_newest_message() {
        let plain = mark("2026-12-06T13:05:00+0000/4", None);
        assert_eq!(plain.len(), 12);
        let with = mark("2026-12-06T13:05:00+0000/4", Some("m_1"));
        assert!(same_signature(&plain, &with));
        assert_eq!(newest_seen(&with), Some(key("m_1").as_str()));
        assert_eq!(newest_seen(&plain), None);
        assert!(!same_signature(
            &plain,
            &mark("2026-12-06T13:05:00+0000/5", None)
        ));
        assert_eq!(key("1_2").len(), 8);
    }

    #[test]
    fn a_full_swept_listing_stays_under_10_kb() {
        let mut cursor = Cursor::first(Timestamp(1_765_000_000_000));
        let watch = cursor.lists.entry("ig_media".into()).or_default();
        for n in 0..375 {
            watch.meet(
                key(&format!("1784140582230{n:04}")),
                mark(&n.to_string(), None),
            );
        }
        watch.sweep = Some("QVFIUmFhbHl5c3JhYlBMNzVyb0xXVE9xV2tGa1BzN0I5UzRyUWxPaHRjM3ZAB".into());
        watch.swept = 300;
        let text = cursor.write();
        assert!(text.len() < 10 * 1024, "{} bytes", text.len());
    }

    #[test]
    fn a_round_forgets_what_it_did_not_meet_again() {
        let mut watch = Watch::default();
        watch.meet("a".into(), "1".into());
        watch.meet("b".into(), "1".into());
        watch.sweep = Some("after".into());
        watch.swept = 10;
        watch.end_round();
        assert_eq!((watch.sweep.clone(), watch.swept), (None, 0));
        watch.meet("a".into(), "2".into());
        assert_eq!(watch.mark("a"), Some(&"2".to_owned()));
        assert_eq!(
            watch.mark("b"),
            Some(&"1".to_owned()),
            "kept one more round"
        );
        watch.end_round();
        assert_eq!(watch.mark("b"), None, "not met for a whole round");
        assert!(watch.mark("a").is_some());
    }
}
