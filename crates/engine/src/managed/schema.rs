//! The managed settings' keys, as every source gives them ([`RawSettings`]), and their
//! checked form ([`ManagedSettings`]).

use serde::Deserialize;
use switchboard_core::AllowedAccount;

use super::parse_account;

/// The keys as read, before they are checked. Unknown keys are refused (a misspelt key
/// must not silently leave a setting open).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    /// `platform:account` entries.
    pub allowed_accounts: Option<Vec<String>>,
    /// Whether local workspaces may be created.
    pub local_workspaces: Option<bool>,
    /// Whether the demo may be used.
    pub demo: Option<bool>,
    /// `host:port` of the team databases join codes may point at.
    pub join_servers: Option<Vec<String>>,
    /// The keychain service name.
    pub keychain_namespace: Option<String>,
    /// error, warn, info, debug or trace.
    pub log_level: Option<String>,
    /// The update channel.
    pub update_channel: Option<String>,
    /// The update address.
    pub update_url: Option<String>,
}

/// The managed settings, checked. `None` is "not managed".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManagedSettings {
    /// The brand accounts allowed (no other may be signed in to).
    pub allowed_accounts: Option<Vec<AllowedAccount>>,
    /// Whether local (non-team) workspaces may be created.
    pub local_workspaces: Option<bool>,
    /// Whether the demo workspace may be used.
    pub demo: Option<bool>,
    /// `host:port`, lower case.
    pub join_servers: Option<Vec<String>>,
    /// The keychain service name sign-ins are kept under.
    pub keychain_namespace: Option<String>,
    /// error, warn, info, debug or trace.
    pub log_level: Option<String>,
    /// The update channel.
    pub update_channel: Option<String>,
    /// Where updates come from (`https://`, or `http://` to this machine).
    pub update_url: Option<String>,
}

const LOG_LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];

fn text(key: &str, value: Option<String>) -> Result<Option<String>, String> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if v.is_empty() => Err(format!("{key} is empty: give a value or leave it out")),
        other => Ok(other),
    }
}

/// `host:port` (5432 when no port is given), lower case.
fn server(entry: &str) -> Result<String, String> {
    let entry = entry.trim().to_lowercase();
    if entry.is_empty() || entry.contains(['/', '@', ' ']) {
        return Err(format!(
            "the join server \"{entry}\" is not host:port (e.g. db.acme.example:5432)"
        ));
    }
    let has_port = entry
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && !entry.ends_with(']');
    Ok(if has_port {
        entry
    } else {
        format!("{entry}:5432")
    })
}

impl RawSettings {
    /// Checks the values; `Err` says what is wrong, in plain words.
    pub fn check(self) -> Result<ManagedSettings, String> {
        let allowed_accounts = match self.allowed_accounts {
            None => None,
            Some(list) => {
                let mut accounts: Vec<AllowedAccount> = Vec::new();
                for entry in list {
                    let account = parse_account(&entry)?;
                    if !accounts.contains(&account) {
                        accounts.push(account);
                    }
                }
                Some(accounts)
            }
        };
        let join_servers = match self.join_servers {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|s| server(s))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let log_level = text("log_level", self.log_level)?.map(|l| l.to_lowercase());
        if let Some(level) = &log_level {
            if !LOG_LEVELS.contains(&level.as_str()) {
                return Err(format!(
                    "log_level \"{level}\" is not one of {}",
                    LOG_LEVELS.join(", ")
                ));
            }
        }
        let update_url = text("update_url", self.update_url)?;
        if let Some(url) = &update_url {
            let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|p| url.starts_with(p));
            if !url.starts_with("https://") && !local {
                return Err(format!(
                    "update_url \"{url}\" must start with https:// (plain http:// only to \
                     this machine)"
                ));
            }
        }
        Ok(ManagedSettings {
            allowed_accounts,
            local_workspaces: self.local_workspaces,
            demo: self.demo,
            join_servers,
            keychain_namespace: text("keychain_namespace", self.keychain_namespace)?,
            log_level,
            update_channel: text("update_channel", self.update_channel)?,
            update_url,
        })
    }
}

impl ManagedSettings {
    /// Reads and checks TOML text.
    pub fn from_toml(text: &str) -> Result<ManagedSettings, String> {
        let raw: RawSettings = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace('\n', ": ");
            match e.span() {
                Some(span) => {
                    // An error at the end (a bracket never closed) is on the last line
                    // written, not on the empty one after it.
                    let at = span.start.min(text.trim_end().len());
                    let line = text[..at].matches('\n').count() + 1;
                    format!("line {line}: {message}")
                }
                None => message,
            }
        })?;
        raw.check()
    }

    /// The names of the settings given.
    pub fn locked(&self) -> Vec<String> {
        let given = [
            ("allowed_accounts", self.allowed_accounts.is_some()),
            ("local_workspaces", self.local_workspaces.is_some()),
            ("demo", self.demo.is_some()),
            ("join_servers", self.join_servers.is_some()),
            ("keychain_namespace", self.keychain_namespace.is_some()),
            ("log_level", self.log_level.is_some()),
            ("update_channel", self.update_channel.is_some()),
            ("update_url", self.update_url.is_some()),
        ];
        given
            .iter()
            .filter(|(_, given)| *given)
            .map(|(name, _)| (*name).to_owned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::Platform;

    #[test]
    fn a_complete_file_reads() {
        let s = ManagedSettings::from_toml(
            "allowed_accounts = [\"mastodon:northwind@social.example\", \"Bluesky:northwind.bsky.social\"]\n\
             local_workspaces = false\ndemo = false\njoin_servers = [\"DB.acme.example\", \"10.0.0.5:6543\"]\n\
             keychain_namespace = \"com.acme.switchboard\"\nlog_level = \"Debug\"\n\
             update_channel = \"stable\"\nupdate_url = \"https://updates.acme.example/sb\"\n",
        )
        .unwrap();
        let accounts = s.allowed_accounts.clone().unwrap();
        assert_eq!(accounts[0].platform, Platform::Mastodon);
        assert_eq!(accounts[0].account, "northwind@social.example");
        assert_eq!(accounts[1].platform, Platform::Bluesky);
        assert_eq!(
            s.join_servers.clone().unwrap(),
            ["db.acme.example:5432", "10.0.0.5:6543"]
        );
        assert_eq!(s.log_level.as_deref(), Some("debug"));
        assert_eq!(s.locked().len(), 8);
    }

    #[test]
    fn an_empty_file_manages_nothing() {
        let s = ManagedSettings::from_toml("# nothing yet\n").unwrap();
        assert_eq!(s, ManagedSettings::default());
        assert!(s.locked().is_empty());
    }

    #[test]
    fn mistakes_are_refused_with_what_is_wrong() {
        for (text, says) in [
            ("allowed_acounts = []", "unknown field"),
            ("allowed_accounts = [\"northwind\"]", "has no platform"),
            (
                "allowed_accounts = [\"myspace:northwind\"]",
                "does not know",
            ),
            ("allowed_accounts = [\"mastodon: \"]", "names no account"),
            ("demo = \"no\"", "line 1"),
            ("log_level = \"loud\"", "not one of"),
            ("update_url = \"http://updates.example\"", "https://"),
            ("join_servers = [\"postgres://db\"]", "host:port"),
            ("keychain_namespace = \" \"", "empty"),
            ("demo = false\nlocal_workspaces = nope", "line 2"),
        ] {
            let err = ManagedSettings::from_toml(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
