//! Signing in with Facebook Login for Devices against the fake Graph API
//! (`tests/peers/meta/server.mjs`): the code shown, approved "in the browser" by the test,
//! the Pages and Instagram accounts listed with their Page tokens; a wrong client token, a
//! code that expires, a declined login, permissions not granted.

use std::time::Duration;

use switchboard_core::Platform;
use switchboard_meta::testing::FakeGraph;
use switchboard_meta::{
    brand_choices, list_brand_choices, sign_out, start_device_login, BrandChoice, DeviceLogin,
    GraphClient, HttpOptions, MetaApp, SignInError, UserToken,
};

fn app(fake: &FakeGraph) -> MetaApp {
    MetaApp {
        app_id: fake.seed().app_id.clone(),
        client_token: fake.seed().client_token.clone().into(),
        graph: fake.graph_url(),
        http: HttpOptions {
            connect_timeout: Duration::from_secs(2),
            request_timeout: Duration::from_secs(5),
            retries: 1,
        },
    }
}

/// Starts a device login and, once it is shown, approves it at the fake without `missing`.
async fn approved(fake: &FakeGraph, missing: &[&str]) -> UserToken {
    let login = start_device_login(&app(fake))
        .await
        .expect("device login starts");
    assert!(!login.user_code.is_empty());
    assert_eq!(login.verification_uri, "https://www.facebook.com/device");
    let user_code = login.user_code.clone();
    let waiting = tokio::spawn(login.wait());
    fake.approve_device_login(&user_code, missing).await;
    tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("approved within 20 s")
        .expect("the wait does not panic")
        .expect("the login is approved")
}

fn shown(choices: &[BrandChoice]) -> Vec<(Platform, String, String, Option<String>)> {
    choices
        .iter()
        .map(|c| {
            (
                c.identity.platform,
                c.identity.account_id.clone(),
                c.identity.handle.clone(),
                c.linked_page.clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_approved_device_login_lists_two_pages_and_the_instagram_account() {
    let fake = FakeGraph::start().await;
    let seed = fake.seed().clone();
    let user = approved(&fake, &[]).await;
    let choices = list_brand_choices(&user)
        .await
        .expect("the Pages are listed");

    assert_eq!(
        shown(&choices),
        vec![
            (
                Platform::Facebook,
                seed.page_id.clone(),
                seed.page_username.clone(),
                None
            ),
            (
                Platform::Instagram,
                seed.instagram_id.clone(),
                seed.instagram_username.clone(),
                Some(seed.page_name.clone())
            ),
            (
                Platform::Facebook,
                seed.other_page_id.clone(),
                choices[2].identity.handle.clone(),
                None
            ),
        ]
    );
    assert_eq!(choices[0].identity.display_name, seed.page_name);
    // Each credential is its Page's, and the Page token works for the Page.
    for choice in &choices {
        let credential = &choice.credential;
        assert_eq!(credential.platform, choice.identity.platform);
        assert_eq!(credential.graph, fake.graph_url());
        match choice.identity.platform {
            Platform::Instagram => {
                assert_eq!(credential.page_id, seed.page_id);
                assert_eq!(
                    credential.instagram_id.as_deref(),
                    Some(&*seed.instagram_id)
                );
            }
            _ => {
                assert_eq!(credential.page_id, choice.identity.account_id);
                assert_eq!(credential.instagram_id, None);
            }
        }
        let client = GraphClient::new(
            credential.graph.clone(),
            credential.page_token.clone(),
            HttpOptions::default(),
        );
        let page: serde_json::Value = client
            .get(&credential.page_id, &[("fields", "id,name".to_owned())])
            .await
            .expect("the Page token reads its Page");
        assert_eq!(page["id"], credential.page_id.as_str());
        // Through the keychain and back.
        let kept = switchboard_meta::Credential::from_secret(&credential.to_secret()).unwrap();
        assert_eq!(kept.page_token.expose(), credential.page_token.expose());
        sign_out(&kept)
            .await
            .expect("removing an account calls nothing that fails");
    }
    // Nothing printable holds a token.
    let printed = format!("{choices:?} {user:?}");
    assert!(!printed.contains(user.token.expose().as_str()), "{printed}");
    for choice in &choices {
        assert!(!printed.contains(choice.credential.page_token.expose().as_str()));
    }
}

#[tokio::test]
async fn a_wrong_client_token_or_app_id_is_a_bad_app() {
    let fake = FakeGraph::start().await;
    let mut wrong_token = app(&fake);
    wrong_token.client_token = "0123456789abcdef0123456789abcdef".into();
    let error = start_device_login(&wrong_token).await.unwrap_err();
    assert!(matches!(error, SignInError::BadApp(_)), "{error:?}");
    assert!(!error.to_string().contains("0123456789abcdef"), "{error}");

    let mut wrong_app = app(&fake);
    wrong_app.app_id = "999999999".into();
    let error = start_device_login(&wrong_app).await.unwrap_err();
    assert!(matches!(error, SignInError::BadApp(_)), "{error:?}");

    let mut empty = app(&fake);
    empty.client_token = "".into();
    assert!(matches!(
        start_device_login(&empty).await,
        Err(SignInError::BadApp(_))
    ));
}

#[tokio::test]
async fn a_code_nobody_approves_expires() {
    let fake = FakeGraph::start().await;
    // A 2-second code instead of Meta's 7 minutes.
    fake.device_login_timing(Duration::from_secs(2), Duration::from_secs(1))
        .await;
    let login: DeviceLogin = start_device_login(&app(&fake)).await.unwrap();
    assert_eq!(login.expires_in, Duration::from_secs(2));
    let started = std::time::Instant::now();
    let outcome = tokio::time::timeout(Duration::from_secs(15), login.wait())
        .await
        .expect("the wait ends by itself");
    assert_eq!(outcome.map(|_| ()), Err(SignInError::Expired));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_declined_login_says_so() {
    let fake = FakeGraph::start().await;
    let login = start_device_login(&app(&fake)).await.unwrap();
    let user_code = login.user_code.clone();
    let waiting = tokio::spawn(login.wait());
    fake.decline_device_login(&user_code).await;
    let outcome = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("the wait ends")
        .unwrap();
    assert_eq!(outcome.map(|_| ()), Err(SignInError::Declined));
}

#[tokio::test]
async fn a_page_permission_not_granted_is_named() {
    let fake = FakeGraph::start().await;
    let user = approved(&fake, &["pages_messaging"]).await;
    let error = list_brand_choices(&user).await.unwrap_err();
    match &error {
        SignInError::MissingPermission(words) => {
            assert!(words.contains("pages_messaging"), "{words}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("pages_messaging"));
}

#[tokio::test]
async fn without_the_instagram_permissions_the_pages_remain_and_instagram_is_left_out() {
    let fake = FakeGraph::start().await;
    let user = approved(&fake, &["instagram_manage_messages"]).await;
    let listed = brand_choices(&user).await.expect("the Pages are listed");
    assert!(listed
        .choices
        .iter()
        .all(|c| c.identity.platform == Platform::Facebook));
    assert_eq!(listed.choices.len(), 2);
    assert_eq!(listed.left_out.len(), 1, "{:?}", listed.left_out);
    assert!(
        listed.left_out[0].contains("instagram_manage_messages"),
        "{:?}",
        listed.left_out
    );
}

#[tokio::test]
async fn the_check_command_signs_in_and_lists_what_it_would_pull_without_printing_a_token() {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

    let fake = FakeGraph::start().await;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_switchboard-meta-check"))
        .args(["--app-id", &fake.seed().app_id, "--graph-url", fake.url()])
        .env("SWITCHBOARD_META_CLIENT_TOKEN", &fake.seed().client_token)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the check command runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let user_code = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
            if let Some((_, rest)) = line.split_once("enter the code") {
                return rest.split_whitespace().next().unwrap().to_owned();
            }
        }
        panic!("no code shown: {printed}");
    })
    .await
    .expect("the code is shown");
    fake.approve_device_login(&user_code, &[]).await;
    let status = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
        }
        child.wait().await.unwrap()
    })
    .await
    .expect("the check ends");
    let mut errors = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut errors)
        .await
        .unwrap();
    assert!(status.success(), "{printed}\n{errors}");
    let seed = fake.seed();
    for shown in [
        "3 account(s)",
        &*seed.page_id,
        &*seed.other_page_id,
        &*seed.instagram_id,
        "customer items:",
        "the account's own replies:",
        "usage: app",
        "Nothing was posted",
    ] {
        assert!(printed.contains(shown), "{shown} missing from:\n{printed}");
    }
    let all = format!("{printed}{errors}");
    assert!(!all.contains(&*seed.client_token));
    assert!(!all.contains(fake.user_token()));
    for page in [&seed.page_id, &seed.other_page_id] {
        assert!(!all.contains(fake.page_token(page)));
    }
    assert!(
        !all.contains("EAA"),
        "something token-like was printed:\n{all}"
    );
}

#[tokio::test]
async fn polling_too_often_slows_down_and_still_signs_in() {
    let fake = FakeGraph::start().await;
    fake.device_login_timing(Duration::from_secs(60), Duration::from_secs(2))
        .await;
    let mut login = start_device_login(&app(&fake)).await.unwrap();
    assert_eq!(login.interval, Duration::from_secs(2));
    // Poll faster than Meta asked: Meta answers 1349172, and the polling slows by 5 s.
    login.interval = Duration::from_millis(300);
    let user_code = login.user_code.clone();
    let started = std::time::Instant::now();
    let waiting = tokio::spawn(login.wait());
    // Approved after the first (too early) polls.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    fake.approve_device_login(&user_code, &[]).await;
    let user = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("approved within 20 s")
        .unwrap()
        .expect("signed in despite polling too often");
    assert!(!user.token.expose().is_empty());
    // 300 ms, then 5.3 s: two polls before the approval is seen, not five a second.
    let polls = fake.requests("device/login_status").await;
    assert!(polls <= 3, "{polls} polls");
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
