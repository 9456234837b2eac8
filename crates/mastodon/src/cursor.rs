//! The **cursors** this provider writes: small JSON objects, opaque to the engine.
//!
//! - incoming: `{"v":1,"notifications":"<newest notification id>","conversations":"<newest
//!   DM status id>"}`: the newest mention/quote notification and the newest latest-status
//!   of a DM conversation returned so far;
//! - brand posts: `{"v":1,"statuses":"<newest brand status id>"}`.
//!
//! A missing field means "not read yet" (the first sync of that list). A cursor only
//! moves to ids that a returned page covered.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use switchboard_platforms::ProviderError;

const VERSION: u8 = 1;

/// Where the incoming stream has been read to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IncomingCursor {
    v: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversations: Option<String>,
}

/// Where the brand-posts stream has been read to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BrandCursor {
    v: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statuses: Option<String>,
}

impl IncomingCursor {
    pub fn new(notifications: Option<String>, conversations: Option<String>) -> Self {
        IncomingCursor {
            v: VERSION,
            notifications,
            conversations,
        }
    }
}

impl BrandCursor {
    pub fn new(statuses: Option<String>) -> Self {
        BrandCursor {
            v: VERSION,
            statuses,
        }
    }
}

/// Reads a stored cursor; `None` is the start.
pub(crate) fn read_cursor<T: DeserializeOwned + Default>(
    cursor: Option<&str>,
) -> Result<T, ProviderError> {
    let Some(text) = cursor else {
        return Ok(T::default());
    };
    #[derive(Deserialize)]
    struct Version {
        v: u8,
    }
    let bad = || ProviderError::BadCursor(text.chars().take(80).collect());
    let version: Version = serde_json::from_str(text).map_err(|_| bad())?;
    if version.v != VERSION {
        return Err(bad());
    }
    serde_json::from_str(text).map_err(|_| bad())
}

/// Writes a cursor.
pub(crate) fn write_cursor<T: Serialize>(cursor: &T) -> String {
    serde_json::to_string(cursor).expect("cursors are plain data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_foreign_cursors() {
        let cursor = IncomingCursor::new(Some("12".into()), None);
        let text = write_cursor(&cursor);
        assert_eq!(text, r#"{"v":1,"notifications":"12"}"#);
        assert_eq!(read_cursor::<IncomingCursor>(Some(&text)).unwrap(), cursor);
        assert_eq!(
            read_cursor::<IncomingCursor>(None).unwrap().notifications,
            None
        );
        for foreign in ["17", r#"{"v":9}"#, "demo:3", r#"{"v":1,"notifications":5}"#] {
            assert!(
                matches!(
                    read_cursor::<IncomingCursor>(Some(foreign)),
                    Err(ProviderError::BadCursor(_))
                ),
                "{foreign} is refused"
            );
        }
    }
}
