//! Test support: the real Mastodon-shaped server, a stand-in browser, and a signed-in
//! provider.

#![allow(dead_code)]

pub mod browser;
pub mod lag_proxy;
pub mod server;

use std::time::Duration;

use switchboard_core::Timestamp;
use switchboard_mastodon::{
    sign_in, Credential, HttpOptions, InstanceUrl, MastodonProvider, ProviderOptions,
    SignInOptions, SignedIn,
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

/// Sign-in settings for tests: a 20 s bound on the whole sign-in, the tests' HTTP.
pub fn test_sign_in_options() -> SignInOptions {
    SignInOptions {
        timeout: Duration::from_secs(20),
        http: test_http(),
        ..SignInOptions::default()
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

/// Signs `username` in through the whole OAuth flow (app registration, PKCE, the
/// loopback redirect), with the test playing the browser.
pub async fn sign_in_as(server: &MockServer, username: &str) -> SignedIn {
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<url::Url>();
    let username_owned = username.to_owned();
    let person = tokio::spawn(async move {
        let authorize_url = url_rx.await.expect("the browser is opened");
        browser::approve(authorize_url, &username_owned).await
    });
    let options = SignInOptions {
        timeout: Duration::from_secs(30),
        http: test_http(),
        ..SignInOptions::default()
    };
    let signed_in = sign_in(&server.url, &options, move |url| {
        url_tx.send(url.clone()).expect("the browser task waits");
    })
    .await
    .expect("the sign-in succeeds");
    person.await.expect("the browser finishes");
    signed_in
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
