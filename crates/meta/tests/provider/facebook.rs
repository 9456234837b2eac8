//! Facebook Page comments, answers made elsewhere, visitor posts.

use std::time::Duration;

use switchboard_core::ItemKind;
use switchboard_meta::testing::FakeGraph;

use crate::support::{customer, facebook, find, options, Stream};

#[tokio::test]
async fn a_customer_comment_arrives_once_in_its_own_conversation() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let ana = customer("5501", "Ana Souza");
    let id = fake
        .customer_comment(&seed.page_post_id, &ana, "My order never came 📦", None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &id).expect("the comment arrives");
    assert_eq!(item.kind, ItemKind::Comment);
    assert!(!item.from_brand);
    assert_eq!(item.text, "My order never came 📦");
    assert_eq!(item.author.display_name, "Ana Souza");
    assert_eq!(
        item.thread.0,
        format!("facebook:{}:comment:{id}", seed.page_id)
    );
    let again = incoming.fetch(&provider).await.unwrap();
    assert!(
        find(&again, &id).is_none(),
        "nothing changed: not read again"
    );

    // A second customer on the same post is a conversation of their own.
    let bo = customer("5502", "Bo");
    let other = fake
        .customer_comment(&seed.page_post_id, &bo, "Same here", None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    assert_ne!(find(&items, &other).unwrap().thread, item.thread);
}

#[tokio::test]
async fn a_back_dated_comment_is_not_lost() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let ana = customer("5501", "Ana");
    fake.customer_comment(&seed.page_post_id, &ana, "first", None)
        .await;
    incoming.drain(&provider).await;

    let old = fake
        .customer_comment(
            &seed.page_post_id,
            &ana,
            "dated three hours ago",
            Some(Duration::from_secs(3 * 3600)),
        )
        .await;
    let items = incoming.drain(&provider).await;
    assert!(
        find(&items, &old).is_some(),
        "a comment dated before the last one seen still arrives"
    );
}

#[tokio::test]
async fn the_pages_answer_written_elsewhere_is_a_brand_item_in_the_conversation() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let mut brand = Stream::brand();
    incoming.drain(&provider).await;
    brand.drain(&provider).await;

    let ana = customer("5501", "Ana");
    let asked = fake
        .customer_comment(&seed.page_post_id, &ana, "Where is my refund?", None)
        .await;
    let customer_item = incoming.fetch(&provider).await.unwrap();
    let thread = find(&customer_item, &asked).unwrap().thread.clone();

    let answer = fake
        .page_comment_elsewhere(&asked, "Sent this morning!")
        .await;
    let from_brand = brand.fetch(&provider).await.unwrap();
    let item = find(&from_brand, &answer).expect("the brand stream has the answer");
    assert!(item.from_brand);
    assert_eq!(item.thread, thread);
    assert!(
        from_brand.iter().all(|i| i.from_brand),
        "the brand stream holds the brand's items only"
    );
    let incoming_items = incoming.fetch(&provider).await.unwrap();
    assert!(find(&incoming_items, &answer).unwrap().from_brand);
}

#[tokio::test]
async fn a_visitor_post_and_its_comments_are_one_conversation() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let ana = customer("5501", "Ana");
    let post = fake
        .visitor_post(&ana, "Your store on Main St is closed?")
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &post).expect("the visitor post arrives");
    assert_eq!(item.kind, ItemKind::Mention);
    assert!(!item.from_brand);
    let answer = fake.page_comment_elsewhere(&post, "Open again at 9").await;
    let items = incoming.fetch(&provider).await.unwrap();
    let answer = find(&items, &answer).unwrap();
    assert!(answer.from_brand);
    assert_eq!(answer.thread, item.thread);
}

#[tokio::test]
async fn a_bad_stored_cursor_is_said_so() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let mut stream = Stream {
        cursor: Some("not a cursor".into()),
        brand: false,
    };
    assert!(matches!(
        stream.fetch(&provider).await,
        Err(switchboard_platforms::ProviderError::BadCursor(_))
    ));
}

#[tokio::test]
async fn the_pages_own_top_level_comment_starts_no_conversation() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let mut brand = Stream::brand();
    incoming.drain(&provider).await;
    brand.drain(&provider).await;
    let announcement = fake
        .page_comment_elsewhere(&seed.page_post_id, "Reminder: open until 4 today")
        .await;
    let ana = customer("5501", "Ana");
    let reply = fake
        .customer_comment(&announcement, &ana, "And tomorrow?", None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    assert!(find(&items, &announcement).is_none());
    let reply = find(&items, &reply).expect("the customer's reply under it arrives");
    assert!(reply
        .thread
        .0
        .ends_with(&format!(":comment:{announcement}")));
    assert!(find(&brand.fetch(&provider).await.unwrap(), &announcement).is_none());
    let thread = switchboard_platforms::Provider::thread(
        &provider,
        &switchboard_platforms::ReplyTarget {
            thread: reply.thread.clone(),
            in_reply_to: reply.native_id.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(thread[0].native_id, announcement, "shown as context");
}

#[tokio::test]
async fn customer_text_is_kept_plain_capped_and_with_its_unicode() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana\u{202E}evil");
    let odd = "مرحبا 👩‍💻 <b>not html</b>\u{7}";
    let short = fake
        .customer_comment(&seed.page_post_id, &ana, odd, None)
        .await;
    let long = fake
        .customer_comment(&seed.page_post_id, &ana, &"é".repeat(12_000), None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    assert_eq!(
        find(&items, &short).unwrap().text,
        "مرحبا 👩‍💻 <b>not html</b>",
        "kept as written, control characters dropped"
    );
    let long = find(&items, &long).unwrap();
    assert_eq!(long.text.chars().count(), switchboard_meta::MAX_TEXT_CHARS);
    assert!(long.text.ends_with('…'));
}

#[tokio::test]
async fn more_comments_than_the_feed_carries_are_read_from_the_post() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana");
    let mut ids = Vec::new();
    for n in 0..(switchboard_meta::fields::FEED_COMMENTS + 15) {
        ids.push(
            fake.customer_comment(&seed.page_post_id, &ana, &format!("comment {n}"), None)
                .await,
        );
    }
    let items = incoming.fetch(&provider).await.unwrap();
    let missing: Vec<_> = ids.iter().filter(|id| find(&items, id).is_none()).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
}

#[tokio::test]
async fn a_customers_follow_up_under_the_pages_answer_arrives_in_the_same_conversation() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let ana = customer("5501", "Ana");
    let asked = fake
        .customer_comment(
            &seed.page_post_id,
            &ana,
            "Is the shop open on Sunday?",
            None,
        )
        .await;
    let first = incoming.fetch(&provider).await.unwrap();
    let thread = find(&first, &asked).unwrap().thread.clone();
    fake.page_comment_elsewhere(&asked, "Yes, 10 to 4!").await;
    incoming.fetch(&provider).await.unwrap();

    let follow_up = fake
        .customer_comment(&asked, &ana, "And on holidays?", None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &follow_up).expect("the follow-up arrives");
    assert_eq!(item.thread, thread);
    assert!(!item.from_brand);
}
