//! Meta's faults: throttling, an expired token mid-sync, a missing permission, server
//! errors, a hung connection, paging cursors that expire.

use std::time::Duration;

use switchboard_meta::testing::{FakeGraph, Fault, Inbox};
use switchboard_meta::{MetaProvider, ProviderOptions, ScanLimits};
use switchboard_platforms::ProviderError;

use crate::support::{customer, facebook, find, http, options, Stream};

#[tokio::test]
async fn throttling_codes_wait_as_meta_says() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let mut incoming = Stream::default();
    for (code, minutes) in [(4, 2), (17, 3), (32, 5), (613, 7)] {
        fake.fault(
            "/feed",
            Fault::Throttle {
                code,
                regain_minutes: minutes,
            },
            1,
        )
        .await;
        let cursor = incoming.cursor.clone();
        match incoming.fetch(&provider).await {
            Err(ProviderError::RateLimited { retry_after }) => {
                assert_eq!(
                    retry_after,
                    Duration::from_secs(u64::from(minutes) * 60),
                    "code {code}"
                );
            }
            other => panic!("code {code}: expected a rate limit, got {other:?}"),
        }
        assert_eq!(incoming.cursor, cursor);
    }
}

#[tokio::test]
async fn an_expired_token_mid_sync_asks_to_sign_in_and_loses_nothing() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana");
    let comment = fake
        .customer_comment(&seed.page_post_id, &ana, "read before the failure", None)
        .await;
    let (_, message) = fake
        .customer_message(
            Inbox::Messenger,
            &ana,
            "and a message",
            Duration::from_secs(1),
        )
        .await;
    // The feed is read, then the token fails on the inbox.
    fake.fault("/conversations", Fault::TokenExpired, 1).await;
    let before = incoming.cursor.clone();
    assert!(matches!(
        incoming.fetch(&provider).await,
        Err(ProviderError::SignInAgain(_))
    ));
    assert_eq!(incoming.cursor, before, "the position did not move");
    let items = incoming.fetch(&provider).await.unwrap();
    assert!(
        find(&items, &comment).is_some(),
        "the comment read before the failure"
    );
    assert!(find(&items, &message).is_some());
}

#[tokio::test]
async fn a_missing_permission_is_refused_in_plain_words() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    fake.fault("/conversations", Fault::MissingPermission { code: 200 }, 1)
        .await;
    match Stream::default().fetch(&provider).await {
        Err(ProviderError::Refused(why)) => assert!(why.contains("permission"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_burst_of_server_errors_is_retried() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let seed = fake.seed().clone();
    let comment = fake
        .customer_comment(&seed.page_post_id, &customer("5501", "Ana"), "hi", None)
        .await;
    fake.fault("/feed", Fault::ServerError { status: 503 }, 1)
        .await;
    fake.fault("/feed", Fault::ServerError { status: 500 }, 1)
        .await;
    let items = Stream::default().fetch(&provider).await.unwrap();
    assert!(find(&items, &comment).is_some());
}

#[tokio::test]
async fn a_hung_connection_times_out() {
    let fake = FakeGraph::start().await;
    let provider = facebook(
        &fake,
        ProviderOptions {
            http: switchboard_meta::HttpOptions {
                retries: 0,
                ..http()
            },
            human_agent_tag: false,
        },
    );
    fake.fault("/feed", Fault::Hang, 5).await;
    assert!(matches!(
        Stream::default().fetch(&provider).await,
        Err(ProviderError::Timeout(_))
    ));
}

/// A provider that reads one post per page and two comments per page, so paging is used.
fn small_pages(fake: &FakeGraph) -> MetaProvider {
    facebook(fake, options()).with_limits(ScanLimits {
        parents_per_page: 1,
        parent_pages: 5,
        children_per_page: 2,
        ..ScanLimits::default()
    })
}

#[tokio::test]
async fn expired_paging_cursors_lose_nothing() {
    let fake = FakeGraph::start().await;
    let provider = small_pages(&fake);
    let seed = fake.seed().clone();
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana");
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            fake.customer_comment(&seed.page_post_id, &ana, &format!("comment {n}"), None)
                .await,
        );
    }
    fake.visitor_post(&ana, "a second post").await;
    fake.fault("", Fault::ExpireCursors, 1).await;
    let items = incoming.drain(&provider).await;
    for id in &ids {
        assert!(find(&items, id).is_some(), "{id} arrives");
    }
}

#[tokio::test]
async fn a_bounded_fetch_resumes_where_it_stopped() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options()).with_limits(ScanLimits {
        parent_reads_per_fetch: 1,
        ..ScanLimits::default()
    });
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana");
    let first = fake.visitor_post(&ana, "one").await;
    let second = fake.visitor_post(&ana, "two").await;
    let page = switchboard_platforms::Provider::fetch_since(
        &provider,
        incoming.cursor.as_deref(),
        crate::support::now(),
    )
    .await
    .unwrap();
    assert_eq!(page.items.len(), 1, "one parent read per fetch");
    incoming.cursor = Some(page.next_cursor);
    let rest = incoming.drain(&provider).await;
    let idle = switchboard_platforms::Provider::fetch_since(
        &provider,
        incoming.cursor.as_deref(),
        crate::support::now(),
    )
    .await
    .unwrap();
    assert!(
        page.poll_after_ms <= idle.poll_after_ms,
        "an unfinished fetch asks to come back no later than an idle one ({} > {})",
        page.poll_after_ms,
        idle.poll_after_ms
    );
    let all: Vec<_> = page
        .items
        .iter()
        .chain(rest.iter())
        .map(|i| i.native_id.clone())
        .collect();
    assert!(all.contains(&first) && all.contains(&second), "{all:?}");
}

#[tokio::test]
async fn the_budget_left_comes_from_metas_usage_headers() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options());
    let now = crate::support::now();
    assert_eq!(
        switchboard_platforms::Provider::budget_left(&provider, now),
        None,
        "nothing said before the first call"
    );
    Stream::default().fetch(&provider).await.unwrap();
    let left = switchboard_platforms::Provider::budget_left(&provider, crate::support::now())
        .expect("the usage headers say how much is left");
    assert!(left <= 100, "{left}");
}
