//! The Mastodon client against a real Mastodon-shaped server (`mastodon_mock`, installed
//! by `scripts/peers/mastodon`): one integration-test binary, one server per test.

#[path = "../support/mod.rs"]
mod support;

mod addresses;
mod conversations;
mod direct_mentions;
mod faults;
mod followers_only;
mod paging;
mod revoked;
mod settling;
mod sign_in;
