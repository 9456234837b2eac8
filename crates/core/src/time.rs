//! Instants as milliseconds since the Unix epoch (UTC).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An instant: milliseconds since 1970-01-01T00:00:00Z. Plain data so that every clock
/// is injected by the caller and tests are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The instant as milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This instant moved by `millis` (negative moves back).
    pub fn plus_millis(self, millis: i64) -> Self {
        Timestamp(self.0.saturating_add(millis))
    }

    /// Parses an RFC 3339 / ISO 8601 instant such as `2026-11-23T09:15:00.123Z` (the form
    /// platform APIs use). `None` when the text is not one.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let instant: jiff::Timestamp = text.trim().parse().ok()?;
        Some(Timestamp(instant.as_millisecond()))
    }

    /// The instant as RFC 3339 in UTC with milliseconds, e.g. `2026-11-23T09:15:00.123Z`.
    pub fn to_rfc3339(self) -> String {
        match jiff::Timestamp::from_millisecond(self.0) {
            Ok(instant) => format!("{instant:.3}"),
            Err(_) => String::from("1970-01-01T00:00:00.000Z"),
        }
    }

    /// The instant of the system clock. Only the shell and loops call this; the domain
    /// takes time as an argument.
    pub fn now_from_system() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_and_rejects_garbage() {
        let at = Timestamp::parse_rfc3339("2026-11-23T09:15:00.123Z").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-23T09:15:00.123Z");
        assert_eq!(
            Timestamp::parse_rfc3339("2026-11-23T10:15:00+01:00"),
            Some(Timestamp(at.millis() - 123))
        );
        assert_eq!(Timestamp::parse_rfc3339("yesterday"), None);
    }
}
