//! The macOS source: a **configuration profile** whose payload (domain
//! `app.switchboard.desktop`) IT installs with its device management. macOS writes the
//! payload to `/Library/Managed Preferences/app.switchboard.desktop.plist` (root-owned;
//! a per-user profile to `/Library/Managed Preferences/<user>/…`, which wins), with the
//! same keys as the Linux file: arrays of strings for `allowed_accounts` and
//! `join_servers`, `<true/>`/`<false/>` for `local_workspaces` and `demo`, strings
//! otherwise. macOS's own `Payload…` keys are skipped.
//!
//! A profile that cannot be read or understood **locks down**, as on Linux.

use std::path::{Path, PathBuf};

use super::{Managed, RawSettings};

/// The preferences domain of the profile's payload.
pub const DOMAIN: &str = "app.switchboard.desktop";

/// The managed preferences of `user` (if given) then of the machine.
pub fn paths(user: Option<&str>) -> Vec<PathBuf> {
    let root = Path::new("/Library/Managed Preferences");
    let mut paths = Vec::new();
    if let Some(user) = user.filter(|u| !u.is_empty() && !u.contains('/')) {
        paths.push(root.join(user).join(format!("{DOMAIN}.plist")));
    }
    paths.push(root.join(format!("{DOMAIN}.plist")));
    paths
}

/// Reads the settings from a profile payload's bytes (XML or binary plist).
pub fn parse(bytes: &[u8]) -> Result<super::ManagedSettings, String> {
    let value = plist::Value::from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| format!("the profile is not a valid property list: {e}"))?;
    let plist::Value::Dictionary(mut dict) = value else {
        return Err("the profile's payload is not a dictionary".into());
    };
    let payload_keys: Vec<String> = dict
        .keys()
        .filter(|k| k.starts_with("Payload"))
        .cloned()
        .collect();
    for key in payload_keys {
        dict.remove(&key);
    }
    let raw: RawSettings = plist::from_value(&plist::Value::Dictionary(dict))
        .map_err(|e| format!("the profile is not valid: {e}"))?;
    raw.check()
        .map_err(|e| format!("the profile is not valid: {e}"))
}

/// The managed settings of the first of `paths` that exists.
pub fn load_from(paths: &[PathBuf]) -> Managed {
    for path in paths {
        let source = format!("configuration profile {DOMAIN} ({})", path.display());
        match std::fs::read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Managed::LockedDown {
                    source,
                    why: format!("the profile cannot be read: {e}"),
                }
            }
            Ok(bytes) => {
                return match parse(&bytes) {
                    Ok(settings) => Managed::InForce { source, settings },
                    Err(why) => {
                        tracing::error!(%source, %why, "the managed settings cannot be used: locked down");
                        Managed::LockedDown { source, why }
                    }
                }
            }
        }
    }
    Managed::NotManaged
}

/// The managed settings of this Mac, for the person logged in.
#[cfg(target_os = "macos")]
pub fn load_system() -> Managed {
    let user = std::env::var("USER").ok();
    load_from(&paths(user.as_deref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadUUID</key><string>5A0F…</string>
  <key>allowed_accounts</key>
  <array><string>mastodon:northwind@social.example</string></array>
  <key>local_workspaces</key><false/>
  <key>demo</key><false/>
  <key>join_servers</key><array><string>db.acme.example</string></array>
  <key>update_channel</key><string>stable</string>
</dict>
</plist>"#;

    #[test]
    fn a_profile_reads_like_the_file() {
        let s = parse(PROFILE.as_bytes()).unwrap();
        assert_eq!(
            s.allowed_accounts.unwrap()[0].account,
            "northwind@social.example"
        );
        assert_eq!(s.local_workspaces, Some(false));
        assert_eq!(s.demo, Some(false));
        assert_eq!(s.join_servers.unwrap(), ["db.acme.example:5432"]);
        assert_eq!(s.update_channel.as_deref(), Some("stable"));
        assert_eq!(s.keychain_namespace, None);
    }

    #[test]
    fn a_bad_profile_locks_down_and_a_missing_one_manages_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.plist");
        assert_eq!(
            load_from(std::slice::from_ref(&missing)),
            Managed::NotManaged
        );
        let bad = dir.path().join("bad.plist");
        std::fs::write(&bad, PROFILE.replace("<false/>", "<string>no</string>")).unwrap();
        let managed = load_from(&[missing, bad]);
        let why = managed.problem().expect("locked down");
        assert!(why.contains("not valid"), "{why}");
        assert!(!managed.local_workspaces_allowed());
        assert_eq!(managed.allowed_accounts(), Some(&[][..]));
        let garbage = dir.path().join("garbage.plist");
        std::fs::write(&garbage, "not a plist").unwrap();
        assert!(load_from(&[garbage]).problem().is_some());
    }

    #[test]
    fn the_user_profile_comes_first() {
        let p = paths(Some("ana"));
        assert_eq!(
            p[0],
            Path::new("/Library/Managed Preferences/ana/app.switchboard.desktop.plist")
        );
        assert_eq!(p.len(), 2);
        assert_eq!(paths(Some("../x")).len(), 1);
    }
}
