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

/// What is wrong with a database file that could not be opened, for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    /// The file is not a database or is corrupt.
    Damaged,
    /// Another program (or another Switchboard) holds a lock on it.
    InUse,
    /// The file or its directory cannot be read or written (permissions, disk).
    Unreadable,
}

impl StoreError {
    /// What is wrong with the file, when SQLite said so.
    pub fn file_problem(&self) -> Option<FileProblem> {
        let code = match self {
            StoreError::Open { source, .. } | StoreError::Query(source) => sqlx_code(source)?,
            StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(source)
                | sqlx::migrate::MigrateError::ExecuteMigration(source, _),
            ) => sqlx_code(source)?,
            StoreError::OpenWriter { source, .. } | StoreError::Write(source) => {
                source.sqlite_error()?.extended_code
            }
            _ => return None,
        };
        // Primary result codes (the low byte of an extended code), from sqlite3.h.
        match code & 0xff {
            11 | 26 => Some(FileProblem::Damaged), // SQLITE_CORRUPT, SQLITE_NOTADB
            5 | 6 => Some(FileProblem::InUse),     // SQLITE_BUSY, SQLITE_LOCKED
            3 | 8 | 10 | 13 | 14 | 23 => Some(FileProblem::Unreadable), // PERM, READONLY, IOERR, FULL, CANTOPEN, AUTH
            _ => None,
        }
    }
}

fn sqlx_code(error: &sqlx::Error) -> Option<i32> {
    match error {
        sqlx::Error::Database(database) => database.code()?.parse().ok(),
        _ => None,
    }
}
