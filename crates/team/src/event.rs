//! What goes into the shared log: [`NewEvent`], [`Stamp`], [`TeamItem`], and what comes
//! back: [`TeamEvent`].
//!
//! Terms: an **event id** is minted on the laptop (so re-sending an event is harmless);
//! the **device sequence** is the laptop's own running number for its events; the
//! **server sequence** is the team-wide order the database assigns (see
//! [`crate::schema`]).
//!
//! Payloads are built from values that implement `serde::Serialize` only. Platform
//! tokens and app passwords live in [`switchboard_vault::Sensitive`], which does not
//! implement `Serialize`, so a secret cannot be put into an event or an item by
//! accident: it does not compile.

use serde::Serialize;
use uuid::Uuid;

/// The identity of one event written by this laptop: its id and its device sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Minted on the laptop; unique across the team.
    pub event_id: Uuid,
    /// This device's running number for its events.
    pub device_seq: i64,
}

impl Stamp {
    /// A stamp with a fresh (time-ordered) event id.
    pub fn new(device_seq: i64) -> Self {
        Stamp {
            event_id: Uuid::now_v7(),
            device_seq,
        }
    }
}

/// An event to append to the team's log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Its identity.
    pub stamp: Stamp,
    /// What happened: `claimed`, `note`, `handoff`, `done`, `item`, …
    pub kind: String,
    /// The details, as JSON.
    pub payload: serde_json::Value,
}

impl NewEvent {
    /// An event of `kind` whose payload is `payload` serialized.
    pub fn new(
        stamp: Stamp,
        kind: impl Into<String>,
        payload: &impl Serialize,
    ) -> Result<Self, serde_json::Error> {
        Ok(NewEvent {
            stamp,
            kind: kind.into(),
            payload: serde_json::to_value(payload)?,
        })
    }
}

/// An event as stored in the team's log.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamEvent {
    /// Team-wide order.
    pub server_seq: i64,
    /// Minted on the laptop that wrote it.
    pub event_id: Uuid,
    /// The login role of the member who wrote it.
    pub author: String,
    /// The device that wrote it.
    pub device: String,
    /// That device's running number.
    pub device_seq: i64,
    /// What happened.
    pub kind: String,
    /// The details.
    pub payload: serde_json::Value,
    /// When the database recorded it, milliseconds since the Unix epoch (the database's
    /// clock, the one every laptop shares).
    pub recorded_at_ms: i64,
}

/// A platform item pulled by the poll-lease holder, to be entered once into the team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamItem {
    /// The platform's own id of the item (unique within the account).
    pub native_id: String,
    /// The item as the replica stores it, as JSON.
    pub payload: serde_json::Value,
    /// The stamp of the `item` event appended when the item is new to the team.
    pub stamp: Stamp,
}

impl TeamItem {
    /// An item whose payload is `payload` serialized.
    pub fn new(
        native_id: impl Into<String>,
        payload: &impl Serialize,
        stamp: Stamp,
    ) -> Result<Self, serde_json::Error> {
        Ok(TeamItem {
            native_id: native_id.into(),
            payload: serde_json::to_value(payload)?,
            stamp,
        })
    }
}

#[cfg(test)]
mod tests {
    use switchboard_vault::Sensitive;

    // A token cannot become an event or item payload: it does not serialize.
    static_assertions::assert_not_impl_any!(Sensitive<String>: serde::Serialize);
}
