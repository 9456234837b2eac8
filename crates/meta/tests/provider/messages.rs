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

#[tokio::test]
async fn more_messages_than_the_inbox_carries_all_arrive_once() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let mut incoming = Stream::default();
    let mut brand = Stream::brand();
    incoming.drain(&provider).await;

    let ana = customer("6601", "Ana");
    let (conversation, first) = fake
        .customer_message(Inbox::Messenger, &ana, "hello?", Duration::from_secs(600))
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    assert!(find(&items, &first).is_some());
    brand.drain(&provider).await;

    // 25 messages between two fetches: the inbox carries the 20 latest.
    let mut sent = Vec::new();
    for n in 1..=24 {
        let (_, id) = fake
            .customer_message(
                Inbox::Messenger,
                &ana,
                &format!("detail {n}"),
                Duration::from_secs(300 - n),
            )
            .await;
        sent.push(id);
    }
    sent.push(
        fake.page_message_elsewhere(&conversation, "Reading all of it")
            .await,
    );
    // And a conversation first met with 25 messages.
    let bo = customer("6602", "Bo");
    let mut new_conversation = Vec::new();
    for n in 1..=25 {
        let (_, id) = fake
            .customer_message(
                Inbox::Messenger,
                &bo,
                &format!("bo {n}"),
                Duration::from_secs(300 - n),
            )
            .await;
        new_conversation.push(id);
    }
    let items = incoming.fetch(&provider).await.unwrap();
    for id in sent.iter().chain(&new_conversation) {
        assert_eq!(
            items.iter().filter(|i| &i.native_id == id).count(),
            1,
            "message {id} arrives once"
        );
    }
    // The messages around the newest one seen before may come again (Meta dates them
    // by the second); the store drops what it has.
    let again = incoming.fetch(&provider).await.unwrap();
    assert!(again.is_empty(), "nothing new: {again:?}");

    let answers = brand.fetch(&provider).await.unwrap();
    assert!(
        find(&answers, &sent[24]).is_some(),
        "the brand stream pages too"
    );
}

#[tokio::test]
async fn instagram_conversations_page_back_too() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let cara = customer("17841400000001", "cara.codes");
    let (_, first) = fake
        .customer_message(Inbox::Instagram, &cara, "hi", Duration::from_secs(600))
        .await;
    assert!(find(&incoming.fetch(&provider).await.unwrap(), &first).is_some());
    let mut sent = Vec::new();
    for n in 1..=25 {
        let (_, id) = fake
            .customer_message(
                Inbox::Instagram,
                &cara,
                &format!("photo {n}"),
                Duration::from_secs(300 - n),
            )
            .await;
        sent.push(id);
    }
    let items = incoming.fetch(&provider).await.unwrap();
    for id in &sent {
        assert_eq!(
            items.iter().filter(|i| &i.native_id == id).count(),
            1,
            "message {id} arrives once"
        );
    }
    assert!(
        items.len() <= sent.len() + 1,
        "paging stops at the newest message seen before: {} items",
        items.len()
    );
}
