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

    /// The instant of the system clock. Only the shell and loops call this; the domain
    /// takes time as an argument.
    pub fn now_from_system() -> Self {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
    }
}
