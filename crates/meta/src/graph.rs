//! The Graph API client: one base address, one token, one pinned version.
//!
//! Every call goes to `<base>/v23.0/<path>` ([`GRAPH_VERSION`]) with the token in an
//! `Authorization: Bearer` header — never in the address, so no log, error or redirect
//! can carry it — through one HTTP client with bounded connect and request times
//! ([`HttpOptions`]) that follows no redirect.
//!
//! - **Usage**: every response's `X-App-Usage` / `X-Business-Use-Case-Usage` headers feed
//!   the account's [`RateBudget`] ([`usage`]); clones of a client share it.
//! - **Retries**: a read that meets a server error (5xx, Graph codes 1 and 2, `is_transient`)
//!   or a failed connection is retried with [`Backoff::REQUEST`] up to
//!   [`HttpOptions::retries`] times. A write (`POST`) is retried only when the connection
//!   failed before the request was sent: Graph has no idempotency key, so a write that
//!   may have been applied is left to the caller (which looks for it before posting
//!   again). A request that gets no answer in time is not retried ([`GraphError::Timeout`]).
//! - **Errors**: Graph's `error.code` / `error_subcode` become a [`GraphError`] ([`errors`]
//!   has the table and the Meta documentation it rests on); a body that is not what the
//!   Graph API documents is [`GraphError::Malformed`].
//! - **Paging**: an edge answers `{"data":[…],"paging":{"cursors":{"after":…},"next":…}}`;
//!   [`Paged::after`] is the `after` cursor only when there is a `next` page.

mod address;
mod errors;
mod paged;
mod usage;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::RequestBuilder;
use serde::de::DeserializeOwned;
use switchboard_core::Timestamp;
use switchboard_platforms::backoff::{parse_retry_after, Backoff};
use switchboard_platforms::pacing::RateBudget;
use switchboard_vault::Sensitive;

pub use address::GraphUrl;
use errors::{GraphErrorBody, RequestShape};
pub use paged::Paged;
use paged::RawPage;
pub use usage::Usage;

/// The Graph API version every call names (`https://graph.facebook.com/v23.0/...`).
pub const GRAPH_VERSION: &str = "v23.0";

pub use switchboard_platforms::HttpOptions;

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
            // `ProviderError::Refused` already says "the platform refused".
            GraphError::Refused(words) => P::Refused(words),
            GraphError::Permission(_) | GraphError::WindowClosed(_) | GraphError::NotFound(_) => {
                P::Refused(error.to_string())
            }
        }
    }
}

/// The client of one token.
#[derive(Clone)]
pub struct GraphClient {
    base: GraphUrl,
    token: Sensitive<String>,
    http: HttpOptions,
    client: reqwest::Client,
    budget: Arc<Mutex<RateBudget>>,
    usage: Arc<Mutex<Option<Usage>>>,
    /// How the token travels: an `Authorization: Bearer` header, or (the app token of
    /// device login, as Meta documents it) an `access_token` form field.
    bearer: bool,
}

/// A refused call: its [`GraphError`] and, when Meta sent one, the error object (whose
/// subcode some callers need, e.g. device login's polling).
#[derive(Debug)]
pub(crate) struct Failure {
    pub error: GraphError,
    pub body: Option<GraphErrorBody>,
}

impl From<GraphError> for Failure {
    fn from(error: GraphError) -> Self {
        Failure { error, body: None }
    }
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("base", &self.base.0.as_str())
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// What a call returned before decoding.
struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Whether a failed request may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// A read: retried after server errors and failed connections.
    Read,
    /// A write: retried only when the connection failed before anything was sent.
    Write,
}

/// The HTTP client of the Graph API: bounded timeouts, no redirects (a token must not
/// follow one), rustls.
pub(crate) fn http_client(options: &HttpOptions) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the HTTP client has a valid fixed configuration")
}

impl GraphClient {
    /// A client calling `base` with `token`. Makes no call.
    pub fn new(base: GraphUrl, token: Sensitive<String>, http: HttpOptions) -> Self {
        GraphClient {
            client: http_client(&http),
            base,
            token,
            http,
            budget: Arc::new(Mutex::new(RateBudget::default())),
            usage: Arc::new(Mutex::new(None)),
            bearer: true,
        }
    }

    /// A client for the app token (`<app id>|<client token>`) of device login, which
    /// Meta's guide sends as the `access_token` form field of `POST`s (the only calls made
    /// with it: [`GraphClient::post`] adds the field, `get` would not).
    pub(crate) fn for_app(base: GraphUrl, app_token: Sensitive<String>, http: HttpOptions) -> Self {
        GraphClient {
            bearer: false,
            ..GraphClient::new(base, app_token, http)
        }
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
        let url = self.base.endpoint(path);
        let raw = self
            .send(path, Retry::Read, shape_of(query), || {
                self.client.get(url.clone()).query(query)
            })
            .await
            .map_err(|failure| failure.error)?;
        decode(path, &raw.body)
    }

    /// One page of an edge (`limit`, `after` in `query`).
    pub async fn get_page<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Paged<T>, GraphError> {
        let raw: RawPage<T> = self.get(path, query).await?;
        Ok(raw.into())
    }

    /// `POST <path>` with a form body.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
    ) -> Result<T, GraphError> {
        self.post_detailed(path, form)
            .await
            .map_err(|failure| failure.error)
    }

    /// [`GraphClient::post`], keeping Meta's error object of a refusal.
    pub(crate) async fn post_detailed<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
    ) -> Result<T, Failure> {
        let url = self.base.endpoint(path);
        let mut form: Vec<(&str, String)> = form.to_vec();
        if !self.bearer {
            form.push(("access_token", self.token.expose().clone()));
        }
        let raw = self
            .send(path, Retry::Write, RequestShape::default(), || {
                self.client.post(url.clone()).form(&form)
            })
            .await?;
        Ok(decode(path, &raw.body)?)
    }

    /// `POST <path>` with a JSON body (the Send API).
    pub async fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, GraphError> {
        let url = self.base.endpoint(path);
        let raw = self
            .send(path, Retry::Write, RequestShape::default(), || {
                self.client.post(url.clone()).json(body)
            })
            .await
            .map_err(|failure| failure.error)?;
        decode(path, &raw.body)
    }

    /// The account's rate budget, fed by the usage headers of every response.
    pub fn budget(&self) -> RateBudget {
        *self.budget.lock().expect("budget lock")
    }

    /// The usage headers of the latest response that had them.
    pub fn usage(&self) -> Option<Usage> {
        *self.usage.lock().expect("usage lock")
    }

    /// Sends the request `build` makes, retrying as `retry` allows; returns a 2xx answer,
    /// every other outcome as its [`GraphError`].
    async fn send(
        &self,
        path: &str,
        retry: Retry,
        shape: RequestShape,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, Failure> {
        let mut failures = 0;
        loop {
            let (error, body, platform_asked, retryable) = match self.attempt(&build).await {
                Ok(raw) => {
                    let usage = self.observe(&raw.headers);
                    if (200..300).contains(&raw.status) {
                        return Ok(raw);
                    }
                    let body = GraphErrorBody::parse(&raw.body);
                    let error = self.scrub_error(errors::classify(
                        raw.status,
                        body.as_ref(),
                        usage.as_ref(),
                        shape,
                    ));
                    let asked = raw
                        .headers
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    let retryable =
                        retry == Retry::Read && matches!(error, GraphError::Unavailable(_));
                    (error, body, asked, retryable)
                }
                Err(AttemptError::Timeout) => {
                    tracing::warn!(path, "a Graph call got no answer in time");
                    return Err(GraphError::Timeout(self.http.request_timeout).into());
                }
                Err(AttemptError::Unreachable { detail, sent }) => (
                    GraphError::Unavailable(format!(
                        "Switchboard cannot reach {} ({detail})",
                        self.base.0.host_str().unwrap_or("the Graph API")
                    )),
                    None,
                    None,
                    retry == Retry::Read || !sent,
                ),
            };
            failures += 1;
            let asks_too_long = platform_asked.is_some_and(|asked| asked > Backoff::REQUEST.max);
            if !retryable || failures > self.http.retries || asks_too_long {
                if retryable {
                    tracing::warn!(path, failures, "giving up on a Graph call");
                } else {
                    tracing::debug!(path, %error, "a Graph call was refused");
                }
                return Err(Failure { error, body });
            }
            let pause = Backoff::REQUEST.delay(failures, platform_asked);
            tracing::debug!(path, failures, ?pause, "retrying a Graph call");
            tokio::time::sleep(pause).await;
        }
    }

    async fn attempt(
        &self,
        build: &impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, AttemptError> {
        let request = if self.bearer {
            build().header(AUTHORIZATION, format!("Bearer {}", self.token.expose()))
        } else {
            build()
        };
        let response = request.send().await.map_err(AttemptError::before_answer)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(AttemptError::reading_body)?;
        Ok(RawResponse {
            status,
            headers,
            body: body.to_vec(),
        })
    }

    /// Feeds the usage headers to the budget; returns them.
    fn observe(&self, headers: &HeaderMap) -> Option<Usage> {
        let pairs = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
        let usage = Usage::from_pairs(pairs)?;
        let now = Timestamp::now_from_system();
        self.budget
            .lock()
            .expect("budget lock")
            .observe(usage.rate_headers(now));
        *self.usage.lock().expect("usage lock") = Some(usage);
        if usage.percent_used() >= 75 {
            tracing::info!(
                percent = usage.percent_used(),
                "Meta reports the call budget mostly used"
            );
        }
        Some(usage)
    }

    /// Removes the token from an error's words, should Meta ever echo it.
    fn scrub_error(&self, error: GraphError) -> GraphError {
        let token = self.token.expose();
        if token.is_empty() {
            return error;
        }
        let scrub = |text: String| text.replace(token.as_str(), "<redacted>");
        match error {
            GraphError::TokenInvalid(t) => GraphError::TokenInvalid(scrub(t)),
            GraphError::Permission(t) => GraphError::Permission(scrub(t)),
            GraphError::WindowClosed(t) => GraphError::WindowClosed(scrub(t)),
            GraphError::NotFound(t) => GraphError::NotFound(scrub(t)),
            GraphError::Unavailable(t) => GraphError::Unavailable(scrub(t)),
            GraphError::Malformed(t) => GraphError::Malformed(scrub(t)),
            GraphError::Refused(t) => GraphError::Refused(scrub(t)),
            other => other,
        }
    }
}

/// The shape of a request, from its query.
fn shape_of(query: &[(&str, String)]) -> RequestShape {
    RequestShape {
        had_cursor: query
            .iter()
            .any(|(name, value)| matches!(*name, "after" | "before") && !value.is_empty()),
    }
}

/// Decodes a 2xx body; a body that is not the documented JSON is
/// [`GraphError::Malformed`], saying where without quoting the body (it may hold tokens).
fn decode<T: DeserializeOwned>(path: &str, body: &[u8]) -> Result<T, GraphError> {
    serde_json::from_slice(body).map_err(|error| {
        let what = match error.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "it is not JSON".to_owned()
            }
            _ => without_quoted(&error.to_string()),
        };
        GraphError::Malformed(format!("{} ({what})", describe(path)))
    })
}

/// `text` with everything between double quotes replaced by `…` (serde quotes values).
fn without_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            if !inside {
                out.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

/// What a call to `path` was reading, in words: the path without ids.
fn describe(path: &str) -> String {
    let edges: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|part| !part.chars().all(|c| c.is_ascii_digit() || c == '_'))
        .collect();
    if edges.is_empty() {
        "an object".into()
    } else {
        format!("the {} answer", edges.join("/"))
    }
}

enum AttemptError {
    Timeout,
    Unreachable {
        detail: String,
        /// Whether the request may have reached Meta.
        sent: bool,
    },
}

impl AttemptError {
    fn before_answer(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            return AttemptError::Timeout;
        }
        AttemptError::Unreachable {
            sent: !error.is_connect(),
            detail: plain_reqwest_error(error),
        }
    }

    fn reading_body(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            return AttemptError::Timeout;
        }
        AttemptError::Unreachable {
            sent: true,
            detail: plain_reqwest_error(error),
        }
    }
}

/// A failed connection in plain words; the technical chain (without the URL) goes to the
/// debug log only.
pub(crate) fn plain_reqwest_error(error: reqwest::Error) -> String {
    let error = error.without_url();
    let chain = switchboard_platforms::error_chain(&error);
    tracing::debug!(detail = %chain, "a connection to the Graph API failed");
    switchboard_platforms::connection_failure_words(&chain, error.is_timeout()).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_bodies_are_described_without_quoting_them() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            id: String,
            access_token: String,
        }
        let error = decode::<Page>("me/accounts", br#"{"id":"1","access_token":42}"#).unwrap_err();
        assert!(
            matches!(error, GraphError::Malformed(ref w) if w.contains("me/accounts")),
            "{error:?}"
        );
        let error =
            decode::<Page>("123/feed", br#"{"id":"1","access_token":"EAAB-secret"}x"#).unwrap_err();
        assert!(!error.to_string().contains("EAAB-secret"), "{error}");
        let error = decode::<Vec<Page>>("123", b"<html>").unwrap_err();
        assert_eq!(
            error,
            GraphError::Malformed("an object (it is not JSON)".into())
        );
        assert_eq!(
            without_quoted(r#"invalid type: string "EAAB", expected u32"#),
            r#"invalid type: string "…", expected u32"#
        );
    }

    #[test]
    fn clones_share_the_budget_the_usage_headers_feed() {
        let client = GraphClient::new(
            GraphUrl::production(),
            "EAAB-page-token".into(),
            HttpOptions::default(),
        );
        let clone = client.clone();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-business-use-case-usage",
            r#"{"1":[{"type":"pages","call_count":100,"total_cputime":3,"total_time":3,"estimated_time_to_regain_access":2}]}"#
                .parse()
                .unwrap(),
        );
        let usage = client.observe(&headers).expect("usage read");
        assert_eq!(usage.regain_access_in, Some(Duration::from_secs(120)));
        let now = Timestamp::now_from_system();
        assert_eq!(clone.budget().remaining(now), Some(0));
        assert!(clone.budget().wait_for_call(now) > Duration::from_secs(110));
        assert_eq!(clone.usage(), Some(usage));
        // A response without usage headers changes nothing.
        assert_eq!(client.observe(&HeaderMap::new()), None);
        assert_eq!(clone.usage(), Some(usage));
    }

    #[test]
    fn the_debug_form_shows_no_token() {
        let client = GraphClient::new(
            GraphUrl::production(),
            "EAAB-page-token".into(),
            HttpOptions::default(),
        );
        let shown = format!("{client:?}");
        assert!(!shown.contains("EAAB"), "{shown}");
        assert!(shown.contains("graph.facebook.com"));
    }
}
