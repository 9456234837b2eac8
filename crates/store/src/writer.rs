//! The **ingest writer**: a second connection to the workspace database, driven through
//! rusqlite, for the one write path that moves many rows — ingest.
//!
//! sqlx runs every statement through a worker thread and a channel (≈ 100 µs each on
//! these machines), which caps a row-at-a-time ingest near 8,000 items/s. The writer runs
//! prepared, cached statements on the caller's thread instead. Both connections share the
//! file under SQLite's own locking: every write transaction, here and in sqlx, is `BEGIN
//! IMMEDIATE` and waits up to the same busy timeout.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::runtime::{Handle, RuntimeFlavor};

use crate::checkpointer::{note_wal_size, wal_pages_after_commit, Checkpointer};
use crate::projection::Value;
use crate::state_cache::StateCache;
use crate::StoreError;

/// How long a write waits for another connection's write to finish.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Page cache of the writer connection (KiB): ingest touches the conversations,
/// events and both event indexes in every transaction.
const CACHE_KIB: i64 = 32 * 1024;

/// Size the WAL file is cut back to after a checkpoint.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// The writer; `None` once the store is closed.
#[derive(Debug, Clone)]
pub(crate) struct Writer(Arc<Mutex<Option<Open>>>);

#[derive(Debug)]
struct Open {
    connection: Connection,
    cache: StateCache,
    checkpointer: Checkpointer,
}

impl Writer {
    /// Opens the writer on the (already migrated) database at `path`.
    pub fn open(path: &Path) -> Result<Writer, StoreError> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| {
            c.busy_timeout(BUSY_TIMEOUT)?;
            c.pragma_update(None, "synchronous", "NORMAL")?;
            c.pragma_update(None, "foreign_keys", true)?;
            c.pragma_update(None, "cache_size", -CACHE_KIB)?;
            c.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
            // Checkpoints are the checkpointer's (see there), never inline in commits.
            c.wal_hook(Some(note_wal_size));
            Ok(c)
        })
        .map_err(|source| StoreError::OpenWriter {
            path: path.display().to_string(),
            source,
        })?;
        let open = Open {
            connection,
            cache: StateCache::default(),
            checkpointer: Checkpointer::start(path)?,
        };
        Ok(Writer(Arc::new(Mutex::new(Some(open)))))
    }

    /// Runs `work` — one write transaction — on the connection and its state cache (which
    /// is emptied if `work` fails). On a multi-thread tokio runtime the blocking SQLite
    /// work first moves the runtime's other tasks off this worker thread.
    pub fn run<R>(
        &self,
        work: impl FnOnce(&mut Connection, &mut StateCache) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let run = || {
            let mut guard = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let open = guard.as_mut().ok_or(StoreError::Closed)?;
            let result = work(&mut open.connection, &mut open.cache);
            if result.is_err() {
                open.cache.clear();
            }
            open.checkpointer
                .after_commit(&open.connection, wal_pages_after_commit());
            result
        };
        match Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(run),
            _ => run(),
        }
    }

    /// Closes the connection; later calls fail with [`StoreError::Closed`].
    pub fn close(&self) {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.take();
    }
}

/// Gives the page cache back after a pass over every waiting conversation (a re-plan):
/// such a pass reads most of the database into the writer's cache (up to [`CACHE_KIB`]),
/// which the desktop app would then keep for nothing — the next writes touch a handful of
/// pages. Ingest keeps its cache: pages of items come in runs. `PRAGMA shrink_memory`
/// frees the connection's unused cache pages (SQLite's `sqlite3_db_release_memory`).
pub(crate) fn release_bulk_pages(connection: &Connection) {
    if let Err(e) = connection.execute_batch("PRAGMA shrink_memory") {
        tracing::debug!(error = %e, "could not release the writer's page cache");
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// Binds the first parameters of `statement` from `values` (as many as it has) and runs it.
pub(crate) fn execute_with(
    statement: &mut rusqlite::CachedStatement<'_>,
    values: &[Value<'_>],
) -> Result<usize, rusqlite::Error> {
    for (index, value) in values.iter().take(statement.parameter_count()).enumerate() {
        statement.raw_bind_parameter(index + 1, value)?;
    }
    statement.raw_execute()
}
