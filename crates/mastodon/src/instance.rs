//! The **instance**: the Mastodon server a brand account lives on, known by its origin
//! (`https://mastodon.example/`). Its **host** (`mastodon.example`, with `:port` when not
//! the default) qualifies account ids, since ids are only unique per server.
//!
//! An address typed **without a scheme** is **probed** before the sign-in uses it
//! ([`find_instance`]): `https` is asked first, with a short timeout; when it does not
//! answer, a server on this computer (loopback) is asked on plain `http` and used there
//! (a local test server), and any other server that answers only on plain `http` gets a
//! plain-words refusal instead of a long wait.

use std::fmt;
use std::time::Duration;

use url::Url;

/// A Mastodon server's origin, as typed by a person and cleaned up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceUrl(Url);

/// Why a server address was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "“{input}” is not a Mastodon server address: {reason}. Enter the address of the server, \
     for example mastodon.social"
)]
pub struct InvalidInstanceUrl {
    /// What was typed.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl InstanceUrl {
    /// Accepts `mastodon.social`, `https://mastodon.social/@brand` and the like: `https`
    /// is assumed when no scheme is given, and anything after the host is dropped (the
    /// API lives at the root). Plain `http` is allowed only on this computer (loopback),
    /// where a development server runs.
    pub fn parse(input: &str) -> Result<Self, InvalidInstanceUrl> {
        let invalid = |reason| InvalidInstanceUrl {
            input: input.to_owned(),
            reason,
        };
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let url = Url::parse(&with_scheme).map_err(|_| invalid("it is not a web address"))?;
        let host = url.host().ok_or_else(|| invalid("it names no server"))?;
        let loopback = match host {
            url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => return Err(invalid("it must use https")),
            _ => return Err(invalid("it is not a web address")),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not contain a user name or password"));
        }
        let mut origin = url.clone();
        origin.set_path("/");
        origin.set_query(None);
        origin.set_fragment(None);
        Ok(InstanceUrl(origin))
    }

    /// Whether the server is on this computer (`localhost`, `127.0.0.1`, `::1`).
    pub fn is_loopback(&self) -> bool {
        match self.0.host() {
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
    }

    /// The same server on plain `http` (same port when one was given).
    fn on_http(&self) -> Url {
        let mut url = self.0.clone();
        let _ = url.set_scheme("http");
        url
    }

    /// The origin, ending in `/`.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The host with its port when not the scheme's default: `mastodon.example`,
    /// `127.0.0.1:3000`.
    pub fn host(&self) -> String {
        let host = self.0.host_str().unwrap_or_default();
        match self.0.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }

    /// The absolute URL of an API path such as `api/v1/notifications`.
    pub fn endpoint(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        url.set_path(path.trim_start_matches('/'));
        url
    }
}

/// How long the `https` probe of an address typed without a scheme may take.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Why a typed address was not found on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotFound {
    /// What was typed is not an address.
    Invalid(InvalidInstanceUrl),
    /// The server answers on plain `http` only and is not on this computer.
    HttpOnly { host: String },
}

/// The server for what a person typed: with a scheme, as typed; without one, `https`
/// when it answers there within [`PROBE_TIMEOUT`], else plain `http` for a server on
/// this computer that answers there. A server that does not answer at all is returned
/// as `https` (the sign-in then says it cannot be reached).
pub(crate) async fn find_instance(
    input: &str,
    request_timeout: Duration,
) -> Result<InstanceUrl, NotFound> {
    let instance = InstanceUrl::parse(input).map_err(NotFound::Invalid)?;
    if input.contains("://") {
        return Ok(instance);
    }
    let quick = PROBE_TIMEOUT.min(request_timeout);
    if answers(instance.url(), quick).await {
        return Ok(instance);
    }
    let plain = instance.on_http();
    if instance.is_loopback() {
        if answers(&plain, request_timeout).await {
            tracing::info!(host = %instance.host(), "a local server without https: using http");
            return InstanceUrl::parse(plain.as_str()).map_err(NotFound::Invalid);
        }
    } else if answers(&plain, quick).await {
        return Err(NotFound::HttpOnly {
            host: instance.host(),
        });
    }
    Ok(instance)
}

/// Whether anything at `origin` answers an HTTP request (any status) within `limit`.
async fn answers(origin: &Url, limit: Duration) -> bool {
    let client = reqwest::Client::builder()
        .connect_timeout(limit)
        .timeout(limit)
        .redirect(reqwest::redirect::Policy::none())
        .build();
    let Ok(client) = client else {
        return false;
    };
    let mut url = origin.clone();
    url.set_path("api/v1/instance");
    client.get(url).send().await.is_ok()
}

impl fmt::Display for InstanceUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_up_what_people_type() {
        let instance = InstanceUrl::parse(" mastodon.social/@brand?x=1 ").unwrap();
        assert_eq!(instance.url().as_str(), "https://mastodon.social/");
        assert_eq!(instance.host(), "mastodon.social");
        assert_eq!(
            instance.endpoint("api/v1/apps").as_str(),
            "https://mastodon.social/api/v1/apps"
        );
        let local = InstanceUrl::parse("http://127.0.0.1:3000").unwrap();
        assert_eq!(local.host(), "127.0.0.1:3000");
    }

    #[test]
    fn refuses_what_cannot_be_a_server() {
        for input in [
            "",
            "http://mastodon.social",
            "ftp://x.example",
            "https://me:pw@x.example",
            "https://",
            "not a url at all",
        ] {
            let error = InstanceUrl::parse(input).expect_err(input);
            assert!(
                error.to_string().contains("not a Mastodon server address"),
                "{input}: {error}"
            );
        }
    }
}
