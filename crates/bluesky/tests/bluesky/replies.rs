//! The brand's replies: written elsewhere (seen by the brand stream) and sent through
//! Switchboard (idempotent, visible in the thread on the network).

use switchboard_core::{ItemKind, Timestamp};
use switchboard_platforms::{Provider, ReplyTarget};

use crate::support::actors::{xrpc_get, Actor};
use crate::{indexed, options};

#[tokio::test]
async fn a_reply_written_straight_on_the_pds_lands_in_the_mentions_thread() {
    let brand = Actor::create("eb").await;
    let ana = Actor::create("ea").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let now = Timestamp::now_from_system();
    let brand_start = provider
        .fetch_brand_replies_since(None, now)
        .await
        .expect("first brand sync");
    assert!(brand_start.items.is_empty());

    let question = ana.post("Where is my order? ", Some(&brand), None).await;
    brand.post("Not a reply, just news", None, None).await;
    let answer = brand
        .post("It ships today", None, Some((&question, &question)))
        .await;
    indexed().await;
    let mention = provider.fetch_since(None, now).await.expect("incoming");
    let brand_page = provider
        .fetch_brand_replies_since(Some(&brand_start.next_cursor), now)
        .await
        .expect("brand posts");
    assert_eq!(
        brand_page.items.len(),
        1,
        "only replies count: {:?}",
        brand_page.items
    );
    let reply = &brand_page.items[0];
    assert_eq!(reply.native_id, answer.uri);
    assert!(reply.from_brand);
    assert_eq!(reply.kind, ItemKind::Reply);
    assert_eq!(reply.author.handle, brand.handle);
    assert_eq!(
        reply.thread, mention.items[0].thread,
        "answered elsewhere, same conversation"
    );

    let again = provider
        .fetch_brand_replies_since(Some(&brand_page.next_cursor), now)
        .await
        .expect("resume");
    assert!(again.items.is_empty(), "resuming repeats nothing");
}

#[tokio::test]
async fn a_reply_through_switchboard_appears_in_the_thread_once_per_idempotency_key() {
    let brand = Actor::create("ib").await;
    let ana = Actor::create("ia").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let question = ana.post("Help? ", Some(&brand), None).await;
    indexed().await;
    let follow_up = ana
        .post("Anyone?", None, Some((&question, &question)))
        .await;
    indexed().await;
    let now = Timestamp::now_from_system();
    let incoming = provider.fetch_since(None, now).await.expect("incoming");
    let thread = incoming.items[0].thread.clone();
    let target = ReplyTarget {
        thread: thread.clone(),
        in_reply_to: follow_up.uri.clone(),
    };

    let key = "0190f1a2-7b3c-7def-8123-456789abcdef";
    let sent = provider
        .reply(&target, "We're on it!", key, now)
        .await
        .expect("the reply posts");
    assert!(sent.from_brand);
    assert_eq!(sent.thread, thread, "the reply belongs to the conversation");
    assert_eq!(sent.text, "We're on it!");
    let retried = provider
        .reply(&target, "We're on it!", key, now)
        .await
        .expect("a retry with the same key succeeds");
    assert_eq!(retried.native_id, sent.native_id, "the same key posts once");
    let other = provider
        .reply(&target, "And a second answer", "another-key", now)
        .await
        .expect("another key posts");
    assert_ne!(other.native_id, sent.native_id);
    indexed().await;

    let on_network = xrpc_get(
        &brand.pds,
        "app.bsky.feed.getPostThread",
        &brand.access_jwt,
        &[("uri", &question.uri), ("depth", "10")],
    )
    .await;
    let replies_to_follow_up = on_network["thread"]["replies"][0]["replies"]
        .as_array()
        .expect("the follow-up has replies");
    let uris: Vec<_> = replies_to_follow_up
        .iter()
        .map(|r| r["post"]["uri"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        uris.iter().filter(|u| **u == sent.native_id).count(),
        1,
        "posted once: {uris:?}"
    );
    assert_eq!(uris.len(), 2, "two keys, two replies: {uris:?}");

    let items = provider.thread(&target).await.expect("thread");
    let ids: Vec<_> = items.iter().map(|i| i.native_id.as_str()).collect();
    for expected in [
        &question.uri,
        &follow_up.uri,
        &sent.native_id,
        &other.native_id,
    ] {
        assert!(ids.contains(&expected.as_str()), "{expected} in {ids:?}");
    }
    assert_eq!(items[0].native_id, question.uri, "the root comes first");
    assert_eq!(items[0].kind, ItemKind::Mention);
    assert!(items.iter().all(|i| i.thread == thread));
}

#[tokio::test]
async fn an_overlong_reply_is_refused_with_the_platforms_reason() {
    let brand = Actor::create("lb").await;
    let ana = Actor::create("la").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let question = ana.post("Long? ", Some(&brand), None).await;
    indexed().await;
    let target = ReplyTarget {
        thread: switchboard_core::ThreadKey::new(
            switchboard_core::Platform::Bluesky,
            &brand.did,
            &question.uri,
        ),
        in_reply_to: question.uri.clone(),
    };
    let error = provider
        .reply(
            &target,
            &"a".repeat(400),
            "long-1",
            Timestamp::now_from_system(),
        )
        .await
        .expect_err("over 300 characters is refused");
    assert!(
        matches!(error, switchboard_platforms::ProviderError::Refused(_)),
        "{error:?}"
    );
}
