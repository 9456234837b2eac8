//! Hiding a Facebook or Instagram comment from the public through the engine, on the fake
//! Graph API: a lead of the conversation's queue hides it with a reason (the platform
//! hides it, the log says who and why, the thread marks the item) and shows it again; a
//! person who does not lead the queue is refused and nothing reaches the platform; a
//! message, which Meta cannot hide, is refused in plain words; a reason is required.

#[allow(dead_code)] // this file uses only `wait_until`
mod common;
#[allow(dead_code)] // this file uses part of the fixture
#[path = "meta/mod.rs"]
mod fixture;

use std::sync::Arc;
use std::time::Duration;

use fixture::{add_page, conversation_in, customer, desk, Desk, Setup};
use switchboard_core::{ErrorCode, Thread};
use switchboard_meta::testing::Inbox;

/// The desk with the Page and its Instagram account added, and "rosa" (the person at
/// this laptop) a lead of Support only.
async fn lead_desk() -> Desk {
    let desk = desk(Setup::default()).await;
    let policy_path = desk.engine.workspace_info().policy_path;
    let policy = std::fs::read_to_string(&policy_path).unwrap();
    let led = policy.replacen("# leads = [\"you@example.com\"]", "leads = [\"rosa\"]", 1);
    assert_ne!(led, policy, "the template names the Support queue's leads");
    std::fs::write(&policy_path, led).unwrap();
    desk.engine.reload_policy().await.unwrap();
    add_page(&desk, true).await;
    desk
}

/// The thread's item whose text contains `text`.
fn item_saying(thread: &Thread, text: &str) -> switchboard_core::ThreadItem {
    thread
        .items
        .iter()
        .find(|i| i.text.contains(text))
        .cloned()
        .unwrap_or_else(|| panic!("no item saying {text:?}: {:?}", thread.items))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_hides_a_comment_with_a_reason_and_shows_it_again() {
    let desk = lead_desk().await;
    let engine = Arc::clone(&desk.engine);
    let seed = desk.fake.seed().clone();
    let asked = desk
        .fake
        .customer_comment(
            &seed.page_post_id,
            &customer("5701", "Ana"),
            "Help, my order is broken",
            None,
        )
        .await;
    let spam = desk
        .fake
        .customer_comment(
            &seed.page_post_id,
            &customer("5702", "Spammer"),
            "help yourself to cheap watches",
            None,
        )
        .await;
    let row = conversation_in(&engine, "support", "cheap watches").await;
    let thread = engine.get_thread(row.id).await.unwrap();
    let item = item_saying(&thread, "cheap watches");
    assert!(!item.hidden);

    // A reason is required.
    let refused = engine
        .set_item_hidden(row.id, item.id, true, "  ".into())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(refused.message.contains("Say why"), "{}", refused.message);
    assert!(!desk.fake.is_hidden(&spam).await);

    let thread = engine
        .set_item_hidden(row.id, item.id, true, "spam".into())
        .await
        .unwrap();
    assert!(desk.fake.is_hidden(&spam).await, "hidden at Meta");
    assert!(!desk.fake.is_hidden(&asked).await, "only that comment");
    let other = conversation_in(&engine, "support", "my order is broken").await;
    let other = engine.get_thread(other.id).await.unwrap();
    assert!(!item_saying(&other, "my order is broken").hidden);
    let hidden = item_saying(&thread, "cheap watches");
    assert!(hidden.hidden);
    assert_eq!(hidden.hidden_by.as_deref(), Some("rosa"));
    assert_eq!(hidden.hidden_reason.as_deref(), Some("spam"));
    let logged: Vec<_> = thread
        .history
        .iter()
        .filter(|h| h.kind == "item_hidden")
        .map(|h| (h.by.clone(), h.detail.clone()))
        .collect();
    assert_eq!(
        logged,
        [(
            Some("rosa".to_owned()),
            "Hidden from the public: spam".to_owned()
        )]
    );

    // Hiding it again changes nothing and logs nothing.
    let again = engine
        .set_item_hidden(row.id, item.id, true, "spam".into())
        .await
        .unwrap();
    assert_eq!(
        again
            .history
            .iter()
            .filter(|h| h.kind == "item_hidden")
            .count(),
        1
    );

    let shown = engine
        .set_item_hidden(row.id, item.id, false, String::new())
        .await
        .unwrap();
    assert!(!desk.fake.is_hidden(&spam).await, "shown again at Meta");
    let item_now = item_saying(&shown, "cheap watches");
    assert!(!item_now.hidden && item_now.hidden_by.is_none());
    let details: Vec<_> = shown
        .history
        .iter()
        .filter(|h| h.kind == "item_hidden")
        .map(|h| h.detail.as_str())
        .collect();
    assert_eq!(
        details,
        ["Hidden from the public: spam", "Shown again to the public"],
        "both acts stay in the log"
    );
    assert_eq!(shown.items.len(), thread.items.len(), "nothing is deleted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_who_does_not_lead_the_queue_is_refused_and_meta_is_not_asked() {
    let desk = lead_desk().await;
    let engine = Arc::clone(&desk.engine);
    let seed = desk.fake.seed().clone();
    // No rule routes this one: it lands in Triage, which names no leads.
    let spam = desk
        .fake
        .customer_comment(
            &seed.page_post_id,
            &customer("5801", "Spammer"),
            "Cheap watches at example.test",
            None,
        )
        .await;
    let row = conversation_in(&engine, "triage", "Cheap watches").await;
    let thread = engine.get_thread(row.id).await.unwrap();
    let item = item_saying(&thread, "Cheap watches");
    let before = desk.fake.requests(&spam).await;

    let refused = engine
        .set_item_hidden(row.id, item.id, true, "spam".into())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("Only a lead of the Triage queue"),
        "{}",
        refused.message
    );
    assert!(!desk.fake.is_hidden(&spam).await);
    assert_eq!(
        desk.fake.requests(&spam).await,
        before,
        "Meta was not asked"
    );
    let thread = engine.get_thread(row.id).await.unwrap();
    assert!(!thread.history.iter().any(|h| h.kind == "item_hidden"));
    assert!(!item_saying(&thread, "Cheap watches").hidden);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instagram_comment_is_hidden_and_a_message_is_refused_plainly() {
    let desk = lead_desk().await;
    let engine = Arc::clone(&desk.engine);
    let seed = desk.fake.seed().clone();
    let rude = desk
        .fake
        .customer_comment(
            &seed.instagram_media_id,
            &customer("7801", "troll"),
            "help, this brand is a scam!!!",
            None,
        )
        .await;
    let row = conversation_in(&engine, "support", "this brand is a scam").await;
    let thread = engine.get_thread(row.id).await.unwrap();
    let item = item_saying(&thread, "scam");
    let thread = engine
        .set_item_hidden(row.id, item.id, true, "abuse".into())
        .await
        .unwrap();
    assert!(desk.fake.is_hidden(&rude).await);
    assert!(item_saying(&thread, "scam").hidden);

    let (_, message) = desk
        .fake
        .customer_message(
            Inbox::Messenger,
            &customer("5901", "Eve"),
            "help with my order please",
            Duration::from_secs(60),
        )
        .await;
    let row = conversation_in(&engine, "support", "help with my order please").await;
    let thread = engine.get_thread(row.id).await.unwrap();
    let item = item_saying(&thread, "help with my order please");
    let before = desk.fake.requests(&message).await;
    let refused = engine
        .set_item_hidden(row.id, item.id, true, "spam".into())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(
        refused.message.contains("only comments can be hidden"),
        "{}",
        refused.message
    );
    assert_eq!(desk.fake.requests(&message).await, before);
    let thread = engine.get_thread(row.id).await.unwrap();
    assert!(!thread.history.iter().any(|h| h.kind == "item_hidden"));
}
