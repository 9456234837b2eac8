//! The Windows source: the registry key `HKLM\Software\Policies\Switchboard`, which only
//! administrators (and Group Policy) can write. Its values have the Linux file's names:
//! `REG_MULTI_SZ` for `allowed_accounts` and `join_servers`, `REG_DWORD` 0 or 1 for
//! `local_workspaces` and `demo`, `REG_SZ` otherwise.
//!
//! The reader works over [`RegistryValues`], so it is tested anywhere; the real registry
//! is read only on Windows. A key that exists but cannot be read, or whose values are of
//! the wrong kind or invalid, **locks down**.

use super::{Managed, ManagedSettings, RawSettings};

/// The key, as shown to people.
pub const KEY: &str = r"HKLM\Software\Policies\Switchboard";

/// One registry value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    /// `REG_SZ` (or `REG_EXPAND_SZ`).
    String(String),
    /// `REG_MULTI_SZ`.
    MultiString(Vec<String>),
    /// `REG_DWORD`.
    Dword(u32),
    /// Any other kind (binary, `REG_QWORD` …), by its name.
    Other(String),
}

/// The values of the policy key.
pub trait RegistryValues {
    /// Whether the key exists (`Err`: it could not be opened, e.g. access denied).
    fn exists(&self) -> Result<bool, String>;
    /// The value `name`, if set.
    fn value(&self, name: &str) -> Result<Option<RegValue>, String>;
}

fn string(values: &dyn RegistryValues, name: &str) -> Result<Option<String>, String> {
    match values.value(name)? {
        None => Ok(None),
        Some(RegValue::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("{name} should be a string (REG_SZ), not {other:?}")),
    }
}

fn list(values: &dyn RegistryValues, name: &str) -> Result<Option<Vec<String>>, String> {
    match values.value(name)? {
        None => Ok(None),
        Some(RegValue::MultiString(list)) => Ok(Some(
            list.into_iter().filter(|s| !s.trim().is_empty()).collect(),
        )),
        // One entry written as a plain string.
        Some(RegValue::String(s)) => Ok(Some(vec![s])),
        Some(other) => Err(format!(
            "{name} should be a list (REG_MULTI_SZ), not {other:?}"
        )),
    }
}

fn flag(values: &dyn RegistryValues, name: &str) -> Result<Option<bool>, String> {
    match values.value(name)? {
        None => Ok(None),
        Some(RegValue::Dword(0)) => Ok(Some(false)),
        Some(RegValue::Dword(1)) => Ok(Some(true)),
        Some(other) => Err(format!("{name} should be REG_DWORD 0 or 1, not {other:?}")),
    }
}

/// Reads and checks the settings from `values`.
pub fn parse(values: &dyn RegistryValues) -> Result<ManagedSettings, String> {
    let raw = RawSettings {
        allowed_accounts: list(values, "allowed_accounts")?,
        local_workspaces: flag(values, "local_workspaces")?,
        demo: flag(values, "demo")?,
        join_servers: list(values, "join_servers")?,
        keychain_namespace: string(values, "keychain_namespace")?,
        log_level: string(values, "log_level")?,
        update_channel: string(values, "update_channel")?,
        update_url: string(values, "update_url")?,
    };
    raw.check()
}

/// The managed settings `values` give.
pub fn load_from(values: &dyn RegistryValues) -> Managed {
    let source = KEY.to_owned();
    match values.exists() {
        Ok(false) => return Managed::NotManaged,
        Ok(true) => {}
        Err(e) => {
            return Managed::LockedDown {
                source,
                why: format!("the key cannot be read: {e}"),
            }
        }
    }
    match parse(values) {
        Ok(settings) => Managed::InForce { source, settings },
        Err(why) => {
            tracing::error!(%source, %why, "the managed settings cannot be used: locked down");
            Managed::LockedDown {
                source,
                why: format!("the registry values are not valid: {why}"),
            }
        }
    }
}

/// The real policy key.
#[cfg(windows)]
mod real {
    use super::{RegValue, RegistryValues};
    use winreg::enums::{RegType, HKEY_LOCAL_MACHINE, KEY_READ};
    use winreg::RegKey;

    pub struct PolicyKey(std::io::Result<RegKey>);

    impl PolicyKey {
        pub fn open() -> Self {
            PolicyKey(
                RegKey::predef(HKEY_LOCAL_MACHINE)
                    .open_subkey_with_flags(r"Software\Policies\Switchboard", KEY_READ),
            )
        }
    }

    impl RegistryValues for PolicyKey {
        fn exists(&self) -> Result<bool, String> {
            match &self.0 {
                Ok(_) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e.to_string()),
            }
        }

        fn value(&self, name: &str) -> Result<Option<RegValue>, String> {
            let Ok(key) = &self.0 else {
                return Ok(None);
            };
            let raw = match key.get_raw_value(name) {
                Ok(raw) => raw,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e.to_string()),
            };
            Ok(Some(match raw.vtype {
                RegType::REG_SZ | RegType::REG_EXPAND_SZ => RegValue::String(
                    key.get_value::<String, _>(name)
                        .map_err(|e| e.to_string())?,
                ),
                RegType::REG_MULTI_SZ => RegValue::MultiString(
                    key.get_value::<Vec<String>, _>(name)
                        .map_err(|e| e.to_string())?,
                ),
                RegType::REG_DWORD => {
                    RegValue::Dword(key.get_value::<u32, _>(name).map_err(|e| e.to_string())?)
                }
                other => RegValue::Other(format!("{other:?}")),
            }))
        }
    }
}

/// The managed settings of this Windows machine.
#[cfg(windows)]
pub fn load_system() -> Managed {
    load_from(&real::PolicyKey::open())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fake(Option<HashMap<&'static str, RegValue>>);

    impl RegistryValues for Fake {
        fn exists(&self) -> Result<bool, String> {
            Ok(self.0.is_some())
        }
        fn value(&self, name: &str) -> Result<Option<RegValue>, String> {
            Ok(self.0.as_ref().and_then(|v| v.get(name).cloned()))
        }
    }

    struct Denied;

    impl RegistryValues for Denied {
        fn exists(&self) -> Result<bool, String> {
            Err("Access is denied. (os error 5)".into())
        }
        fn value(&self, _: &str) -> Result<Option<RegValue>, String> {
            unreachable!()
        }
    }

    #[test]
    fn the_policy_key_reads_like_the_file() {
        let values = Fake(Some(HashMap::from([
            (
                "allowed_accounts",
                RegValue::MultiString(vec!["bluesky:northwind.bsky.social".into(), "".into()]),
            ),
            ("local_workspaces", RegValue::Dword(0)),
            ("demo", RegValue::Dword(1)),
            (
                "join_servers",
                RegValue::String("db.acme.example:5433".into()),
            ),
            (
                "update_url",
                RegValue::String("https://updates.acme.example".into()),
            ),
        ])));
        let managed = load_from(&values);
        let settings = managed.settings().expect("in force");
        assert_eq!(settings.allowed_accounts.as_ref().unwrap().len(), 1);
        assert!(!managed.local_workspaces_allowed());
        assert!(managed.demo_allowed());
        assert_eq!(managed.join_servers().unwrap(), ["db.acme.example:5433"]);
        assert_eq!(managed.update_url(), Some("https://updates.acme.example"));
        assert_eq!(managed.source(), Some(KEY));
    }

    #[test]
    fn no_key_manages_nothing_and_a_bad_or_denied_one_locks_down() {
        assert_eq!(load_from(&Fake(None)), Managed::NotManaged);
        let wrong = Fake(Some(HashMap::from([(
            "demo",
            RegValue::String("no".into()),
        )])));
        let why = load_from(&wrong).problem().unwrap().to_owned();
        assert!(why.contains("demo should be REG_DWORD"), "{why}");
        let denied = load_from(&Denied);
        assert!(denied.problem().unwrap().contains("Access is denied"));
        assert_eq!(denied.allowed_accounts(), Some(&[][..]));
        let other = Fake(Some(HashMap::from([(
            "allowed_accounts",
            RegValue::Other("REG_BINARY".into()),
        )])));
        assert!(load_from(&other).problem().is_some());
    }
}
