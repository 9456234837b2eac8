//! The workspace policy file (`<workspace>.policy.toml`): loaded at start (written from a
//! template when missing: the demo policy, or [`new_workspace_policy`]), re-read when it
//! changes on disk. An invalid file is reported with file, line and column and the engine
//! keeps running on the **last good policy**: the one read before, or at launch the one the
//! workspace database kept from the last run (see `Store::policy_in_force`); the template
//! only when the database has none.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use switchboard_core::Policy;

/// The policy a new workspace starts with (`{time_zone}` is filled in).
const NEW_WORKSPACE_TEMPLATE: &str = include_str!("new_workspace.policy.toml");

/// A new workspace's policy: Triage, Support and Sales on this laptop's time zone, and no
/// allowlist yet (each account signed in is confirmed by hand until one is written).
pub fn new_workspace_policy() -> String {
    let zone = jiff::tz::TimeZone::system();
    let name = zone.iana_name().unwrap_or("UTC");
    NEW_WORKSPACE_TEMPLATE.replace("{time_zone}", name)
}

/// The policy in force and what became of the last attempt to read the file.
pub struct PolicySlot {
    path: PathBuf,
    current: RwLock<Arc<Policy>>,
    /// The TOML text of `current`.
    text: RwLock<Arc<str>>,
    error: RwLock<Option<String>>,
    modified: RwLock<Option<SystemTime>>,
}

impl PolicySlot {
    /// Reads `path`, creating it from `template` if it does not exist. While the file is
    /// invalid, `last_good` (the policy text the workspace database kept) is in force, or
    /// the template when there is none.
    pub fn load_or_create(path: &Path, template: &str, last_good: Option<&str>) -> PolicySlot {
        if !path.exists() {
            if let Err(e) = std::fs::write(path, template) {
                tracing::warn!(path = %path.display(), error = %e, "could not write the policy file");
            }
        }
        let kept = last_good.and_then(|text| match Policy::parse("the kept policy", text) {
            Ok(policy) => Some((policy, text)),
            Err(e) => {
                tracing::warn!(error = %e, "the policy kept in the database cannot be read; using the template");
                None
            }
        });
        let (policy, text) = kept.unwrap_or_else(|| {
            let policy = Policy::parse("template", template).unwrap_or_else(|_| Policy::demo());
            (policy, template)
        });
        let slot = PolicySlot {
            path: path.to_owned(),
            current: RwLock::new(Arc::new(policy)),
            text: RwLock::new(Arc::from(text)),
            error: RwLock::new(None),
            modified: RwLock::new(None),
        };
        slot.reload();
        slot
    }

    /// The TOML text of the policy in force.
    pub fn text(&self) -> Arc<str> {
        Arc::clone(&self.text.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The policy in force.
    pub fn current(&self) -> Arc<Policy> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Why the file on disk is not in force, if it is not.
    pub fn error(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Re-reads the file if its modification time changed. Returns `true` when a new
    /// policy came into force.
    pub fn reload_if_changed(&self) -> bool {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        if modified == *self.modified.read().unwrap_or_else(|p| p.into_inner()) {
            return false;
        }
        self.reload()
    }

    /// Writes the text in force back into the file (through a temporary file, so a reader
    /// never sees half of it) — an edit that must not stand is undone — and takes the
    /// rewritten file as seen, so the watcher does not read it as a new edit.
    pub fn restore(&self) -> std::io::Result<()> {
        let temporary = self.path.with_extension("toml.restoring");
        std::fs::write(&temporary, &*self.text())?;
        std::fs::rename(&temporary, &self.path)?;
        let modified = std::fs::metadata(&self.path)?.modified().ok();
        *self.modified.write().unwrap_or_else(|p| p.into_inner()) = modified;
        Ok(())
    }

    /// Re-reads the file now. Returns `true` when a new policy came into force.
    pub fn reload(&self) -> bool {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        *self.modified.write().unwrap_or_else(|p| p.into_inner()) = modified;
        let name = self.path.display().to_string();
        let outcome = std::fs::read_to_string(&self.path)
            .map_err(|e| format!("{name}: cannot read the policy file: {e}"))
            .and_then(|text| {
                Policy::parse(&name, &text)
                    .map(|policy| (policy, text))
                    .map_err(|e| e.to_string())
            });
        match outcome {
            Ok((policy, text)) => {
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
                *self.text.write().unwrap_or_else(|p| p.into_inner()) = Arc::from(text);
                *self.error.write().unwrap_or_else(|p| p.into_inner()) = None;
                tracing::info!(path = %name, "policy in force");
                true
            }
            Err(message) => {
                tracing::warn!(error = %message, "policy file rejected; keeping the last good policy");
                *self.error.write().unwrap_or_else(|p| p.into_inner()) = Some(message);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_workspace_template_is_a_valid_policy_without_an_allowlist() {
        let policy = Policy::parse("new.toml", &new_workspace_policy()).unwrap();
        assert!(policy.allowlist.is_empty());
        let ids: Vec<_> = policy.queues.iter().map(|q| q.id.0.as_str()).collect();
        assert_eq!(ids, ["triage", "support", "sales"]);
    }
}
