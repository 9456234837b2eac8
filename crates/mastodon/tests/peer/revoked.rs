//! A sign-in that is gone but answered with 400 or 403 instead of 401 (as some
//! Mastodon-API servers and proxies do, with a plain-text body): the client asks
//! `verify_credentials` and ends in "sign in again" instead of retrying forever; a
//! refusal of a working sign-in stays a refusal, in plain words.

use serde_json::json;
use switchboard_mastodon::{sign_out, MastodonProvider};
use switchboard_platforms::{Provider, ProviderError};

use crate::support::{now, sign_in_as, test_http, test_options, MockServer};

const NOTIFICATIONS: &str = "/api/v1/notifications";

/// The server refuses the next read of the notifications with `status` and a bare string
/// body, "Forbidden" (the mock encodes it as JSON; a real proxy sends it as text/plain:
/// either way there is no `error`).
async fn refuse_next_read(server: &MockServer, status: u16) {
    server
        .add_fault(json!({
            "match": {"path": NOTIFICATIONS},
            "effect": {"type": "status", "status": status, "body": "Forbidden"},
            "count": 1
        }))
        .await;
}

#[tokio::test]
async fn a_revoked_token_refused_with_400_or_403_asks_to_sign_in_again() {
    let server = MockServer::start().await;
    server.create_user("brand").await;
    for status in [400, 403] {
        let signed_in = sign_in_as(&server, "brand").await;
        let provider =
            MastodonProvider::new(&signed_in.credential, &signed_in.identity, test_options())
                .unwrap();
        let start = provider.fetch_since(None, now()).await.unwrap();
        sign_out(&signed_in.credential, &test_http()).await.unwrap();
        // The server refuses the read, with a bare string body.
        refuse_next_read(&server, status).await;
        let error = provider
            .fetch_since(Some(&start.next_cursor), now())
            .await
            .unwrap_err();
        assert!(
            matches!(error, ProviderError::SignInAgain(_)),
            "{status}: a refused read with a refused sign-in is a lost sign-in: {error:?}"
        );
        assert!(!error.is_transient(), "no retries: {error:?}");
        let token = signed_in.credential.access_token().expose().clone();
        assert!(!error.to_string().contains(&token), "no token in {error}");
    }
}

#[tokio::test]
async fn a_403_with_a_working_sign_in_is_a_refusal_in_plain_words() {
    let server = MockServer::start().await;
    server.create_user("brand").await;
    let signed_in = sign_in_as(&server, "brand").await;
    let provider =
        MastodonProvider::new(&signed_in.credential, &signed_in.identity, test_options()).unwrap();
    for status in [400, 403] {
        refuse_next_read(&server, status).await;
        let error = provider.fetch_since(None, now()).await.unwrap_err();
        let ProviderError::Refused(message) = &error else {
            panic!("{status}: the sign-in still works, so this is a refusal: {error:?}");
        };
        assert!(message.contains("reading mentions"), "{message}");
        // The server's address names it (its port may contain "400" or "403"): the rest
        // of the message is checked.
        let host = server
            .url
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let words = message.replace(host, "<server>");
        for jargon in ["Bad Request", "Forbidden", "400", "403", "api/v1"] {
            assert!(!words.contains(jargon), "plain words: {message}");
        }
    }
    assert!(
        provider.fetch_since(None, now()).await.is_ok(),
        "and the next read works"
    );
}
