//! A reply whose `POST` was applied but answered too late, on a server that ignores
//! idempotency keys and lists the new status a moment later: the retry with the same key
//! reads the thread again (settles) and posts nothing new.

use std::time::Duration;

use switchboard_core::{Platform, ThreadKey};
use switchboard_mastodon::{Credential, InstanceUrl, MastodonProvider, ProviderOptions};
use switchboard_platforms::{Provider, ProviderError, ReplyTarget};

use crate::support::lag_proxy::LagProxy;
use crate::support::{now, test_http, MockServer};

#[tokio::test]
async fn a_reply_applied_but_answered_too_late_is_not_posted_again() {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let customer = server.create_user("dee").await;
    let question = server
        .post_status(&customer, "@brand where is my parcel?", None, "public")
        .await;
    let question_id = question["id"].as_str().unwrap().to_owned();
    // Listed 1.5 s after it is applied; the client gives up after 1 s.
    let proxy = LagProxy::start(&server.url, Duration::from_millis(1500)).await;
    let options = ProviderOptions {
        http: switchboard_mastodon::HttpOptions {
            request_timeout: Duration::from_secs(1),
            ..test_http()
        },
        ..ProviderOptions::default()
    };
    let credential = Credential::new(
        InstanceUrl::parse(&proxy.url).unwrap(),
        "test-client".into(),
        "test-secret".into(),
        brand.token.clone().into(),
    );
    let provider = MastodonProvider::connect(&credential, options)
        .await
        .expect("the provider connects");
    let target = ReplyTarget {
        thread: ThreadKey::new(
            Platform::Mastodon,
            &provider.identity().account_id,
            &question_id,
        ),
        in_reply_to: question_id.clone(),
    };

    let first = provider
        .reply(&target, "It ships today.", "key-1", now())
        .await;
    assert!(
        matches!(first, Err(ProviderError::Timeout(_))),
        "the answer came too late: {first:?}"
    );
    assert_eq!(proxy.posts(), 1, "the POST was applied all the same");
    // The engine's look before the retry does not see it yet.
    let thread = provider.thread(&target).await.expect("the thread reads");
    assert!(
        thread.iter().all(|item| !item.from_brand),
        "not listed yet: {thread:?}"
    );

    let retried = provider
        .reply(&target, "It ships today.", "key-1", now())
        .await
        .expect("the retry finds the reply");
    assert_eq!(proxy.posts(), 1, "the retry posted nothing new");
    assert!(retried.from_brand);
    assert!(
        retried.text.ends_with("It ships today."),
        "{}",
        retried.text
    );
    let replies: Vec<_> = server
        .statuses_of(&brand, &brand.id)
        .await
        .into_iter()
        .filter(|s| s["in_reply_to_id"] == question_id.as_str())
        .collect();
    assert_eq!(replies.len(), 1, "one reply at the server: {replies:?}");
    assert_eq!(replies[0]["id"], retried.native_id.as_str());
}
