//! The vault against the real keychain: the session's Secret Service (gnome-keyring in
//! `scripts/test`). Each test uses its own namespace so runs never see each other.

use switchboard_vault::{Sensitive, Vault, VaultError};

fn vault(test: &str) -> Vault {
    Vault::new(format!(
        "app.switchboard.test.{test}.{}",
        std::process::id()
    ))
}

#[test]
fn store_read_replace_delete() {
    let vault = vault("crud");
    assert_eq!(vault.read("acme", "mastodon:1").unwrap(), None);
    vault
        .store("acme", "mastodon:1", &Sensitive::from("first-token"))
        .unwrap();
    assert_eq!(
        vault.read("acme", "mastodon:1").unwrap().unwrap().expose(),
        "first-token"
    );
    vault
        .store("acme", "mastodon:1", &Sensitive::from("second-token"))
        .unwrap();
    assert_eq!(
        vault.read("acme", "mastodon:1").unwrap().unwrap().expose(),
        "second-token"
    );
    vault.delete("acme", "mastodon:1").unwrap();
    assert_eq!(vault.read("acme", "mastodon:1").unwrap(), None);
    vault.delete("acme", "mastodon:1").unwrap(); // deleting twice is fine
}

#[test]
fn two_workspaces_with_the_same_account_do_not_collide() {
    let vault = vault("collide");
    vault
        .store(
            "acme",
            "bluesky:did:plc:abc",
            &Sensitive::from("acme-secret"),
        )
        .unwrap();
    vault
        .store(
            "globex",
            "bluesky:did:plc:abc",
            &Sensitive::from("globex-secret"),
        )
        .unwrap();
    assert_eq!(
        vault
            .read("acme", "bluesky:did:plc:abc")
            .unwrap()
            .unwrap()
            .expose(),
        "acme-secret"
    );
    vault.delete("globex", "bluesky:did:plc:abc").unwrap();
    assert_eq!(
        vault
            .read("acme", "bluesky:did:plc:abc")
            .unwrap()
            .unwrap()
            .expose(),
        "acme-secret",
        "deleting one workspace's entry leaves the other's"
    );
    vault.delete("acme", "bluesky:did:plc:abc").unwrap();
}

#[test]
fn namespaces_are_separate() {
    let dev = vault("ns-dev");
    let release = vault("ns-release");
    dev.store("acme", "a", &Sensitive::from("dev")).unwrap();
    assert_eq!(release.read("acme", "a").unwrap(), None);
    dev.delete("acme", "a").unwrap();
}

/// Without a session bus the vault says in plain words that there is no keychain and
/// what to do. Runs itself again as a child with no D-Bus address, so the rest of this
/// process keeps its keychain.
#[test]
fn no_keychain_is_a_clear_error() {
    if std::env::var_os("VAULT_TEST_NO_BUS").is_some() {
        let vault = vault("nobus");
        let err = vault
            .store("acme", "a", &Sensitive::from("must-not-be-written"))
            .unwrap_err();
        assert!(matches!(err, VaultError::Unavailable { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains("No system keychain is available"),
            "{message}"
        );
        assert!(message.contains("gnome-keyring"), "{message}");
        assert!(message.contains("Nothing was saved"), "{message}");
        assert!(!message.contains("must-not-be-written"));
        assert!(matches!(vault.check(), Err(VaultError::Unavailable { .. })));
        return;
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "no_keychain_is_a_clear_error", "--nocapture"])
        .env("VAULT_TEST_NO_BUS", "1")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env(
            "XDG_RUNTIME_DIR",
            std::env::temp_dir().join("switchboard-no-bus"),
        )
        .status()
        .unwrap();
    assert!(status.success(), "the child run without a bus failed");
}
