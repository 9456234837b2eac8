//! Authenticated calls to one instance's REST API for one account.
//!
//! Every response feeds the account's [`RateBudget`] from its `X-RateLimit-*` headers;
//! a call is not even sent while the budget says the window is spent. Server errors
//! (5xx) and failed connections are retried a few times with [`Backoff::REQUEST`]
//! (unless the server's `Retry-After` asks for longer than that schedule allows: then the
//! sync loop's slower backoff takes over);
//! a 429 becomes [`ProviderError::RateLimited`] with the longer of `Retry-After` and the
//! time to `X-RateLimit-Reset`; a 401 becomes [`ProviderError::SignInAgain`]; a body
//! that is not the documented JSON becomes [`ProviderError::Malformed`]. Connect and
//! total timeouts are bounded ([`HttpOptions`]). No message ever contains the token.
//!
//! Some servers answer a revoked or expired token with **400 or 403** and a plain-text
//! body instead of 401. Such an answer to a read is **checked**: the client asks
//! `GET /api/v1/accounts/verify_credentials` once; a 401 or 403 there means the sign-in
//! is gone ([`ProviderError::SignInAgain`]), anything else keeps the original refusal.
//! Refusals are told in plain words (never `400 Bad Request`), naming what was being
//! done ([`describe`]).

use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::{HeaderMap, AUTHORIZATION, LINK};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use switchboard_core::Timestamp;
use switchboard_platforms::backoff::{parse_retry_after, Backoff};
use switchboard_platforms::pacing::{RateBudget, RateHeaders};
use switchboard_platforms::ProviderError;
use switchboard_vault::Sensitive;

use crate::instance::InstanceUrl;
use crate::link_header::PageLinks;

pub use switchboard_platforms::HttpOptions;

/// The HTTP client every call to an instance goes through: bounded timeouts, no
/// redirects (a token must not follow one), rustls.
pub(crate) fn http_client(options: &HttpOptions) -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(options.connect_timeout)
        .timeout(options.request_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Switchboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("the HTTP client has a valid fixed configuration")
}

/// The wall clock as a [`Timestamp`].
pub(crate) fn wall_clock() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    Timestamp(millis)
}

/// A decoded response body with its page links.
pub(crate) struct ApiResponse<T> {
    pub body: T,
    pub links: PageLinks,
}

/// One account's API access.
pub(crate) struct ApiClient {
    client: reqwest::Client,
    instance: InstanceUrl,
    token: Sensitive<String>,
    options: HttpOptions,
    budget: Mutex<RateBudget>,
}

/// What a call returned before decoding.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl ApiClient {
    pub fn new(instance: InstanceUrl, token: Sensitive<String>, options: HttpOptions) -> Self {
        ApiClient {
            client: http_client(&options),
            instance,
            token,
            options,
            budget: Mutex::new(RateBudget::default()),
        }
    }

    /// The server this client talks to.
    pub fn instance(&self) -> &InstanceUrl {
        &self.instance
    }

    /// The account's rate budget as last observed.
    pub fn budget(&self) -> RateBudget {
        *self.budget.lock().expect("budget lock")
    }

    /// `GET path?query`, decoded.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<ApiResponse<T>, ProviderError> {
        self.get_optional(path, query)
            .await?
            .ok_or_else(|| self.not_found(path))
    }

    /// `GET path?query`, decoded; `None` when the instance answers 404 (deleted or hidden)
    /// or 501 (a server that does not offer this call).
    pub async fn get_optional<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Option<ApiResponse<T>>, ProviderError> {
        let url = self.instance.endpoint(path);
        let raw = self
            .send(path, true, || self.client.get(url.clone()).query(query))
            .await?;
        match raw.status {
            StatusCode::NOT_FOUND | StatusCode::NOT_IMPLEMENTED => Ok(None),
            // The sign-in check itself: a 403 is a token the server no longer takes.
            StatusCode::FORBIDDEN if path == VERIFY_CREDENTIALS => Err(self.sign_in_again()),
            StatusCode::BAD_REQUEST | StatusCode::FORBIDDEN if path != VERIFY_CREDENTIALS => {
                Err(self.check_sign_in(path, &raw).await)
            }
            s if s.is_client_error() => Err(self.client_error(path, &raw)),
            _ => self.decode(path, raw).map(Some),
        }
    }

    /// The error for a 400 or 403 answer to a read: [`ProviderError::SignInAgain`] when
    /// `verify_credentials` refuses the token too (401 or 403), else the refusal itself.
    async fn check_sign_in(&self, path: &str, raw: &RawResponse) -> ProviderError {
        let refusal = self.client_error(path, raw);
        let url = self.instance.endpoint(VERIFY_CREDENTIALS);
        match self.attempt(&|| self.client.get(url.clone())).await {
            Ok(check) => {
                self.observe(&check.headers);
                if matches!(
                    check.status,
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ) {
                    tracing::warn!(
                        host = %self.instance.host(),
                        path,
                        status = %raw.status,
                        "a refused read and a refused sign-in check: the sign-in is gone"
                    );
                    return self.sign_in_again();
                }
                refusal
            }
            Err(_) => refusal,
        }
    }

    /// `POST path` with a form body and an optional `Idempotency-Key`. Server errors are
    /// retried only when a key makes the retry safe.
    pub async fn post_form<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: Option<&str>,
    ) -> Result<T, ProviderError> {
        let url = self.instance.endpoint(path);
        let raw = self
            .send(path, idempotency_key.is_some(), || {
                let request = self.client.post(url.clone()).form(form);
                match idempotency_key {
                    Some(key) => request.header("Idempotency-Key", key),
                    None => request,
                }
            })
            .await?;
        if raw.status == StatusCode::NOT_FOUND {
            return Err(self.not_found(path));
        }
        if raw.status.is_client_error() || raw.status == StatusCode::NOT_IMPLEMENTED {
            return Err(self.client_error(path, &raw));
        }
        self.decode(path, raw).map(|r| r.body)
    }

    fn decode<T: DeserializeOwned>(
        &self,
        path: &str,
        raw: RawResponse,
    ) -> Result<ApiResponse<T>, ProviderError> {
        let body = serde_json::from_slice(&raw.body).map_err(|e| {
            ProviderError::Malformed(self.scrub(format!(
                "{} answered in an unexpected form while {} ({e})",
                self.instance.host(),
                describe(path)
            )))
        })?;
        let links = raw
            .headers
            .get(LINK)
            .and_then(|v| v.to_str().ok())
            .map(PageLinks::parse)
            .unwrap_or_default();
        Ok(ApiResponse { body, links })
    }

    /// Sends the request `build` makes, retrying server errors when `retry` allows.
    /// Returns 2xx, 501 and 4xx responses other than 401 and 429 (the caller words them);
    /// every other outcome is an error.
    async fn send(
        &self,
        path: &str,
        retry: bool,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, ProviderError> {
        let wait = self.budget().wait_for_call(wall_clock());
        if !wait.is_zero() {
            return Err(ProviderError::RateLimited { retry_after: wait });
        }
        let host = self.instance.host();
        let attempts = if retry { self.options.retries + 1 } else { 1 };
        let mut failures = 0;
        loop {
            let outcome = self.attempt(&build).await;
            let (error, platform_asked) = match outcome {
                Ok(raw) => {
                    self.observe(&raw.headers);
                    match raw.status {
                        StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS => {
                            return Err(self.client_error(path, &raw))
                        }
                        // Not offered by this server: asking again will not help.
                        StatusCode::NOT_IMPLEMENTED => return Ok(raw),
                        s if s.is_server_error() => (
                            ProviderError::Unavailable(format!(
                                "{host} is having trouble: it failed {} while {} \
                                 (server error {}); Switchboard will try again later",
                                times(failures + 1),
                                describe(path),
                                s.as_u16()
                            )),
                            header_str(&raw.headers, "retry-after").and_then(parse_retry_after),
                        ),
                        s if s.is_success() || s.is_client_error() => return Ok(raw),
                        _ => return Err(self.client_error(path, &raw)),
                    }
                }
                Err(AttemptError::Timeout) => {
                    return Err(ProviderError::Timeout(self.options.request_timeout))
                }
                Err(AttemptError::Unreachable(detail)) => (
                    ProviderError::Unavailable(self.scrub(format!(
                        "Switchboard cannot reach {host} ({detail}); check the connection"
                    ))),
                    None,
                ),
            };
            failures += 1;
            let asks_too_long = platform_asked.is_some_and(|asked| asked > Backoff::REQUEST.max);
            if failures >= attempts || asks_too_long {
                tracing::warn!(%host, path, failures, "giving up on a Mastodon call");
                return Err(error);
            }
            let pause = Backoff::REQUEST.delay(failures, platform_asked);
            tracing::debug!(%host, path, failures, ?pause, "retrying a Mastodon call");
            tokio::time::sleep(pause).await;
        }
    }

    async fn attempt(
        &self,
        build: &impl Fn() -> RequestBuilder,
    ) -> Result<RawResponse, AttemptError> {
        let request = build().header(AUTHORIZATION, format!("Bearer {}", self.token.expose()));
        let response = request.send().await.map_err(AttemptError::from)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(AttemptError::from)?;
        Ok(RawResponse {
            status,
            headers,
            body: body.to_vec(),
        })
    }

    fn observe(&self, headers: &HeaderMap) {
        let pairs = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
        let figures = RateHeaders::from_pairs(pairs);
        self.budget.lock().expect("budget lock").observe(figures);
    }

    /// The error for an answer that is neither a success nor a 404.
    fn client_error(&self, path: &str, raw: &RawResponse) -> ProviderError {
        let host = self.instance.host();
        match raw.status {
            StatusCode::UNAUTHORIZED => self.sign_in_again(),
            StatusCode::TOO_MANY_REQUESTS => {
                let now = wall_clock();
                let asked = header_str(&raw.headers, "retry-after").and_then(parse_retry_after);
                let reset = RateHeaders::from_pairs(
                    raw.headers
                        .iter()
                        .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?))),
                )
                .reset_at
                .map(|at| {
                    Duration::from_millis(u64::try_from(at.millis() - now.millis()).unwrap_or(0))
                });
                let retry_after = asked
                    .into_iter()
                    .chain(reset)
                    .max()
                    .unwrap_or(Duration::from_secs(60))
                    .max(Duration::from_secs(1));
                ProviderError::RateLimited { retry_after }
            }
            status => {
                let said = serde_json::from_slice::<serde_json::Value>(&raw.body)
                    .ok()
                    .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
                    .map(|said| said.chars().take(300).collect::<String>())
                    .filter(|said| !said.trim().is_empty());
                let why = match said {
                    Some(said) => format!("{}: “{said}”", plain_status(status)),
                    None => plain_status(status),
                };
                ProviderError::Refused(
                    self.scrub(format!("{host} refused {} ({why})", describe(path))),
                )
            }
        }
    }

    pub fn not_found(&self, path: &str) -> ProviderError {
        ProviderError::Refused(format!(
            "{} found nothing while {} (it is gone or was never there)",
            self.instance.host(),
            describe(path)
        ))
    }

    fn sign_in_again(&self) -> ProviderError {
        ProviderError::SignInAgain(format!(
            "{} no longer accepts Switchboard's sign-in for this account \
             (it was revoked or has expired)",
            self.instance.host()
        ))
    }

    /// Removes the token from a message, should a server or library ever echo it.
    fn scrub(&self, message: String) -> String {
        let token = self.token.expose();
        if token.is_empty() {
            message
        } else {
            message.replace(token.as_str(), "<redacted>")
        }
    }
}

enum AttemptError {
    Timeout,
    Unreachable(String),
}

impl From<reqwest::Error> for AttemptError {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            AttemptError::Timeout
        } else {
            AttemptError::Unreachable(plain_reqwest_error(error))
        }
    }
}

/// A failed connection in plain words ("nothing answers at that address"); the
/// technical chain (without the URL) goes to the debug log only.
pub(crate) fn plain_reqwest_error(error: reqwest::Error) -> String {
    let error = error.without_url();
    let chain = switchboard_platforms::error_chain(&error);
    tracing::debug!(detail = %chain, "a connection failed");
    switchboard_platforms::connection_failure_words(&chain, error.is_timeout()).to_owned()
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The path that says who a token belongs to.
pub(crate) const VERIFY_CREDENTIALS: &str = "api/v1/accounts/verify_credentials";

/// What a call to `path` was doing, in words: `api/v1/notifications` → `reading
/// mentions`.
pub(crate) fn describe(path: &str) -> String {
    let path = path.trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    let words = match parts.as_slice() {
        ["api", "v1", "notifications", ..] => "reading mentions",
        ["api", "v1", "conversations", ..] => "reading direct messages",
        ["api", "v1", "accounts", "verify_credentials"] => "checking the sign-in",
        ["api", "v1", "accounts", _, "statuses"] => "reading the brand account's posts",
        ["api", "v1", "statuses", _, "context"] => "reading a thread",
        ["api", "v1", "statuses", _] => "reading a post",
        ["api", "v1", "statuses"] => "posting the reply",
        _ => return format!("calling {path}"),
    };
    words.to_owned()
}

/// Whether a `POST` that failed with `error` may have been applied by the server all
/// the same: it did not answer in time ([`ProviderError::Timeout`]), the connection
/// failed or the server answered with a server error ([`ProviderError::Unavailable`] —
/// also a connection that failed before the request was sent, which costs only extra
/// reads), or its answer could not be read ([`ProviderError::Malformed`]). Refusals,
/// rate limits (the call was not made) and sign-in trouble were not applied.
pub(crate) fn may_have_applied(error: &ProviderError) -> bool {
    matches!(
        error,
        ProviderError::Timeout(_) | ProviderError::Unavailable(_) | ProviderError::Malformed(_)
    )
}

/// A refused answer's status in words.
pub(crate) fn plain_status(status: StatusCode) -> String {
    match status.as_u16() {
        400 => "the server did not accept the request".into(),
        401 => "the sign-in is no longer accepted".into(),
        403 => "the server does not allow this account to do that".into(),
        404 | 410 => "it is gone or was never there".into(),
        408 => "the server gave up waiting".into(),
        413 => "it is too large for the server".into(),
        422 => "the server refused the content".into(),
        429 => "too many requests for now".into(),
        501 => "this server does not offer it".into(),
        code @ 300..=399 => format!("the server sent Switchboard elsewhere (code {code})"),
        code @ 500..=599 => format!("the server had a problem (code {code})"),
        code => format!("the server refused (code {code})"),
    }
}

/// `1` → `once`, `2` → `twice`, `n` → `n times`.
fn times(n: u32) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{n} times"),
    }
}
