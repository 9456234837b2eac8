//! Signing in with Facebook Login for Devices, and the Pages and Instagram accounts the
//! person may add afterwards.
//!
//! **The flow chosen: Facebook Login for Devices**
//! (<https://developers.facebook.com/docs/facebook-login/for-devices>). Meta documents it
//! for apps that make their own HTTP calls and cannot keep a secret; it needs only the App
//! ID and the app's **client token** (App Dashboard → Settings → Advanced), which Meta
//! describes as an identifier meant to be embedded in native and desktop apps
//! (<https://developers.facebook.com/docs/facebook-login/guides/access-tokens#clienttokens>).
//! No app secret is ever on the laptop.
//!
//! 1. `POST /device/login` with `access_token=<app id>|<client token>` and `scope` (the
//!    permissions, comma-separated) answers `code` (kept private), `user_code` (shown),
//!    `verification_uri` (facebook.com/device), `expires_in` and `interval` (seconds).
//! 2. The person opens the address, types the code and grants the permissions.
//! 3. The laptop polls `POST /device/login_status` with the app token and `code` every
//!    `interval`. Until approval Meta answers code 31 subcode **1349174** ("Device Login
//!    Authorization Pending": keep polling); polling too often is code 17 subcode
//!    **1349172** (slow down: the interval grows by 5 s); a code that expired is subcode
//!    **1349152** ([`SignInError::Expired`]). Approval answers `access_token` and
//!    `expires_in` (about 60 days: the device flow's user token is already **long-lived**,
//!    so there is nothing to exchange — an exchange would need the app secret anyway).
//! 4. `GET /me/permissions` tells what was granted; `GET /me/accounts` lists the Pages with
//!    their **Page tokens**, which, derived from a long-lived user token, do not expire
//!    (<https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived>).
//!    Only the Page tokens are kept; the user token is dropped.
//!
//! **Why not OIDC with PKCE** (<https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token>):
//! Meta marks that flow as "still in testing" and presents it as a way to *verify who the
//! person is* (an OIDC ID token); its classic counterpart, the manually built login flow
//! (<https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow>),
//! exchanges the code with the app secret. It also needs a redirect address registered for
//! the app and a loopback server on the laptop. The device flow is a documented, released
//! flow for exactly this case — an app that makes its own HTTP calls and holds no secret —
//! and needs neither.

mod choices;

use std::time::{Duration, Instant};

use switchboard_platforms::AccountIdentity;
use switchboard_vault::Sensitive;

use crate::credential::Credential;
use crate::graph::{Failure, GraphClient, GraphError, GraphUrl, HttpOptions};

pub use choices::{brand_choices, list_brand_choices, sign_out, BrandChoices};

/// The company's Meta app as a laptop knows it: its App ID and client token (never its
/// secret). `Debug` redacts the client token.
#[derive(Clone)]
pub struct MetaApp {
    /// The App ID.
    pub app_id: String,
    /// The client token (App Dashboard → Settings → Advanced).
    pub client_token: Sensitive<String>,
    /// Where the Graph API is.
    pub graph: GraphUrl,
    /// Timeouts and retries.
    pub http: HttpOptions,
}

impl std::fmt::Debug for MetaApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetaApp")
            .field("app_id", &self.app_id)
            .field("graph", &self.graph.0.as_str())
            .finish_non_exhaustive()
    }
}

/// The permissions Switchboard asks for.
pub const SCOPES: &[&str] = &[
    "pages_show_list",
    "pages_read_engagement",
    "pages_read_user_content",
    "pages_manage_engagement",
    "pages_messaging",
    "instagram_basic",
    "instagram_manage_comments",
    "instagram_manage_messages",
    "business_management",
];

/// Why signing in failed, in plain words (never with a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// The App ID / client token were refused.
    #[error("Meta does not know this app (check the App ID and client token): {0}")]
    BadApp(String),
    /// The code expired before it was approved.
    #[error("the code expired before it was approved; start again")]
    Expired,
    /// The person declined in the browser.
    #[error("the sign-in was declined at Facebook")]
    Declined,
    /// A permission the person did not grant.
    #[error("the sign-in lacks a permission: {0}")]
    MissingPermission(String),
    /// Meta could not be reached or failed.
    #[error("Meta could not be reached: {0}")]
    Unreachable(String),
    /// The signed-in person manages no Page.
    #[error("this Facebook account manages no Page")]
    NoPages,
    /// Meta answered with something else than documented.
    #[error("Meta sent a response Switchboard cannot read: {0}")]
    Malformed(String),
}

/// A started device login: the code to show and where to enter it.
pub struct DeviceLogin {
    /// The short code the person types (`user_code`).
    pub user_code: String,
    /// Where they type it (`verification_uri`, facebook.com/device).
    pub verification_uri: String,
    /// How long the code is valid.
    pub expires_in: Duration,
    /// How often Meta lets us ask whether it was approved.
    pub interval: Duration,
    app: MetaApp,
    code: Sensitive<String>,
}

impl std::fmt::Debug for DeviceLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceLogin")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .finish_non_exhaustive()
    }
}

/// The signed-in person's user token (long-lived). Never stored: only the Page tokens it
/// gives are. `Debug` redacts the token.
#[derive(Clone)]
pub struct UserToken {
    /// The token.
    pub token: Sensitive<String>,
    /// The app it was issued for.
    pub app: MetaApp,
}

impl MetaApp {
    /// The client of the app token `<app id>|<client token>`.
    fn client(&self) -> GraphClient {
        let app_token = format!(
            "{}|{}",
            self.app_id.trim(),
            self.client_token.expose().trim()
        );
        GraphClient::for_app(self.graph.clone(), Sensitive::new(app_token), self.http)
    }
}

/// The answer to `POST /device/login`.
#[derive(serde::Deserialize)]
struct DeviceCode {
    code: String,
    user_code: String,
    verification_uri: String,
    expires_in: u64,
    #[serde(default)]
    interval: Option<u64>,
}

/// The answer to an approved `POST /device/login_status`.
#[derive(serde::Deserialize)]
struct Approved {
    access_token: String,
}

/// Meta's default polling interval (the guide polls every 5 s).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// The shortest polling interval honoured, whatever the answer says.
const SHORTEST_INTERVAL: Duration = Duration::from_millis(200);
/// How much slower to poll after "polling too frequently".
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// Failed polls in a row (Meta unreachable) before giving up.
const FAILED_POLLS: u32 = 3;

/// Device login's subcodes (Login for Devices guide, step 3).
const PENDING: i64 = 1_349_174;
const SLOW_DOWN: i64 = 1_349_172;
const CODE_EXPIRED: i64 = 1_349_152;

/// `POST /device/login` with `access_token=<app id>|<client token>` and [`SCOPES`].
pub async fn start_device_login(app: &MetaApp) -> Result<DeviceLogin, SignInError> {
    if app.app_id.trim().is_empty() || app.client_token.expose().trim().is_empty() {
        return Err(SignInError::BadApp(
            "the App ID and the client token are both needed".into(),
        ));
    }
    let answer: DeviceCode = app
        .client()
        .post_detailed("device/login", &[("scope", SCOPES.join(","))])
        .await
        .map_err(app_refused)?;
    if answer.code.is_empty() || answer.user_code.is_empty() {
        return Err(SignInError::Malformed(
            "the device login has no code to show".into(),
        ));
    }
    tracing::info!(
        app_id = %app.app_id,
        expires_in = answer.expires_in,
        "a Meta device login started"
    );
    Ok(DeviceLogin {
        user_code: answer.user_code,
        verification_uri: answer.verification_uri,
        expires_in: Duration::from_secs(answer.expires_in),
        interval: answer
            .interval
            .map_or(DEFAULT_INTERVAL, Duration::from_secs)
            .max(SHORTEST_INTERVAL),
        app: app.clone(),
        code: Sensitive::new(answer.code),
    })
}

impl DeviceLogin {
    /// Polls `POST /device/login_status` every `interval` until approved, declined or
    /// expired.
    pub async fn wait(self) -> Result<UserToken, SignInError> {
        let client = self.app.client();
        let deadline = Instant::now() + self.expires_in;
        let mut interval = self.interval.max(SHORTEST_INTERVAL);
        let mut failed_polls = 0;
        loop {
            if Instant::now() + interval > deadline {
                // The code runs out before the next poll: one last look at its end.
                tokio::time::sleep(deadline.saturating_duration_since(Instant::now())).await;
            } else {
                tokio::time::sleep(interval).await;
            }
            let poll = client
                .post_detailed::<Approved>(
                    "device/login_status",
                    &[("code", self.code.expose().clone())],
                )
                .await;
            let failure = match poll {
                Ok(approved) if !approved.access_token.is_empty() => {
                    tracing::info!(app_id = %self.app.app_id, "a Meta device login was approved");
                    return Ok(UserToken {
                        token: Sensitive::new(approved.access_token),
                        app: self.app,
                    });
                }
                Ok(_) => Failure::from(GraphError::Malformed("an empty token".into())),
                Err(failure) => failure,
            };
            match poll_outcome(&failure) {
                Poll::Pending => failed_polls = 0,
                Poll::SlowDown => {
                    failed_polls = 0;
                    interval += SLOW_DOWN_STEP;
                    tracing::debug!(?interval, "Meta asked device login to poll less often");
                }
                Poll::Failed => {
                    failed_polls += 1;
                    if failed_polls >= FAILED_POLLS {
                        return Err(SignInError::Unreachable(failure.error.to_string()));
                    }
                }
                Poll::Stop(error) => return Err(error),
            }
            if Instant::now() >= deadline {
                return Err(SignInError::Expired);
            }
        }
    }
}

/// What one refused poll means.
enum Poll {
    /// Not approved yet.
    Pending,
    /// Polling too often.
    SlowDown,
    /// Meta could not be reached or failed: try again at the next poll.
    Failed,
    /// The end of the login.
    Stop(SignInError),
}

fn poll_outcome(failure: &Failure) -> Poll {
    let body = failure.body.as_ref();
    match body.and_then(|b| b.error_subcode) {
        Some(PENDING) => return Poll::Pending,
        Some(SLOW_DOWN) => return Poll::SlowDown,
        Some(CODE_EXPIRED) => return Poll::Stop(SignInError::Expired),
        _ => {}
    }
    if let Some(body) = body {
        let words = format!(
            "{} {} {}",
            body.message,
            body.error_user_title.as_deref().unwrap_or(""),
            body.error_user_msg.as_deref().unwrap_or("")
        )
        .to_ascii_lowercase();
        if ["declin", "denied", "cancel"]
            .iter()
            .any(|w| words.contains(w))
        {
            return Poll::Stop(SignInError::Declined);
        }
        if words.contains("expired") && !matches!(failure.error, GraphError::TokenInvalid(_)) {
            return Poll::Stop(SignInError::Expired);
        }
    }
    match &failure.error {
        GraphError::Unavailable(_) | GraphError::Timeout(_) => Poll::Failed,
        GraphError::Throttled { .. } => Poll::SlowDown,
        _ => Poll::Stop(app_refused(Failure {
            error: failure.error.clone(),
            body: failure.body.clone(),
        })),
    }
}

/// The sign-in error for a refused app-token call: Meta unreachable, or the app refused.
fn app_refused(failure: Failure) -> SignInError {
    match failure.error {
        GraphError::Throttled { retry_after, .. } => SignInError::Unreachable(format!(
            "Meta asks the app to slow down; try again in {} min",
            retry_after.as_secs().div_ceil(60)
        )),
        GraphError::Unavailable(_) | GraphError::Timeout(_) => {
            SignInError::Unreachable(failure.error.to_string())
        }
        GraphError::Malformed(detail) => SignInError::Malformed(detail),
        GraphError::TokenInvalid(_) => {
            SignInError::BadApp("the client token does not belong to this App ID".into())
        }
        error => {
            let code = failure.body.as_ref().map_or(0, |b| b.code);
            let hint = if code == 3 {
                " — turn on “Login from Devices” in the app's Facebook Login settings"
            } else {
                ""
            };
            SignInError::BadApp(format!("{}{hint}", plain(&error)))
        }
    }
}

/// A Graph error's own words, without the "Meta refused:" preamble.
fn plain(error: &GraphError) -> String {
    match error {
        GraphError::Permission(w)
        | GraphError::WindowClosed(w)
        | GraphError::NotFound(w)
        | GraphError::Refused(w)
        | GraphError::TokenInvalid(w)
        | GraphError::Unavailable(w)
        | GraphError::Malformed(w) => w.clone(),
        other => other.to_string(),
    }
}

/// One Page or Instagram account the person may add.
#[derive(Clone)]
pub struct BrandChoice {
    /// Who it is (Facebook: account_id the Page id, handle the Page's username or name;
    /// Instagram: account_id the Instagram user id, handle the username).
    pub identity: AccountIdentity,
    /// For an Instagram account, the name of its Page.
    pub linked_page: Option<String>,
    /// What the keychain would keep for it.
    pub credential: Credential,
}

impl std::fmt::Debug for BrandChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrandChoice")
            .field("identity", &self.identity)
            .field("linked_page", &self.linked_page)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for UserToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserToken")
            .field("app", &self.app)
            .finish_non_exhaustive()
    }
}
