//! Faults a real PDS will not produce on demand, against a fake server: rate limits,
//! server errors, malformed bodies, slow answers, revoked sessions. No error text may
//! contain a token or the password.

use std::sync::Arc;
use std::time::Duration;

use switchboard_bluesky::{sign_in, BlueskyProvider, ClientOptions};
use switchboard_core::Timestamp;
use switchboard_platforms::{Provider, ProviderError};
use switchboard_vault::Sensitive;

use crate::support::fake_server::{Canned, FakeServer, Responder};

const ACCESS: &str = "access-SECRET-aaaa";
const REFRESH: &str = "refresh-SECRET-rrrr";
const PASSWORD: &str = "pass-SECRET-pppp";

fn session_json() -> String {
    format!(
        r#"{{"accessJwt":"{ACCESS}","refreshJwt":"{REFRESH}","did":"did:plc:fake","handle":"fake.test"}}"#
    )
}

const EMPTY_NOTIFICATIONS: &str = r#"{"notifications":[]}"#;

/// A fake PDS: sign-in works, `listNotifications` answers with `notifications`.
async fn fake(
    options: ClientOptions,
    notifications: impl Fn(usize) -> Canned + Send + Sync + 'static,
) -> (FakeServer, BlueskyProvider) {
    let responder: Responder = Arc::new(move |line: &str, n: usize| {
        if line.contains("createSession") || line.contains("refreshSession") {
            Canned::json(200, &session_json())
        } else if line.contains("getProfile") {
            Canned::json(200, r#"{"did":"did:plc:fake","handle":"fake.test"}"#)
        } else {
            notifications(n)
        }
    });
    signed_in(options, responder).await
}

/// A fake PDS answering with `responder`, and a provider signed in to it as `fake.test`.
async fn signed_in(options: ClientOptions, responder: Responder) -> (FakeServer, BlueskyProvider) {
    let server = FakeServer::start(responder).await;
    let (credential, _) = sign_in(
        &server.url,
        "fake.test",
        &Sensitive::new(PASSWORD.into()),
        &options,
    )
    .await
    .expect("the fake signs in");
    let provider = BlueskyProvider::new(credential, options, None).expect("provider");
    (server, provider)
}

fn assert_no_secret(error: &ProviderError) {
    let text = format!("{error} {error:?}");
    for secret in [ACCESS, REFRESH, PASSWORD, "SECRET"] {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

fn now() -> Timestamp {
    Timestamp::now_from_system()
}

#[tokio::test]
async fn a_429_is_rate_limited_until_the_reset_and_headers_feed_the_budget() {
    let reset = now().millis() / 1000 + 30;
    let (_server, provider) = fake(ClientOptions::default(), move |n| {
        if n < 3 {
            Canned::json(200, EMPTY_NOTIFICATIONS)
                .header("ratelimit-limit", "3000")
                .header("ratelimit-remaining", "2999")
                .header("ratelimit-reset", &reset.to_string())
        } else {
            Canned::json(
                429,
                r#"{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"#,
            )
            .header("ratelimit-remaining", "0")
            .header("ratelimit-reset", &reset.to_string())
        }
    })
    .await;
    provider
        .fetch_since(None, now())
        .await
        .expect("fine at first");
    assert_eq!(
        provider.budget_left(now()),
        Some(2999),
        "RateLimit-* headers are read"
    );
    let error = provider.fetch_since(None, now()).await.expect_err("429");
    let wait = error.retry_after().expect("a rate limit says how long");
    assert!(
        wait > Duration::from_secs(25) && wait <= Duration::from_secs(31),
        "honours the reset: {wait:?}"
    );
    // The spent budget holds the next call back without sending it.
    let again = provider
        .fetch_since(None, now())
        .await
        .expect_err("still limited");
    assert!(
        matches!(again, ProviderError::RateLimited { .. }),
        "{again:?}"
    );
    assert_no_secret(&error);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_unavailable() {
    let (server, provider) = fake(ClientOptions::default(), |_| {
        Canned::json(503, r#"{"error":"InternalServerError"}"#)
    })
    .await;
    let before = server.requests();
    let error = provider
        .fetch_since(None, now())
        .await
        .expect_err("503 storm");
    assert!(matches!(error, ProviderError::Unavailable(_)), "{error:?}");
    assert!(error.is_transient());
    assert_eq!(
        server.requests() - before,
        4,
        "sent four times with backoff"
    );
    assert_no_secret(&error);

    let (_server, provider) = fake(ClientOptions::default(), |n| {
        if n == 2 {
            Canned::json(502, "bad gateway")
        } else {
            Canned::json(200, EMPTY_NOTIFICATIONS)
        }
    })
    .await;
    provider
        .fetch_since(None, now())
        .await
        .expect("one 502 is retried away");
}

#[tokio::test]
async fn a_malformed_body_fails_the_whole_fetch() {
    let (_server, provider) = fake(ClientOptions::default(), |_| {
        Canned::json(
            200,
            r#"{"notifications":[{"uri":"at://x/app.bsky.feed.post/1","author":{"did":"d","handle":"h"},"reason":"mention","record":{"text":"ok"},"indexedAt":"2026-01-01T00:00:00Z"},{"uri":5}]}"#,
        )
    })
    .await;
    let error = provider
        .fetch_since(None, now())
        .await
        .expect_err("malformed");
    assert!(matches!(error, ProviderError::Malformed(_)), "{error:?}");
    assert_no_secret(&error);
}

#[tokio::test]
async fn a_slow_answer_times_out_within_the_bound() {
    let options = ClientOptions {
        request_timeout: Duration::from_millis(300),
        ..ClientOptions::default()
    };
    let (_server, provider) = fake(options, |_| {
        Canned::json(200, EMPTY_NOTIFICATIONS).after(Duration::from_secs(3))
    })
    .await;
    let started = std::time::Instant::now();
    let error = provider
        .fetch_since(None, now())
        .await
        .expect_err("too slow");
    assert!(matches!(error, ProviderError::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "bounded");
}

#[tokio::test]
async fn a_revoked_refresh_token_asks_to_sign_in_again_without_leaking_tokens() {
    let responder: Responder = Arc::new(|line: &str, _| {
        if line.contains("createSession") {
            Canned::json(200, &session_json())
        } else if line.contains("refreshSession") {
            Canned::json(
                400,
                r#"{"error":"ExpiredToken","message":"Token has been revoked"}"#,
            )
        } else if line.contains("getProfile") {
            Canned::json(200, r#"{"did":"did:plc:fake","handle":"fake.test"}"#)
        } else {
            Canned::json(
                400,
                r#"{"error":"ExpiredToken","message":"Token has expired"}"#,
            )
        }
    });
    let (_server, provider) = signed_in(ClientOptions::default(), responder).await;
    let error = provider
        .fetch_since(None, now())
        .await
        .expect_err("revoked");
    assert!(matches!(error, ProviderError::SignInAgain(_)), "{error:?}");
    assert!(
        error.to_string().contains("fake.test"),
        "names the account: {error}"
    );
    assert_no_secret(&error);
    let bad_cursor = provider
        .fetch_since(Some("mastodon:12"), now())
        .await
        .expect_err("bad");
    assert!(matches!(bad_cursor, ProviderError::BadCursor(_)));
}

#[tokio::test]
async fn a_post_whose_record_cannot_be_read_is_set_aside_and_the_rest_are_taken() {
    // Notifications: the newer post's record has a number for its text.
    let notifications = r#"{"notifications":[
        {"uri":"at://did:plc:a/app.bsky.feed.post/2","author":{"did":"did:plc:a","handle":"a.test"},
         "reason":"mention","record":{"text":5},"indexedAt":"2026-01-01T00:00:02.000Z"},
        {"uri":"at://did:plc:a/app.bsky.feed.post/1","author":{"did":"did:plc:a","handle":"a.test"},
         "reason":"mention","record":{"text":"ok","createdAt":"2026-01-01T00:00:01.000Z"},
         "indexedAt":"2026-01-01T00:00:01.000Z"}]}"#;
    // Brand posts: one reply written by another tool with a reply reference lacking its cid.
    let records = r#"{"records":[
        {"uri":"at://did:plc:fake/app.bsky.feed.post/3kb","value":{"text":"odd",
         "reply":{"root":{"uri":"at://x/app.bsky.feed.post/r"},"parent":{"uri":"at://x/app.bsky.feed.post/r"}}}},
        {"uri":"at://did:plc:fake/app.bsky.feed.post/3ka","value":{"text":"fine",
         "createdAt":"2026-01-01T00:00:01.000Z",
         "reply":{"root":{"uri":"at://x/app.bsky.feed.post/r","cid":"c"},"parent":{"uri":"at://x/app.bsky.feed.post/r","cid":"c"}}}}]}"#;
    let responder: Responder = Arc::new(move |line: &str, _| {
        if line.contains("createSession") {
            Canned::json(200, &session_json())
        } else if line.contains("getProfile") {
            Canned::json(200, r#"{"did":"did:plc:fake","handle":"fake.test"}"#)
        } else if line.contains("listRecords") {
            Canned::json(200, records)
        } else {
            Canned::json(200, notifications)
        }
    });
    let (_server, provider) = signed_in(ClientOptions::default(), responder).await;

    let page = provider
        .fetch_since(None, now())
        .await
        .expect("not stopped");
    let ids: Vec<_> = page.items.iter().map(|i| i.native_id.as_str()).collect();
    assert_eq!(ids, vec!["at://did:plc:a/app.bsky.feed.post/1"]);
    let again = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .expect("and not stopped later");
    assert!(again.items.is_empty());

    let brand = provider
        .fetch_brand_replies_since(None, now())
        .await
        .expect("not stopped");
    let ids: Vec<_> = brand.items.iter().map(|i| i.native_id.as_str()).collect();
    assert_eq!(ids, vec!["at://did:plc:fake/app.bsky.feed.post/3ka"]);
}
