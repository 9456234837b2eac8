//! Messenger and Instagram messages, and the answers the Page writes elsewhere.

use std::time::Duration;

use switchboard_core::ItemKind;
use switchboard_meta::testing::{FakeGraph, Inbox};

use crate::support::{customer, facebook, find, instagram, options, Stream};

#[tokio::test]
async fn messenger_messages_arrive_with_the_pages_answers() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let ana = customer("6601", "Ana");
    let (conversation, message) = fake
        .customer_message(
            Inbox::Messenger,
            &ana,
            "Hi, my card was charged twice",
            Duration::from_secs(60),
        )
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &message).expect("the message arrives");
    assert_eq!(item.kind, ItemKind::DirectMessage);
    assert!(!item.from_brand);
    assert_eq!(
        item.thread.0,
        format!("facebook:{}:dm:{conversation}", seed.page_id)
    );
    let answer = fake
        .page_message_elsewhere(&conversation, "Refunded, sorry!")
        .await;
    let mut brand = Stream::brand();
    let items = brand.drain(&provider).await;
    let answered = find(&items, &answer).expect("the answer is a brand item");
    assert!(answered.from_brand);
    assert_eq!(answered.thread, item.thread);
}

#[tokio::test]
async fn instagram_messages_arrive() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let cara = customer("17841400000001", "cara.codes");
    let (conversation, message) = fake
        .customer_message(
            Inbox::Instagram,
            &cara,
            "سلام! do you ship abroad?",
            Duration::from_secs(5),
        )
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &message).expect("the message arrives");
    assert_eq!(item.kind, ItemKind::DirectMessage);
    assert_eq!(item.text, "سلام! do you ship abroad?");
    assert!(item.thread.0.ends_with(&format!(":dm:{conversation}")));
}
