//! The ingest writer's **state cache**: the reducer states of recently ingested
//! conversations, kept in memory so a page of items does not read and decode each of its
//! conversations again.
//!
//! The cache is only ever a copy of committed rows. It is filled after a commit (never
//! from a transaction that may still roll back), and emptied whenever another connection
//! — a person's action through sqlx, another process — committed anything since the writer
//! last looked (`PRAGMA data_version` tells). It holds at most [`CAPACITY`] conversations
//! and starts over when full.

use rustc_hash::FxHashMap;
use switchboard_core::{ConversationState, ThreadKey};

use crate::projection::Placement;

/// Most conversations kept (≈ 0.5 KB each).
pub(crate) const CAPACITY: usize = 25_000;

/// A stored conversation as its row stands.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub id: i64,
    pub placement: Placement,
    pub state: ConversationState,
}

/// A cached row under its conversation's thread key (the row is boxed so that taking it
/// out and putting it back moves a pointer, not the state).
pub(crate) type CachedRow = (ThreadKey, Box<Stored>);

#[derive(Debug, Default)]
pub(crate) struct StateCache {
    data_version: Option<i64>,
    entries: FxHashMap<ThreadKey, Box<Stored>>,
}

impl StateCache {
    /// Empties the cache if another connection committed since the last call. Run inside
    /// the writer's transaction, before anything is read.
    pub fn validate(&mut self, tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
        let version: i64 = tx.query_row("PRAGMA data_version", [], |row| row.get(0))?;
        if self.data_version != Some(version) {
            self.entries.clear();
            self.data_version = Some(version);
        }
        Ok(())
    }

    /// Takes the cached row of `thread` (with its key, to put back) out of the cache.
    pub fn take(&mut self, thread: &ThreadKey) -> Option<CachedRow> {
        self.entries.remove_entry(thread)
    }

    /// Keeps committed rows, each under its conversation's thread key.
    pub fn keep(&mut self, rows: impl IntoIterator<Item = CachedRow>) {
        for (thread, row) in rows {
            if self.entries.len() >= CAPACITY {
                self.entries.clear();
            }
            self.entries.insert(thread, row);
        }
    }

    /// Forgets everything (a transaction failed, or rows changed behind the cache's back).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.data_version = None;
    }
}
