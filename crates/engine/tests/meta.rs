//! Facebook Pages and Instagram accounts through the engine, on the fake Graph API
//! (`tests/peers/meta`): signed in with Facebook Login for Devices (start → the person
//! approves the code → finish → the Pages and Instagram accounts with the allowlist's
//! verdicts), added under the allowlist; a customer's comment lands in the queue the
//! policy routes it to, an answer on the Page elsewhere answers it, a reply from
//! Switchboard is posted once (also when the connection drops after Meta applied it, and
//! across a restart in between); a Messenger conversation shows its messaging window and
//! a reply past it is refused; a refused Page stores nothing; a token Meta stops accepting
//! mid-sync asks to sign in again; a sign-in without an Instagram permission says the
//! Instagram account was left out and why; the typed App ID is kept when the policy has
//! none (its client token in the keychain only, also when an earlier version had kept it
//! in the workspace's settings).

#[allow(dead_code)] // this file uses only `wait_until`
mod common;
#[path = "meta/mod.rs"]
mod fixture;

use std::sync::Arc;
use std::time::Duration;

use fixture::{
    add_page, choice, conversation_in, customer, desk, sign_in, sign_in_without, wait_sent,
    wait_until, Desk, Setup,
};
use switchboard_core::{ChoiceVerdict, ErrorCode, Platform, SignInOutcome, Timestamp};
use switchboard_engine::SecretVault;
use switchboard_meta::testing::{Fault, Inbox};

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_and_its_instagram_account_sign_in_sync_and_are_answered_once() {
    let desk = desk(Setup::default()).await;
    let seed = desk.fake.seed().clone();
    let engine = Arc::clone(&desk.engine);

    let setup = engine.meta_app_setup().await.unwrap();
    assert_eq!(setup.app_id.as_deref(), Some(seed.app_id.as_str()));
    assert!(setup.has_client_token && setup.from_policy && !setup.human_agent_tag);

    // Sign in: the code, the browser opened on the verification address, the choices.
    let (code, choices) = sign_in(&desk, None).await;
    assert!(!code.user_code.is_empty());
    assert!(code.expires_at > Timestamp::now_from_system());
    assert_eq!(
        *desk.opened.lock().unwrap(),
        vec![code.verification_uri.clone()]
    );
    assert_eq!(
        choices.len(),
        3,
        "two Pages and one Instagram account: {choices:?}"
    );
    let page = choice(&choices, &seed.page_id);
    assert_eq!(page.platform, Platform::Facebook);
    assert_eq!(page.verdict, ChoiceVerdict::Allowed);
    let instagram = choice(&choices, &seed.instagram_id);
    assert_eq!(instagram.platform, Platform::Instagram);
    assert_eq!(instagram.verdict, ChoiceVerdict::Allowed);
    assert_eq!(
        instagram.linked_page.as_deref(),
        Some(seed.page_name.as_str())
    );
    let ChoiceVerdict::Refused { reason } = &choice(&choices, &seed.other_page_id).verdict else {
        panic!("the second Page is not on the allowlist: {choices:?}");
    };
    assert!(reason.contains(&seed.page_username), "{reason}");
    assert!(!reason.contains("revoked"), "{reason}");

    // Add the Page and the Instagram account: both sync, their Page tokens in the keychain.
    let outcomes = engine
        .add_meta_accounts(vec![page.choice.clone(), instagram.choice.clone()])
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 2);
    let accounts = engine.list_accounts().await;
    let services: Vec<(&str, &str)> = accounts
        .iter()
        .map(|a| (a.key.as_str(), a.service.as_str()))
        .collect();
    let page_key = format!("facebook:{}", seed.page_id);
    let instagram_key = format!("instagram:{}", seed.instagram_id);
    assert!(
        services.contains(&(page_key.as_str(), "Facebook")),
        "{services:?}"
    );
    assert!(
        services.contains(&(instagram_key.as_str(), "Instagram")),
        "{services:?}"
    );
    let workspace = engine.workspace_info().id;
    for key in [&page_key, &instagram_key] {
        assert!(desk.vault.read(&workspace, key).unwrap().is_some(), "{key}");
    }

    // A customer's comment on the Page's post lands in Support ("refund"); one on the
    // Instagram media asking a price in Sales (the policy's Instagram rule).
    let ana = customer("6100000000000001", "Ana Ruiz");
    let comment = desk
        .fake
        .customer_comment(&seed.page_post_id, &ana, "My refund never arrived", None)
        .await;
    let support = conversation_in(&engine, "support", "refund never arrived").await;
    assert_eq!(support.platform, Platform::Facebook);
    assert!(support.waiting_since.is_some());
    assert_eq!(
        support.reply_window, None,
        "a comment has no messaging window"
    );
    let bo = customer("17841400000000777", "bo.lee");
    let sales_comment = desk
        .fake
        .customer_comment(
            &seed.instagram_media_id,
            &bo,
            "What is the price of the blue mug?",
            None,
        )
        .await;
    let sales = conversation_in(&engine, "sales", "price of the blue mug").await;
    assert_eq!(sales.platform, Platform::Instagram);

    // The Page answers on Facebook, outside Switchboard: the conversation is answered.
    desk.fake
        .page_comment_elsewhere(&comment, "We're on it, Ana — Rosa")
        .await;
    wait_until("answered elsewhere", || {
        let engine = Arc::clone(&engine);
        async move {
            let thread = engine.get_thread(support.id).await.unwrap();
            thread.conversation.waiting_since.is_none()
        }
    })
    .await;

    // A reply from Switchboard whose connection drops after Meta applied it: posted once.
    desk.fake.fault("/replies", Fault::DropAfterApply, 1).await;
    engine
        .send_reply(sales.id, "The blue mug is 12 €.".into())
        .await
        .unwrap();
    wait_sent(&engine, sales.id).await;
    assert!(fixture::faults_spent(&desk.fake).await, "the drop happened");
    let replies = desk.fake.page_replies(&sales_comment).await;
    assert_eq!(
        replies
            .iter()
            .filter(|(_, t)| t == "The blue mug is 12 €.")
            .count(),
        1,
        "{replies:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_is_posted_once_across_a_crash_between_post_and_record() {
    let desk = desk(Setup::default()).await;
    let seed = desk.fake.seed().clone();
    add_page(&desk, false).await;
    let engine = Arc::clone(&desk.engine);
    let cy = customer("6100000000000002", "Cy Park");
    let comment = desk
        .fake
        .customer_comment(&seed.page_post_id, &cy, "Order 4411 is broken", None)
        .await;
    let conversation = conversation_in(&engine, "support", "Order 4411").await;

    // The POST goes through at Meta, the answer never comes back, and the app stops
    // before it can look: the reply is still "sending" in the outbox.
    desk.fake.fault("/comments", Fault::DropAfterApply, 1).await;
    engine
        .send_reply(conversation.id, "A new one ships today.".into())
        .await
        .unwrap();
    wait_until("the reply applied at Meta", || {
        let fake = &desk.fake;
        let comment = comment.clone();
        async move { !fake.page_replies(&comment).await.is_empty() }
    })
    .await;
    // (The engine tries again after 200 ms here; measured, the stop comes first.)
    drop(engine);
    desk.console.shutdown().await;

    // The next start finds it posted and records it: still one.
    let console = fixture::open(
        &desk.data,
        Arc::clone(&desk.vault),
        Arc::clone(&desk.opened),
    )
    .await;
    let engine = console.engine().await.unwrap();
    wait_sent(&engine, conversation.id).await;
    assert!(fixture::faults_spent(&desk.fake).await, "the drop happened");
    let replies = desk.fake.page_replies(&comment).await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert_eq!(replies[0].1, "A new one ships today.");
    let thread = engine.get_thread(conversation.id).await.unwrap();
    let brand_items = thread.items.iter().filter(|i| i.from_brand).count();
    assert_eq!(brand_items, 1, "{:?}", thread.items);
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_messenger_conversation_shows_its_window_and_a_reply_past_it_is_refused() {
    let desk = desk(Setup::default()).await;
    add_page(&desk, true).await;
    let engine = Arc::clone(&desk.engine);
    let ana = customer("7100000000000001", "Ana Ruiz");
    let bo = customer("7100000000000002", "Bo Lee");
    let (open_id, _) = desk
        .fake
        .customer_message(Inbox::Messenger, &ana, "Has my order shipped?", 23 * HOUR)
        .await;
    let (closed_id, _) = desk
        .fake
        .customer_message(Inbox::Messenger, &bo, "Hello? My order", 25 * HOUR)
        .await;
    let cy = customer("17841400000000888", "cy.park");
    desk.fake
        .customer_message(
            Inbox::Instagram,
            &cy,
            "Help, wrong size delivered",
            2 * HOUR,
        )
        .await;
    let open = conversation_in(&engine, "support", "Has my order shipped?").await;
    let closed = conversation_in(&engine, "support", "Hello? My order").await;
    let instagram = conversation_in(&engine, "support", "wrong size delivered").await;
    assert_eq!(instagram.platform, Platform::Instagram);
    let left = instagram
        .reply_window
        .expect("an Instagram message has a window")
        .closes_at
        .millis()
        - Timestamp::now_from_system().millis();
    assert!(
        (21 * 3_600_000..=22 * 3_600_000 + 60_000).contains(&left),
        "about 22 hours left: {left} ms"
    );

    // 23 hours ago: about an hour left, shown on the row and on the thread.
    let now = Timestamp::now_from_system();
    let window = open
        .reply_window
        .expect("a Messenger conversation has a window");
    let left = window.closes_at.millis() - now.millis();
    assert!(
        (50 * 60_000..=61 * 60_000).contains(&left),
        "about an hour left: {left} ms"
    );
    assert_eq!(
        window.human_agent_until, None,
        "the policy does not allow the tag"
    );
    let thread = engine.get_thread(open.id).await.unwrap();
    assert_eq!(thread.conversation.reply_window, Some(window));

    // Past the window: refused in plain words, nothing queued or posted.
    let refused = engine
        .send_reply(closed.id, "Sorry for the wait!".into())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::WindowClosed, "{}", refused.message);
    assert!(
        refused.message.contains("24-hour Messenger window"),
        "{}",
        refused.message
    );
    assert!(engine
        .get_thread(closed.id)
        .await
        .unwrap()
        .outgoing
        .is_empty());
    assert!(desk.fake.page_replies(&closed_id).await.is_empty());

    // Inside it: sent.
    engine
        .send_reply(open.id, "It ships tomorrow morning.".into())
        .await
        .unwrap();
    wait_sent(&engine, open.id).await;
    assert_eq!(desk.fake.page_replies(&open_id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_human_agent_tag_a_person_may_answer_until_seven_days() {
    let desk = desk(Setup {
        human_agent_tag: true,
        ..Setup::default()
    })
    .await;
    assert!(desk.engine.meta_app_setup().await.unwrap().human_agent_tag);
    add_page(&desk, false).await;
    let engine = Arc::clone(&desk.engine);
    let bo = customer("7100000000000003", "Bo Lee");
    let (conversation_id, _) = desk
        .fake
        .customer_message(Inbox::Messenger, &bo, "Any news on my order?", 30 * HOUR)
        .await;
    let row = conversation_in(&engine, "support", "Any news on my order?").await;
    let window = row.reply_window.expect("a window");
    let until = window.human_agent_until.expect("the policy allows the tag");
    assert_eq!(
        until.millis() - window.closes_at.millis(),
        6 * 24 * 3_600_000
    );
    engine
        .send_reply(row.id, "It left our warehouse today.".into())
        .await
        .unwrap();
    wait_sent(&engine, row.id).await;
    assert_eq!(desk.fake.page_replies(&conversation_id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_that_allows_the_tag_takes_effect_without_signing_in_again() {
    let desk = desk(Setup::default()).await;
    add_page(&desk, false).await;
    let engine = Arc::clone(&desk.engine);
    let bo = customer("7100000000000004", "Bo Lee");
    let (conversation_id, _) = desk
        .fake
        .customer_message(Inbox::Messenger, &bo, "Where is my order?", 30 * HOUR)
        .await;
    let row = conversation_in(&engine, "support", "Where is my order?").await;
    let refused = engine
        .send_reply(row.id, "Sorry, checking now.".into())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::WindowClosed);

    // The policy now allows the tag: the same account answers with it.
    let policy_path = engine.workspace_info().policy_path;
    let policy = std::fs::read_to_string(&policy_path)
        .unwrap()
        .replace("human_agent_tag = false", "human_agent_tag = true");
    std::fs::write(&policy_path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    let row = conversation_in(&engine, "support", "Where is my order?").await;
    assert!(row.reply_window.unwrap().human_agent_until.is_some());
    engine
        .send_reply(row.id, "Sorry, checking now.".into())
        .await
        .unwrap();
    wait_sent(&engine, row.id).await;
    assert_eq!(desk.fake.page_replies(&conversation_id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_not_on_the_allowlist_is_refused_and_nothing_is_stored() {
    let desk = desk(Setup::default()).await;
    let seed = desk.fake.seed().clone();
    let (_, choices) = sign_in(&desk, None).await;
    let careers = choice(&choices, &seed.other_page_id).choice.clone();
    let page = choice(&choices, &seed.page_id).choice.clone();
    let refused = desk
        .engine
        .add_meta_accounts(vec![page.clone(), careers.clone()])
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("acme.careers"),
        "{}",
        refused.message
    );
    assert!(desk.engine.list_accounts().await.is_empty());
    let workspace = desk.engine.workspace_info().id;
    for key in [&page, &careers] {
        assert!(desk.vault.read(&workspace, key).unwrap().is_none(), "{key}");
    }
    // The Page alone may still be added from the same sign-in; removing it deletes its
    // keychain entry (Meta has no per-Page revocation).
    let added = desk
        .engine
        .add_meta_accounts(vec![page.clone()])
        .await
        .unwrap();
    assert!(
        matches!(added[..], [SignInOutcome::Added { .. }]),
        "{added:?}"
    );
    assert!(desk.vault.read(&workspace, &page).unwrap().is_some());
    let left = desk.engine.remove_account(&page).await.unwrap();
    assert!(left.is_empty(), "{left:?}");
    assert!(desk.vault.read(&workspace, &page).unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_without_the_page_permissions_says_which_are_missing() {
    let desk = desk(Setup::default()).await;
    let _turn = fixture::graph_turn(&desk).await;
    let code = desk.engine.start_meta_sign_in(None, None).await.unwrap();
    let engine = Arc::clone(&desk.engine);
    let finish = tokio::spawn(async move { engine.finish_meta_sign_in().await });
    desk.fake
        .approve_device_login(&code.user_code, &["pages_messaging"])
        .await;
    let error = tokio::time::timeout(Duration::from_secs(60), finish)
        .await
        .expect("the sign-in ends")
        .unwrap()
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotAllowed, "{}", error.message);
    assert!(
        error.message.contains("pages_messaging"),
        "{}",
        error.message
    );
    assert!(desk.engine.list_accounts().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_without_an_instagram_permission_says_what_was_left_out() {
    let desk = desk(Setup::default()).await;
    let seed = desk.fake.seed().clone();
    let (_, full) = sign_in_without(&desk, None, &[]).await;
    assert_eq!(full.choices.len(), 3, "{full:?}");
    assert!(full.left_out.is_empty(), "{:?}", full.left_out);

    let (_, listed) = sign_in_without(&desk, None, &["instagram_manage_messages"]).await;
    let mut ids: Vec<&str> = listed
        .choices
        .iter()
        .map(|c| c.account_id.as_str())
        .collect();
    ids.sort_unstable();
    let mut pages = [seed.page_id.as_str(), seed.other_page_id.as_str()];
    pages.sort_unstable();
    assert_eq!(ids, pages, "the two Pages, no Instagram account");
    let [why] = &listed.left_out[..] else {
        panic!("one sentence: {:?}", listed.left_out);
    };
    assert!(why.contains("Instagram"), "{why}");
    assert!(why.contains("instagram_manage_messages"), "{why}");
    assert!(!why.contains(desk.fake.user_token()), "{why}");
    // The Pages offered can still be added.
    let added = desk
        .engine
        .add_meta_accounts(vec![choice(&listed.choices, &seed.page_id).choice.clone()])
        .await
        .unwrap();
    assert!(
        matches!(added[..], [SignInOutcome::Added { .. }]),
        "{added:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_allowlist_each_choice_is_confirmed_first() {
    let desk = desk(Setup {
        allowlist: false,
        ..Setup::default()
    })
    .await;
    let seed = desk.fake.seed().clone();
    let (_, choices) = sign_in(&desk, None).await;
    let page = choice(&choices, &seed.page_id);
    assert_eq!(page.verdict, ChoiceVerdict::NeedsConfirmation);
    let outcomes = desk
        .engine
        .add_meta_accounts(vec![page.choice.clone()])
        .await
        .unwrap();
    let [SignInOutcome::NeedsConfirmation {
        pending, platform, ..
    }] = &outcomes[..]
    else {
        panic!("confirmation first: {outcomes:?}");
    };
    assert_eq!(*platform, Platform::Facebook);
    assert!(
        desk.engine.list_accounts().await.is_empty(),
        "nothing stored yet"
    );
    let account = desk
        .engine
        .confirm_account(pending, true)
        .await
        .unwrap()
        .expect("kept");
    assert_eq!(account.service, "Facebook");

    // Signing in to it again refreshes its sign-in without asking again.
    let (_, choices) = sign_in(&desk, None).await;
    let page = choice(&choices, &seed.page_id);
    assert_eq!(page.verdict, ChoiceVerdict::AlreadyAdded);
    let outcomes = desk
        .engine
        .add_meta_accounts(vec![page.choice.clone()])
        .await
        .unwrap();
    assert!(
        matches!(outcomes[..], [SignInOutcome::Added { .. }]),
        "{outcomes:?}"
    );
    assert_eq!(desk.engine.list_accounts().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_meta_stops_accepting_mid_sync_asks_to_sign_in_again() {
    let desk = desk(Setup::default()).await;
    let seed = desk.fake.seed().clone();
    add_page(&desk, false).await;
    let engine = Arc::clone(&desk.engine);
    wait_until("a first pull", || {
        let engine = Arc::clone(&engine);
        async move { engine.list_accounts().await[0].sync.last_pull_at.is_some() }
    })
    .await;
    desk.fake.revoke_tokens().await;
    wait_until("sign in again", || {
        let engine = Arc::clone(&engine);
        async move { engine.list_accounts().await[0].sync.needs_sign_in }
    })
    .await;
    let error = engine.list_accounts().await[0].sync.error.clone().unwrap();
    assert!(error.starts_with("Sign in again"), "{error}");
    assert!(error.contains("Meta"), "{error}");
    assert!(
        !error.contains(desk.fake.page_token(&seed.page_id)),
        "no token in the message: {error}"
    );

    // Signing in again offers the Page as already added; adding it again resumes it.
    let (_, choices) = sign_in(&desk, None).await;
    let page = choice(&choices, &seed.page_id);
    assert_eq!(page.verdict, ChoiceVerdict::AlreadyAdded);
    engine
        .add_meta_accounts(vec![page.choice.clone()])
        .await
        .unwrap();
    let account = &engine.list_accounts().await[0];
    assert!(!account.sync.needs_sign_in, "{account:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_meta_in_the_policy_the_typed_app_is_kept_for_the_workspace() {
    let desk = desk(Setup {
        app_in_policy: false,
        ..Setup::default()
    })
    .await;
    let seed = desk.fake.seed().clone();
    let setup = desk.engine.meta_app_setup().await.unwrap();
    assert_eq!(setup.app_id, None);
    assert!(!setup.has_client_token && !setup.from_policy);
    let missing = desk
        .engine
        .start_meta_sign_in(None, None)
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::InvalidInput);
    assert!(missing.message.contains("App ID"), "{}", missing.message);

    let typed = Some((seed.app_id.clone(), seed.client_token.clone()));
    let (_, choices) = sign_in(&desk, typed).await;
    assert_eq!(choices.len(), 3);
    let setup = desk.engine.meta_app_setup().await.unwrap();
    assert_eq!(setup.app_id.as_deref(), Some(seed.app_id.as_str()));
    assert!(setup.has_client_token && !setup.from_policy);
    let sent = serde_json::to_string(&setup).unwrap();
    assert!(!sent.contains(&seed.client_token), "{sent}");
    // The client token is in the keychain, not in the workspace's database files.
    assert_token_only_in_the_keychain(&desk, &seed.client_token);
    // The next sign-in needs nothing typed.
    let (_, again) = sign_in(&desk, None).await;
    assert_eq!(again.len(), 3);
    assert_token_only_in_the_keychain(&desk, &seed.client_token);

    // Removing the workspace deletes its keychain entry too.
    let workspace = desk.engine.workspace_info().id;
    desk.console.remove_workspace(&workspace).await.unwrap();
    assert!(desk
        .vault
        .read(&workspace, CLIENT_TOKEN_ENTRY)
        .unwrap()
        .is_none());
}

/// The keychain entry of `desk`'s workspace that keeps the typed client token.
const CLIENT_TOKEN_ENTRY: &str = "meta-app-client-token";

/// `token` is in the workspace's keychain entry, and in none of its database files
/// (database, write-ahead log, shared memory), read as bytes.
fn assert_token_only_in_the_keychain(desk: &Desk, token: &str) {
    let workspace = desk.engine.workspace_info().id;
    let kept = desk
        .vault
        .read(&workspace, CLIENT_TOKEN_ENTRY)
        .unwrap()
        .expect("the client token is in the keychain");
    assert!(kept.expose().contains(token));
    let dir = desk.data.path().join("workspaces");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with(&workspace) && name.contains(".sqlite3")) {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        let found = bytes
            .windows(token.len())
            .any(|window| window == token.as_bytes());
        assert!(!found, "the client token is in {name}");
    }
    assert!(files > 0, "no database file in {}", dir.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_token_an_earlier_version_kept_in_the_settings_moves_to_the_keychain() {
    let desk = desk(Setup {
        app_in_policy: false,
        ..Setup::default()
    })
    .await;
    let seed = desk.fake.seed().clone();
    let workspace = desk.engine.workspace_info().id;
    let database = desk
        .data
        .path()
        .join("workspaces")
        .join(format!("{workspace}.sqlite3"));
    // What an earlier version wrote after a sign-in with a typed app.
    let old = serde_json::json!({"app_id": seed.app_id, "client_token": seed.client_token});
    {
        let db = rusqlite::Connection::open(&database).unwrap();
        db.busy_timeout(Duration::from_secs(10)).unwrap();
        db.execute(
            "INSERT INTO settings (key, value) VALUES ('meta_app', ?1) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [old.to_string()],
        )
        .unwrap();
    }
    assert!(desk
        .vault
        .read(&workspace, CLIENT_TOKEN_ENTRY)
        .unwrap()
        .is_none());

    // The window reads the app: the token moves to the keychain, the row keeps the App ID.
    let setup = desk.engine.meta_app_setup().await.unwrap();
    assert_eq!(setup.app_id.as_deref(), Some(seed.app_id.as_str()));
    assert!(setup.has_client_token && !setup.from_policy);
    let kept = desk
        .vault
        .read(&workspace, CLIENT_TOKEN_ENTRY)
        .unwrap()
        .expect("moved to the keychain");
    assert!(kept.expose().contains(&seed.client_token));
    let row: String = rusqlite::Connection::open(&database)
        .unwrap()
        .query_row(
            "SELECT value FROM settings WHERE key = 'meta_app'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(!row.contains(&seed.client_token), "{row}");
    assert!(row.contains(&seed.app_id), "{row}");
    // Nor left behind in the database's files (freed bytes, write-ahead log).
    assert_token_only_in_the_keychain(&desk, &seed.client_token);

    // Signing in needs nothing typed: the token comes from the keychain.
    let (_, choices) = sign_in(&desk, None).await;
    assert_eq!(choices.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_ends_the_wait_for_the_code() {
    let desk = desk(Setup::default()).await;
    let _turn = fixture::graph_turn(&desk).await;
    desk.engine.start_meta_sign_in(None, None).await.unwrap();
    let engine = Arc::clone(&desk.engine);
    let finish = tokio::spawn(async move { engine.finish_meta_sign_in().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    desk.engine.cancel_sign_in();
    let ended = tokio::time::timeout(Duration::from_secs(5), finish)
        .await
        .expect("the wait ends at once")
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(ended.code, ErrorCode::InvalidInput | ErrorCode::NotFound),
        "{ended:?}"
    );
    let again = desk.engine.finish_meta_sign_in().await.unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound);
}
