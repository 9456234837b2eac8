//! Instagram mentions answered from Switchboard (`POST /{ig}/mentions`), read back through
//! `mentioned_media`: posted once (also when the answer is lost and Meta lists it late),
//! shown in the mention's thread and as a brand item, an answer written in Instagram picked
//! up, and a mention that cannot be answered refused in plain words.

use std::time::Duration;

use switchboard_core::ItemKind;
use switchboard_meta::testing::{FakeGraph, Fault};
use switchboard_meta::MetaProvider;
use switchboard_platforms::{Provider, ProviderError, ReplyTarget};

use crate::support::{customer, find, instagram, now, options, Stream};

/// A mention of the account by `dan.eats`, synced, as a reply target: (media id, target).
async fn mention_target(
    fake: &FakeGraph,
    provider: &MetaProvider,
    caption: &str,
) -> (String, ReplyTarget) {
    let media = fake
        .instagram_mention(&customer("17841400000077", "dan.eats"), caption)
        .await;
    let items = Stream::default().drain(provider).await;
    let item = find(&items, &media).expect("the mention arrives");
    assert_eq!(item.kind, ItemKind::Mention);
    (
        media.clone(),
        ReplyTarget {
            thread: item.thread.clone(),
            in_reply_to: media,
        },
    )
}

#[tokio::test]
async fn a_mention_is_answered_once_and_the_answer_shows_in_its_thread_and_as_a_brand_item() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let mut brand = Stream::brand();
    brand.drain(&provider).await;
    let (media, target) =
        mention_target(&fake, &provider, "Best kettle ever, thanks @acme.support").await;

    let posted = provider
        .reply(&target, "So glad you like it!", "key-1", now())
        .await
        .expect("the mention is answered");
    assert!(posted.from_brand);
    assert_eq!(posted.thread, target.thread);
    assert_eq!(
        fake.page_replies(&media).await,
        vec![(posted.native_id.clone(), "So glad you like it!".to_owned())]
    );
    assert_eq!(fake.requests("/mentions").await, 1);

    // Retried with the same key (the engine after a crash): found, not posted again.
    let again = provider
        .reply(&target, "So glad you like it!", "key-1", now())
        .await
        .unwrap();
    assert_eq!(again.native_id, posted.native_id);
    assert_eq!(fake.page_replies(&media).await.len(), 1);
    assert_eq!(fake.requests("/mentions").await, 1);

    let thread = provider.thread(&target).await.unwrap();
    assert_eq!(thread.len(), 2, "{thread:?}");
    assert_eq!(thread[0].native_id, media);
    assert_eq!(thread[0].kind, ItemKind::Mention);
    assert_eq!(thread[1].native_id, posted.native_id);
    assert!(thread[1].from_brand);
    assert_eq!(thread[1].thread, target.thread);

    let brand_items = brand.drain(&provider).await;
    let answer = find(&brand_items, &posted.native_id).expect("the answer is a brand item");
    assert!(answer.from_brand);
    assert_eq!(answer.thread, target.thread);
    assert!(
        find(&brand_items, &media).is_none(),
        "the customer's mention is not a brand item"
    );
}

#[tokio::test]
async fn a_mention_answer_whose_post_answer_was_lost_is_posted_once() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let (media, target) = mention_target(&fake, &provider, "@acme.support my lid broke").await;

    fake.fault("/mentions", Fault::DropAfterApply, 1).await;
    let lost = provider
        .reply(&target, "Sorry! DM us your order number.", "k", now())
        .await;
    assert!(lost.is_err(), "the answer was lost: {lost:?}");
    let retried = provider
        .reply(&target, "Sorry! DM us your order number.", "k", now())
        .await
        .expect("the retry finds the answer");
    assert_eq!(
        fake.page_replies(&media).await,
        vec![(
            retried.native_id.clone(),
            "Sorry! DM us your order number.".to_owned()
        )]
    );
}

#[tokio::test]
async fn a_lost_mention_answer_is_not_posted_again_while_meta_lists_it_late() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let (media, target) = mention_target(&fake, &provider, "@acme.support where is my order").await;
    fake.listing_lag(Duration::from_millis(1500)).await;

    fake.fault("/mentions", Fault::DropAfterApply, 1).await;
    assert!(provider
        .reply(&target, "Checking now.", "k", now())
        .await
        .is_err());
    let retried = provider
        .reply(&target, "Checking now.", "k", now())
        .await
        .expect("the retry reads again until the answer is listed");
    let replies = fake.page_replies(&media).await;
    assert_eq!(
        replies,
        vec![(retried.native_id.clone(), "Checking now.".to_owned())],
        "posted once"
    );
}

#[tokio::test]
async fn an_answer_written_in_instagram_shows_in_the_thread_and_in_the_brand_stream() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let mut brand = Stream::brand();
    brand.drain(&provider).await;
    let (media, target) = mention_target(&fake, &provider, "Hey @acme.support, open Sunday?").await;
    // Someone else's comment on the media is not part of the brand's conversation.
    fake.customer_comment(&media, &customer("17841400000078", "eve"), "me too", None)
        .await;

    let answer = fake
        .mention_answered_in_instagram(&media, "Yes, 10 to 4!")
        .await;
    let thread = provider.thread(&target).await.unwrap();
    let ids: Vec<&str> = thread.iter().map(|i| i.native_id.as_str()).collect();
    assert_eq!(ids, vec![media.as_str(), answer.as_str()]);
    assert!(thread[1].from_brand);

    let brand_items = brand.drain(&provider).await;
    let item = find(&brand_items, &answer).expect("the brand stream finds it");
    assert!(item.from_brand);
    assert_eq!(item.thread, target.thread);

    // Answering the same words from Switchboard finds that answer instead of posting.
    let found = provider
        .reply(&target, "Yes, 10 to 4!", "k", now())
        .await
        .unwrap();
    assert_eq!(found.native_id, answer);
    assert_eq!(fake.requests("/mentions").await, 0);
}

#[tokio::test]
async fn a_closed_deleted_or_tag_only_mention_is_refused_plainly() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());

    let (closed, target) = mention_target(&fake, &provider, "@acme.support nice").await;
    fake.mention_comments_off(&closed).await;
    match provider.reply(&target, "Thanks!", "k1", now()).await {
        Err(ProviderError::Refused(why)) => {
            assert!(why.contains("comments turned off"), "{why}")
        }
        other => panic!("{other:?}"),
    }
    assert!(fake.page_replies(&closed).await.is_empty());

    let (deleted, target) = mention_target(&fake, &provider, "@acme.support bye").await;
    fake.mention_deleted(&deleted).await;
    match provider.reply(&target, "Thanks!", "k2", now()).await {
        Err(ProviderError::Refused(why)) => {
            assert!(why.contains("cannot be read or answered"), "{why}");
            assert!(why.contains("deleted"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(provider.thread(&target).await.unwrap().is_empty());

    // Tagged in the photo, not @mentioned in the caption: Instagram does not let the
    // account comment there.
    let (tagged, target) = mention_target(&fake, &provider, "Picnic with friends").await;
    match provider.reply(&target, "Thanks!", "k3", now()).await {
        Err(ProviderError::Refused(why)) => assert!(why.contains("photo tags"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(fake.page_replies(&tagged).await.is_empty());
    assert_eq!(
        fake.requests("/mentions").await,
        1,
        "only the closed one was tried"
    );
}
