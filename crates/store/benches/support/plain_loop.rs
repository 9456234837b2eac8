//! The ingest benchmark's baseline: a **plain INSERT loop** of the event rows that store
//! the items, on a connection set up exactly as the ingest writer's.
//!
//! "Exactly as the writer's" means what `src/writer.rs` and `src/checkpointer.rs` do (keep
//! this file in step with them):
//! - the same flags and pragmas: no per-connection mutex, busy timeout 5 s,
//!   `synchronous=NORMAL`, `foreign_keys=ON`, a 32 MiB page cache, `journal_size_limit`
//!   64 MiB;
//! - the same checkpoints: SQLite's inline auto-checkpoint replaced by a WAL hook; past
//!   1,000 WAL pages a second connection on its own thread runs a `PASSIVE` checkpoint,
//!   past 4,000 the inserting connection finishes it between two transactions;
//! - the same statement shape: up to 32 rows per `INSERT` (the writer's
//!   `ROWS_PER_APPEND`), one `BEGIN IMMEDIATE` transaction per page.
//!
//! What it leaves out is what ingest adds: the duplicate check, reading and folding
//! conversation states, conversation rows, encoding the events, and the cursor.

use std::cell::Cell;
use std::ffi::c_int;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use rusqlite::hooks::Wal;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

/// Rows per `INSERT`, as the writer appends events.
pub const ROWS_PER_INSERT: usize = 32;
/// The writer's busy timeout, page cache (KiB) and WAL size limit (bytes).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const CACHE_KIB: i64 = 32 * 1024;
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;
/// WAL pages past which the checkpoint thread is nudged, and past which the inserting
/// connection checkpoints itself.
const NUDGE_PAGES: c_int = 1_000;
const RESTART_PAGES: c_int = 4 * NUDGE_PAGES;

/// One event row: kind, conversation id, item key, JSON payload.
pub type Row = (&'static str, i64, String, String);

thread_local! {
    static WAL_PAGES: Cell<c_int> = const { Cell::new(0) };
}

fn note_wal_size(_wal: &Wal, pages: c_int) -> rusqlite::Result<()> {
    WAL_PAGES.with(|size| size.set(pages));
    Ok(())
}

fn open(path: &Path) -> Connection {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    connection.busy_timeout(BUSY_TIMEOUT).unwrap();
    connection
}

fn checkpoint(connection: &Connection) {
    connection
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .unwrap();
}

/// Inserts `rows` into the `events` table of the (migrated) database at `path`, `page`
/// rows per transaction; returns the time it took.
pub fn run(path: &Path, rows: &[Row], page: usize) -> Duration {
    let mut connection = open(path);
    connection
        .pragma_update(None, "synchronous", "NORMAL")
        .unwrap();
    connection
        .pragma_update(None, "foreign_keys", true)
        .unwrap();
    connection
        .pragma_update(None, "cache_size", -CACHE_KIB)
        .unwrap();
    connection
        .pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)
        .unwrap();
    connection.wal_hook(Some(note_wal_size));
    let (nudge, nudged) = sync_channel::<()>(1);
    let checkpointer = {
        let other = open(path);
        std::thread::spawn(move || {
            while nudged.recv().is_ok() {
                checkpoint(&other);
            }
        })
    };
    let sql: Vec<String> = (0..=ROWS_PER_INSERT)
        .map(|n| {
            let values = vec!["(0, ?, ?, NULL, ?, ?)"; n].join(", ");
            format!(
                "INSERT INTO events (recorded_at, kind, conversation_id, actor, item_key, \
                 payload) VALUES {values}"
            )
        })
        .collect();

    let start = Instant::now();
    for batch in rows.chunks(page) {
        let tx = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        for chunk in batch.chunks(ROWS_PER_INSERT) {
            let mut insert = tx.prepare_cached(&sql[chunk.len()]).unwrap();
            let mut parameter = 0;
            for (kind, conversation, key, payload) in chunk {
                let values: [&dyn rusqlite::ToSql; 4] = [kind, conversation, key, payload];
                for value in values {
                    parameter += 1;
                    insert.raw_bind_parameter(parameter, value).unwrap();
                }
            }
            insert.raw_execute().unwrap();
        }
        tx.commit().unwrap();
        let pages = WAL_PAGES.with(|size| size.replace(0));
        if pages >= RESTART_PAGES {
            checkpoint(&connection);
        } else if pages >= NUDGE_PAGES {
            let _ = nudge.try_send(());
        }
    }
    let took = start.elapsed();
    drop(nudge);
    checkpointer.join().unwrap();
    took
}
