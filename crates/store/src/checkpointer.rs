//! The **checkpointer**: copies the write-ahead log (WAL) back into the database file on a
//! thread of its own, so the ingest writer rarely waits for that copy, and keeps the WAL
//! from growing without bound while ingest goes on.
//!
//! SQLite in WAL mode appends every committed page to the `-wal` file; a *checkpoint*
//! copies the latest version of those pages into the main file. The WAL starts over from
//! its beginning only when a checkpoint has copied *every* frame before the next write
//! transaction begins. By default the connection that commits checkpoints inline once the
//! WAL passes 1,000 pages — on the ingest path that copy was a sixth of the time. Here:
//! - the writer's commit hook ([`note_wal_size`]) replaces SQLite's inline auto-checkpoint
//!   and notes the WAL's size;
//! - past [`NUDGE_PAGES`] the writer nudges this thread, which runs a `PASSIVE`
//!   checkpoint (it never blocks the writer or readers) on its own connection. Nudges that
//!   arrive while a checkpoint runs fold into one;
//! - the thread copies while the writer appends, so under continuous ingest it never
//!   catches up and the WAL would hold everything ingested (≈ 110 MB for 100,000 items).
//!   Past [`RESTART_PAGES`] the writer therefore finishes the checkpoint itself, between
//!   two of its transactions: it copies only what the thread has not, and the next write
//!   starts the WAL over. If the thread is copying at that moment, the writer does not
//!   wait; it tries again after its next commit.

use std::cell::Cell;
use std::ffi::c_int;
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::thread::JoinHandle;

use rusqlite::hooks::Wal;
use rusqlite::{Connection, OpenFlags};

use crate::writer::BUSY_TIMEOUT;
use crate::StoreError;

/// WAL size (pages) past which a commit nudges the checkpointer. Large enough that a page
/// rewritten by many commits (a busy conversation's row) is copied back once, not each time.
pub(crate) const NUDGE_PAGES: c_int = 1_000;

/// WAL size (pages, ≈ 16 MiB) past which the writer finishes the checkpoint itself.
pub(crate) const RESTART_PAGES: c_int = 4 * NUDGE_PAGES;

thread_local! {
    /// The WAL size (pages) after this thread's latest commit on a writer connection.
    static WAL_PAGES: Cell<c_int> = const { Cell::new(0) };
}

/// Commit hook of the writer connection (it replaces SQLite's inline auto-checkpoint).
/// SQLite calls it on the committing thread, so [`wal_pages_after_commit`] on that thread
/// reads the size the commit left.
pub(crate) fn note_wal_size(_wal: &Wal, pages: c_int) -> rusqlite::Result<()> {
    WAL_PAGES.with(|size| size.set(pages));
    Ok(())
}

/// The WAL size this thread's latest writer commit left, and forgets it.
pub(crate) fn wal_pages_after_commit() -> c_int {
    WAL_PAGES.with(|size| size.replace(0))
}

/// The checkpoint thread; stops (finishing a checkpoint under way) when dropped.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with its own connection to the database at `path`.
    pub fn start(path: &Path) -> Result<Checkpointer, StoreError> {
        let open_error = |source| StoreError::OpenWriter {
            path: path.display().to_string(),
            source,
        };
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| c.busy_timeout(BUSY_TIMEOUT).map(|()| c))
        .map_err(open_error)?;
        let (nudge, nudged) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while nudged.recv().is_ok() {
                    if let Err(error) = checkpoint(&connection) {
                        tracing::warn!(%error, "WAL checkpoint failed; the next nudge retries");
                    }
                }
            })
            .map_err(StoreError::CheckpointThread)?;
        Ok(Checkpointer {
            nudge: Some(nudge),
            thread: Some(thread),
        })
    }

    /// What the writer does after a commit that left the WAL at `pages`: nothing, nudge
    /// the thread, or — past [`RESTART_PAGES`] — finish the checkpoint on `writer` (its own
    /// connection, outside any transaction) so that its next write starts the WAL over.
    pub fn after_commit(&self, writer: &Connection, pages: c_int) {
        if pages >= RESTART_PAGES {
            if let Err(error) = checkpoint(writer) {
                tracing::warn!(%error, "WAL checkpoint failed; the next commit retries");
            }
        } else if pages >= NUDGE_PAGES {
            self.nudge();
        }
    }

    /// Asks for a checkpoint; returns at once.
    fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            match nudge.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) => {}
                Err(TrySendError::Disconnected(())) => {
                    tracing::warn!("the checkpoint thread has stopped");
                }
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudge.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Copies as much of the WAL into the database as no reader still needs. Returns at once
/// (as done) if another connection is checkpointing.
fn checkpoint(connection: &Connection) -> rusqlite::Result<()> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}
