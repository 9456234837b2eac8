//! A server address typed without a scheme: a test server on this computer that speaks
//! only plain http is found there, quickly, even when it never answers a TLS greeting.

use std::time::Instant;

use switchboard_mastodon::start_sign_in;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{browser, test_http, test_sign_in_options, MockServer};

#[tokio::test]
async fn a_local_server_typed_without_a_scheme_is_found_on_http() {
    let server = MockServer::start().await;
    server.create_user("brand").await;
    // What a person types: no scheme.
    let pending = start_sign_in(&server.host(), &test_sign_in_options())
        .await
        .expect("the local server is found on http");
    assert!(
        pending
            .authorize_url()
            .as_str()
            .starts_with(&server.endpoint("oauth/authorize")),
        "{}",
        pending.authorize_url()
    );
    let authorize_url = pending.authorize_url().clone();
    let finishing = tokio::spawn(pending.finish());
    browser::approve(authorize_url, "brand").await;
    let signed_in = finishing.await.unwrap().expect("the sign-in succeeds");
    assert_eq!(signed_in.credential.instance().url().as_str(), server.url);
}

/// A plain-http server that only answers once it has read a whole request head, as
/// simple development servers do: a TLS greeting (no blank line) leaves it waiting.
async fn plain_http_server_that_ignores_tls() -> u16 {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut seen = Vec::new();
                let mut buffer = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buffer[..n]),
                    }
                }
                // Mastodon's `Application` (POST /api/v1/apps); other paths get the same.
                let body =
                    r#"{"id":"1","name":"Switchboard","client_id":"cid","client_secret":"secret"}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn a_local_http_server_that_hangs_on_https_is_found_without_waiting_for_the_timeout() {
    let port = plain_http_server_that_ignores_tls().await;
    let began = Instant::now();
    let pending = start_sign_in(&format!("127.0.0.1:{port}"), &test_sign_in_options())
        .await
        .expect("found on http");
    let took = began.elapsed();
    assert!(
        pending
            .authorize_url()
            .as_str()
            .starts_with(&format!("http://127.0.0.1:{port}/oauth/authorize")),
        "{}",
        pending.authorize_url()
    );
    assert!(
        took < test_http().request_timeout / 2,
        "no wait for the request timeout: {took:?}"
    );
}
