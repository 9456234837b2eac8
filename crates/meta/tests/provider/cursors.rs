//! A paging cursor that expires in the middle of a listing: the listing is read again
//! from its first page and nothing is skipped. The fake Graph API expires cursors only
//! between calls, so this runs against a small scripted Graph on a loopback socket.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use switchboard_core::{ItemKind, Platform};
use switchboard_meta::{Credential, GraphUrl, MetaProvider, ScanLimits};
use switchboard_platforms::{AccountIdentity, Provider};

use crate::support::{now, options};

const PAGE: &str = "1001";

/// Answers Graph requests from a script; returns the address and the request lines seen.
fn scripted_graph() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let mut first_pages = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let text = String::from_utf8_lossy(&request);
            let line = text.lines().next().unwrap_or_default().to_owned();
            log.lock().unwrap().push(line.clone());
            let at = "2026-12-06T10:00:00+0000";
            let post = |id: &str| {
                format!(
                    r#"{{"id":"{PAGE}_{id}","message":"post {id}","created_time":"{at}","updated_time":"{at}","from":{{"id":"77","name":"Visitor"}}}}"#
                )
            };
            let (status, body) = if line.contains("/conversations") {
                (200, r#"{"data":[]}"#.to_owned())
            } else if line.contains("after=c1") {
                (
                    400,
                    r#"{"error":{"message":"(#2642) Invalid cursors values","type":"OAuthException","code":2642,"fbtrace_id":"x"}}"#.to_owned(),
                )
            } else if line.contains("/feed") {
                first_pages += 1;
                if first_pages == 1 {
                    (
                        200,
                        format!(
                            r#"{{"data":[{}],"paging":{{"cursors":{{"before":"c0","after":"c1"}},"next":"http://x/next"}}}}"#,
                            post("1")
                        ),
                    )
                } else {
                    (200, format!(r#"{{"data":[{},{}]}}"#, post("2"), post("1")))
                }
            } else {
                (
                    404,
                    r#"{"error":{"message":"unknown","code":803}}"#.to_owned(),
                )
            };
            let reason = if status == 200 { "OK" } else { "Bad Request" };
            let answer = format!(
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (address, seen)
}

#[tokio::test]
async fn an_expired_paging_cursor_restarts_the_listing_and_skips_nothing() {
    let (address, seen) = scripted_graph();
    let credential = Credential {
        platform: Platform::Facebook,
        graph: GraphUrl(url::Url::parse(&address).unwrap()),
        page_id: PAGE.into(),
        instagram_id: None,
        page_token: "token".to_owned().into(),
    };
    let identity = AccountIdentity {
        platform: Platform::Facebook,
        account_id: PAGE.into(),
        handle: "acme".into(),
        display_name: "Acme".into(),
    };
    let provider = MetaProvider::new(credential, identity, options())
        .unwrap()
        .with_limits(ScanLimits {
            parents_per_page: 1,
            ..ScanLimits::default()
        });
    let page = provider.fetch_since(None, now()).await.unwrap();
    let mut ids: Vec<&str> = page.items.iter().map(|i| i.native_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, [format!("{PAGE}_1"), format!("{PAGE}_2")]);
    assert!(page.items.iter().all(|i| i.kind == ItemKind::Mention));
    let lines = seen.lock().unwrap().clone();
    assert_eq!(
        lines.iter().filter(|l| l.contains("/feed")).count(),
        3,
        "first page, the expired cursor, the first page again: {lines:?}"
    );
}
