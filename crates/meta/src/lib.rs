//! The Meta client: Facebook Pages and Instagram professional accounts behind
//! [`switchboard_platforms::Provider`], through the Graph API at one pinned version
//! ([`GRAPH_VERSION`]).
//!
//! Words used here:
//!
//! - **Meta app**: the company's own app at developers.facebook.com, named by its **App ID**;
//!   laptops hold its **client token** (which Meta documents as not secret, made to be
//!   embedded in desktop apps) and never an app secret ([`MetaApp`]).
//! - **device login**: Facebook Login for Devices — Switchboard shows a short code, the
//!   person approves it at facebook.com/device, and the polling laptop receives a **user
//!   token** ([`DeviceLogin`]).
//! - **Page**: a Facebook Page the person manages; its **Page token** (long-lived, derived
//!   from the user token) acts as the Page. An **Instagram account** is an Instagram
//!   professional account linked to a Page; it is reached with its Page's token.
//! - **brand choice**: one Page or Instagram account the person may add after signing in
//!   ([`BrandChoice`]); each becomes a brand account checked against the allowlist.
//! - **credential**: what the keychain keeps for one brand account ([`Credential`]): the
//!   Graph address, the Page id and the Page token.
//! - **messaging window**: Messenger and Instagram messages may be answered within 24 hours
//!   of the customer's latest message; with the policy's consent and Meta's, a person may
//!   answer until 7 days with the `HUMAN_AGENT` tag.
//! - **usage**: the `X-App-Usage` / `X-Business-Use-Case-Usage` headers, percentages of the
//!   app's and the Page's call budgets, read into the account's rate budget.

mod credential;
mod cursor;
pub mod fields;
mod graph;
mod hiding;
mod items;
mod listing;
mod provider;
mod replies;
mod sign_in;
mod sync;
#[cfg(feature = "test-support")]
pub mod testing;
mod text;
mod thread;

pub use credential::{Credential, UnreadableCredential};
pub use graph::{GraphClient, GraphError, GraphUrl, HttpOptions, Paged, Usage, GRAPH_VERSION};
pub use provider::{MetaProvider, ProviderOptions, ScanLimits};
pub use sign_in::{
    brand_choices, list_brand_choices, sign_out, start_device_login, BrandChoice, BrandChoices,
    DeviceLogin, MetaApp, SignInError, UserToken, SCOPES,
};
pub use text::MAX_TEXT_CHARS;
