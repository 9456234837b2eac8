//! The sync positions this client stores with the engine.
//!
//! `listNotifications` has no "since": it lists newest first and pages backwards. So the
//! **incoming position** is a **high-water mark**: the newest `indexedAt` seen and the
//! URIs of the notifications at exactly that instant (`n1:<millis>:<uri> <uri>…`); a fetch
//! pages back until it reaches it. The **brand position** is the newest record key seen in
//! the brand's own post collection (`b1:<rkey>`; record keys of posts are time-ordered).
//! An empty position (`n1:` / `b1:`) means "synced once, nothing seen yet".

use switchboard_core::Timestamp;
use switchboard_platforms::ProviderError;

const INCOMING_PREFIX: &str = "n1:";
const BRAND_PREFIX: &str = "b1:";

/// The newest notification seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HighWaterMark {
    /// The newest `indexedAt`, if anything was seen.
    pub at: Option<Timestamp>,
    /// The notifications (post URIs) seen at exactly `at`.
    pub uris: Vec<String>,
}

impl HighWaterMark {
    /// Reads a position written by [`HighWaterMark::encode`].
    pub fn parse(cursor: &str) -> Result<Self, ProviderError> {
        let bad = || ProviderError::BadCursor(cursor.to_owned());
        let rest = cursor.strip_prefix(INCOMING_PREFIX).ok_or_else(bad)?;
        if rest.is_empty() {
            return Ok(HighWaterMark::default());
        }
        let (millis, uris) = rest.split_once(':').ok_or_else(bad)?;
        let at = Timestamp(millis.parse().map_err(|_| bad())?);
        let uris = uris.split(' ').filter(|u| !u.is_empty()).map(String::from);
        Ok(HighWaterMark {
            at: Some(at),
            uris: uris.collect(),
        })
    }

    /// The position as the engine stores it.
    pub fn encode(&self) -> String {
        match self.at {
            None => INCOMING_PREFIX.to_owned(),
            Some(at) => format!("{INCOMING_PREFIX}{}:{}", at.millis(), self.uris.join(" ")),
        }
    }

    /// Whether a notification indexed at `at` with `uri` was seen before (the pages
    /// before it are all older).
    pub fn covers(&self, at: Timestamp, uri: &str) -> bool {
        match self.at {
            None => false,
            Some(mark) => at < mark || (at == mark && self.uris.iter().any(|u| u == uri)),
        }
    }

    /// Takes in a notification seen now.
    pub fn advance(&mut self, at: Timestamp, uri: &str) {
        match self.at {
            Some(mark) if at < mark => {}
            Some(mark) if at == mark => {
                if !self.uris.iter().any(|u| u == uri) {
                    self.uris.push(uri.to_owned());
                }
            }
            _ => {
                self.at = Some(at);
                self.uris = vec![uri.to_owned()];
            }
        }
    }
}

/// The newest brand post record key seen (`None`: none yet).
pub fn parse_brand(cursor: &str) -> Result<Option<String>, ProviderError> {
    let rest = cursor
        .strip_prefix(BRAND_PREFIX)
        .ok_or_else(|| ProviderError::BadCursor(cursor.to_owned()))?;
    if rest.is_empty() {
        return Ok(None);
    }
    if !crate::tid::is_valid(rest) && !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ProviderError::BadCursor(cursor.to_owned()));
    }
    Ok(Some(rest.to_owned()))
}

/// The brand position for the newest record key seen.
pub fn encode_brand(newest: Option<&str>) -> String {
    format!("{BRAND_PREFIX}{}", newest.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_round_trips_and_covers_what_it_saw_and_everything_older() {
        let mut mark = HighWaterMark::default();
        assert_eq!(HighWaterMark::parse(&mark.encode()).unwrap(), mark);
        mark.advance(Timestamp(10), "at://a/app.bsky.feed.post/1");
        mark.advance(Timestamp(10), "at://b/app.bsky.feed.post/2");
        mark.advance(Timestamp(5), "at://c/app.bsky.feed.post/3");
        let back = HighWaterMark::parse(&mark.encode()).unwrap();
        assert_eq!(back, mark);
        assert!(back.covers(Timestamp(10), "at://b/app.bsky.feed.post/2"));
        assert!(back.covers(Timestamp(9), "at://z/app.bsky.feed.post/9"));
        assert!(
            !back.covers(Timestamp(10), "at://z/app.bsky.feed.post/9"),
            "same instant, new"
        );
        assert!(!back.covers(Timestamp(11), "at://a/app.bsky.feed.post/1"));
        mark.advance(Timestamp(12), "at://d/app.bsky.feed.post/4");
        assert_eq!(mark.uris, vec!["at://d/app.bsky.feed.post/4".to_owned()]);
    }

    #[test]
    fn foreign_positions_are_rejected() {
        for bad in ["", "12", "n1:x:y", "b1:3k", "mastodon:5"] {
            assert!(
                HighWaterMark::parse(bad).is_err(),
                "{bad} is not an incoming position"
            );
        }
        assert!(parse_brand("n1:").is_err());
        assert_eq!(parse_brand("b1:").unwrap(), None);
        assert_eq!(parse_brand("b1:3kabc").unwrap(), Some("3kabc".to_owned()));
        assert!(parse_brand("b1:../x").is_err());
    }
}
