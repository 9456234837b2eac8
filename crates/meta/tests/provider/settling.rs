//! Replies whose answer was lost while Meta's listings lag: the retry with the same key
//! reads the conversation again over the settle time and finds the reply instead of
//! posting it twice.

use std::time::Duration;

use switchboard_meta::testing::{FakeGraph, Fault, Inbox};
use switchboard_meta::{MetaProvider, ScanLimits};
use switchboard_platforms::{Provider, ReplyTarget};

use crate::support::{customer, facebook, find, instagram, now, options, Stream};

/// Shorter than the settle reads wait (2 × 2 s), longer than an immediate retry takes.
const LAG: Duration = Duration::from_millis(1500);

/// A customer's comment on the seeded post, synced, as a reply target.
async fn comment_target(fake: &FakeGraph, provider: &MetaProvider) -> (String, ReplyTarget) {
    let asked = fake
        .customer_comment(
            &fake.seed().page_post_id,
            &customer("5701", "Ana"),
            "Do you ship to Norway?",
            None,
        )
        .await;
    let items = Stream::default().drain(provider).await;
    let target = ReplyTarget {
        thread: find(&items, &asked)
            .expect("the comment arrives")
            .thread
            .clone(),
        in_reply_to: asked.clone(),
    };
    (asked, target)
}

#[tokio::test]
async fn a_comment_reply_whose_answer_was_lost_is_not_posted_again_while_meta_lists_it_late() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let (asked, target) = comment_target(&fake, &provider).await;
    fake.listing_lag(LAG).await;

    fake.fault("/comments", Fault::DropAfterApply, 1).await;
    let lost = provider.reply(&target, "Yes, we do.", "key-1", now()).await;
    assert!(lost.is_err(), "the answer was lost: {lost:?}");
    let retried = provider
        .reply(&target, "Yes, we do.", "key-1", now())
        .await
        .expect("the retry finds the reply");
    let replies = fake.page_replies(&asked).await;
    assert_eq!(
        replies,
        vec![(retried.native_id.clone(), "Yes, we do.".to_owned())],
        "posted once"
    );
    assert!(retried.from_brand);
    assert_eq!(retried.thread, target.thread);

    // Another key with the same text after the same comment: the look is by text, so
    // the reply now listed is returned and nothing is posted (as the module documents).
    let same = provider
        .reply(&target, "Yes, we do.", "key-2", now())
        .await
        .unwrap();
    assert_eq!(same.native_id, retried.native_id);
    assert_eq!(fake.page_replies(&asked).await.len(), 1);

    // A new reply after that is posted, once.
    let next = provider
        .reply(&target, "Shipping takes 3 days.", "key-3", now())
        .await
        .unwrap();
    let replies = fake.page_replies(&asked).await;
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert_eq!(replies[1].0, next.native_id);
}

#[tokio::test]
async fn a_messenger_reply_whose_answer_was_lost_is_not_sent_again_while_meta_lists_it_late() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let (conversation, message) = fake
        .customer_message(
            Inbox::Messenger,
            &customer("6701", "Bo"),
            "where is my order?",
            Duration::from_secs(60),
        )
        .await;
    let items = Stream::default().drain(&provider).await;
    let target = ReplyTarget {
        thread: find(&items, &message)
            .expect("the message arrives")
            .thread
            .clone(),
        in_reply_to: message,
    };
    fake.listing_lag(LAG).await;

    fake.fault("/messages", Fault::DropAfterApply, 1).await;
    let lost = provider
        .reply(&target, "It left today.", "key-1", now())
        .await;
    assert!(lost.is_err(), "the answer was lost: {lost:?}");
    let retried = provider
        .reply(&target, "It left today.", "key-1", now())
        .await
        .expect("the retry finds the message");
    assert_eq!(
        fake.page_replies(&conversation).await,
        vec![(retried.native_id.clone(), "It left today.".to_owned())],
        "sent once"
    );
}

#[tokio::test]
async fn an_instagram_comment_reply_whose_answer_was_lost_is_not_posted_again() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let asked = fake
        .customer_comment(
            &fake.seed().instagram_media_id,
            &customer("17841400000071", "dana.d"),
            "in blue?",
            None,
        )
        .await;
    let items = Stream::default().drain(&provider).await;
    let target = ReplyTarget {
        thread: find(&items, &asked).unwrap().thread.clone(),
        in_reply_to: asked.clone(),
    };
    fake.listing_lag(LAG).await;
    fake.fault("/replies", Fault::DropAfterApply, 1).await;
    assert!(provider.reply(&target, "Yes!", "k", now()).await.is_err());
    let retried = provider.reply(&target, "Yes!", "k", now()).await.unwrap();
    assert_eq!(
        fake.page_replies(&asked).await,
        vec![(retried.native_id, "Yes!".to_owned())]
    );
}

#[tokio::test]
async fn with_one_settle_read_a_reply_listed_late_is_posted_twice() {
    // The hole settling closes, kept visible: reading once, a retry does not see the
    // reply Meta applied but does not list yet, and posts it again.
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options()).with_limits(ScanLimits {
        settle_reads: 1,
        ..ScanLimits::default()
    });
    let (asked, target) = comment_target(&fake, &provider).await;
    fake.listing_lag(Duration::from_secs(30)).await;
    fake.fault("/comments", Fault::DropAfterApply, 1).await;
    assert!(provider.reply(&target, "Yes.", "k", now()).await.is_err());
    provider.reply(&target, "Yes.", "k", now()).await.unwrap();
    assert_eq!(fake.page_replies(&asked).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_the_settle_period_reads_once() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options()).with_limits(ScanLimits {
        settle_period: Duration::ZERO,
        ..ScanLimits::default()
    });
    let (asked, target) = comment_target(&fake, &provider).await;
    fake.listing_lag(Duration::from_secs(30)).await;
    fake.fault("/comments", Fault::DropAfterApply, 1).await;
    assert!(provider.reply(&target, "Yes.", "k", now()).await.is_err());
    // The attempt is older than a settle period of zero: the retry is treated as a first
    // attempt (one read), and Meta's listing is still behind.
    provider.reply(&target, "Yes.", "k", now()).await.unwrap();
    assert_eq!(fake.page_replies(&asked).await.len(), 2);
}
