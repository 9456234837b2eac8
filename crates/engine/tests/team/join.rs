//! Joining a team from the console: a good code opens a team workspace (its code kept in
//! the keychain only); a mistyped code, an unreachable database and a removed member each
//! get their own message, and leave no workspace behind.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use switchboard_core::ErrorCode;
use switchboard_engine::{Console, ConsoleHooks, EngineConfig, SecretVault, SystemClock};
use switchboard_team::testing::{self, TcpGate};
use switchboard_team::JoinCode;
use switchboard_vault::{Sensitive, VaultError};

use crate::laptops::MemoryVault;

async fn console(data: &tempfile::TempDir, vault: Arc<dyn SecretVault>) -> Console {
    let config = EngineConfig {
        data_dir: data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "ana".into(),
        keychain_namespace: "app.switchboard.test.join".into(),
        poll_interval: None,
    };
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: None,
        shell: None,
    };
    Console::open_with_vault(
        config,
        Arc::new(SystemClock),
        hooks,
        vault as Arc<dyn SecretVault>,
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_opens_a_team_workspace_and_bad_codes_say_why() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let data = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let console = console(&data, vault.clone() as Arc<dyn SecretVault>).await;
    let workspaces_before = console.workspaces().await.len();

    let mistyped = console
        .join_team("Acme", "sbjoin1.not-a-code".into())
        .await
        .unwrap_err();
    assert_eq!(mistyped.code, ErrorCode::InvalidInput);
    assert!(
        mistyped.message.contains("join code is not valid"),
        "{}",
        mistyped.message
    );

    let code = db.member(team, "ana").await;
    let gate = TcpGate::start(testing::cluster().port);
    gate.cut();
    let unreachable = JoinCode {
        url: gate.url_for(&code.url),
        ..code.clone()
    };
    let offline = console
        .join_team("Acme", unreachable.encode().expose().clone())
        .await
        .unwrap_err();
    assert!(
        offline.message.starts_with("Could not join"),
        "{}",
        offline.message
    );
    assert!(
        !offline.message.contains(code.secret.expose().as_str()),
        "no password in errors"
    );

    let removed = db.member(team, "gone").await;
    db.admin.remove_member(team, &removed.member).await.unwrap();
    let refused = console
        .join_team("Acme", removed.encode().expose().clone())
        .await
        .unwrap_err();
    assert!(
        refused.message.starts_with("Could not join"),
        "{}",
        refused.message
    );
    assert_eq!(
        console.workspaces().await.len(),
        workspaces_before,
        "no workspace left behind"
    );

    let joined = console
        .join_team("Acme", code.encode().expose().clone())
        .await
        .unwrap();
    let engine = console.engine().await.unwrap();
    assert_eq!(engine.workspace_info().id, joined.id);
    assert!(engine.team_status().is_some(), "a team workspace");
    assert_eq!(
        engine.me(),
        code.member,
        "actions are recorded under the member's role"
    );
    let kept = vault.read(&joined.id, "team:join-code").unwrap().unwrap();
    assert_eq!(
        JoinCode::decode(kept.expose()).unwrap(),
        code,
        "the code is in the keychain"
    );
    let database = std::fs::read(
        data.path()
            .join("workspaces")
            .join(format!("{}.sqlite3", joined.id)),
    )
    .unwrap_or_default();
    let secret = code.secret.expose().as_bytes();
    assert!(
        !database.windows(secret.len()).any(|w| w == secret),
        "the member's password is not in the workspace database"
    );
    console.shutdown().await;
}

/// A locked keychain: every call fails; calls are counted.
#[derive(Default)]
struct LockedVault(AtomicUsize);

impl LockedVault {
    fn refuse<T>(&self) -> Result<T, VaultError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(VaultError::Failed("the keychain is locked (test)".into()))
    }
}

impl SecretVault for LockedVault {
    fn check(&self) -> Result<(), VaultError> {
        self.refuse()
    }
    fn store(&self, _: &str, _: &str, _: &Sensitive<String>) -> Result<(), VaultError> {
        self.refuse()
    }
    fn read(&self, _: &str, _: &str) -> Result<Option<Sensitive<String>>, VaultError> {
        self.refuse()
    }
    fn delete(&self, _: &str, _: &str) -> Result<(), VaultError> {
        self.refuse()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_workspaces_open_without_asking_the_keychain_for_a_join_code() {
    let data = tempfile::tempdir().unwrap();
    let vault = Arc::new(LockedVault::default());
    let console = console(&data, vault.clone() as Arc<dyn SecretVault>).await;
    assert!(
        console.engine().await.unwrap().workspace_info().is_demo,
        "the demo opens"
    );
    let local = console.create_workspace("Local").await.unwrap();
    let engine = console.engine().await.unwrap();
    assert_eq!(
        engine.workspace_info().id,
        local.id,
        "a local workspace opens"
    );
    assert!(engine.team_status().is_none(), "not a team workspace");
    assert_eq!(
        vault.0.load(Ordering::SeqCst),
        0,
        "the keychain was not asked"
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_stays_a_team_workspace_when_the_registry_forgot_it() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let code = db.member(team, "ana").await;
    let laptop = crate::laptops::Laptop::open("ana", &code, None).await;
    laptop.engine.shutdown().await;
    // As after `workspaces.json` was lost and rebuilt from the files: not marked a team's.
    let config = EngineConfig {
        data_dir: laptop.data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "ana".into(),
        keychain_namespace: "app.switchboard.test.join".into(),
        poll_interval: None,
    };
    let spec = switchboard_engine::WorkspaceSpec {
        id: crate::laptops::WORKSPACE.into(),
        name: "Acme team".into(),
        is_demo: false,
        is_team: false,
    };
    let engine = switchboard_engine::Engine::open_with_vault(
        config,
        &spec,
        Arc::new(SystemClock),
        crate::laptops::quiet_hooks(None),
        laptop.vault.clone() as Arc<dyn SecretVault>,
    )
    .await
    .unwrap();
    assert!(engine.team_status().is_some(), "still the team's replica");
    assert_eq!(engine.me(), code.member, "actions still go to the team");
    engine.shutdown().await;
}

/// Join flow errors, each with its message, from both the preview and the join: a
/// mistyped code, a removed member, a used or revoked code (wrong password), an
/// unreachable server and a TLS failure. None carries the code's password, and none
/// leaves a workspace behind. A good code's preview names the team, the server, the
/// person, their queues and whether they lead or are a trainee.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_join_error_has_its_own_message_in_the_preview_and_the_join() {
    let db = testing::database().await;
    let team = db.team("Acme Support").await;
    let data = tempfile::tempdir().unwrap();
    let vault = Arc::new(MemoryVault::default());
    let console = console(&data, vault.clone() as Arc<dyn SecretVault>).await;
    let workspaces_before = console.workspaces().await.len();

    let code = db
        .member_with(
            team,
            &switchboard_team::admin::NewMember {
                name: "Tia".into(),
                email: "tia@example.com".into(),
                queues: vec!["support".into(), "sales".into()],
                lead: false,
                trainee: true,
            },
        )
        .await;
    let preview = console
        .preview_join(code.encode().expose().clone())
        .await
        .unwrap();
    assert_eq!(preview.team_name, "Acme Support");
    assert_eq!(
        preview.server,
        format!("127.0.0.1:{}", testing::cluster().port)
    );
    assert_eq!(preview.member_name, "Tia");
    assert_eq!(
        preview.queues,
        vec![
            switchboard_core::QueueId::from("support"),
            switchboard_core::QueueId::from("sales")
        ]
    );
    assert!(preview.trainee && !preview.lead, "{preview:?}");

    // Removed: dropped from the team's list (the login not disabled yet), and removed for
    // good (the login dropped too).
    let unlisted = db.member(team, "unlisted").await;
    db.exec(&format!(
        "UPDATE switchboard.members SET removed_at = now() WHERE login_role = '{}'",
        unlisted.member
    ))
    .await;
    let removed = db.member(team, "gone").await;
    db.admin.remove_member(team, &removed.member).await.unwrap();
    let revoked = JoinCode {
        secret: Sensitive::new("not-the-password-any-more".to_owned()),
        ..code.clone()
    };
    let gate = TcpGate::start(testing::cluster().port);
    gate.cut();
    let unreachable = JoinCode {
        url: gate.url_for(&code.url),
        ..code.clone()
    };
    let mut tls_url = url::Url::parse(&code.url).unwrap();
    tls_url.set_host(Some("localhost")).unwrap();
    tls_url.set_query(Some("sslmode=verify-full"));
    let untrusted = JoinCode {
        url: tls_url.into(),
        ..code.clone()
    };

    let cases: Vec<(&str, String, ErrorCode, &str)> = vec![
        (
            "a mistyped code",
            format!("{}x", &code.encode().expose()[..20]),
            ErrorCode::InvalidInput,
            "This join code is not valid: it may be cut short or mistyped",
        ),
        (
            "a member no longer listed",
            unlisted.encode().expose().clone(),
            ErrorCode::NotAllowed,
            "this join code's member was removed from the team",
        ),
        (
            "a removed member",
            removed.encode().expose().clone(),
            ErrorCode::NotAllowed,
            "the member it is for was removed from the team",
        ),
        (
            "a used or revoked code",
            revoked.encode().expose().clone(),
            ErrorCode::NotAllowed,
            "it was already used or has been revoked",
        ),
        (
            "an unreachable server",
            unreachable.encode().expose().clone(),
            ErrorCode::Platform,
            "cannot be reached",
        ),
        (
            "a TLS failure",
            untrusted.encode().expose().clone(),
            ErrorCode::Platform,
            "the secure (TLS) connection to the team database at localhost:",
        ),
    ];
    for (what, text, code_expected, words) in cases {
        let previewed = console.preview_join(text.clone()).await.unwrap_err();
        let joined = console.join_team("Acme", text.clone()).await.unwrap_err();
        for (how, error) in [("preview", &previewed), ("join", &joined)] {
            assert_eq!(
                error.code, code_expected,
                "{what} ({how}): {}",
                error.message
            );
            assert!(
                error.message.contains(words),
                "{what} ({how}) says {words:?}: {}",
                error.message
            );
            assert!(
                !error.message.contains(code.secret.expose().as_str())
                    && !error.message.contains("not-the-password-any-more"),
                "{what} ({how}): no password in {}",
                error.message
            );
        }
    }
    assert_eq!(
        console.workspaces().await.len(),
        workspaces_before,
        "no workspace left behind"
    );
    console.shutdown().await;
}
