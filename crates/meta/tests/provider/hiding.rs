//! Hiding a customer's comment from the public and showing it again (Facebook
//! `is_hidden`, Instagram `hide`); messages and mentions are refused before Meta is called.

use std::time::Duration;

use switchboard_meta::testing::{FakeGraph, Inbox};
use switchboard_platforms::{Provider, ProviderError};

use crate::support::{customer, facebook, find, instagram, options, Stream};

#[tokio::test]
async fn a_facebook_comment_is_hidden_and_shown_again_and_stays_listed() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let spam = fake
        .customer_comment(
            &seed.page_post_id,
            &customer("5601", "Spammer"),
            "Cheap watches at example.test",
            None,
        )
        .await;
    let items = incoming.drain(&provider).await;
    let thread = find(&items, &spam).unwrap().thread.clone();

    provider.set_hidden(&thread, &spam, true).await.unwrap();
    assert!(fake.is_hidden(&spam).await);
    // Hidden from the public, still listed to the Page: the conversation reads the same.
    let read = provider
        .thread(&switchboard_platforms::ReplyTarget {
            thread: thread.clone(),
            in_reply_to: spam.clone(),
        })
        .await
        .unwrap();
    assert!(find(&read, &spam).is_some(), "still listed: {read:?}");

    provider.set_hidden(&thread, &spam, false).await.unwrap();
    assert!(!fake.is_hidden(&spam).await);
}

#[tokio::test]
async fn an_instagram_reply_is_hidden_with_hide() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let top = fake
        .customer_comment(
            &seed.instagram_media_id,
            &customer("7701", "cara"),
            "Blue?",
            None,
        )
        .await;
    let rude = fake
        .customer_comment(&top, &customer("7702", "troll"), "rude words", None)
        .await;
    let items = incoming.drain(&provider).await;
    let thread = find(&items, &rude).unwrap().thread.clone();

    provider.set_hidden(&thread, &rude, true).await.unwrap();
    assert!(fake.is_hidden(&rude).await);
    assert!(!fake.is_hidden(&top).await, "only the one comment");
    provider.set_hidden(&thread, &rude, false).await.unwrap();
    assert!(!fake.is_hidden(&rude).await);
}

#[tokio::test]
async fn a_message_is_not_hidden_and_meta_is_not_asked() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let mut incoming = Stream::default();
    let (_, message) = fake
        .customer_message(
            Inbox::Messenger,
            &customer("8801", "Eve"),
            "Hello",
            Duration::from_secs(60),
        )
        .await;
    let items = incoming.drain(&provider).await;
    let thread = find(&items, &message).unwrap().thread.clone();
    let before = fake.requests(&message).await;

    let refused = provider.set_hidden(&thread, &message, true).await;
    match refused {
        Err(ProviderError::Unsupported(what)) => assert!(what.contains("message"), "{what}"),
        other => panic!("expected a plain refusal, got {other:?}"),
    }
    assert_eq!(fake.requests(&message).await, before);
}
