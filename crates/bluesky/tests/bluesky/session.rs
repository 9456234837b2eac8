//! Session refresh: an expired access token is renewed once, even for concurrent calls.

use switchboard_bluesky::BlueskyProvider;
use switchboard_core::Timestamp;
use switchboard_platforms::Provider;

use crate::options;
use crate::support::actors::{with_access_token, Actor};
use crate::support::network::network;

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_for_concurrent_calls() {
    let brand = Actor::create("rf").await;
    let (_, credential) = brand.sign_in_to_switchboard(options()).await;
    let expired = network().expired_access_token(&brand.did);
    let saved = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let saved_by_listener = saved.clone();
    let provider = BlueskyProvider::new(
        with_access_token(&credential, &expired),
        options(),
        Some(std::sync::Arc::new(
            move |fresh: &switchboard_bluesky::Credential| {
                saved_by_listener.lock().unwrap().push(fresh.clone());
            },
        )),
    )
    .expect("provider");

    let now = Timestamp::now_from_system();
    let (incoming, brand_posts) = tokio::join!(
        provider.fetch_since(None, now),
        provider.fetch_brand_replies_since(None, now)
    );
    incoming.expect("incoming works after a refresh");
    brand_posts.expect("brand posts work after a refresh");
    assert_eq!(
        provider.session_refreshes(),
        1,
        "two callers, one refreshSession"
    );
    let fresh = provider.credential();
    assert_ne!(
        fresh,
        with_access_token(&credential, &expired),
        "the session changed"
    );
    assert_eq!(
        saved.lock().unwrap().as_slice(),
        &[fresh],
        "the new session is handed out to be saved"
    );

    // The refreshed session keeps working without another refresh.
    provider
        .fetch_since(None, now)
        .await
        .expect("still signed in");
    assert_eq!(provider.session_refreshes(), 1);
}
