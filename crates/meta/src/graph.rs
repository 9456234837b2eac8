//! The Graph API client: one base address, one token, one pinned version.
//!
//! CONTRACT STUB (owned by the Graph-client helper): signatures here are the contract the
//! providers and the engine code against; bodies are to be written.

use std::time::Duration;

use serde::de::DeserializeOwned;
use switchboard_platforms::pacing::RateBudget;
use switchboard_vault::Sensitive;

/// The Graph API version every call names (`https://graph.facebook.com/v23.0/...`).
pub const GRAPH_VERSION: &str = "v23.0";

/// Timeouts and retries of Graph calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpOptions {
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one whole request may take.
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

/// Why a Graph call failed, by the Graph error code (`error.code`, `error.error_subcode`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// Throttled: codes 4 (app), 17 (user), 32 (Page), 613 (custom), 80001–80014 (business
    /// use case). `retry_after` from the usage headers' `estimated_time_to_regain_access`
    /// when given.
    #[error("Meta asked to slow down (error {code}); retrying in {} s", retry_after.as_secs().max(1))]
    Throttled {
        /// The Graph error code.
        code: i64,
        /// How long to wait.
        retry_after: Duration,
    },
    /// Code 190 (and 102): the token expired or was revoked.
    #[error("the sign-in expired or was revoked at Meta ({0})")]
    TokenInvalid(String),
    /// Codes 10 and 200–299: a permission is missing.
    #[error("the Meta app lacks a permission ({0})")]
    Permission(String),
    /// The Messenger / Instagram messaging window is closed (code 10 subcode 2018278, or
    /// code 551 / 2534022 and the like).
    #[error("the messaging window is closed: {0}")]
    WindowClosed(String),
    /// A paging cursor expired or is invalid (code 100 on a cursor).
    #[error("a paging position expired at Meta")]
    CursorExpired,
    /// The object does not exist or is not visible (code 100 subcode 33, 404).
    #[error("not found at Meta: {0}")]
    NotFound(String),
    /// 5xx, or code 1/2 (temporary).
    #[error("Meta's servers answered with an error ({0})")]
    Unavailable(String),
    /// No answer in time.
    #[error("Meta did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
    /// A body that is not what the Graph API documents.
    #[error("Meta sent a response Switchboard cannot read: {0}")]
    Malformed(String),
    /// Anything else Graph refused, with its message.
    #[error("Meta refused: {0}")]
    Refused(String),
}

impl From<GraphError> for switchboard_platforms::ProviderError {
    fn from(error: GraphError) -> Self {
        use switchboard_platforms::ProviderError as P;
        match error {
            GraphError::Throttled { retry_after, .. } => P::RateLimited { retry_after },
            GraphError::TokenInvalid(_) => P::SignInAgain(error.to_string()),
            GraphError::Timeout(after) => P::Timeout(after),
            GraphError::Unavailable(_) => P::Unavailable(error.to_string()),
            GraphError::Malformed(detail) => P::Malformed(detail),
            GraphError::CursorExpired => P::BadCursor("expired paging cursor".into()),
            GraphError::Permission(_)
            | GraphError::WindowClosed(_)
            | GraphError::NotFound(_)
            | GraphError::Refused(_) => P::Refused(error.to_string()),
        }
    }
}

/// One page of a Graph edge: `{ "data": [...], "paging": { "cursors": {...}, "next": ... } }`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Paged<T> {
    /// The objects.
    pub data: Vec<T>,
    /// Where the next page starts (`paging.cursors.after`) when there is a next page.
    #[serde(skip)]
    pub after: Option<String>,
}

/// The client of one token.
#[derive(Clone)]
pub struct GraphClient {
    base: GraphUrl,
    token: Sensitive<String>,
    http: HttpOptions,
}

impl GraphClient {
    /// A client calling `base` with `token`. Makes no call.
    pub fn new(base: GraphUrl, token: Sensitive<String>, http: HttpOptions) -> Self {
        GraphClient { base, token, http }
    }

    /// The address it calls.
    pub fn base(&self) -> &GraphUrl {
        &self.base
    }

    /// `GET <path>?<query>&access_token=…`, decoded.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, GraphError> {
        let _ = (path, query, &self.token, self.http);
        todo!("graph client")
    }

    /// One page of an edge (`limit`, `after` in `query`).
    pub async fn get_page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Paged<T>, GraphError> {
        let _ = (path, query);
        todo!("graph client")
    }

    /// `POST <path>` with a form body.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
    ) -> Result<T, GraphError> {
        let _ = (path, form);
        todo!("graph client")
    }

    /// `POST <path>` with a JSON body (the Send API).
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, GraphError> {
        let _ = (path, body);
        todo!("graph client")
    }

    /// The account's rate budget, fed by the usage headers of every response.
    pub fn budget(&self) -> RateBudget {
        todo!("graph client")
    }
}
