//! Signing in with an app password, the identity it gives, wrong passwords, signing out.

use switchboard_bluesky::{sign_in, BlueskyProvider, Credential};
use switchboard_core::Platform;
use switchboard_platforms::{AuthKind, Provider, ProviderError};
use switchboard_vault::Sensitive;

use crate::options;
use crate::support::actors::{with_access_token, Actor};
use crate::support::network::network;

#[tokio::test]
async fn an_app_password_signs_in_and_names_the_account() {
    let brand = Actor::create("si").await;
    let password = Sensitive::new(brand.app_password.clone());
    let (credential, identity) = sign_in(
        &brand.pds,
        &format!("@{}", brand.handle),
        &password,
        &options(),
    )
    .await
    .expect("a valid app password signs in");
    assert_eq!(identity.platform, Platform::Bluesky);
    assert_eq!(identity.account_id, brand.did, "the account id is the DID");
    assert_eq!(identity.handle, brand.handle);
    assert_eq!(identity.display_name, "si display");
    assert_eq!(credential.did(), brand.did);

    let restored = Credential::from_secret(&credential.to_secret()).expect("the secret reads back");
    assert_eq!(
        restored, credential,
        "one keychain entry holds the whole session"
    );
    let provider = BlueskyProvider::new(restored, options(), None).expect("provider");
    assert_eq!(provider.source_key(), format!("bluesky:{}", brand.did));
    assert_eq!(provider.auth_kind(), AuthKind::AppPassword);
    assert_eq!(provider.identity().await.expect("identity"), identity);
}

#[tokio::test]
async fn a_wrong_app_password_is_refused_in_plain_words_without_echoing_it() {
    let brand = Actor::create("wp").await;
    let wrong = "wrong-pass-word-1234";
    let error = sign_in(
        &brand.pds,
        &brand.handle,
        &Sensitive::new(wrong.into()),
        &options(),
    )
    .await
    .expect_err("a wrong app password must not sign in");
    let text = error.to_string();
    assert!(matches!(error, ProviderError::Refused(_)), "{error:?}");
    assert!(
        text.contains("app password") && text.contains(&brand.handle),
        "{text}"
    );
    assert!(
        !text.contains(wrong),
        "the password must never appear in an error: {text}"
    );
}

#[tokio::test]
async fn after_sign_out_the_session_cannot_be_refreshed_and_asks_to_sign_in_again() {
    let brand = Actor::create("so").await;
    let (provider, credential) = brand.sign_in_to_switchboard(options()).await;
    provider.sign_out().await.expect("sign-out works");
    let expired = network().expired_access_token(&brand.did);
    let credential = with_access_token(&credential, &expired);
    let provider = BlueskyProvider::new(credential.clone(), options(), None).expect("provider");
    let error = provider
        .fetch_since(None, switchboard_core::Timestamp::now_from_system())
        .await
        .expect_err("a signed-out session is refused");
    assert!(matches!(error, ProviderError::SignInAgain(_)), "{error:?}");
    let secret = credential.to_secret();
    let tokens: serde_json::Value = serde_json::from_str(secret.expose()).expect("json");
    for token in ["access_jwt", "refresh_jwt"] {
        let token = tokens[token].as_str().expect("token");
        assert!(!error.to_string().contains(token), "no token in: {error}");
    }
}
