//! The Mastodon client: one brand account on one Mastodon instance behind
//! [`switchboard_platforms::Provider`].
//!
//! Words used here:
//!
//! - **instance**: the Mastodon server the account lives on ([`InstanceUrl`]); its
//!   **host** qualifies ids, since an account id is only unique on its own server.
//! - **account key**: `<account id>@<instance host>`, the stable key of the brand account
//!   (`AccountIdentity::account_id`); the provider's **source key** is
//!   `mastodon:<account key>`.
//! - **credential**: the registered app's client id and secret and the access token
//!   ([`Credential`]); one keychain entry.
//! - **thread root**: the status at the top of a reply chain; a public conversation is
//!   keyed by it, a DM conversation by its Mastodon conversation id (or, on a server
//!   without a working conversations list, by `dm-<thread root>`; see `dm_source`).
//! - **incoming** stream: mention and quote notifications plus DM conversations; **brand**
//!   stream: the account's own replies, wherever they were written.
//!
//! Signing in: [`sign_in`] (or [`start_sign_in`] + [`PendingSignIn::finish`]) →
//! [`SignedIn`] { [`Credential`], identity }; store `credential.to_secret()` in the vault;
//! build a [`MastodonProvider`] with [`MastodonProvider::new`]; sign out with
//! [`sign_out`]. Status HTML becomes plain text through [`html_to_text`].

mod answer_checks;
mod api_client;
mod auth;
mod brand_posts;
mod credential;
mod cursor;
mod dm_source;
mod entities;
mod handle_domain;
mod html_text;
mod incoming;
mod instance;
mod items;
mod link_header;
mod paging;
mod provider;
mod replies;
mod reply_limit;
mod thread_roots;

pub use api_client::HttpOptions;
pub use auth::{
    sign_in, sign_out, start_sign_in, verify_credentials, PendingSignIn, SignInError,
    SignInOptions, SignedIn,
};
pub use credential::{Credential, UnreadableCredential};
pub use html_text::{html_to_text, MAX_TEXT_CHARS};
pub use instance::{InstanceUrl, InvalidInstanceUrl};
pub use provider::{MastodonProvider, ProviderOptions};
