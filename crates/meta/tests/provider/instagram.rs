//! Instagram comments, replies and mentions.

use switchboard_core::ItemKind;
use switchboard_meta::testing::FakeGraph;

use crate::support::{customer, find, instagram, options, Stream};

#[tokio::test]
async fn comments_replies_and_mentions_arrive() {
    let fake = FakeGraph::start().await;
    let provider = instagram(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    let mut brand = Stream::brand();
    incoming.drain(&provider).await;
    brand.drain(&provider).await;

    let cara = customer("17841400000001", "cara.codes");
    let comment = fake
        .customer_comment(&seed.instagram_media_id, &cara, "Is this in blue? 💙", None)
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &comment).expect("the comment arrives");
    assert_eq!(item.kind, ItemKind::Comment);
    assert!(!item.from_brand);
    assert_eq!(item.author.handle, "@cara.codes");
    assert_eq!(
        item.thread.0,
        format!("instagram:{}:comment:{comment}", seed.instagram_id)
    );

    let dan = customer("17841400000002", "dan");
    let reply = fake
        .customer_comment(&comment, &dan, "I want to know too", None)
        .await;
    let answer = fake
        .page_comment_elsewhere(&comment, "Yes, next week!")
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    assert_eq!(find(&items, &reply).unwrap().thread, item.thread);
    let answered = find(&items, &answer).unwrap();
    assert!(answered.from_brand);
    assert_eq!(answered.thread, item.thread);
    let brand_items = brand.fetch(&provider).await.unwrap();
    assert!(find(&brand_items, &answer).is_some());
    assert!(find(&brand_items, &reply).is_none());

    let mention = fake
        .instagram_mention(&dan, "Loving my order from @acme.support")
        .await;
    let items = incoming.fetch(&provider).await.unwrap();
    let item = find(&items, &mention).expect("the mention arrives");
    assert_eq!(item.kind, ItemKind::Mention);
    assert_eq!(
        item.thread.0,
        format!("instagram:{}:media:{mention}", seed.instagram_id)
    );
    let target = switchboard_platforms::ReplyTarget {
        thread: item.thread.clone(),
        in_reply_to: mention.clone(),
    };
    let thread = switchboard_platforms::Provider::thread(&provider, &target)
        .await
        .unwrap();
    assert_eq!(thread.len(), 1);
    assert_eq!(thread[0].text, "Loving my order from @acme.support");
    // Answering it: crate::mentions.
}
