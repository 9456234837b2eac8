//! Signing in with OAuth and PKCE through the loopback listener, signing out, and the
//! sign-in errors a person can meet.

use std::time::Duration;

use switchboard_mastodon::{
    sign_in, sign_out, start_sign_in, verify_credentials, Credential, MastodonProvider,
    SignInError, SignInOptions,
};
use switchboard_platforms::{Provider, ProviderError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;

use crate::support::{browser, now, test_http, test_options, test_sign_in_options, MockServer};

#[tokio::test]
async fn signs_in_with_pkce_and_a_revoked_token_asks_to_sign_in_again() {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;

    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<Url>();
    let person = tokio::spawn(async move {
        let authorize_url = url_rx.await.expect("the browser is opened");
        let visit = browser::approve(authorize_url.clone(), "brand").await;
        (authorize_url, visit)
    });
    let signed_in = sign_in(&server.url, &test_sign_in_options(), move |url| {
        url_tx.send(url.clone()).unwrap();
    })
    .await
    .expect("the sign-in succeeds");
    let (authorize_url, visit) = person.await.unwrap();

    let query: Vec<(String, String)> = authorize_url.query_pairs().into_owned().collect();
    let value = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(authorize_url.path(), "/oauth/authorize");
    assert_eq!(value("code_challenge_method"), "S256", "PKCE with SHA-256");
    assert_eq!(value("code_challenge").len(), 43, "a 256-bit challenge");
    assert_eq!(value("scope"), "read write");
    assert!(value("state").len() >= 16, "an unguessable state");
    assert!(
        value("redirect_uri").starts_with("http://127.0.0.1:"),
        "the redirect goes to loopback: {}",
        value("redirect_uri")
    );
    assert_eq!(visit.redirected_to.host_str(), Some("127.0.0.1"));
    assert!(
        visit.final_page.contains("You can close this tab"),
        "the browser is told it is done: {}",
        visit.final_page
    );

    let host = server.host();
    assert_eq!(
        signed_in.identity.account_id,
        format!("{}@{host}", brand.id)
    );
    assert_eq!(
        signed_in.identity.handle,
        format!("@brand@{}", server.handle_domain),
        "the handle the server uses, not one built from its web address"
    );
    let credential = signed_in.credential.clone();
    let token = credential.access_token().expose().clone();
    assert!(
        !format!("{credential:?}").contains(&token),
        "Debug hides the token"
    );
    let restored = Credential::from_secret(&credential.to_secret()).unwrap();
    assert_eq!(
        restored, credential,
        "one keychain entry holds the credential"
    );

    // The token works, for the provider too.
    let provider = MastodonProvider::new(&restored, &signed_in.identity, test_options()).unwrap();
    assert_eq!(
        provider.source_key(),
        format!("mastodon:{}@{host}", brand.id)
    );
    provider
        .fetch_since(None, now())
        .await
        .expect("the new token reads notifications");

    sign_out(&credential, &test_http())
        .await
        .expect("sign-out revokes the token");
    let error = provider.fetch_since(None, now()).await.unwrap_err();
    assert!(matches!(error, ProviderError::SignInAgain(_)), "{error:?}");
    assert!(!error.to_string().contains(&token), "no token in {error}");
    let error = verify_credentials(&credential, &test_http())
        .await
        .unwrap_err();
    assert!(matches!(error, SignInError::WrongToken { .. }), "{error:?}");
    assert!(!error.to_string().contains(&token), "no token in {error}");
}

#[tokio::test]
async fn denied_consent_foreign_state_and_no_answer_are_told_apart() {
    let server = MockServer::start().await;

    let pending = start_sign_in(&server.url, &test_sign_in_options())
        .await
        .unwrap();
    let state = query_value(pending.authorize_url(), "state");
    let denied = pending.redirect_uri().clone();
    let finishing = tokio::spawn(pending.finish());
    let page =
        browser::visit(Url::parse(&format!("{denied}?error=access_denied&state={state}")).unwrap())
            .await;
    assert_eq!(
        finishing.await.unwrap().unwrap_err(),
        SignInError::ConsentDenied
    );
    assert!(page.contains("not granted"), "{page}");

    let pending = start_sign_in(&server.url, &test_sign_in_options())
        .await
        .unwrap();
    let redirect = pending.redirect_uri().clone();
    let finishing = tokio::spawn(pending.finish());
    browser::visit(Url::parse(&format!("{redirect}?code=mockcode_brand&state=forged")).unwrap())
        .await;
    assert_eq!(
        finishing.await.unwrap().unwrap_err(),
        SignInError::StateMismatch
    );

    let quick = SignInOptions {
        timeout: Duration::from_millis(300),
        ..test_sign_in_options()
    };
    let error = sign_in(&server.url, &quick, |_| {}).await.unwrap_err();
    assert_eq!(error, SignInError::TimedOut(Duration::from_millis(300)));
    assert!(error.to_string().contains("start it again"), "{error}");
}

#[tokio::test]
async fn a_wrong_address_and_an_unreachable_server_are_told_apart() {
    // A web server that is not Mastodon: every path is an HTML page.
    let website = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let website_port = website.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = website.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            let body = "<html><body>Welcome to my blog</body></html>";
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    let error = sign_in(
        &format!("http://127.0.0.1:{website_port}"),
        &test_sign_in_options(),
        |_| panic!("no browser for a server that is not Mastodon"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, SignInError::NotMastodon { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("does not look like a Mastodon server"),
        "{error}"
    );

    let closed_port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = sign_in(
        &format!("http://127.0.0.1:{closed_port}"),
        &test_sign_in_options(),
        |_| panic!("no browser for a server that cannot be reached"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(error, SignInError::Unreachable { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("nothing answers"), "{message}");
    for jargon in ["os error", "tcp connect", "client error", "(Connect)"] {
        assert!(!message.contains(jargon), "plain words: {message}");
    }

    let error = sign_in("http://mastodon.example", &test_sign_in_options(), |_| {
        panic!("no browser")
    })
    .await
    .unwrap_err();
    assert!(
        matches!(error, SignInError::InvalidInstance(_)),
        "plain http only on loopback: {error:?}"
    );
}

fn query_value(url: &Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
