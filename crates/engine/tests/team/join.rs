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
