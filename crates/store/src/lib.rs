//! The local store: one SQLite file per workspace.
//!
//! - The **event log** (`events`) is append-only: triggers refuse updates and deletes.
//!   Items are stored whole in the events that ingested them.
//! - **Projections** (`conversations`, `queues`, `outbox`) are what the UI reads; they are
//!   written in the same transaction as the events that explain them.
//! - **Cursors** record how far each source (a platform account, the demo network) has been
//!   read. A cursor moves only in the transaction that stores the items it covers, so a
//!   crash can neither lose nor double an item.

mod accounts;
mod actions;
mod append;
mod approvals;
mod checkpointer;
mod codec;
mod error;
mod export;
mod hidden;
mod history;
mod ingest;
mod items;
mod open;
mod outbox;
mod policy;
mod project;
mod projection;
mod read;
mod replica;
mod replica_apply;
mod reply_keys;
mod responses;
mod saved_replies;
mod settings;
mod spike_history;
mod state_cache;
mod watch;
mod writer;

pub use accounts::AccountRecord;
pub use approvals::{ApprovalRequest, ApprovalState, ApprovedOverrides, LoggedEvent};
pub use error::{FileProblem, StoreError};
pub use ingest::{IngestReport, RoutedItem};
pub use outbox::{QueuedReply, RetryClaim};
pub use policy::{PolicyApplied, PolicyChange};
pub use project::DeadlinePlanner;
pub use read::{ANSWERED_PAGE, WAITING_PAGE};
pub use replica::{OutgoingEvent, SharedApplied, SharedEvent, TeamClaim, TeamClaimStatus};
pub use saved_replies::{
    SavedReplyBody, SavedReplyChange, SavedReplyEvent, SHARED_KIND as SAVED_REPLY_KIND,
};
pub use spike_history::CustomerItemRow;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use sqlx::SqlitePool;

/// An open workspace database: a sqlx pool for reads and people's actions, and the
/// [ingest writer](writer).
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    writer: writer::Writer,
    /// Whether people's actions are also queued for the team's shared log (see
    /// [`Store::share_actions`]).
    sharing: Arc<AtomicBool>,
}

impl Store {
    /// Begins a write transaction that takes SQLite's write lock at once (`BEGIN
    /// IMMEDIATE`), waiting up to the busy timeout for another writer. A deferred
    /// transaction that reads first and writes later fails at once with "database is
    /// locked" (`SQLITE_BUSY_SNAPSHOT`) when another connection wrote in between — the
    /// sync loops, the notifier and the person's actions all write concurrently.
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// How people's actions recorded now are shared with the team.
    pub(crate) fn sharing(&self) -> replica::Sharing<'static> {
        if self.sharing.load(Ordering::Acquire) {
            replica::Sharing::Queue
        } else {
            replica::Sharing::Off
        }
    }

    /// Closes the writer and the pool, waiting for connections to finish and
    /// checkpointing the WAL.
    pub async fn close(&self) {
        self.writer.close();
        self.pool.close().await;
    }
}
