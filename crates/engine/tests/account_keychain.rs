//! The keychain and the workspace database agree about an account even when one of them
//! fails: an account whose keychain entry cannot be deleted stays listed with the reason;
//! a keychain entry written for an account the database then refuses is taken back.
//!
//! The keychain here is a stand-in (`FakeVault`, in memory) that fails when told to; the
//! sign-in runs against a real Mastodon-shaped server (`mastodon_mock`).

#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{browser, MockServer};
use switchboard_core::{ErrorCode, Platform, SignInOutcome, SignInRequest};
use switchboard_engine::{
    Console, ConsoleHooks, EngineConfig, SecretVault, SystemClock, UrlOpener, WorkspaceFiles,
};
use switchboard_store::{AccountRecord, Store};
use switchboard_vault::{Sensitive, VaultError};

/// An in-memory keychain whose writes and deletes fail while `broken` is set.
#[derive(Default)]
struct FakeVault {
    entries: Mutex<HashMap<(String, String), String>>,
    broken: AtomicBool,
}

impl FakeVault {
    fn refuse(&self) -> Result<(), VaultError> {
        if self.broken.load(Ordering::SeqCst) {
            Err(VaultError::Failed("the keychain is locked (test)".into()))
        } else {
            Ok(())
        }
    }

    fn has(&self, workspace: &str, account: &str) -> bool {
        let key = (workspace.to_owned(), account.to_owned());
        self.entries.lock().unwrap().contains_key(&key)
    }

    fn count(&self) -> usize {
        self.entries.lock().unwrap().len()
    }
}

impl SecretVault for FakeVault {
    fn check(&self) -> Result<(), VaultError> {
        Ok(())
    }

    fn store(
        &self,
        workspace: &str,
        account: &str,
        secret: &Sensitive<String>,
    ) -> Result<(), VaultError> {
        self.refuse()?;
        let key = (workspace.to_owned(), account.to_owned());
        self.entries
            .lock()
            .unwrap()
            .insert(key, secret.expose().clone());
        Ok(())
    }

    fn read(
        &self,
        workspace: &str,
        account: &str,
    ) -> Result<Option<Sensitive<String>>, VaultError> {
        let key = (workspace.to_owned(), account.to_owned());
        Ok(self
            .entries
            .lock()
            .unwrap()
            .get(&key)
            .cloned()
            .map(Sensitive::new))
    }

    fn delete(&self, workspace: &str, account: &str) -> Result<(), VaultError> {
        self.refuse()?;
        let key = (workspace.to_owned(), account.to_owned());
        self.entries.lock().unwrap().remove(&key);
        Ok(())
    }
}

fn config(dir: &tempfile::TempDir) -> EngineConfig {
    EngineConfig {
        data_dir: dir.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: "unused: the vault is a stand-in".into(),
        poll_interval: Some(Duration::from_millis(200)),
    }
}

/// A console on the stand-in keychain whose "browser" approves sign-ins as `brand`.
async fn open(dir: &tempfile::TempDir, vault: &Arc<FakeVault>) -> Console {
    let open_url: UrlOpener = Arc::new(move |url: &str| {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            browser::approve(url, "brand").await;
        });
        Ok(())
    });
    let hooks = ConsoleHooks {
        listener: Arc::new(|_| {}),
        switched: Arc::new(|_| {}),
        alerts: None,
        open_url: Some(open_url),
        shell: None,
    };
    let vault: Arc<dyn SecretVault> = vault.clone();
    Console::open_with_vault(config(dir), Arc::new(SystemClock), hooks, vault)
        .await
        .unwrap()
}

fn database(dir: &tempfile::TempDir, workspace: &str) -> std::path::PathBuf {
    WorkspaceFiles::new(&dir.path().join("workspaces"), workspace).database
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_whose_keychain_entry_cannot_be_deleted_stays_listed_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(FakeVault::default());
    let console = open(&dir, &vault).await;
    let workspace = console.create_workspace("Acme").await.unwrap().id;
    console.shutdown().await;

    // An account stored in the workspace, with its keychain entry.
    let key = "mastodon:1@social.example";
    let store = Store::open(&database(&dir, &workspace)).await.unwrap();
    store
        .upsert_account(&AccountRecord {
            key: key.into(),
            platform: Platform::Mastodon,
            account_id: "1@social.example".into(),
            handle: "@acme@social.example".into(),
            display_name: "Acme".into(),
            service: "https://social.example".into(),
            added_at: 1,
            added_by: "maya".into(),
            needs_sign_in: false,
        })
        .await
        .unwrap();
    store.close().await;
    vault
        .store(&workspace, key, &Sensitive::new("not a credential".into()))
        .unwrap();

    let console = open(&dir, &vault).await;
    let engine = console.engine().await.unwrap();
    assert_eq!(engine.list_accounts().await.len(), 1);

    vault.broken.store(true, Ordering::SeqCst);
    let refused = engine.remove_account(key).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::Keychain);
    let listed = engine.list_accounts().await;
    assert_eq!(listed.len(), 1, "the account is still listed");
    let error = listed[0].sync.error.as_deref().expect("with the reason");
    assert!(
        error.starts_with("Could not remove this account: ") && error.contains("locked (test)"),
        "{error}"
    );
    assert!(vault.has(&workspace, key));

    // Still there after a restart: the list and the database agree.
    console.shutdown().await;
    drop(engine);
    let console = open(&dir, &vault).await;
    let engine = console.engine().await.unwrap();
    assert_eq!(engine.list_accounts().await.len(), 1);

    // Once the keychain works again, it goes for good.
    vault.broken.store(false, Ordering::SeqCst);
    assert!(engine.remove_account(key).await.unwrap().is_empty());
    assert!(!vault.has(&workspace, key));
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keychain_entry_is_taken_back_when_the_database_cannot_store_the_account() {
    let server = MockServer::start().await;
    server.create_user("brand").await;
    let dir = tempfile::tempdir().unwrap();
    let vault = Arc::new(FakeVault::default());
    let console = open(&dir, &vault).await;
    let workspace = console.create_workspace("Acme").await.unwrap().id;
    let engine = console.engine().await.unwrap();

    // The database refuses to store accounts (as a full disk would).
    let sqlite = rusqlite::Connection::open(database(&dir, &workspace)).unwrap();
    sqlite
        .execute_batch(
            "CREATE TRIGGER refuse_accounts BEFORE INSERT ON accounts \
             BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END;",
        )
        .unwrap();

    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };
    let SignInOutcome::NeedsConfirmation { pending, .. } =
        engine.add_account(request).await.unwrap()
    else {
        panic!("a new workspace asks before keeping an account");
    };
    let failed = engine.confirm_account(&pending, true).await.unwrap_err();
    assert_eq!(failed.code, ErrorCode::Storage, "{}", failed.message);

    assert_eq!(vault.count(), 0, "the keychain entry was taken back");
    assert!(engine.list_accounts().await.is_empty());
    console.shutdown().await;
}
