//! Test support: the real Mastodon-shaped server, a stand-in browser, and a signed-in
//! provider.

#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::time::Duration;

use switchboard_core::Timestamp;
use switchboard_mastodon::{
    Credential, HttpOptions, InstanceUrl, MastodonProvider, ProviderOptions,
};
use switchboard_platforms::Page;

pub use server::{MockServer, User};

/// Few retries so fault tests stay fast; timeouts roomy enough for a busy machine.
pub fn test_http() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(5),
        request_timeout: Duration::from_secs(15),
        retries: 2,
    }
}

pub fn test_options() -> ProviderOptions {
    ProviderOptions {
        http: test_http(),
        ..ProviderOptions::default()
    }
}

/// A credential for `user`'s own token, as if signed in.
pub fn credential_for(server: &MockServer, user: &User) -> Credential {
    Credential::new(
        InstanceUrl::parse(&server.url).unwrap(),
        "test-client".into(),
        "test-secret".into(),
        user.token.clone().into(),
    )
}

/// The provider for `user`, asking the server who it is.
pub async fn provider_for(
    server: &MockServer,
    user: &User,
    options: ProviderOptions,
) -> MastodonProvider {
    MastodonProvider::connect(&credential_for(server, user), options)
        .await
        .expect("the provider connects")
}

pub fn now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    Timestamp(i64::try_from(millis).unwrap())
}

/// The texts of a page's items.
pub fn texts(page: &Page) -> Vec<String> {
    page.items.iter().map(|i| i.text.clone()).collect()
}
