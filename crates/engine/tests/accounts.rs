//! Brand accounts end to end against a real Mastodon-shaped server (`mastodon_mock`) and
//! the real keychain: the allowlist refuses a personal account and revokes its token; a
//! brand account signs in, syncs and replies; its token appears nowhere but the keychain;
//! a revoked token puts it in "sign in again" with one notification; removing the
//! workspace signs out and deletes its keychain entry.

mod common;
#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{browser, MockServer};
use switchboard_core::{AlertAction, ErrorCode, QueueId, SignInOutcome, SignInRequest};
use switchboard_engine::{AlertSink, Console};
use switchboard_vault::Vault;

/// Records what would have been shown on the desktop.
#[derive(Default)]
struct Recorder(Mutex<Vec<AlertAction>>);

impl AlertSink for Recorder {
    fn deliver(&self, actions: Vec<AlertAction>) {
        self.0.lock().unwrap().extend(actions);
    }
}

impl Recorder {
    fn sign_in_notices(&self) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|a| matches!(a, AlertAction::Show(n) if n.key.starts_with("account:")))
            .count()
    }
}

/// A log file the test's tracing output goes to (everything, at trace level).
fn log_to_file(path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let _ = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init();
}

async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    common::wait_until(Duration::from_secs(30), what, check).await
}

/// A console whose "browser" approves the sign-in as the user named in `approve_as`.
async fn open_console(
    data: &tempfile::TempDir,
    namespace: &str,
    approve_as: Arc<Mutex<String>>,
    alerts: Option<Arc<dyn AlertSink>>,
) -> Console {
    let open_url: switchboard_engine::UrlOpener = Arc::new(move |url: &str| {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let who = approve_as.lock().unwrap().clone();
        tokio::spawn(async move {
            browser::approve(url, &who).await;
        });
        Ok(())
    });
    common::open_console(data, namespace, open_url, alerts).await
}

/// Apps holding a token for `user`, by name.
async fn apps_of(server: &MockServer, user: &support::User) -> Vec<String> {
    let apps: Vec<serde_json::Value> = reqwest::Client::new()
        .get(server.endpoint("api/v1/_mock/apps"))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    apps.iter()
        .filter_map(|a| a["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_accounts_are_refused_and_brand_accounts_work_without_leaking_their_token() {
    let data = tempfile::tempdir().unwrap();
    let log = data.path().join("test.log");
    log_to_file(&log);

    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let someone = server.create_user("someone").await;
    let customer = server.create_user("customer").await;

    let approve_as = Arc::new(Mutex::new(String::new()));
    let recorder = Arc::new(Recorder::default());
    let namespace = format!("app.switchboard.test.accounts.{}", std::process::id());
    let console = open_console(
        &data,
        &namespace,
        Arc::clone(&approve_as),
        Some(recorder.clone() as Arc<dyn AlertSink>),
    )
    .await;
    let workspace = console.create_workspace("Acme").await.unwrap();
    let engine = console.engine().await.unwrap();
    let policy_path = engine.workspace_info().policy_path;
    let mut policy = std::fs::read_to_string(&policy_path).unwrap();
    policy.push_str(&format!(
        "\n[[brand_account]]\nplatform = \"mastodon\"\naccount = \"@brand@{}\"\n",
        server.handle_domain
    ));
    std::fs::write(&policy_path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    assert_eq!(engine.workspace_info().policy_error, None);
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };

    // A personal account: refused by name, its fresh token revoked, nothing stored.
    *approve_as.lock().unwrap() = "someone".into();
    let refused = engine.add_account(request.clone()).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(refused.message.contains("@someone@"), "{}", refused.message);
    assert!(
        !apps_of(&server, &someone)
            .await
            .contains(&"Switchboard".to_owned()),
        "the refused token was revoked at the server"
    );
    assert!(engine.list_accounts().await.is_empty());

    // The brand account: signed in, stored in the keychain, syncing.
    *approve_as.lock().unwrap() = "brand".into();
    let SignInOutcome::Added { account } = engine.add_account(request.clone()).await.unwrap()
    else {
        panic!("the brand account is on the allowlist");
    };
    assert_eq!(account.handle, format!("@brand@{}", server.handle_domain));
    let vault = Vault::new(namespace.clone());
    let secret = vault
        .read(&workspace.id, &account.key)
        .unwrap()
        .expect("the credential is in the keychain");
    let credential = switchboard_mastodon::Credential::from_secret(&secret).unwrap();
    let token_text = credential.access_token().expose().clone();
    assert!(token_text.len() >= 16, "a real token to look for");

    let mention = server
        .post_status(
            &customer,
            "@brand help, my order never arrived",
            None,
            "public",
        )
        .await;
    wait_until("the mention in Support", || {
        let engine = Arc::clone(&engine);
        async move {
            let list = engine
                .list_conversations(QueueId("support".into()))
                .await
                .unwrap();
            list.iter().any(|c| c.waiting_since.is_some())
        }
    })
    .await;
    let conversation = engine
        .list_conversations(QueueId("support".into()))
        .await
        .unwrap()
        .remove(0);

    // Reply from Switchboard: posted on the server in the thread, conversation answered.
    engine
        .send_reply(
            conversation.id,
            "So sorry! A replacement ships today.".into(),
        )
        .await
        .unwrap();
    wait_until("the reply to be sent", || {
        let engine = Arc::clone(&engine);
        async move {
            let thread = engine.get_thread(conversation.id).await.unwrap();
            thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none()
        }
    })
    .await;
    let replies = server.statuses_of(&customer, &brand.id).await;
    assert!(replies.iter().any(|s| s["in_reply_to_id"] == mention["id"]
        && s["content"]
            .as_str()
            .unwrap_or("")
            .contains("replacement ships today")));

    // Everything the UI could receive, serialized as IPC would.
    let mut ipc = String::new();
    ipc += &serde_json::to_string(&engine.list_accounts().await).unwrap();
    ipc += &serde_json::to_string(&engine.workspace_info()).unwrap();
    ipc += &serde_json::to_string(&engine.list_queues().await.unwrap()).unwrap();
    ipc += &serde_json::to_string(&engine.get_thread(conversation.id).await.unwrap()).unwrap();
    ipc += &serde_json::to_string(&console.workspaces().await).unwrap();

    // The token is revoked behind Switchboard's back: one "sign in again", no loop.
    reqwest::Client::new()
        .post(server.endpoint("oauth/revoke"))
        .form(&[("token", token_text.as_str())])
        .send()
        .await
        .unwrap();
    wait_until("the sign-in-again state and its notification", || {
        let engine = Arc::clone(&engine);
        let notified = recorder.sign_in_notices() > 0;
        async move { notified && engine.list_accounts().await[0].sync.needs_sign_in }
    })
    .await;
    let state = engine.list_accounts().await[0].sync.clone();
    assert_eq!(state.next_pull_at, None, "polling stopped: no retry loop");
    assert_eq!(recorder.sign_in_notices(), 1, "one notification");
    let errors = format!("{:?}", engine.list_accounts().await[0].sync.error);
    ipc += &errors;

    // The token string appears nowhere but the keychain.
    assert!(!ipc.contains(&token_text), "a token reached an IPC payload");
    let files =
        switchboard_engine::WorkspaceFiles::new(&data.path().join("workspaces"), &workspace.id);
    let needle = token_text.as_bytes();
    for file in files.all().into_iter().filter(|f| f.exists()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the token is in {}",
            file.display()
        );
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("brand account added"),
        "the log file is the engine's"
    );
    assert!(!logged.contains(&token_text), "the token is in the log");

    // Removing the workspace signs out and deletes the keychain entry and the files.
    drop(engine);
    console.remove_workspace(&workspace.id).await.unwrap();
    assert_eq!(vault.read(&workspace.id, &account.key).unwrap(), None);
    assert!(!files.database.exists());
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_allowlist_each_account_is_confirmed_by_hand_before_anything_is_kept() {
    let data = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let namespace = format!("app.switchboard.test.confirm.{}", std::process::id());
    let console = open_console(
        &data,
        &namespace,
        Arc::new(Mutex::new("brand".into())),
        None,
    )
    .await;
    let workspace = console.create_workspace("No list yet").await.unwrap();
    let engine = console.engine().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };
    let key = format!("mastodon:{}@{}", brand.id, server.host());
    let vault = Vault::new(namespace);

    // Declined: revoked at the server, nothing in the keychain or the workspace.
    let SignInOutcome::NeedsConfirmation {
        pending, handle, ..
    } = engine.add_account(request.clone()).await.unwrap()
    else {
        panic!("a workspace without an allowlist asks first");
    };
    assert_eq!(handle, format!("@brand@{}", server.handle_domain));
    assert_eq!(
        vault.read(&workspace.id, &key).unwrap(),
        None,
        "nothing kept while asking"
    );
    assert_eq!(engine.confirm_account(&pending, false).await.unwrap(), None);
    assert!(!apps_of(&server, &brand)
        .await
        .contains(&"Switchboard".to_owned()));
    assert!(engine.list_accounts().await.is_empty());
    assert_eq!(
        engine
            .confirm_account(&pending, true)
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound,
        "an answered question cannot be answered again"
    );

    // Confirmed: kept in the keychain and listed.
    let SignInOutcome::NeedsConfirmation { pending, .. } =
        engine.add_account(request).await.unwrap()
    else {
        panic!("asks again");
    };
    let account = engine
        .confirm_account(&pending, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.key, key);
    assert!(vault.read(&workspace.id, &key).unwrap().is_some());
    assert_eq!(engine.list_accounts().await.len(), 1);

    // Removing the account signs out and deletes the entry.
    assert!(engine.remove_account(&key).await.unwrap().is_empty());
    assert_eq!(vault.read(&workspace.id, &key).unwrap(), None);
    assert!(!apps_of(&server, &brand)
        .await
        .contains(&"Switchboard".to_owned()));
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_whose_keychain_entry_is_gone_asks_to_sign_in_again_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    server.create_user("brand").await;
    let namespace = format!("app.switchboard.test.gone.{}", std::process::id());
    let approve_as = Arc::new(Mutex::new("brand".to_owned()));
    let console = open_console(&data, &namespace, Arc::clone(&approve_as), None).await;
    let workspace = console.create_workspace("Acme").await.unwrap();
    let engine = console.engine().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };
    let SignInOutcome::NeedsConfirmation { pending, .. } =
        engine.add_account(request).await.unwrap()
    else {
        panic!("no allowlist: asks first");
    };
    let account = engine
        .confirm_account(&pending, true)
        .await
        .unwrap()
        .unwrap();
    drop(engine);
    console.shutdown().await;
    drop(console);

    // Someone cleans the keychain while Switchboard is closed.
    Vault::new(namespace.clone())
        .delete(&workspace.id, &account.key)
        .unwrap();
    let console = open_console(&data, &namespace, approve_as, None).await;
    let accounts = console.engine().await.unwrap().list_accounts().await;
    assert_eq!(accounts.len(), 1, "the account is still listed");
    assert!(accounts[0].sync.needs_sign_in, "it asks for a new sign-in");
    let error = accounts[0].sync.error.clone().unwrap_or_default();
    assert!(error.contains("missing from the keychain"), "{error}");
    console.remove_workspace(&workspace.id).await.unwrap();
    console.shutdown().await;
}
