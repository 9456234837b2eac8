//! [`TeamError`]: what can go wrong talking to the team's database, in plain words.
//!
//! Messages never contain a password, a join code or a connection URL with credentials.

/// An error of the team client or the administrator's command.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// A plain (unencrypted or unverified) connection to a host that is not this machine.
    #[error(
        "refusing to connect to the team database at {host} without a verified TLS connection \
         (sslmode={mode}); use sslmode=verify-full (plain connections are allowed only to this \
         machine)"
    )]
    InsecureTransport {
        /// The database host.
        host: String,
        /// The sslmode that was asked for.
        mode: String,
    },
    /// The database URL or the join code could not be read.
    #[error("the team database address is not valid: {0}")]
    BadAddress(String),
    /// The join code could not be read.
    #[error("this join code is not valid (it may be cut short or mistyped)")]
    BadJoinCode,
    /// The poll lease or claim moved on (expired and taken over, or released): the
    /// write was refused and nothing was written.
    #[error(
        "{what} is no longer held by this laptop (fence {fence} moved on); nothing was written"
    )]
    FenceMoved {
        /// What was fenced: "the poll lease of `account`" or "the claim on `conversation`".
        what: String,
        /// The fence this laptop held.
        fence: i64,
    },
    /// Only a lead may publish a new version of the team's policy.
    #[error("only a lead can change the team's policy; ask a lead to make this change")]
    NotALead,
    /// Someone published this policy version first.
    #[error(
        "policy version {version} was published by someone else in the meantime; \
         start again from the newest version"
    )]
    PolicyVersionTaken {
        /// The version that was asked for.
        version: i32,
    },
    /// An event payload could not be turned into JSON.
    #[error("an event could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
    /// The administrator asked for something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The database refused or could not be reached.
    #[error("the team database: {0}")]
    Database(#[from] sqlx::Error),
    /// Running the schema migrations failed.
    #[error("updating the team database's schema failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl TeamError {
    /// Whether the server could not be reached (or went away), rather than refused:
    /// the laptop is offline, and what it asked for may be asked again later.
    pub fn is_unreachable(&self) -> bool {
        let TeamError::Database(error) = self else {
            return false;
        };
        matches!(
            error,
            sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Tls(_)
        ) || error.as_database_error().is_some_and(|db| {
            // admin_shutdown, crash_shutdown, cannot_connect_now
            matches!(db.code().as_deref(), Some("57P01" | "57P02" | "57P03"))
        })
    }
}
