//! The sync positions this client stores with the engine, and how positions written by
//! older versions are read.
//!
//! Both Bluesky streams are **lists read newest first** with no "since": notifications
//! ordered by the AppView's sort time, the brand's post records by record key. An entry can
//! appear *anywhere* in such a list after it was read (a back-dated post, a slow upload, a
//! reply whose record key was dated when it was queued), so a position cannot be "the
//! newest seen". A [`ListPosition`] instead remembers what the list held:
//!
//! - **key**: an entry's place in the list, compared as the server compares it (as
//!   strings): the notification's `indexedAt` (really its sort time, the earlier of the
//!   claimed `createdAt` and the AppView's clock), or the record key.
//! - **top**: the newest part of the list (keys ≥ `top_lower`), kept as the hashes of the
//!   entries seen there; read on every fetch, so anything new in it is found at once.
//! - **region**: a run of older keys `[lower, lower of the region above)`, kept as a
//!   **digest** ([`crate::digest`]). The **sweep** re-reads one region per fetch; the
//!   difference between the digest of what it holds and the stored one shows what arrived.
//! - **complete**: every key below the top has a region. Until then the sweep learns the
//!   rest of the list (what was there before the first sync is history, not news).
//! - **read time**: when a place (the top, a region, the part below the last region) was
//!   last read whole, by the caller's clock. An entry found new there arrived after it,
//!   whatever time it claims ([`crate::list_sync`]). Positions written before read times
//!   existed have none: unknown, taken as the time of the fetch.
//!
//! Stored as `n2:` / `b2:` followed by JSON. Positions of older versions (`n1:<millis>:<uri>
//! …`, the newest notification time seen; `b1:<rkey>`, the newest record key seen) are
//! migrated: what they covered is history, found again by the sweep but never taken in.

use serde::{Deserialize, Serialize};
use switchboard_core::Timestamp;
use switchboard_platforms::ProviderError;

use crate::digest::Digest;

/// The two streams, with their prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Mentions, replies and quotes (`n`).
    Incoming,
    /// The brand's own post records (`b`).
    BrandPosts,
}

impl Stream {
    fn prefix(self) -> &'static str {
        match self {
            Stream::Incoming => "n2:",
            Stream::BrandPosts => "b2:",
        }
    }
}

/// A run of keys below the top, as a digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// The smallest key of the region (inclusive); `""` reaches the end of the list.
    pub lower: String,
    /// The digest of the hashes of its entries; empty for a region not known yet.
    pub digest: Digest,
    /// When what the digest holds was read; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_at: Option<Timestamp>,
}

/// What a list held when last read (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPosition {
    /// The smallest key of the top; `None`: the top reaches the end of the list.
    pub top_lower: Option<String>,
    /// The hashes of the entries in the top.
    pub top: Vec<u64>,
    /// The regions below the top, newest first.
    pub regions: Vec<Region>,
    /// Whether every key below the top has a region.
    pub complete: bool,
    /// The lower key of the region the sweep checked last; `None`: start at the top.
    pub sweep_after: Option<String>,
    /// The same for the newest regions, checked on every other fetch.
    #[serde(default)]
    pub recent_after: Option<String>,
    /// Fetches so far (wrapping), to take turns between the two.
    #[serde(default)]
    pub turn: u32,
    /// When the top was last read; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_read_at: Option<Timestamp>,
    /// When the part below the last region (below the top when there is none) was last
    /// read to the end of the list; `None`: not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below_read_at: Option<Timestamp>,
}

impl ListPosition {
    /// "Read once, the list was empty": everything that appears later is new.
    pub fn empty() -> Self {
        ListPosition {
            complete: true,
            ..ListPosition::default()
        }
    }

    /// The position as the engine stores it.
    pub fn encode(&self, stream: Stream) -> String {
        let json = serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"));
        format!("{}{json}", stream.prefix())
    }

    /// Reads a stored position of `stream`, migrating the formats of older versions;
    /// `brand_did` names the records of a `b1:` position.
    pub fn parse(cursor: &str, stream: Stream, brand_did: &str) -> Result<Self, ProviderError> {
        let bad = || ProviderError::BadCursor(cursor.to_owned());
        if let Some(json) = cursor.strip_prefix(stream.prefix()) {
            return serde_json::from_str(json).map_err(|_| bad());
        }
        match stream {
            Stream::Incoming => {
                let rest = cursor.strip_prefix("n1:").ok_or_else(bad)?;
                from_v1_incoming(rest).ok_or_else(bad)
            }
            Stream::BrandPosts => {
                let rest = cursor.strip_prefix("b1:").ok_or_else(bad)?;
                from_v1_brand(rest, brand_did).ok_or_else(bad)
            }
        }
    }
}

/// `n1:` held the newest `indexedAt` seen (milliseconds) and the URIs seen at exactly
/// that instant; everything older counted as seen.
fn from_v1_incoming(rest: &str) -> Option<ListPosition> {
    if rest.is_empty() {
        return Some(ListPosition::empty());
    }
    let (millis, uris) = rest.split_once(':')?;
    let at = Timestamp(millis.parse().ok()?);
    Some(ListPosition {
        top_lower: Some(at.to_rfc3339()),
        top: uris
            .split(' ')
            .filter(|u| !u.is_empty())
            .map(entry_hash)
            .collect(),
        ..ListPosition::default()
    })
}

/// `b1:` held the newest record key seen; every smaller key counted as seen.
fn from_v1_brand(rest: &str, brand_did: &str) -> Option<ListPosition> {
    if rest.is_empty() {
        return Some(ListPosition::empty());
    }
    if !crate::tid::is_valid(rest) && !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let uri = format!("at://{brand_did}/app.bsky.feed.post/{rest}");
    Some(ListPosition {
        top_lower: Some(rest.to_owned()),
        top: vec![entry_hash(&uri)],
        ..ListPosition::default()
    })
}

/// The hash an entry is remembered by: of its at-uri, the same on every build.
pub fn entry_hash(uri: &str) -> u64 {
    crate::tid::stable_hash(uri.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_round_trips() {
        let position = ListPosition {
            top_lower: Some("2026-11-23T10:00:00.000Z".into()),
            top: vec![1, u64::MAX],
            regions: vec![Region {
                lower: "1026-01-01T00:00:00.000Z".into(),
                digest: Digest::of([3, 0xdead_beef_dead_beef]),
                read_at: Some(Timestamp(1_795_000_000_000)),
            }],
            complete: true,
            sweep_after: None,
            recent_after: Some("2026-11-23T09:00:00.000Z".into()),
            turn: 7,
            top_read_at: Some(Timestamp(1_795_000_001_000)),
            below_read_at: Some(Timestamp(1_794_000_000_000)),
        };
        for stream in [Stream::Incoming, Stream::BrandPosts] {
            let text = position.encode(stream);
            assert_eq!(
                ListPosition::parse(&text, stream, "did:plc:b").unwrap(),
                position
            );
        }
    }

    #[test]
    fn positions_of_older_versions_are_migrated() {
        let old = "n1:1763892000123:at://a/app.bsky.feed.post/1 at://b/app.bsky.feed.post/2";
        let position = ListPosition::parse(old, Stream::Incoming, "did:plc:b").unwrap();
        assert_eq!(
            position.top_lower.as_deref(),
            Some("2025-11-23T10:00:00.123Z")
        );
        assert_eq!(
            position.top,
            vec![
                entry_hash("at://a/app.bsky.feed.post/1"),
                entry_hash("at://b/app.bsky.feed.post/2")
            ]
        );
        assert!(!position.complete, "what lies below is learned as history");
        assert_eq!(
            ListPosition::parse("n1:", Stream::Incoming, "d").unwrap(),
            ListPosition::empty()
        );

        let brand = ListPosition::parse("b1:3kabc", Stream::BrandPosts, "did:plc:b").unwrap();
        assert_eq!(brand.top_lower.as_deref(), Some("3kabc"));
        assert_eq!(
            brand.top,
            vec![entry_hash("at://did:plc:b/app.bsky.feed.post/3kabc")]
        );
        assert_eq!(
            ListPosition::parse("b1:", Stream::BrandPosts, "d").unwrap(),
            ListPosition::empty()
        );
    }

    #[test]
    fn foreign_positions_are_rejected() {
        for bad in ["", "12", "n1:x:y", "b1:3k", "mastodon:5", "n2:{", "b2:[]"] {
            assert!(
                ListPosition::parse(bad, Stream::Incoming, "d").is_err(),
                "{bad} is not an incoming position"
            );
        }
        for bad in ["n1:", "n2:{}", "b1:../x", "b3:"] {
            assert!(
                ListPosition::parse(bad, Stream::BrandPosts, "d").is_err(),
                "{bad} is not a brand position"
            );
        }
    }
}
