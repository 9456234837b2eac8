//! Switchboard's Bluesky client: one brand account behind
//! [`switchboard_platforms::Provider`].
//!
//! Words used here:
//! - **DID**: an account's permanent id (`did:plc:…`); handles can change, DIDs do not.
//! - **PDS**: the personal data server that hosts the account's repository and that
//!   every call of this client goes to.
//! - **AppView**: the service that indexes the network (notifications, threads,
//!   profiles); the PDS forwards `app.bsky.*` calls to it.
//! - **app password**: a password made for one app in Bluesky's settings; signing in with
//!   it gives a **session** (access and refresh tokens), kept as a [`Credential`].
//! - **at-uri**: a record's address, `at://<did>/app.bsky.feed.post/<record key>`; the
//!   id of every item this client makes.
//!
//! Flow: [`sign_in`] → keep [`Credential::to_secret`] in the vault → later
//! [`Credential::from_secret`] → [`BlueskyProvider::new`] → the engine polls
//! `fetch_since` (mentions, replies, quotes) and `fetch_brand_replies_since` (the brand's
//! own replies, wherever written), reads threads and posts replies.

mod brand_posts;
mod credential;
mod digest;
mod incoming;
mod items;
mod lexicon;
mod list_sync;
mod provider;
mod replying;
mod session;
mod sync_cursor;
mod text;
mod tid;
mod xrpc;

pub use credential::Credential;
pub use provider::{sign_in, BlueskyProvider, ClientOptions, BLUESKY_SERVICE};
pub use session::SessionListener;
pub use text::plain_text;
pub use tid::record_key_for;
