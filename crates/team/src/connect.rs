//! Connecting to the team's PostgreSQL: the transport rule and the laptop's small pool.
//!
//! **Transport rule**: a connection to another machine must be TLS with the server's
//! certificate checked against the host name (`sslmode=verify-full`); when the address
//! names no `sslmode`, verify-full is used. Plain or unverified modes (`disable`, `allow`,
//! `prefer`, `require`, `verify-ca`) are accepted only for the loopback interface
//! (127.0.0.0/8, ::1, `localhost`) and Unix sockets, where nothing crosses a network.
//!
//! **Pool**: a laptop holds at most [`MAX_CONNECTIONS`] connections: one for the
//! `LISTEN` wake-ups and one for everything else. A connection that sat idle longer than
//! [`IDLE_PING`] (a laptop that slept, a network that changed) is pinged before use and
//! replaced when dead; a busy connection is used without that extra round trip.

use std::net::IpAddr;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
use sqlx::{Connection, PgPool};
use switchboard_vault::Sensitive;
use url::Url;

use crate::TeamError;

/// The most connections one laptop opens to the team database.
pub const MAX_CONNECTIONS: u32 = 2;

/// Idle time after which a pooled connection is checked before it is used.
pub const IDLE_PING: Duration = Duration::from_secs(5);

/// Whether `host` (a URL host, possibly bracketed IPv6, or empty for a Unix socket) is
/// this machine.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.is_empty()
        || host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Parses `url` (a `postgres://` address, without or with credentials) and applies the
/// transport rule. The options it returns never carry a password unless the URL did.
pub fn connect_options(url: &str) -> Result<PgConnectOptions, TeamError> {
    let parsed = Url::parse(url).map_err(|e| TeamError::BadAddress(e.to_string()))?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(TeamError::BadAddress(format!(
            "it starts with {}:// instead of postgres://",
            parsed.scheme()
        )));
    }
    let query_host = parsed
        .query_pairs()
        .find(|(k, _)| k == "host")
        .map(|(_, v)| v.into_owned());
    let host = query_host.unwrap_or_else(|| parsed.host_str().unwrap_or("").to_owned());
    let asked = parsed
        .query_pairs()
        .find(|(k, _)| k == "sslmode" || k == "ssl-mode")
        .map(|(_, v)| v.into_owned());
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| TeamError::BadAddress(e.to_string()))?
        .application_name("switchboard");
    if is_loopback(&host) {
        return Ok(options);
    }
    match asked.as_deref() {
        None => Ok(options.ssl_mode(PgSslMode::VerifyFull)),
        Some("verify-full") => Ok(options),
        Some(mode) => Err(TeamError::InsecureTransport {
            host,
            mode: mode.to_owned(),
        }),
    }
}

/// A pool of at most [`MAX_CONNECTIONS`] connections to `url` as the member whose
/// password is `secret`, connected now (a wrong address or password fails here).
pub async fn member_pool(url: &str, secret: &Sensitive<String>) -> Result<PgPool, TeamError> {
    let options = connect_options(url)?.password(secret.expose());
    Ok(pool_options(Duration::from_secs(15))
        .connect_with(options)
        .await?)
}

/// Like [`member_pool`], but connecting only when first used, and giving up on a
/// connection after `acquire_timeout`: a laptop opens its team workspace offline, and
/// every call made while the server is unreachable fails quickly instead of hanging.
pub fn member_pool_lazy(
    url: &str,
    secret: &Sensitive<String>,
    acquire_timeout: Duration,
) -> Result<PgPool, TeamError> {
    let options = connect_options(url)?.password(secret.expose());
    Ok(pool_options(acquire_timeout).connect_lazy_with(options))
}

fn pool_options(acquire_timeout: Duration) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .min_connections(0)
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_PING {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "localhost",
            "",
            "/run/postgresql",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "10.0.0.1",
            "db.example.com",
            "[2001:db8::1]",
            "localhost.evil.com",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn plain_connections_are_refused_off_this_machine() {
        for mode in ["disable", "allow", "prefer", "require", "verify-ca"] {
            let err = connect_options(&format!("postgres://u@db.example.com/app?sslmode={mode}"))
                .unwrap_err();
            assert!(matches!(err, TeamError::InsecureTransport { .. }), "{mode}");
            assert!(err.to_string().contains("verify-full"), "{err}");
        }
    }

    #[test]
    fn remote_hosts_default_to_verify_full_and_accept_it() {
        let opts = connect_options("postgres://u@db.example.com/app").unwrap();
        assert!(matches!(opts.get_ssl_mode(), PgSslMode::VerifyFull));
        let opts = connect_options("postgres://u@db.example.com/app?sslmode=verify-full").unwrap();
        assert!(matches!(opts.get_ssl_mode(), PgSslMode::VerifyFull));
    }

    #[test]
    fn loopback_accepts_plain_connections() {
        let opts = connect_options("postgres://u@127.0.0.1:5432/app?sslmode=disable").unwrap();
        assert!(matches!(opts.get_ssl_mode(), PgSslMode::Disable));
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            connect_options("mysql://u@127.0.0.1/app"),
            Err(TeamError::BadAddress(_))
        ));
    }
}
