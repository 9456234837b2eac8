//! Store errors.

/// A failure of the local database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error("could not open the workspace database at {path}: {source}")]
    Open {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: sqlx::Error,
    },
    /// The ingest writer's connection could not be opened.
    #[error("could not open the workspace database at {path} for writing: {source}")]
    OpenWriter {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The thread that checkpoints the database could not be started.
    #[error("could not start the database checkpoint thread: {0}")]
    CheckpointThread(#[source] std::io::Error),
    /// The schema could not be brought up to date.
    #[error("could not update the workspace database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("workspace database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// A statement of the ingest writer failed.
    #[error("workspace database write failed: {0}")]
    Write(#[from] rusqlite::Error),
    /// The store was closed (the workspace was switched away from or removed).
    #[error("the workspace database is closed")]
    Closed,
    /// A row held a value this version does not understand.
    #[error("the workspace database holds an unknown {what} `{value}`")]
    Corrupt {
        /// Which column.
        what: &'static str,
        /// The value found.
        value: String,
    },
    /// The event does not apply to the conversation as it stands.
    #[error("{0}")]
    Rejected(#[from] switchboard_core::ReduceError),
    /// The log could not be written to a file.
    #[error("could not write the export to {path}: {source}")]
    Export {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Asked for a row that does not exist.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What was asked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
}
