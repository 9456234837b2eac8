//! The Graph client against the fake Graph API's faults: throttling with the usage
//! headers, an expired or revoked token, a burst of server errors, a connection that never
//! answers, a field the pinned version does not have, paging cursors that expire.

use std::time::{Duration, Instant};

use serde_json::Value;
use switchboard_core::Timestamp;
use switchboard_meta::testing::{FakeGraph, Fault};
use switchboard_meta::{GraphClient, GraphError, HttpOptions};

fn options() -> HttpOptions {
    HttpOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        retries: 3,
    }
}

/// A client of the seeded Page's token.
fn page_client(fake: &FakeGraph) -> GraphClient {
    let page = &fake.seed().page_id;
    GraphClient::new(fake.graph_url(), fake.page_token(page).into(), options())
}

fn page_fields() -> Vec<(&'static str, String)> {
    vec![("fields", "id,name".to_owned())]
}

#[tokio::test]
async fn throttling_codes_wait_as_long_as_the_usage_headers_say() {
    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = page_client(&fake);
    for (code, minutes) in [(4, 3), (17, 5), (32, 7), (613, 11)] {
        fake.fault(
            &page,
            Fault::Throttle {
                code,
                regain_minutes: minutes,
            },
            1,
        )
        .await;
        let before = fake.requests(&page).await;
        let error = client
            .get::<Value>(&page, &page_fields())
            .await
            .unwrap_err();
        // Not retried: the sync loop waits, not the request.
        assert_eq!(fake.requests(&page).await - before, 1);
        assert_eq!(
            error,
            GraphError::Throttled {
                code,
                retry_after: Duration::from_secs(u64::from(minutes) * 60)
            }
        );
        // The budget says the same: nothing left until access returns.
        let budget = client.budget();
        let now = Timestamp::now_from_system();
        assert_eq!(budget.remaining(now), Some(0));
        let wait = budget.wait_for_call(now);
        assert!(
            wait > Duration::from_secs(u64::from(minutes) * 60 - 5)
                && wait <= Duration::from_secs(u64::from(minutes) * 60),
            "{wait:?}"
        );
        // The next call (the fault was for one request) reads again, and the budget with it.
        let read: Value = client.get(&page, &page_fields()).await.unwrap();
        assert_eq!(read["id"], page.as_str());
        let usage = client.usage().expect("the fake sends usage headers");
        assert!(usage.percent_used() < 100, "{usage:?}");
        assert!(client.budget().remaining(Timestamp::now_from_system()) > Some(0));
    }
    // Throttled without a time in the headers: a minute.
    fake.fault(
        &page,
        Fault::Throttle {
            code: 4,
            regain_minutes: 0,
        },
        1,
    )
    .await;
    assert_eq!(
        client.get::<Value>(&page, &page_fields()).await,
        Err(GraphError::Throttled {
            code: 4,
            retry_after: Duration::from_secs(60)
        })
    );
}

#[tokio::test]
async fn an_expired_or_revoked_token_is_token_invalid_in_plain_words() {
    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = page_client(&fake);
    fake.fault(&page, Fault::TokenExpired, 1).await;
    let error = client
        .get::<Value>(&page, &page_fields())
        .await
        .unwrap_err();
    assert_eq!(
        error,
        GraphError::TokenInvalid("the sign-in expired".into())
    );
    let said = format!("{error} {error:?}");
    assert!(!said.contains(fake.page_token(&page)), "{said}");

    fake.revoke_tokens().await;
    let error = client
        .get::<Value>(&page, &page_fields())
        .await
        .unwrap_err();
    assert_eq!(
        error,
        GraphError::TokenInvalid("the Facebook password was changed".into())
    );
    assert!(matches!(
        switchboard_platforms::ProviderError::from(error),
        switchboard_platforms::ProviderError::SignInAgain(_)
    ));
}

#[tokio::test]
async fn a_burst_of_server_errors_is_retried_then_succeeds() {
    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = page_client(&fake);
    // Two HTML 502s and one Graph code-2 500, then the answer: four requests, one result.
    fake.fault(&page, Fault::ServerError { status: 502 }, 2)
        .await;
    fake.fault(&page, Fault::ServerError { status: 500 }, 1)
        .await;
    let before = fake.requests(&page).await;
    let read: Value = client.get(&page, &page_fields()).await.unwrap();
    assert_eq!(read["id"], page.as_str());
    assert_eq!(fake.requests(&page).await - before, 4);

    // A burst longer than the retries: Unavailable, after 1 + 3 requests.
    fake.fault(&page, Fault::ServerError { status: 503 }, 10)
        .await;
    let before = fake.requests(&page).await;
    let error = client
        .get::<Value>(&page, &page_fields())
        .await
        .unwrap_err();
    assert!(
        matches!(error, GraphError::Unavailable(ref w) if w.contains("503")),
        "{error:?}"
    );
    assert_eq!(fake.requests(&page).await - before, 4);
}

#[tokio::test]
async fn a_write_that_met_a_server_error_is_not_sent_again() {
    let fake = FakeGraph::start().await;
    let client = page_client(&fake);
    let post = format!("{}/comments", fake.seed().page_post_id);
    fake.fault(&post, Fault::ServerError { status: 502 }, 1)
        .await;
    let before = fake.requests(&post).await;
    let error = client
        .post::<Value>(&post, &[("message", "Thanks, we are on it".to_owned())])
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Unavailable(_)), "{error:?}");
    assert_eq!(fake.requests(&post).await - before, 1);
}

#[tokio::test]
async fn a_connection_that_never_answers_times_out_within_the_request_timeout() {
    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = GraphClient::new(
        fake.graph_url(),
        fake.page_token(&page).into(),
        HttpOptions {
            connect_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_millis(800),
            retries: 3,
        },
    );
    fake.fault(&page, Fault::Hang, 1).await;
    let started = Instant::now();
    let error = client
        .get::<Value>(&page, &page_fields())
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(error, GraphError::Timeout(Duration::from_millis(800)));
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_millis(3000),
        "{took:?}"
    );
}

#[tokio::test]
async fn a_field_the_version_does_not_have_is_named() {
    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = page_client(&fake);
    let error = client
        .get::<Value>(&page, &[("fields", "id,name,vistor_posts".to_owned())])
        .await
        .unwrap_err();
    assert_eq!(
        error,
        GraphError::Refused("the Graph API (v23.0) has no field “vistor_posts” on a Page".into())
    );
}

#[tokio::test]
async fn paging_follows_the_after_cursor_until_the_last_page_and_expired_cursors_say_so() {
    let fake = FakeGraph::start().await;
    let client = GraphClient::new(fake.graph_url(), fake.user_token().into(), options());
    let query = |after: Option<&str>| {
        let mut q = vec![("fields", "id,name".to_owned()), ("limit", "1".to_owned())];
        if let Some(after) = after {
            q.push(("after", after.to_owned()));
        }
        q
    };
    let first = client
        .get_page::<Value>("me/accounts", &query(None))
        .await
        .unwrap();
    assert_eq!(first.data.len(), 1);
    let after = first.after.clone().expect("a second page");
    let second = client
        .get_page::<Value>("me/accounts", &query(Some(&after)))
        .await
        .unwrap();
    assert_eq!(second.data.len(), 1);
    assert_ne!(second.data[0]["id"], first.data[0]["id"]);
    assert_eq!(second.after, None, "two Pages: the second page is the last");

    fake.fault("me/accounts", Fault::ExpireCursors, 1).await;
    assert_eq!(
        client
            .get_page::<Value>("me/accounts", &query(Some(&after)))
            .await,
        Err(GraphError::CursorExpired)
    );
}

#[tokio::test]
async fn a_message_outside_the_window_is_window_closed_not_a_missing_permission() {
    use switchboard_meta::testing::{Customer, Inbox};

    let fake = FakeGraph::start().await;
    let page = fake.seed().page_id.clone();
    let client = page_client(&fake);
    let customer = Customer {
        id: "6120001".into(),
        name: "Dana Buyer".into(),
    };
    fake.customer_message(
        Inbox::Messenger,
        &customer,
        "Where is my order?",
        Duration::from_secs(25 * 3600),
    )
    .await;
    let send = serde_json::json!({
        "recipient": {"id": customer.id},
        "messaging_type": "RESPONSE",
        "message": {"text": "Sorry for the wait!"},
    });
    let error = client
        .post_json::<Value>(&format!("{page}/messages"), &send)
        .await
        .unwrap_err();
    assert!(
        matches!(error, GraphError::WindowClosed(ref w) if w.contains("outside of allowed window")),
        "{error:?}"
    );

    // A permission Meta names is named.
    fake.fault(&page, Fault::MissingPermission { code: 200 }, 1)
        .await;
    assert_eq!(
        client.get::<Value>(&page, &page_fields()).await,
        Err(GraphError::Permission(
            "pages_messaging was not granted or was removed".into()
        ))
    );
}
