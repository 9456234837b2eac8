//! [`HttpOptions`]: the timeouts and retries every platform client's HTTP calls share.

use std::time::Duration;

/// Timeouts and retries of a platform client's HTTP calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one whole request (connect, send, read the body) may take.
    pub request_timeout: Duration,
    /// How many times a server error or failed connection is retried.
    pub retries: u32,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(20),
            retries: 3,
        }
    }
}
