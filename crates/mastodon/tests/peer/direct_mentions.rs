//! Mastodon-API servers whose conversations list is missing (404) or always empty
//! (GoToSocial, Akkoma, Pleroma and others differ from Mastodon here): a DM still
//! arrives, from its `mention` notification, as a DM in one thread with the brand's
//! answers, and only once.

use serde_json::{json, Value};
use switchboard_core::ItemKind;
use switchboard_platforms::{Provider, ReplyTarget};

use crate::support::{now, provider_for, test_options, MockServer};

const CONVERSATIONS: &str = "/api/v1/conversations";

async fn dms_arrive_without_conversations(conversations_fault: Value) {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let bo = server.create_user("bo").await;
    server
        .add_fault(json!({"match": {"path": CONVERSATIONS}, "effect": conversations_fault}))
        .await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let start = provider.fetch_since(None, now()).await.unwrap();
    let brand_start = provider
        .fetch_brand_replies_since(None, now())
        .await
        .unwrap();

    let dm = server
        .post_status(&bo, "@brand my address is 1 Main St", None, "direct")
        .await;
    let dm_id = dm["id"].as_str().unwrap();
    let page = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "the DM arrives: {:?}", page.items);
    let message = &page.items[0];
    assert_eq!(message.kind, ItemKind::DirectMessage);
    assert_eq!(message.native_id, dm_id);
    let thread = message.thread.clone();
    assert!(
        thread.0.ends_with(&format!(":dm-{dm_id}")),
        "a DM without a conversation id is in the thread of its first status: {thread:?}"
    );
    let again = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .unwrap();
    assert!(again.items.is_empty(), "once: {:?}", again.items);

    // The brand answers from another app; the customer writes again: one thread.
    let answer = server
        .post_status(&brand, "@bo noted, thanks", Some(dm_id), "direct")
        .await;
    let brand_page = provider
        .fetch_brand_replies_since(Some(&brand_start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(brand_page.items.len(), 1, "{:?}", brand_page.items);
    assert_eq!(
        brand_page.items[0].native_id,
        answer["id"].as_str().unwrap()
    );
    assert_eq!(brand_page.items[0].thread, thread, "the answer counts");
    assert!(brand_page.items[0].from_brand);

    let more = server
        .post_status(
            &bo,
            "@brand also ring twice",
            answer["id"].as_str(),
            "direct",
        )
        .await;
    let page = provider
        .fetch_since(Some(&again.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "{:?}", page.items);
    assert_eq!(page.items[0].native_id, more["id"].as_str().unwrap());
    assert_eq!(page.items[0].thread, thread);

    // Replying from Switchboard stays a DM in that thread.
    let reply = provider
        .reply(
            &ReplyTarget {
                thread: thread.clone(),
                in_reply_to: page.items[0].native_id.clone(),
            },
            "Will do.",
            "dm-key-1",
            now(),
        )
        .await
        .unwrap();
    assert_eq!(reply.thread, thread);
    assert_eq!(
        server.status(&bo, &reply.native_id).await["visibility"],
        "direct"
    );
}

#[tokio::test]
async fn a_dm_arrives_where_the_server_has_no_conversations_list() {
    dms_arrive_without_conversations(
        json!({"type": "status", "status": 404, "body": {"error": "Record not found"}}),
    )
    .await;
}

#[tokio::test]
async fn a_dm_arrives_where_the_conversations_list_is_always_empty() {
    dms_arrive_without_conversations(json!({"type": "status", "status": 200, "body": []})).await;
}
