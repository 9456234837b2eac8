//! Replies posted once (also after the connection drops between Meta's write and its
//! answer), and the 24-hour messaging window.

use std::time::Duration;

use switchboard_meta::testing::{FakeGraph, Fault, Inbox};
use switchboard_meta::ProviderOptions;
use switchboard_platforms::{Provider, ProviderError, ReplyTarget};

use crate::support::{customer, facebook, find, instagram, now, options, Stream};

#[tokio::test]
async fn a_comment_reply_is_posted_once_even_after_a_dropped_answer() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let ana = customer("5501", "Ana");
    let asked = fake
        .customer_comment(
            &seed.page_post_id,
            &ana,
            "Is the shop open on Sunday?",
            None,
        )
        .await;
    let items = incoming.drain(&provider).await;
    let item = find(&items, &asked).unwrap();
    let target = ReplyTarget {
        thread: item.thread.clone(),
        in_reply_to: asked.clone(),
    };

    let posted = provider
        .reply(&target, "Yes, 10 to 4!", "key-1", now())
        .await
        .unwrap();
    assert!(posted.from_brand);
    assert_eq!(posted.thread, target.thread);
    let again = provider
        .reply(&target, "Yes, 10 to 4!", "key-1", now())
        .await
        .unwrap();
    assert_eq!(again.native_id, posted.native_id);
    assert_eq!(fake.page_replies(&asked).await.len(), 1);

    // The POST is applied at Meta but its answer never arrives.
    fake.fault("/comments", Fault::DropAfterApply, 1).await;
    let dropped = provider
        .reply(&target, "And 11 to 3 on holidays.", "key-2", now())
        .await;
    assert!(dropped.is_err(), "the answer was lost: {dropped:?}");
    let retried = provider
        .reply(&target, "And 11 to 3 on holidays.", "key-2", now())
        .await
        .unwrap();
    let replies = fake.page_replies(&asked).await;
    assert_eq!(replies.len(), 2, "posted once each: {replies:?}");
    assert_eq!(retried.native_id, replies[1].0);

    let thread = provider.thread(&target).await.unwrap();
    assert_eq!(thread[0].native_id, asked);
    assert_eq!(thread.iter().filter(|i| i.from_brand).count(), 2);
}

#[tokio::test]
async fn an_instagram_comment_reply_is_posted_once() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let seed = fake.seed().clone();
    let cara = customer("17841400000001", "cara.codes");
    let asked = fake
        .customer_comment(&seed.instagram_media_id, &cara, "price?", None)
        .await;
    let items = Stream::default().drain(&provider).await;
    let target = ReplyTarget {
        thread: find(&items, &asked).unwrap().thread.clone(),
        in_reply_to: asked.clone(),
    };
    fake.fault("/replies", Fault::DropAfterApply, 1).await;
    assert!(provider.reply(&target, "€25", "k", now()).await.is_err());
    let posted = provider.reply(&target, "€25", "k", now()).await.unwrap();
    let replies = fake.page_replies(&asked).await;
    assert_eq!(replies, vec![(posted.native_id.clone(), "€25".to_owned())]);
}

async fn message_target(
    fake: &FakeGraph,
    provider: &switchboard_meta::MetaProvider,
    inbox: Inbox,
    who: &str,
    ago: Duration,
) -> (String, ReplyTarget) {
    let (conversation, message) = fake
        .customer_message(inbox, &customer(who, "Customer"), "hello?", ago)
        .await;
    let items = Stream::default().drain(provider).await;
    let item = find(&items, &message).expect("the message arrives");
    (
        conversation,
        ReplyTarget {
            thread: item.thread.clone(),
            in_reply_to: message,
        },
    )
}

#[tokio::test]
async fn a_message_is_answered_within_the_window_and_once() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let almost = Duration::from_secs(23 * 3600 + 50 * 60);
    let (conversation, target) =
        message_target(&fake, &provider, Inbox::Messenger, "6601", almost).await;
    fake.fault("/messages", Fault::DropAfterApply, 1).await;
    assert!(provider.reply(&target, "On it!", "k", now()).await.is_err());
    let sent = provider.reply(&target, "On it!", "k", now()).await.unwrap();
    assert!(sent.from_brand);
    let replies = fake.page_replies(&conversation).await;
    assert_eq!(replies, vec![(sent.native_id.clone(), "On it!".to_owned())]);
}

#[tokio::test]
async fn outside_the_window_the_reply_is_refused_before_meta_is_called() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let late = Duration::from_secs(25 * 3600);
    let (conversation, target) =
        message_target(&fake, &provider, Inbox::Instagram, "17841400000009", late).await;
    let posts_before = fake.requests("/messages").await;
    let refused = provider
        .reply(&target, "Sorry for the wait", "k", now())
        .await;
    match refused {
        Err(ProviderError::Refused(why)) => {
            assert!(why.contains("24-hour messaging window closed at"), "{why}");
            assert!(why.contains("UTC"), "{why}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Only the look at the conversation, no send.
    assert!(fake.page_replies(&conversation).await.is_empty());
    let _ = posts_before;
}

#[tokio::test]
async fn with_the_policys_consent_a_late_message_is_sent_with_the_human_agent_tag() {
    let fake = FakeGraph::start().await;
    let provider = facebook(
        &fake,
        ProviderOptions {
            human_agent_tag: true,
            ..options()
        },
    );
    let late = Duration::from_secs(25 * 3600);
    let (conversation, target) =
        message_target(&fake, &provider, Inbox::Messenger, "6602", late).await;
    let sent = provider
        .reply(&target, "Sorry for the wait", "k", now())
        .await
        .unwrap();
    assert_eq!(
        fake.page_replies(&conversation).await,
        vec![(sent.native_id, "Sorry for the wait".to_owned())]
    );
    // Past 7 days even the tag does not help (the first sync does not list so old a
    // conversation, so its key is written here as the provider writes it).
    let week = Duration::from_secs(8 * 24 * 3600);
    let (conversation, message) = fake
        .customer_message(Inbox::Messenger, &customer("6603", "Old"), "hello?", week)
        .await;
    let old = ReplyTarget {
        thread: switchboard_core::ThreadKey(format!(
            "facebook:{}:dm:{conversation}",
            fake.seed().page_id
        )),
        in_reply_to: message,
    };
    match provider.reply(&old, "hello", "k2", now()).await {
        Err(ProviderError::Refused(why)) => assert!(why.contains("7 days"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(fake.page_replies(&conversation).await.is_empty());
}

#[tokio::test]
async fn a_reply_longer_than_meta_takes_is_refused_before_posting() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let (conversation, target) = message_target(
        &fake,
        &provider,
        Inbox::Messenger,
        "6604",
        Duration::from_secs(60),
    )
    .await;
    let limit = provider.reply_limit().await.expect("a limit");
    assert_eq!(limit.max, 2000);
    match provider.reply(&target, &"a".repeat(2001), "k", now()).await {
        Err(ProviderError::Refused(why)) => assert!(why.contains("2000"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(fake.page_replies(&conversation).await.is_empty());
    let sent = provider
        .reply(&target, &"a".repeat(2000), "k2", now())
        .await
        .unwrap();
    assert_eq!(sent.text.chars().count(), 2000);
}
