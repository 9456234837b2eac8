//! Managed settings (issue 19): what IT fixes in `/etc/switchboard/managed.toml` holds
//! whatever the person or the workspace policy says.
//!
//! - a managed allowlist refuses an account the workspace policy would allow, and revokes
//!   its token at the (mock) Mastodon server;
//! - a user-writable copy of the file is ignored with a logged warning (a system file
//!   others could change locks down instead);
//! - an unreadable or invalid managed file locks down: new accounts are refused, saying
//!   why, and nothing opens up;
//! - join codes for other servers and new local workspaces are refused, the demo is
//!   neither listed nor opened.
//!
//! The files are temporary; they are "trusted" when owned by the user running the test
//! (root in production) and writable by nobody else. Sign-ins are kept in memory.

#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::{browser, MockServer};
use switchboard_core::{ErrorCode, SignInOutcome, SignInRequest};
use switchboard_engine::managed::file::{self, FileSources};
use switchboard_engine::managed::Managed;
use switchboard_engine::{Console, ConsoleHooks, EngineConfig, MemoryVault, SystemClock};
use switchboard_team::JoinCode;
use switchboard_vault::Sensitive;

/// Writes `text` to `dir/name` with `mode`.
fn managed_file(dir: &Path, name: &str, text: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// The user id files made by this test are owned by (trusted in place of root).
fn me(dir: &Path) -> u32 {
    std::fs::metadata(dir).unwrap().uid()
}

/// Reads `path` as if it were the system file.
fn load_system_file(path: &Path) -> Managed {
    file::load(&FileSources {
        system: path.to_owned(),
        override_path: None,
        trusted_owner: me(path.parent().unwrap()),
    })
}

/// Reads `path` as the override (`SWITCHBOARD_MANAGED_FILE`), with no system file.
fn load_override(path: &Path) -> Managed {
    let dir = path.parent().unwrap();
    file::load(&FileSources {
        system: dir.join("no-system-file.toml"),
        override_path: Some(path.to_owned()),
        trusted_owner: me(dir),
    })
}

/// What `run` logs, as text.
fn logged(run: impl FnOnce()) -> String {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, run);
    let bytes = buffer.0.lock().unwrap().clone();
    String::from_utf8(bytes).unwrap()
}

/// A console on `data` with `managed`, sign-ins in memory, a paused demo, and a
/// "browser" that approves sign-ins as the user in `approve_as`.
async fn console(
    data: &tempfile::TempDir,
    managed: Managed,
    approve_as: Arc<Mutex<String>>,
) -> Console {
    console_with(data, managed, approve_as, Arc::new(MemoryVault::default())).await
}

/// Like [`console`], with sign-ins kept in `vault`.
async fn console_with(
    data: &tempfile::TempDir,
    managed: Managed,
    approve_as: Arc<Mutex<String>>,
    vault: Arc<MemoryVault>,
) -> Console {
    let open_url: switchboard_engine::UrlOpener = Arc::new(move |url: &str| {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let who = approve_as.lock().unwrap().clone();
        tokio::spawn(async move {
            browser::approve(url, &who).await;
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
    let config = EngineConfig {
        data_dir: data.path().join("data"),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: "unused: the vault is in memory".into(),
        poll_interval: Some(Duration::from_millis(200)),
    };
    Console::open_with_vault_managed(config, Arc::new(SystemClock), hooks, vault, managed)
        .await
        .unwrap()
}

/// A console on `data` approving sign-ins as "brand".
async fn console_at(data: &tempfile::TempDir, managed: Managed) -> Console {
    console(data, managed, Arc::new(Mutex::new("brand".to_owned()))).await
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

/// Adds `[[brand_account]]` entries for `users` on `server` to the open workspace's
/// policy.
async fn policy_allows(console: &Console, server: &MockServer, users: &[&str]) {
    let engine = console.engine().await.unwrap();
    let path = engine.workspace_info().policy_path;
    let mut policy = std::fs::read_to_string(&path).unwrap();
    for user in users {
        policy.push_str(&format!(
            "\n[[brand_account]]\nplatform = \"mastodon\"\naccount = \"@{user}@{}\"\n",
            server.handle_domain
        ));
    }
    std::fs::write(&path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    assert_eq!(engine.workspace_info().policy_error, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_allowlist_refuses_an_account_the_workspace_policy_allows_and_revokes_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let someone = server.create_user("someone").await;
    let path = managed_file(
        dir.path(),
        "managed.toml",
        &format!(
            "allowed_accounts = [\"mastodon:brand@{}\", \"bluesky:northwind.bsky.social\"]\n",
            server.handle_domain
        ),
        0o644,
    );
    let managed = load_system_file(&path);
    assert!(managed.settings().is_some(), "{managed:?}");
    let approve_as = Arc::new(Mutex::new(String::new()));
    let console = console(&dir, managed, Arc::clone(&approve_as)).await;
    console.create_workspace("Acme").await.unwrap();
    // The workspace policy lists both; the organisation only the brand account.
    policy_allows(&console, &server, &["brand", "someone"]).await;
    let engine = console.engine().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };

    *approve_as.lock().unwrap() = "someone".into();
    let refused = engine.add_account(request.clone()).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    let message = &refused.message;
    assert!(message.contains("@someone@"), "{message}");
    assert!(
        message.contains("not on your organisation's list of brand accounts"),
        "{message}"
    );
    assert!(
        message.contains(&format!("managed by {}", path.display())),
        "{message}"
    );
    assert!(
        !apps_of(&server, &someone)
            .await
            .contains(&"Switchboard".to_owned()),
        "the refused token was revoked at the server"
    );
    assert!(engine.list_accounts().await.is_empty());

    // The brand account is on both lists: added.
    *approve_as.lock().unwrap() = "brand".into();
    let added = engine.add_account(request).await.unwrap();
    assert!(matches!(added, SignInOutcome::Added { .. }), "{added:?}");
    assert!(apps_of(&server, &brand)
        .await
        .contains(&"Switchboard".to_owned()));

    let view = console.managed_settings().await.unwrap();
    assert!(view.managed);
    assert_eq!(view.source, Some(path.display().to_string()));
    assert_eq!(view.locked, ["allowed_accounts"]);
    assert_eq!(view.allowed_accounts.len(), 2);
    assert_eq!(view.problem, None);
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_on_the_managed_list_needs_no_confirmation_but_the_policy_may_still_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    server.create_user("brand").await;
    server.create_user("other").await;
    let path = managed_file(
        dir.path(),
        "managed.toml",
        &format!(
            "allowed_accounts = [\"mastodon:brand@{0}\", \"mastodon:other@{0}\"]\n",
            server.handle_domain
        ),
        0o644,
    );
    let approve_as = Arc::new(Mutex::new("brand".to_owned()));
    let console = console(&dir, load_system_file(&path), Arc::clone(&approve_as)).await;
    console.create_workspace("Acme").await.unwrap();
    let engine = console.engine().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };
    // No policy list: the organisation's list says it is a brand account.
    let added = engine.add_account(request.clone()).await.unwrap();
    assert!(matches!(added, SignInOutcome::Added { .. }), "{added:?}");
    // A policy list without "other": the workspace's own list still applies.
    policy_allows(&console, &server, &["brand"]).await;
    *approve_as.lock().unwrap() = "other".into();
    let refused = engine.add_account(request).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused
            .message
            .contains("not one of this workspace's brand accounts"),
        "{}",
        refused.message
    );
    console.shutdown().await;
}

#[test]
fn a_user_writable_copy_is_ignored_with_a_logged_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = "allowed_accounts = [\"mastodon:me@personal.example\"]\ndemo = true\n";
    for mode in [0o666, 0o664, 0o646] {
        let copy = managed_file(dir.path(), &format!("copy-{mode:o}.toml"), text, mode);
        let mut managed = None;
        let log = logged(|| managed = Some(load_override(&copy)));
        assert_eq!(managed, Some(Managed::NotManaged), "mode {mode:o}");
        assert!(log.contains("WARN"), "{log}");
        assert!(
            log.contains("ignoring a user-writable copy of the managed settings"),
            "{log}"
        );
        assert!(log.contains(&copy.display().to_string()), "{log}");
    }
    // Owned by someone other than the trusted owner (root in production): ignored too.
    let copy = managed_file(dir.path(), "owned.toml", text, 0o644);
    let managed = file::load(&FileSources {
        system: dir.path().join("absent.toml"),
        override_path: Some(copy.clone()),
        trusted_owner: me(dir.path()).wrapping_add(4242),
    });
    assert_eq!(managed, Managed::NotManaged);
    // The same file, 0644 and owned by the trusted owner, is in force.
    assert!(load_override(&copy).settings().is_some());
}

#[test]
fn a_system_file_others_can_change_locks_down_and_the_override_never_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let system = managed_file(dir.path(), "system.toml", "demo = false\n", 0o666);
    let mut managed = Managed::NotManaged;
    let log = logged(|| managed = load_system_file(&system));
    let why = managed.problem().expect("locked down");
    assert!(why.contains("0666"), "{why}");
    assert!(log.contains("WARN"), "{log}");
    assert!(!managed.demo_allowed());
    // A trusted system file wins over a trusted override.
    let system = managed_file(dir.path(), "system2.toml", "demo = false\n", 0o644);
    let other = managed_file(dir.path(), "other.toml", "demo = true\n", 0o644);
    let managed = file::load(&FileSources {
        system: system.clone(),
        override_path: Some(other),
        trusted_owner: me(dir.path()),
    });
    assert_eq!(
        managed.source(),
        Some(system.display().to_string().as_str())
    );
    assert!(!managed.demo_allowed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_or_invalid_managed_file_locks_down_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = managed_file(
        dir.path(),
        "invalid.toml",
        "demo = true\nallowed_accounts = [\"mastodon:brand@social.example\"\n",
        0o644,
    );
    let not_utf8 = dir.path().join("binary.toml");
    std::fs::write(&not_utf8, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    std::fs::set_permissions(&not_utf8, std::fs::Permissions::from_mode(0o644)).unwrap();
    let a_folder = dir.path().join("folder.toml");
    std::fs::create_dir(&a_folder).unwrap();
    let unknown_key = managed_file(dir.path(), "typo.toml", "alowed_accounts = []\n", 0o644);
    for (path, says) in [
        (&invalid, "not valid"),
        (&not_utf8, "cannot be read"),
        (&a_folder, "not a file"),
        (&unknown_key, "unknown field"),
    ] {
        let managed = load_system_file(path);
        let why = managed.problem().unwrap_or_else(|| panic!("{managed:?}"));
        assert!(why.contains(says), "{}: {why}", path.display());
        assert_eq!(managed.allowed_accounts(), Some(&[][..]));
        assert!(!managed.local_workspaces_allowed());
        assert!(managed.check_join_server("db.acme.example:5432").is_err());
    }

    // In a console: the window says why; no demo, no new local workspace.
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let console = console_at(&dir, load_system_file(&invalid)).await;
    let view = console.managed_settings().await.unwrap();
    assert!(view.managed);
    let problem = view.problem.expect("the window says why");
    assert!(
        problem.contains(&invalid.display().to_string()),
        "{problem}"
    );
    assert!(problem.contains("line 2"), "{problem}");
    assert!(view.locked.contains(&"allowed_accounts".to_owned()));
    assert!(!view.local_workspaces_allowed && !view.demo_allowed);
    assert!(console.workspaces().await.is_empty());
    assert_eq!(
        console.engine().await.err().map(|e| e.code),
        Some(ErrorCode::NoWorkspace)
    );
    let refused = console.create_workspace("Mine").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("could not be used"),
        "{}",
        refused.message
    );
    console.shutdown().await;

    // A workspace from before the file broke opens, but admits no new account, even one
    // its policy lists; the fresh token is revoked.
    let data = tempfile::tempdir().unwrap();
    let before = console_at(&data, Managed::NotManaged).await;
    before.create_workspace("Acme").await.unwrap();
    policy_allows(&before, &server, &["brand"]).await;
    before.shutdown().await;
    drop(before);
    let locked = console_at(&data, load_system_file(&invalid)).await;
    let engine = locked.engine().await.unwrap();
    let refused = engine
        .add_account(SignInRequest::Mastodon {
            instance: server.url.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("could not be used"),
        "{}",
        refused.message
    );
    assert!(refused.message.contains("line 2"), "{}", refused.message);
    assert!(!apps_of(&server, &brand)
        .await
        .contains(&"Switchboard".to_owned()));
    assert!(engine.list_accounts().await.is_empty());
    locked.shutdown().await;
}

/// A join code for `url` (nobody checks it: it is refused or fails before any login).
fn join_code(url: &str) -> String {
    JoinCode::new(
        url,
        uuid::Uuid::nil(),
        "maya",
        Sensitive::new("hunter2-secret".into()),
    )
    .unwrap()
    .encode()
    .expose()
    .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_codes_for_other_servers_are_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let path = managed_file(
        dir.path(),
        "managed.toml",
        "join_servers = [\"db.acme.example\"]\n",
        0o644,
    );
    let console = console_at(&dir, load_system_file(&path)).await;
    let code = join_code("postgres://db.elsewhere.example:6543/team?sslmode=verify-full");
    let refused = console.preview_join(code.clone()).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    let message = &refused.message;
    assert!(message.contains("db.elsewhere.example:6543"), "{message}");
    assert!(message.contains("db.acme.example:5432"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    let refused = console.join_team("Elsewhere", code).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert_eq!(console.workspaces().await.len(), 1, "only the demo");
    let view = console.managed_settings().await.unwrap();
    assert_eq!(view.join_servers, ["db.acme.example:5432"]);
    assert_eq!(view.locked, ["join_servers"]);

    // A code for the allowed server goes on to connect (and fails here: no such host).
    let allowed = join_code("postgres://127.0.0.1:1/team?sslmode=disable");
    let failed = console.preview_join(allowed).await.unwrap_err();
    assert!(
        failed.message.contains("127.0.0.1:1") || failed.code != ErrorCode::NotAllowed,
        "{failed:?}"
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_local_workspaces_and_the_demo_the_console_starts_on_the_first_workspace_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = managed_file(
        dir.path(),
        "managed.toml",
        "local_workspaces = false\ndemo = false\n",
        0o644,
    );
    let console = console_at(&dir, load_system_file(&path)).await;
    assert!(
        console.workspaces().await.is_empty(),
        "the demo is not listed"
    );
    assert_eq!(
        console.engine().await.err().map(|e| e.code),
        Some(ErrorCode::NoWorkspace)
    );
    let refused = console.create_workspace("Mine").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(
        refused.message.contains("does not allow local workspaces"),
        "{}",
        refused.message
    );
    assert!(
        refused.message.contains(&path.display().to_string()),
        "{}",
        refused.message
    );
    let refused = console.switch_workspace("demo").await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    let view = console.managed_settings().await.unwrap();
    assert!(!view.local_workspaces_allowed && !view.demo_allowed);
    assert_eq!(view.locked, ["local_workspaces", "demo"]);
    console.shutdown().await;

    // A laptop that used the demo last: the demo is not opened again.
    let data = tempfile::tempdir().unwrap();
    let before = console_at(&data, Managed::NotManaged).await;
    assert!(before.engine().await.unwrap().workspace_info().is_demo);
    before.create_workspace("Acme").await.unwrap();
    before.switch_workspace("demo").await.unwrap();
    before.shutdown().await;
    drop(before);
    let after = console_at(&data, load_system_file(&path)).await;
    let open = after.engine().await.unwrap().workspace_info();
    assert_eq!(open.name, "Acme", "starts on another workspace");
    assert_eq!(after.workspaces().await.len(), 1);
    after.shutdown().await;
}

#[test]
fn the_managed_keychain_namespace_log_level_and_updates_are_exposed() {
    let dir = tempfile::tempdir().unwrap();
    let path = managed_file(
        dir.path(),
        "managed.toml",
        "keychain_namespace = \"com.acme.switchboard\"\nlog_level = \"warn\"\n\
         update_channel = \"stable\"\nupdate_url = \"https://updates.acme.example/sb\"\n",
        0o644,
    );
    let managed = load_system_file(&path);
    assert_eq!(managed.log_level(), Some("warn"));
    assert_eq!(managed.update_channel(), Some("stable"));
    assert_eq!(
        managed.update_url(),
        Some("https://updates.acme.example/sb")
    );
    let mut config = EngineConfig::from_env(dir.path().to_owned());
    managed.apply_to(&mut config);
    assert_eq!(config.keychain_namespace, "com.acme.switchboard");
    // Not managed: nothing changes, no update address (no phoning home).
    let mut config = EngineConfig::from_env(dir.path().to_owned());
    let before = config.keychain_namespace.clone();
    Managed::NotManaged.apply_to(&mut config);
    assert_eq!(config.keychain_namespace, before);
    assert_eq!(Managed::NotManaged.update_url(), None);
    assert_eq!(
        Managed::NotManaged.view(),
        switchboard_core::ManagedView {
            managed: false,
            source: None,
            problem: None,
            locked: Vec::new(),
            allowed_accounts: Vec::new(),
            local_workspaces_allowed: true,
            demo_allowed: true,
            join_servers: Vec::new(),
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_added_before_the_managed_list_is_paused_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    server.create_user("brand").await;
    server.create_user("someone").await;
    let vault = Arc::new(MemoryVault::default());
    let approve_as = Arc::new(Mutex::new("someone".to_owned()));
    let before = console_with(
        &data,
        Managed::NotManaged,
        Arc::clone(&approve_as),
        Arc::clone(&vault),
    )
    .await;
    before.create_workspace("Acme").await.unwrap();
    policy_allows(&before, &server, &["brand", "someone"]).await;
    let engine = before.engine().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: server.url.clone(),
    };
    engine.add_account(request.clone()).await.unwrap();
    *approve_as.lock().unwrap() = "brand".into();
    engine.add_account(request).await.unwrap();
    drop(engine);
    before.shutdown().await;
    drop(before);

    let path = managed_file(
        data.path(),
        "managed.toml",
        &format!(
            "allowed_accounts = [\"mastodon:brand@{}\"]\n",
            server.handle_domain
        ),
        0o644,
    );
    let after = console_with(&data, load_system_file(&path), approve_as, vault).await;
    let accounts = after.engine().await.unwrap().list_accounts().await;
    assert_eq!(accounts.len(), 2, "{accounts:?}");
    for account in accounts {
        let error = account.sync.error.clone().unwrap_or_default();
        if account.handle.starts_with("@someone@") {
            assert!(error.contains("Paused"), "{account:?}");
            assert!(error.contains(&path.display().to_string()), "{error}");
        } else {
            assert!(!error.contains("Paused"), "{account:?}");
        }
    }
    after.shutdown().await;
}
