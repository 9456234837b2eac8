//! Facebook Pages and Instagram in the real app (issue 20), against the fake Graph API
//! (`tests/peers/meta`, started through `switchboard_meta::testing::FakeGraph`).
//!
//! A workspace "Acme Support" whose policy names the fake's Meta app (`[meta]`) and lists
//! the fake's Page and its Instagram account as brand accounts. In the window: Accounts →
//! Add account → Facebook Page / Instagram → Sign in with Facebook shows a code; the test
//! reads it from the window and approves it at the fake (as the person at
//! facebook.com/device would); the window lists the Pages and the Instagram account with
//! the allowlist's verdicts (the second Page, not listed, is refused); both allowed ones
//! are added. Then a customer's comment on the Page's post arrives in Support, and a
//! Messenger conversation shows the time left in its 24-hour window, in the row and the
//! thread.
//!
//! The policy then stops allowing the human-agent tag (the app re-reads it), and a
//! Messenger message 3 days old — past the 24-hour window — shows "Window closed", its
//! reply box disabled with the explanation. (A conversation last active more than the
//! first sync's 7 days before the account was added is not pulled at all: nothing in it
//! could be answered any more.)
//!
//! Screenshots: `tests/artifacts/e2e-meta-code.png` (the code waiting for approval),
//! `tests/artifacts/e2e-meta-add.png` (the accounts added),
//! `tests/artifacts/e2e-meta.png` (the Messenger thread with its window) and
//! `tests/artifacts/e2e-meta-closed.png` (past the window); the app's log in
//! `tests/artifacts/e2e-meta-logs/`.
//! Run: `cargo nextest run -p switchboard --test e2e meta` (after `npm run build` in `ui/`,
//! inside `dbus-run-session` as the other e2e tests; Node 22 for the fake).

use std::time::{Duration, Instant};

use serde_json::Value;
use switchboard_meta::testing::{Customer, FakeGraph, Inbox};

use crate::webdriver::Session;
use crate::{artifacts, desktop, launch};

/// How long the window may take to show a change.
const LONG: Duration = Duration::from_secs(30);
/// How long a new comment or message may take to be pulled from the fake.
const PULL: Duration = Duration::from_secs(150);

/// Runs `script` (which gets `invoke` and `workspace`, the open workspace's id, and must
/// resolve a JSON-able value) in the page; a rejected call answers `{ error }`.
fn invoke(session: &Session, script: &str) -> Value {
    session.execute_async(&format!(
        "const done = arguments[arguments.length - 1];
         const invoke = window.__TAURI_INTERNALS__.invoke;
         (async () => {{
           const workspace = (await invoke('workspace_info')).id;
           {script}
         }})().then(done, e => done({{ error: JSON.stringify(e) }}));"
    ))
}

/// Clicks the first element matching `css` once it shows (and is enabled).
fn click(session: &Session, css: &str, what: &str) {
    let found = session.wait_for(css, LONG, what, |s, e| {
        s.attribute(&e[0], "disabled").is_none()
    });
    session.click(&found[0]);
}

/// Takes a screenshot once the webview painted what the DOM shows.
fn screenshot(session: &Session, display: &str, name: &str) {
    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little; this pause only makes the
    // screenshot show what the DOM already shows.
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(display, &artifacts().join(name));
}

/// The workspace policy: the new-workspace template's queues and rules, plus the fake's
/// Meta app and its Page and Instagram account as the only brand accounts.
fn meta_policy(template: &str, fake: &FakeGraph, human_agent_tag: bool) -> String {
    let seed = fake.seed();
    format!(
        "{template}\n\n[meta]\napp_id = \"{}\"\nclient_token = \"{}\"\nhuman_agent_tag = {human_agent_tag}\n\n\
         [[brand_account]]\nplatform = \"facebook\"\naccount = \"{}\"\n\n\
         [[brand_account]]\nplatform = \"instagram\"\naccount = \"{}\"\n",
        seed.app_id, seed.client_token, seed.page_id, seed.instagram_username
    )
}

#[test]
fn a_page_and_its_instagram_account_are_added_in_the_window_and_their_customers_arrive() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fake = runtime.block_on(FakeGraph::start());
    let seed = fake.seed().clone();

    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = desktop::display();
    let (bus, _bus) = desktop::private_bus();
    let keyring_dir = data.path().join("keyring");
    let _keyring = desktop::keyring(&bus, &keyring_dir);
    let logs = artifacts().join("e2e-meta-logs");
    let _ = std::fs::remove_dir_all(&logs);
    let namespace = format!("app.switchboard.e2e.meta.{}", std::process::id());
    let xdg_data = data.path().join("xdg-data");
    let xdg_cache = data.path().join("xdg-cache");
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "0"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            ("SWITCHBOARD_DEMO_TEAM", "off"),
            ("SWITCHBOARD_KEYCHAIN_NAMESPACE", &namespace),
            ("SWITCHBOARD_LOG_DIR", logs.to_str().unwrap()),
            ("SWITCHBOARD_META_GRAPH_URL", fake.url()),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
            ("XDG_DATA_HOME", xdg_data.to_str().unwrap()),
            ("XDG_CACHE_HOME", xdg_cache.to_str().unwrap()),
        ],
    );
    session.set_window_rect(0, 0, 1280, 800);
    session.wait_for(
        "[data-testid=workspace-name]",
        LONG,
        "the window",
        |_, _| true,
    );

    // A workspace of the company's own, from the switcher's menu.
    click(&session, "[data-testid=workspace-switcher]", "the switcher");
    click(&session, "[data-testid=manage-workspaces]", "the menu");
    let input = session.wait_for(
        "[data-testid=create-workspace-input]",
        LONG,
        "the new-workspace form",
        |_, _| true,
    );
    session.type_into(&input[0], "Acme Support");
    click(&session, "[data-testid=create-workspace-submit]", "Create");
    session.wait_for(
        "[data-testid=workspace-name]",
        LONG,
        "the new workspace",
        |s, e| s.text(&e[0]) == "Acme Support",
    );
    if let Some(close) = session
        .find_all("[data-testid=close-manage-workspaces]")
        .first()
    {
        session.click(close);
    }

    // Without [meta] in the policy the form asks for the App ID and client token; a client
    // token Meta does not know is refused in plain words, and never shown back.
    click(
        &session,
        "[data-testid=open-accounts]",
        "the Accounts button",
    );
    click(&session, "[data-testid=add-account]", "Add account…");
    click(
        &session,
        "[data-testid=sign-in-platform-meta]",
        "the Facebook Page / Instagram choice",
    );
    let app_id = session.wait_for(
        "[data-testid=meta-app-id]",
        LONG,
        "the App ID field",
        |_, _| true,
    );
    session.type_into(&app_id[0], &seed.app_id);
    let wrong_token = "0123456789abcdef0123456789abcdef";
    let token = session.find_all("[data-testid=meta-client-token]");
    assert_eq!(
        session.attribute(&token[0], "type").as_deref(),
        Some("password")
    );
    session.type_into(&token[0], wrong_token);
    click(
        &session,
        "[data-testid=meta-start]",
        "Sign in with Facebook",
    );
    let error = session.wait_for(
        "[data-testid=meta-error]",
        LONG,
        "the refusal of the client token",
        |_, _| true,
    );
    let error = session.text(&error[0]);
    assert!(error.contains("Check what you entered"), "{error}");
    assert!(!error.contains(wrong_token), "{error}");
    let page = session.execute("return document.body.innerHTML");
    assert!(
        !page.as_str().unwrap_or_default().contains(wrong_token),
        "the client token is not in the page once sent"
    );
    click(&session, "[data-testid=close-accounts]", "Close");

    // Its policy names the Meta app and the brand accounts; the app re-reads it.
    let info = invoke(&session, "return await invoke('workspace_info');");
    let policy_path = info["policy_path"]
        .as_str()
        .unwrap_or_else(|| panic!("the workspace's policy file: {info}"))
        .to_owned();
    let template = std::fs::read_to_string(&policy_path).unwrap();
    std::fs::write(&policy_path, meta_policy(&template, &fake, true)).unwrap();
    let deadline = Instant::now() + LONG;
    loop {
        let setup = invoke(
            &session,
            "return await invoke('meta_app_setup', { workspace });",
        );
        if setup["from_policy"] == Value::Bool(true) {
            assert_eq!(
                setup["app_id"],
                Value::String(seed.app_id.clone()),
                "{setup}"
            );
            assert!(
                !setup.to_string().contains(&seed.client_token),
                "the client token never reaches the window: {setup}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the policy's [meta] was not put in force: {setup}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }

    // Accounts → Add account → Facebook Page / Instagram: the app comes from the policy.
    click(
        &session,
        "[data-testid=open-accounts]",
        "the Accounts button",
    );
    click(&session, "[data-testid=add-account]", "Add account…");
    click(
        &session,
        "[data-testid=sign-in-platform-meta]",
        "the Facebook Page / Instagram choice",
    );
    let known = session.wait_for(
        "[data-testid=meta-app-known]",
        LONG,
        "the policy's Meta app",
        |_, _| true,
    );
    assert!(
        session.text(&known[0]).contains(&seed.app_id),
        "{}",
        session.text(&known[0])
    );
    assert!(session
        .find_all("[data-testid=meta-client-token]")
        .is_empty());
    click(
        &session,
        "[data-testid=meta-start]",
        "Sign in with Facebook",
    );

    // The code shows big, with where to enter it and the time left; approve it at the fake.
    let code = session.wait_for(
        "[data-testid=meta-code]",
        LONG,
        "the device code",
        |s, e| !s.text(&e[0]).trim().is_empty(),
    );
    let code = session.text(&code[0]).trim().to_owned();
    let waiting = session.text(&session.find_all("[data-testid=meta-waiting]")[0]);
    assert!(waiting.contains("Waiting for approval"), "{waiting}");
    assert!(waiting.contains("The code works for"), "{waiting}");
    screenshot(&session, &display, "e2e-meta-code.png");
    // Approved without an Instagram permission: the Pages are offered, and under them what
    // was left out and why, with "Sign in again".
    runtime.block_on(fake.approve_device_login(&code, &["instagram_manage_messages"]));
    let left_out = session.wait_for(
        "[data-testid=meta-left-out]",
        Duration::from_secs(60),
        "what Meta left out",
        |_, _| true,
    );
    let note = session.text(&left_out[0]);
    assert!(
        note.contains("Instagram") && note.contains("instagram_manage_messages"),
        "{note}"
    );
    assert!(note.contains("sign in again and grant"), "{note}");
    let instagram_offered = session.execute(
        "return document.querySelectorAll('[data-testid=meta-choice] [data-platform=instagram]').length",
    );
    assert_eq!(
        instagram_offered,
        Value::from(0),
        "no Instagram account is offered"
    );
    screenshot(&session, &display, "e2e-meta-left-out.png");
    click(
        &session,
        "[data-testid=meta-left-out-again]",
        "Sign in again",
    );
    let code = session.wait_for(
        "[data-testid=meta-code]",
        LONG,
        "a new device code",
        |s, e| {
            let shown = s.text(&e[0]);
            !shown.trim().is_empty() && shown.trim() != code
        },
    );
    let code = session.text(&code[0]).trim().to_owned();
    runtime.block_on(fake.approve_device_login(&code, &[]));

    // The Pages and the Instagram account, with the allowlist's verdicts.
    let choices = session.wait_for(
        "[data-testid=meta-choice]",
        Duration::from_secs(60),
        "the Pages and Instagram accounts",
        |_, e| e.len() >= 3,
    );
    // Each choice as shown: (platform, name, @handle, verdict, linked Page).
    let shown = session.execute(
        "return [...document.querySelectorAll('[data-testid=meta-choice]')].map(c => [
           c.querySelector('[data-platform]').dataset.platform,
           c.querySelector('[data-testid=meta-choice-name]').innerText,
           c.querySelector('[data-testid=meta-choice-handle]').innerText,
           c.dataset.verdict,
           c.querySelector('[data-testid=meta-choice-linked]')?.innerText ?? ''])",
    );
    let shown: Vec<[String; 5]> = serde_json::from_value(shown).unwrap();
    let page = shown
        .iter()
        .find(|c| c[0] == "facebook" && c[1] == seed.page_name)
        .unwrap_or_else(|| panic!("the Page is offered: {shown:?}"));
    assert_eq!(page[3], "allowed", "{page:?}");
    let instagram = shown
        .iter()
        .find(|c| c[0] == "instagram")
        .unwrap_or_else(|| panic!("the Instagram account is offered: {shown:?}"));
    assert_eq!(instagram[2], format!("@{}", seed.instagram_username));
    assert_eq!(instagram[3], "allowed", "{instagram:?}");
    assert_eq!(instagram[4], format!("linked to {}", seed.page_name));
    let refused: Vec<_> = shown.iter().filter(|c| c[3] == "refused").collect();
    assert_eq!(
        refused.len(),
        1,
        "the Page not on the allowlist is refused: {shown:?}"
    );
    let refused_row = choices
        .iter()
        .find(|c| session.attribute(c, "data-verdict").as_deref() == Some("refused"))
        .unwrap();
    assert!(session.text(refused_row).contains("Not allowed"));
    // Tick the two allowed ones (the window ticks allowlisted ones already).
    for choice in &choices {
        if session.attribute(choice, "data-verdict").as_deref() != Some("allowed") {
            continue;
        }
        let checked = session.execute_with(
            "return arguments[0].querySelector('input[type=checkbox]').checked",
            &[choice],
        );
        if checked != Value::Bool(true) {
            session.execute_with(
                "arguments[0].querySelector('input[type=checkbox]').click()",
                &[choice],
            );
        }
    }
    let add = session.wait_for(
        "[data-testid=meta-add-selected]",
        LONG,
        "Add selected (2)",
        |s, e| s.text(&e[0]).contains("(2)"),
    );
    session.click(&add[0]);
    session.wait_for(
        "[data-testid=meta-outcome-added]",
        LONG,
        "both accounts added",
        |_, e| e.len() == 2,
    );
    session.wait_for(
        "[data-testid=account-row]",
        LONG,
        "the two brand accounts in the list",
        |_, e| e.len() == 2,
    );
    let platforms: Vec<String> = session
        .find_all("[data-testid=account-platform]")
        .iter()
        .map(|e| session.text(e))
        .collect();
    assert!(
        platforms.iter().any(|p| p.contains("Facebook"))
            && platforms.iter().any(|p| p.contains("Instagram")),
        "{platforms:?}"
    );
    screenshot(&session, &display, "e2e-meta-add.png");
    click(&session, "[data-testid=meta-done]", "Done");
    click(&session, "[data-testid=close-accounts]", "Close");

    // A customer comments on the Page's post and writes on Messenger (21 h ago: 3 h left).
    let comment = "My order arrived broken, please help";
    let message = "Where is my order? It was due yesterday";
    runtime.block_on(async {
        let ines = Customer {
            id: "7001".into(),
            name: "Inês Customer".into(),
        };
        let omar = Customer {
            id: "7002".into(),
            name: "Omar Customer".into(),
        };
        fake.customer_comment(&seed.page_post_id, &ines, comment, None)
            .await;
        fake.customer_message(
            Inbox::Messenger,
            &omar,
            message,
            Duration::from_secs(21 * 3600),
        )
        .await;
    });

    // Both arrive in Support (the routing rule's "order", "broken", "help").
    click(&session, "[data-testid=queue-support]", "the Support queue");
    let rows = session.wait_for(
        "[data-testid=conversation-row]",
        PULL,
        "the comment and the message in Support",
        |s, rows| {
            let texts: Vec<String> = rows.iter().map(|r| s.text(r)).collect();
            texts.iter().any(|t| t.contains(comment)) && texts.iter().any(|t| t.contains(message))
        },
    );
    let comment_row = rows
        .iter()
        .find(|r| session.text(r).contains(comment))
        .unwrap();
    let comment_text = session.text(comment_row);
    assert!(comment_text.contains("Facebook"), "{comment_text}");
    assert!(
        session
            .find_all("[data-testid=conversation-row] [data-testid=reply-window-badge]")
            .len()
            == 1,
        "only the Messenger conversation has a messaging window"
    );

    // The Messenger conversation's row shows the time left, and its thread says when.
    let badge = session.wait_for(
        "[data-testid=conversation-row] [data-testid=reply-window-badge]",
        LONG,
        "the messaging window's badge",
        |s, e| s.text(&e[0]).contains("h left"),
    );
    let badge_text = session.text(&badge[0]);
    assert!(
        badge_text.contains("2 h left") || badge_text.contains("3 h left"),
        "{badge_text}"
    );
    let message_row = session
        .find_all("[data-testid=conversation-row]")
        .into_iter()
        .find(|r| session.text(r).contains(message))
        .unwrap();
    session.click(&message_row);
    let sentence = session.wait_for(
        "[data-testid=reply-window]",
        LONG,
        "the window's sentence above the reply box",
        |_, _| true,
    );
    let sentence = session.text(&sentence[0]);
    assert!(
        sentence.starts_with("Messenger window closes at") && sentence.contains("left"),
        "{sentence}"
    );
    assert!(sentence.contains("human-agent tag"), "{sentence}");
    let input = session.find_all("[data-testid=reply-input]");
    assert!(
        session.attribute(&input[0], "disabled").is_none(),
        "the reply box is open within the window"
    );
    screenshot(&session, &display, "e2e-meta.png");

    // The policy stops allowing the human-agent tag; the 21-hour-old conversation's
    // sentence loses its tag clause once the app has re-read it.
    std::fs::write(&policy_path, meta_policy(&template, &fake, false)).unwrap();
    session.wait_for(
        "[data-testid=reply-window]",
        LONG,
        "the window's sentence without the human-agent tag",
        |s, e| !s.text(&e[0]).contains("human-agent tag"),
    );

    // A message 3 days old: past the 24-hour window, and no tag allowed any more. Its row
    // says "Window closed"; its reply box is disabled and says why.
    let old = "Still waiting for my order from last week";
    runtime.block_on(async {
        let pia = Customer {
            id: "7003".into(),
            name: "Pia Customer".into(),
        };
        fake.customer_message(
            Inbox::Messenger,
            &pia,
            old,
            Duration::from_secs(3 * 24 * 3600),
        )
        .await;
    });
    let rows = session.wait_for(
        "[data-testid=conversation-row]",
        PULL,
        "the old message in Support",
        |s, rows| rows.iter().any(|r| s.text(r).contains(old)),
    );
    let old_row = rows.iter().find(|r| session.text(r).contains(old)).unwrap();
    let old_text = session.text(old_row);
    assert!(old_text.contains("Window closed"), "{old_text}");
    session.click(old_row);
    let closed = session.wait_for(
        "[data-testid=reply-window-closed]",
        LONG,
        "the closed window's explanation",
        |_, _| true,
    );
    let closed = session.text(&closed[0]);
    assert!(
        closed.contains("Messenger window closed at") && closed.contains("within 24 hours"),
        "{closed}"
    );
    let input = session.find_all("[data-testid=reply-input]");
    assert!(
        session.attribute(&input[0], "disabled").is_some(),
        "the reply box is disabled past the window"
    );
    screenshot(&session, &display, "e2e-meta-closed.png");
    session.end();
}
