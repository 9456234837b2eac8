//! A brand answer made in followers-only visibility on a server that leaves such posts
//! out of the account's statuses list: it is found in the customer's thread, with a
//! bounded number of context reads.

use serde_json::json;
use switchboard_core::Timestamp;
use switchboard_platforms::Provider;

use crate::support::{now, provider_for, test_options, MockServer};

const CONTEXT: &str = r"^/api/v1/statuses/[0-9]+/context$";

/// Context reads so far, counted by a fault rule that only adds no latency.
async fn context_reads(server: &MockServer) -> i64 {
    let rules = server.faults().await;
    let counter = rules
        .iter()
        .find(|r| r["match"]["path_regex"] == CONTEXT)
        .expect("the counting rule");
    1000 - counter["remaining"].as_i64().unwrap()
}

#[tokio::test]
async fn a_followers_only_answer_left_out_of_the_statuses_list_still_counts() {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let dee = server.create_user("dee").await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let t0 = now();
    let start = provider.fetch_since(None, t0).await.unwrap();
    let brand_start = provider.fetch_brand_replies_since(None, t0).await.unwrap();

    // The server leaves the brand's followers-only posts out of its statuses list.
    server
        .add_fault(json!({
            "match": {"path": format!("/api/v1/accounts/{}/statuses", brand.id)},
            "effect": {"type": "status", "status": 200, "body": []}
        }))
        .await;
    let question = server
        .post_status(&dee, "@brand where is my parcel?", None, "public")
        .await;
    for n in 0..3 {
        server
            .post_status(&dee, &format!("@brand also question {n}"), None, "public")
            .await;
    }
    let page = provider
        .fetch_since(Some(&start.next_cursor), t0)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 4);
    let thread = page.items[0].thread.clone();
    assert_eq!(page.items[0].native_id, question["id"].as_str().unwrap());
    let answer = server
        .post_status(
            &brand,
            "@dee it ships today",
            question["id"].as_str(),
            "private",
        )
        .await;
    server
        .add_fault(json!({
            "match": {"path_regex": CONTEXT},
            "effect": {"type": "latency", "delay_ms": 0},
            "count": 1000
        }))
        .await;

    // Right away nothing is read: the first look is a minute after the post.
    let early = provider
        .fetch_brand_replies_since(Some(&brand_start.next_cursor), t0)
        .await
        .unwrap();
    assert!(early.items.is_empty());
    assert_eq!(context_reads(&server).await, 0);

    // A minute and a half later: the answer is found in the question's thread.
    let later = Timestamp(t0.millis() + 90_000);
    let found = provider
        .fetch_brand_replies_since(Some(&brand_start.next_cursor), later)
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1, "{:?}", found.items);
    let item = &found.items[0];
    assert_eq!(item.native_id, answer["id"].as_str().unwrap());
    assert_eq!(
        item.thread, thread,
        "it answers the question's conversation"
    );
    assert!(item.from_brand);
    let reads = context_reads(&server).await;
    assert!(reads <= 2, "bounded per fetch: {reads}");

    // The other three posts are looked at over the next fetches, each once per checkpoint.
    for _ in 0..3 {
        provider
            .fetch_brand_replies_since(Some(&brand_start.next_cursor), later)
            .await
            .unwrap();
    }
    assert_eq!(
        context_reads(&server).await,
        4,
        "one read per watched post at this checkpoint"
    );
}
