//! Signing in with Facebook Login for Devices, and the Pages and Instagram accounts the
//! person may add afterwards.
//!
//! CONTRACT STUB (owned by the Graph-client helper).

use std::time::Duration;

use switchboard_platforms::AccountIdentity;
use switchboard_vault::Sensitive;

use crate::credential::Credential;
use crate::graph::{GraphUrl, HttpOptions};

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
/// gives are.
#[derive(Clone)]
pub struct UserToken {
    /// The token.
    pub token: Sensitive<String>,
    /// The app it was issued for.
    pub app: MetaApp,
}

/// `POST /device/login` with `access_token=<app id>|<client token>` and [`SCOPES`].
pub async fn start_device_login(app: &MetaApp) -> Result<DeviceLogin, SignInError> {
    let _ = app;
    todo!("device login")
}

impl DeviceLogin {
    /// Polls `POST /device/login_status` every `interval` until approved, declined or
    /// expired.
    pub async fn wait(self) -> Result<UserToken, SignInError> {
        let _ = (&self.app, &self.code);
        todo!("device login")
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

/// `GET /me/accounts?fields=id,name,username,access_token,instagram_business_account{id,username,name}`:
/// every Page the person manages, and each linked Instagram account.
pub async fn list_brand_choices(user: &UserToken) -> Result<Vec<BrandChoice>, SignInError> {
    let _ = user;
    todo!("brand choices")
}
