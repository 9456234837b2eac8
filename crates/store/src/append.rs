//! Appending a page's item events to the log — the last write of an ingest page.
//!
//! - An event's **payload** (its JSON) does not depend on the database, so a page of at
//!   least [`ENCODE_APART_FROM`] events has them encoded on a second thread while the
//!   writer reads states and writes projections ([`Encoding`]).
//! - Events are appended [`ROWS_PER_APPEND`] rows per `INSERT`: a statement per row costs
//!   more than its row.
//! - The `item_key` unique index refusing a row means the item was stored before; that is
//!   reported as [`PageError::AlreadyStored`] so the page can be written again with
//!   explicit lookups.

use std::thread::{Scope, ScopedJoinHandle};

use switchboard_core::Event;

use crate::codec::{corrupt_event, encode_event};
use crate::ingest::PageError;
use crate::StoreError;

/// Pages with at least this many new events have them encoded on a second thread.
const ENCODE_APART_FROM: usize = 64;

/// Most events one `INSERT` appends.
const ROWS_PER_APPEND: usize = 32;

/// One event to append.
pub(crate) struct Appended<'a> {
    /// Its conversation's id.
    pub conversation: i64,
    /// The key of the item it holds.
    pub key: &'a str,
    pub event: &'a Event,
}

/// The JSON payloads of a page's events, in order, in one buffer.
pub(crate) struct Payloads {
    text: String,
    ends: Vec<usize>,
}

impl Payloads {
    fn encode(events: &[&Event]) -> Result<Payloads, StoreError> {
        let mut bytes = Vec::with_capacity(events.len() * 512);
        let mut ends = Vec::with_capacity(events.len());
        for event in events {
            encode_event(event, &mut bytes)?;
            ends.push(bytes.len());
        }
        let text = String::from_utf8(bytes).map_err(|e| corrupt_event(e.to_string()))?;
        Ok(Payloads { text, ends })
    }

    /// The `n`-th payload.
    fn get(&self, n: usize) -> Result<&str, StoreError> {
        let end = *self
            .ends
            .get(n)
            .ok_or_else(|| corrupt_event(format!("no payload for event {n} of the page")))?;
        let start = n.checked_sub(1).map_or(0, |before| self.ends[before]);
        Ok(&self.text[start..end])
    }
}

/// Payloads being encoded on a second thread, or already encoded.
pub(crate) enum Encoding<'scope> {
    Apart(ScopedJoinHandle<'scope, Result<Payloads, StoreError>>),
    Done(Result<Payloads, StoreError>),
}

impl<'scope> Encoding<'scope> {
    /// Starts encoding `events` (in `scope`'s thread when there are many).
    pub fn start<'env>(scope: &'scope Scope<'scope, 'env>, events: Vec<&'env Event>) -> Self {
        if events.len() >= ENCODE_APART_FROM {
            Encoding::Apart(scope.spawn(move || Payloads::encode(&events)))
        } else {
            Encoding::Done(Payloads::encode(&events))
        }
    }

    /// The payloads, once encoded.
    pub fn finish(self) -> Result<Payloads, StoreError> {
        match self {
            Encoding::Apart(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Encoding::Done(payloads) => payloads,
        }
    }
}

/// Appends `events`, whose payloads are `payloads` in the same order.
pub(crate) fn append_events<'a>(
    tx: &rusqlite::Transaction<'_>,
    events: impl Iterator<Item = Appended<'a>>,
    payloads: &Payloads,
) -> Result<(), PageError> {
    let events: Vec<Appended<'a>> = events.collect();
    let mut next = 0;
    for chunk in events.chunks(ROWS_PER_APPEND) {
        let mut append = tx.prepare_cached(append_sql(chunk.len()))?;
        let mut parameter = 0;
        for appended in chunk {
            let payload = payloads.get(next)?;
            next += 1;
            let values: [&dyn rusqlite::ToSql; 5] = [
                &appended.event.at.millis(),
                &appended.event.kind.name(),
                &appended.conversation,
                &appended.key,
                &payload,
            ];
            for value in values {
                parameter += 1;
                append.raw_bind_parameter(parameter, value)?;
            }
        }
        match append.raw_execute() {
            Err(error) if is_unique_violation(&error) => return Err(PageError::AlreadyStored),
            other => other?,
        };
    }
    Ok(())
}

/// The `INSERT` that appends `rows` events (1 to [`ROWS_PER_APPEND`]), five parameters each.
fn append_sql(rows: usize) -> &'static str {
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        (0..=ROWS_PER_APPEND)
            .map(|rows| {
                let values = vec!["(?, ?, ?, NULL, ?, ?)"; rows].join(", ");
                format!(
                    "INSERT INTO events (recorded_at, kind, conversation_id, actor, item_key, \
                     payload) VALUES {values}"
                )
            })
            .collect()
    });
    &sql[rows]
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    error
        .sqlite_error()
        .is_some_and(|e| e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}
