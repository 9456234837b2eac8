//! The HTTP side of XRPC, the AT Protocol's RPC over HTTP.
//!
//! An **XRPC call** is `GET /xrpc/<nsid>?params` (a query) or `POST /xrpc/<nsid>` with a
//! JSON body (a procedure), where the **NSID** names the method
//! (`app.bsky.notification.listNotifications`). A failed call answers an HTTP status and
//! `{"error": "<Name>", "message": "…"}`.
//!
//! [`Xrpc`] sends one call and turns what comes back into a typed value or a
//! [`CallError`]: it feeds the account's [`RateBudget`] from every response's
//! `RateLimit-*` headers, refuses to call while the budget is spent, retries server errors
//! and dropped connections with [`Backoff::REQUEST`], bounds every call with a timeout and
//! rejects a body that is not the JSON expected as a whole. Error texts never contain a
//! request's headers or body, so never a token or a password.

use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use switchboard_core::Timestamp;
use switchboard_platforms::backoff::{parse_retry_after, Backoff};
use switchboard_platforms::pacing::{RateBudget, RateHeaders};
use switchboard_platforms::ProviderError;

/// How many times a call is sent at most when the server fails or the connection drops.
const MAX_ATTEMPTS: u32 = 4;
/// The wait after a 429 that said nothing about when to come back.
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
/// The longest server message quoted in an error.
const MAX_MESSAGE_CHARS: usize = 200;

/// One XRPC call to make.
pub(crate) struct Call<'a> {
    /// The server, e.g. `https://bsky.social`.
    pub base: &'a str,
    /// The method.
    pub nsid: &'static str,
    /// Query parameters (repeated names make arrays).
    pub query: Vec<(&'static str, String)>,
    /// Whether this is a procedure (POST) rather than a query (GET).
    pub post: bool,
    /// The JSON body of a procedure, if it takes one.
    pub body: Option<serde_json::Value>,
    /// The access (or refresh) token to send as `Authorization: Bearer`.
    pub bearer: Option<&'a str>,
    /// The `atproto-proxy` header: which service the PDS should forward the call to.
    pub proxy: Option<&'a str>,
    /// Whether a server error may be retried (false for writes that may have happened).
    pub retry_server_errors: bool,
}

impl<'a> Call<'a> {
    /// A query (GET) of `nsid` on `base`.
    pub fn query(base: &'a str, nsid: &'static str) -> Self {
        Call {
            base,
            nsid,
            query: Vec::new(),
            post: false,
            body: None,
            bearer: None,
            proxy: None,
            retry_server_errors: true,
        }
    }

    /// A procedure (POST) of `nsid` on `base` with `body`.
    pub fn procedure(base: &'a str, nsid: &'static str, body: serde_json::Value) -> Self {
        Call {
            body: Some(body),
            ..Call::procedure_without_body(base, nsid)
        }
    }

    /// A procedure (POST) of `nsid` on `base` that takes no input.
    pub fn procedure_without_body(base: &'a str, nsid: &'static str) -> Self {
        Call {
            post: true,
            ..Call::query(base, nsid)
        }
    }

    /// Adds a query parameter.
    pub fn param(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sends `token` as the bearer.
    pub fn bearer(mut self, token: &'a str) -> Self {
        self.bearer = Some(token);
        self
    }
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallError {
    /// The server refused the call with an XRPC error (a 4xx other than 429).
    Refused {
        /// The HTTP status.
        status: u16,
        /// The XRPC error name (`ExpiredToken`, `InvalidRequest`, …); empty if none.
        error: String,
        /// The server's message, shortened; plain words.
        message: String,
    },
    /// Anything else: network, server errors, rate limits, timeouts, malformed bodies.
    Failed(ProviderError),
}

impl CallError {
    /// Whether this is the XRPC error `name`.
    pub fn is(&self, name: &str) -> bool {
        matches!(self, CallError::Refused { error, .. } if error == name)
    }

    /// The error for callers that need no distinction: a refusal reads as
    /// [`ProviderError::Refused`] with the server's words.
    pub fn into_provider_error(self) -> ProviderError {
        match self {
            CallError::Refused { message, error, .. } if message.is_empty() => {
                ProviderError::Refused(format!("Bluesky answered {error}"))
            }
            CallError::Refused { message, .. } => ProviderError::Refused(message),
            CallError::Failed(error) => error,
        }
    }
}

impl From<ProviderError> for CallError {
    fn from(error: ProviderError) -> Self {
        CallError::Failed(error)
    }
}

#[derive(Deserialize)]
struct XrpcErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
}

/// Sends XRPC calls for one account and keeps its rate-limit budget.
#[derive(Debug)]
pub(crate) struct Xrpc {
    http: reqwest::Client,
    timeout: Duration,
    budget: Mutex<RateBudget>,
}

impl Xrpc {
    /// A client whose calls each take at most `timeout`.
    pub fn new(timeout: Duration, user_agent: &str) -> Result<Self, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(user_agent)
            .build()
            .map_err(|e| ProviderError::Unavailable(format!("cannot set up HTTPS: {e}")))?;
        Ok(Xrpc {
            http,
            timeout,
            budget: Mutex::new(RateBudget::default()),
        })
    }

    /// Calls left in the current rate-limit window at `now`, if the server said.
    pub fn budget_left(&self, now: Timestamp) -> Option<u32> {
        self.budget().remaining(now)
    }

    /// A copy of the budget, for pacing.
    pub fn budget(&self) -> RateBudget {
        *self
            .budget
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Sends `call` and reads the answer as `T`.
    pub async fn call<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, CallError> {
        let bytes = self.send(call).await?;
        serde_json::from_slice(&bytes).map_err(|e| malformed(call.nsid, &e).into())
    }

    /// Sends `call` and ignores the body of a success.
    pub async fn call_ignoring_body(&self, call: &Call<'_>) -> Result<(), CallError> {
        self.send(call).await.map(|_| ())
    }

    async fn send(&self, call: &Call<'_>) -> Result<Vec<u8>, CallError> {
        let mut failures = 0;
        loop {
            let wait = self.budget().wait_for_call(Timestamp::now_from_system());
            if !wait.is_zero() {
                return Err(ProviderError::RateLimited { retry_after: wait }.into());
            }
            let retryable = match self.send_once(call).await {
                Ok(bytes) => return Ok(bytes),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retryable(error)) => error,
            };
            failures += 1;
            if !call.retry_server_errors || failures >= MAX_ATTEMPTS {
                return Err(retryable.into());
            }
            let pause = Backoff::REQUEST.delay(failures, None);
            tracing::debug!(nsid = call.nsid, failures, ?pause, "retrying a failed call");
            tokio::time::sleep(pause).await;
        }
    }

    async fn send_once(&self, call: &Call<'_>) -> Result<Vec<u8>, Attempt> {
        let url = format!("{}/xrpc/{}", call.base.trim_end_matches('/'), call.nsid);
        let mut request = match (call.post, &call.body) {
            (true, Some(body)) => self.http.post(&url).json(body),
            (true, None) => self.http.post(&url),
            (false, _) => self.http.get(&url),
        };
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(token) = call.bearer {
            request = request.bearer_auth(token);
        }
        if let Some(proxy) = call.proxy {
            request = request.header("atproto-proxy", proxy);
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(call, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        self.observe(&headers);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(call, e))?;
        match status {
            200..=299 => Ok(bytes.to_vec()),
            429 => Err(Attempt::Final(
                ProviderError::RateLimited {
                    retry_after: rate_limit_wait(&headers, Timestamp::now_from_system()),
                }
                .into(),
            )),
            500..=599 => Err(Attempt::Retryable(ProviderError::Unavailable(format!(
                "Bluesky could not answer {} (HTTP {status}); Switchboard will try again",
                call.nsid
            )))),
            _ => {
                let body: XrpcErrorBody = serde_json::from_slice(&bytes).unwrap_or(XrpcErrorBody {
                    error: String::new(),
                    message: String::new(),
                });
                Err(Attempt::Final(CallError::Refused {
                    status,
                    error: body.error,
                    message: shorten(&body.message),
                }))
            }
        }
    }

    fn observe(&self, headers: &HeaderMap) {
        let pairs = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
        let figures = RateHeaders::from_pairs(pairs);
        self.budget
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .observe(figures);
    }

    fn transport_error(&self, call: &Call<'_>, error: reqwest::Error) -> Attempt {
        if error.is_timeout() {
            return Attempt::Final(ProviderError::Timeout(self.timeout).into());
        }
        // Without the URL: the error's own text would repeat it.
        let error = error.without_url();
        let cause = std::error::Error::source(&error)
            .map(|source| source.to_string())
            .unwrap_or_else(|| error.to_string());
        Attempt::Retryable(ProviderError::Unavailable(format!(
            "cannot reach Bluesky at {} for {} ({cause}); check the network",
            call.base, call.nsid
        )))
    }
}

/// One attempt's failure: worth another try or not.
enum Attempt {
    Retryable(ProviderError),
    Final(CallError),
}

/// How long a 429 asks to wait: until `RateLimit-Reset`, else `Retry-After`, else a minute.
fn rate_limit_wait(headers: &HeaderMap, now: Timestamp) -> Duration {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(reset) = value("ratelimit-reset").and_then(|v| v.trim().parse::<i64>().ok()) {
        let millis = reset.saturating_mul(1000) - now.millis();
        return Duration::from_millis(u64::try_from(millis).unwrap_or(0))
            .max(Duration::from_secs(1));
    }
    value("retry-after")
        .and_then(parse_retry_after)
        .unwrap_or(DEFAULT_RATE_LIMIT_WAIT)
}

/// A body that is not what `nsid` documents. Says where, never what: the body may hold a
/// token.
pub(crate) fn malformed(nsid: &str, error: &serde_json::Error) -> ProviderError {
    let what = match error.classify() {
        serde_json::error::Category::Data => "fields of the wrong shape",
        serde_json::error::Category::Eof => "a cut-off body",
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => "invalid JSON",
    };
    ProviderError::Malformed(format!(
        "{nsid} answered {what} (line {}, column {})",
        error.line(),
        error.column()
    ))
}

fn shorten(message: &str) -> String {
    let clean = crate::text::plain_text(message);
    if clean.chars().count() <= MAX_MESSAGE_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(MAX_MESSAGE_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn a_429_waits_until_the_reset_or_what_retry_after_says() {
        let now = Timestamp(1_800_000_000_000);
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("1800000042"));
        assert_eq!(rate_limit_wait(&headers, now), Duration::from_secs(42));
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(rate_limit_wait(&headers, now), Duration::from_secs(7));
        assert_eq!(
            rate_limit_wait(&HeaderMap::new(), now),
            DEFAULT_RATE_LIMIT_WAIT
        );
    }

    #[test]
    fn a_malformed_body_is_described_without_its_content() {
        let error = serde_json::from_str::<XrpcErrorBody>(r#"{"error": 42, "x":"secret-token"}"#)
            .err()
            .expect("a number is not a string");
        let text = malformed("com.atproto.server.refreshSession", &error).to_string();
        assert!(
            !text.contains("secret-token") && !text.contains("42"),
            "{text}"
        );
    }
}
