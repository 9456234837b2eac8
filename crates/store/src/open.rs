//! Opening a workspace database: the one recipe (WAL, `synchronous=NORMAL`, busy timeout,
//! foreign keys, create if missing, then migrations, then the ingest writer).

use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use switchboard_core::Queue;

use crate::writer::{Writer, BUSY_TIMEOUT};
use crate::{Store, StoreError, ANSWERED_PAGE, WAITING_PAGE};

/// Rows a read can have in flight from a connection's thread: a whole queue list.
const ROW_CHANNEL: usize = (WAITING_PAGE + ANSWERED_PAGE) as usize;

impl Store {
    /// Opens (creating if missing) the database at `path` and migrates it.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // A queue list (up to 250 rows) streams from the connection's thread without
            // that thread stopping to wait for the reader (sqlx's default is 50 rows).
            .row_buffer_size(ROW_CHANNEL);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A file has no connection to lose: no ping round trip to the connection's
            // thread before every use (sqlx's default), which on a busy machine is one more
            // wait for a CPU.
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.display().to_string(),
                source,
            })?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let writer = Writer::open(path)?;
        Ok(Store {
            pool,
            writer,
            sharing: Default::default(),
        })
    }

    /// Makes the stored queues exactly `queues`, in this order. Conversations in a queue
    /// that is no longer listed keep their queue id and reappear if it comes back.
    pub async fn set_queues(&self, queues: &[Queue]) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("DELETE FROM queues").execute(&mut *tx).await?;
        for (position, queue) in queues.iter().enumerate() {
            sqlx::query("INSERT INTO queues (id, label, color, position) VALUES (?, ?, ?, ?)")
                .bind(&queue.id.0)
                .bind(&queue.label)
                .bind(&queue.color)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
