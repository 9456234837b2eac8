//! [`GraphUrl`]: where the Graph API is, and each call's address at the pinned version.

use super::GRAPH_VERSION;

/// The Graph API's address: `https://graph.facebook.com` in production, the fake's loopback
/// address in tests (`SWITCHBOARD_META_GRAPH_URL`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphUrl(pub url::Url);

impl GraphUrl {
    /// Meta's production Graph API.
    pub fn production() -> Self {
        GraphUrl(url::Url::parse("https://graph.facebook.com/").expect("valid url"))
    }

    /// `SWITCHBOARD_META_GRAPH_URL` when set (tests, a company's recording proxy), else
    /// [`GraphUrl::production`].
    pub fn from_env() -> Self {
        std::env::var("SWITCHBOARD_META_GRAPH_URL")
            .ok()
            .and_then(|text| url::Url::parse(&text).ok())
            .map(GraphUrl)
            .unwrap_or_else(GraphUrl::production)
    }

    /// `<base>/<GRAPH_VERSION>/<path>`.
    pub fn endpoint(&self, path: &str) -> url::Url {
        self.0
            .join(&format!("{GRAPH_VERSION}/{}", path.trim_start_matches('/')))
            .expect("a Graph path is a valid relative url")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_name_the_pinned_version() {
        let graph = GraphUrl(url::Url::parse("http://127.0.0.1:9/").unwrap());
        assert_eq!(
            graph.endpoint("/me/accounts").as_str(),
            "http://127.0.0.1:9/v23.0/me/accounts"
        );
        assert_eq!(
            GraphUrl::production().endpoint("123_456/comments").as_str(),
            "https://graph.facebook.com/v23.0/123_456/comments"
        );
    }
}
