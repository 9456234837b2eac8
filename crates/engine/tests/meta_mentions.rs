//! Instagram mentions through the engine, on the fake Graph API. A *mention* is a
//! customer's Instagram post whose caption @mentions the brand's account (listed by
//! `GET /{ig}/tags`); it lands in a queue as a conversation of kind mention. A reply from
//! Switchboard is posted once (`POST /{ig}/mentions`, also when the connection drops after
//! Meta applied it and the engine retries) and answers the conversation; an answer written
//! in Instagram itself answers it too, nothing posted from Switchboard; a reply to a
//! mention whose comments are turned off ends "not sent" with the reason in plain words.

#[allow(dead_code)] // this file uses only `wait_until`
mod common;
#[allow(dead_code)] // this file uses part of the fixture
#[path = "meta/mod.rs"]
mod fixture;

use std::sync::Arc;

use fixture::{add_page, conversation_in, customer, desk, wait_sent, wait_until, Desk, Setup};
use switchboard_core::{ConversationSummary, ItemKind, Platform, ReplyState};
use switchboard_meta::testing::Fault;

/// The desk with the Page and its Instagram account added.
async fn instagram_desk() -> Desk {
    let desk = desk(Setup::default()).await;
    add_page(&desk, true).await;
    desk
}

/// A mention of the brand by `dan.eats` with `caption` ("help" in it routes it to
/// Support), once it is a conversation there: (media id, conversation).
async fn mention_in_support(desk: &Desk, caption: &str) -> (String, ConversationSummary) {
    let media = desk
        .fake
        .instagram_mention(&customer("17841400000077", "dan.eats"), caption)
        .await;
    let row = conversation_in(&desk.engine, "support", caption).await;
    assert_eq!(row.platform, Platform::Instagram);
    assert_eq!(row.kind, ItemKind::Mention);
    assert!(
        row.waiting_since.is_some(),
        "the mention waits for an answer"
    );
    (media, row)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_a_mention_is_posted_once_across_a_dropped_answer_and_answers_it() {
    let desk = instagram_desk().await;
    let engine = Arc::clone(&desk.engine);
    let (media, row) = mention_in_support(&desk, "@acme.support help, my kettle lid broke").await;

    // Meta applies the POST but the connection drops before its answer: the engine retries
    // and finds the answer instead of posting it again.
    desk.fake.fault("/mentions", Fault::DropAfterApply, 1).await;
    engine
        .send_reply(row.id, "Sorry! DM us your order number.".into())
        .await
        .unwrap();
    wait_sent(&engine, row.id).await;
    assert!(fixture::faults_spent(&desk.fake).await, "the drop happened");
    let replies = desk.fake.page_replies(&media).await;
    assert_eq!(
        replies
            .iter()
            .map(|(_, text)| text.as_str())
            .collect::<Vec<_>>(),
        ["Sorry! DM us your order number."],
        "posted once"
    );
    assert_eq!(desk.fake.requests("/mentions").await, 1, "one POST");
    let thread = engine.get_thread(row.id).await.unwrap();
    let answer = thread
        .items
        .iter()
        .find(|i| i.text == "Sorry! DM us your order number.")
        .unwrap_or_else(|| panic!("the answer is in the thread: {:?}", thread.items));
    assert!(answer.from_brand);
    assert_eq!(thread.items[0].kind, ItemKind::Mention);
    assert!(!thread.items[0].from_brand);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_answered_in_instagram_is_answered_without_posting_from_switchboard() {
    let desk = instagram_desk().await;
    let engine = Arc::clone(&desk.engine);
    let (media, row) = mention_in_support(&desk, "Hey @acme.support help, open Sunday?").await;

    let answer = desk
        .fake
        .mention_answered_in_instagram(&media, "Yes, 10 to 4!")
        .await;
    wait_sent(&engine, row.id).await;
    let thread = engine.get_thread(row.id).await.unwrap();
    let item = thread
        .items
        .iter()
        .find(|i| i.text == "Yes, 10 to 4!")
        .unwrap_or_else(|| panic!("the answer is in the thread: {:?}", thread.items));
    assert!(item.from_brand);
    assert_eq!(desk.fake.requests("/mentions").await, 0, "nothing posted");
    assert_eq!(
        desk.fake.page_replies(&media).await,
        vec![(answer, "Yes, 10 to 4!".to_owned())],
        "only the answer written in Instagram"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_a_mention_with_comments_turned_off_is_not_sent_and_says_why() {
    let desk = instagram_desk().await;
    let engine = Arc::clone(&desk.engine);
    let (media, row) = mention_in_support(&desk, "@acme.support help, love it").await;
    desk.fake.mention_comments_off(&media).await;

    engine
        .send_reply(row.id, "Thanks so much!".into())
        .await
        .unwrap();
    wait_until("the reply not sent", || {
        let engine = Arc::clone(&engine);
        async move {
            let thread = engine.get_thread(row.id).await.unwrap();
            thread
                .outgoing
                .iter()
                .any(|o| o.state == ReplyState::Failed)
        }
    })
    .await;
    let thread = engine.get_thread(row.id).await.unwrap();
    assert_eq!(thread.outgoing.len(), 1, "{:?}", thread.outgoing);
    let reply = &thread.outgoing[0];
    assert_eq!(reply.text, "Thanks so much!");
    let why = reply.error.as_deref().unwrap_or_default();
    assert!(
        why.contains("Instagram did not take the answer to this mention"),
        "{why}"
    );
    assert!(
        why.contains("Comments on this media are turned off"),
        "Meta's words: {why}"
    );
    assert!(
        !why.contains(desk.fake.user_token()),
        "no token in the reason"
    );
    assert!(
        thread.conversation.waiting_since.is_some(),
        "still waiting for an answer"
    );
    assert!(desk.fake.page_replies(&media).await.is_empty());
    assert_eq!(
        desk.fake.requests("/mentions").await,
        1,
        "tried once, not retried on its own"
    );
}
