//! Reading across several pages without losing or doubling a mention.

use std::collections::HashSet;

use switchboard_mastodon::ProviderOptions;
use switchboard_platforms::Provider;

use crate::support::{now, provider_for, test_http, MockServer};

#[tokio::test]
async fn pages_through_many_mentions_oldest_first_without_losing_any() {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let cy = server.create_user("cy").await;
    let options = ProviderOptions {
        http: test_http(),
        page_limit: 4,
        max_pages_per_fetch: 3,
        ..ProviderOptions::default()
    };
    let provider = provider_for(&server, &brand, options).await;

    // The first sync takes a bounded backlog: the newest 3 pages of 4.
    for n in 0..14 {
        server
            .post_status(&cy, &format!("@brand backlog {n}"), None, "public")
            .await;
    }
    let first = provider.fetch_since(None, now()).await.unwrap();
    let backlog: Vec<String> = first.items.iter().map(|i| i.text.clone()).collect();
    let expected: Vec<String> = (2..14).map(|n| format!("@brand backlog {n}")).collect();
    assert_eq!(backlog, expected, "the newest 12, oldest first");

    // 23 new mentions: read 12 per fetch (3 pages of 4), then the rest.
    for n in 0..23 {
        server
            .post_status(&cy, &format!("@brand new {n}"), None, "public")
            .await;
    }
    let mut cursor = first.next_cursor.clone();
    let mut seen = Vec::new();
    let mut fetches = 0;
    loop {
        let page = provider.fetch_since(Some(&cursor), now()).await.unwrap();
        fetches += 1;
        assert!(fetches <= 4, "the stream ends");
        if page.items.is_empty() {
            assert_eq!(page.next_cursor, cursor, "an empty page keeps the cursor");
            break;
        }
        if page.items.len() == 12 {
            assert_eq!(page.poll_after_ms, 0, "more pages wait: ask again at once");
        }
        seen.extend(page.items.iter().map(|i| i.text.clone()));
        cursor = page.next_cursor;
    }
    let expected: Vec<String> = (0..23).map(|n| format!("@brand new {n}")).collect();
    assert_eq!(seen, expected, "every mention once, in order");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 23);

    // Replies in five unknown threads: each needs a context call to find its root, and
    // one fetch makes at most two.
    let thrifty = provider_for(
        &server,
        &brand,
        ProviderOptions {
            max_thread_lookups_per_fetch: 2,
            ..options
        },
    )
    .await;
    let mut roots = Vec::new();
    for n in 0..5 {
        let post = server
            .post_status(&cy, &format!("thought {n}"), None, "public")
            .await;
        let root = post["id"].as_str().unwrap().to_owned();
        server
            .post_status(
                &cy,
                &format!("@brand about thought {n}"),
                Some(&root),
                "public",
            )
            .await;
        roots.push(root);
    }
    let mut sizes = Vec::new();
    let mut threads = Vec::new();
    loop {
        let page = thrifty.fetch_since(Some(&cursor), now()).await.unwrap();
        if page.items.is_empty() {
            break;
        }
        if page.items.len() == 2 {
            assert_eq!(
                page.poll_after_ms, 0,
                "a cut page asks to come back at once"
            );
        }
        sizes.push(page.items.len());
        threads.extend(page.items.iter().map(|i| i.thread.0.clone()));
        cursor = page.next_cursor;
    }
    assert_eq!(sizes, vec![2, 2, 1], "two context calls per fetch at most");
    for (thread, root) in threads.iter().zip(&roots) {
        assert!(
            thread.ends_with(&format!(":{root}")),
            "{thread} is rooted at {root}"
        );
    }
}
