//! The **instance**: the Mastodon server a brand account lives on, known by its origin
//! (`https://mastodon.example/`). Its **host** (`mastodon.example`, with `:port` when not
//! the default) qualifies account ids and handles, since ids are only unique per server.

use std::fmt;

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
