//! The workspace registry (`workspaces.json` in the data directory): which workspaces exist
//! on this laptop, their names, and which one was used last (it opens at launch).
//!
//! Written atomically (a temporary file renamed over the old one), so a crash never leaves
//! half a registry. A missing file means a first launch: the demo workspace is there.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{WorkspaceSpec, DEMO_WORKSPACE_ID};

/// One workspace as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The built-in demo workspace.
    #[serde(default)]
    pub is_demo: bool,
    /// Shared with a team (see `crate::team`).
    #[serde(default)]
    pub is_team: bool,
    /// When it was created (ms since the epoch).
    pub created_at: i64,
}

impl Registered {
    pub fn spec(&self) -> WorkspaceSpec {
        WorkspaceSpec {
            id: self.id.clone(),
            name: self.name.clone(),
            is_demo: self.is_demo,
            is_team: self.is_team,
        }
    }
}

/// The registry's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    /// The workspaces, in creation order.
    pub workspaces: Vec<Registered>,
    /// The workspace open last.
    pub last_used: Option<String>,
    #[serde(skip)]
    path: PathBuf,
}

/// Longest workspace name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

impl Registry {
    /// Reads the registry in `data_dir`, or starts one with the demo workspace.
    pub fn load(data_dir: &Path, now_millis: i64) -> std::io::Result<Registry> {
        let path = data_dir.join("workspaces.json");
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str::<Registry>(&text) {
                Ok(mut registry) => {
                    registry.path = path;
                    Ok(registry)
                }
                Err(e) => {
                    // Keep the unreadable file for inspection and start over; workspace
                    // databases are untouched and are found again by id below.
                    let kept = data_dir.join("workspaces.json.unreadable");
                    tracing::warn!(error = %e, kept = %kept.display(), "workspace registry unreadable; rebuilding it");
                    std::fs::rename(&path, &kept)?;
                    Ok(Registry::rebuild(data_dir, path, now_millis))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Registry {
                workspaces: vec![demo(now_millis)],
                last_used: Some(DEMO_WORKSPACE_ID.into()),
                path,
            }),
            Err(e) => Err(e),
        }
    }

    /// A registry rebuilt from the databases found in `data_dir/workspaces`.
    /// The first launch's registry (the demo workspace) for a data folder that cannot be
    /// read: kept in memory, saving it fails.
    pub fn unsaved(data_dir: &Path, now_millis: i64) -> Registry {
        Registry {
            workspaces: vec![demo(now_millis)],
            last_used: Some(DEMO_WORKSPACE_ID.into()),
            path: data_dir.join("workspaces.json"),
        }
    }

    fn rebuild(data_dir: &Path, path: PathBuf, now_millis: i64) -> Registry {
        let mut workspaces = Vec::new();
        if let Ok(entries) = std::fs::read_dir(data_dir.join("workspaces")) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(id) = name.strip_suffix(".sqlite3") {
                    workspaces.push(if id == DEMO_WORKSPACE_ID {
                        demo(now_millis)
                    } else {
                        Registered {
                            id: id.to_owned(),
                            name: id.to_owned(),
                            is_demo: false,
                            is_team: false,
                            created_at: now_millis,
                        }
                    });
                }
            }
        }
        workspaces.sort_by(|a, b| a.id.cmp(&b.id));
        Registry {
            last_used: workspaces.first().map(|w| w.id.clone()),
            workspaces,
            path,
        }
    }

    /// Writes the registry atomically.
    pub fn save(&self) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, &self.path)
    }

    /// Workspace `id`.
    pub fn get(&self, id: &str) -> Option<&Registered> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    /// The workspace to open at launch: the last used, else the first.
    pub fn to_open(&self) -> Option<&Registered> {
        self.last_used
            .as_deref()
            .and_then(|id| self.get(id))
            .or_else(|| self.workspaces.first())
    }

    /// Adds a workspace named `name` with a fresh id, shared with a team or not.
    pub fn add(
        &mut self,
        name: &str,
        now_millis: i64,
        is_team: bool,
    ) -> Result<Registered, String> {
        let name = check_name(name)?;
        let id = loop {
            let candidate = format!("ws-{:08x}", fastrand::u32(..));
            if self.get(&candidate).is_none() {
                break candidate;
            }
        };
        let entry = Registered {
            id,
            name,
            is_demo: false,
            is_team,
            created_at: now_millis,
        };
        self.workspaces.push(entry.clone());
        Ok(entry)
    }

    /// Renames workspace `id`.
    pub fn rename(&mut self, id: &str, name: &str) -> Result<(), String> {
        let name = check_name(name)?;
        match self.workspaces.iter_mut().find(|w| w.id == id) {
            Some(w) => {
                w.name = name;
                Ok(())
            }
            None => Err(format!("There is no workspace with id {id}.")),
        }
    }

    /// Forgets workspace `id`.
    pub fn remove(&mut self, id: &str) {
        self.workspaces.retain(|w| w.id != id);
        if self.last_used.as_deref() == Some(id) {
            self.last_used = None;
        }
    }
}

fn demo(now_millis: i64) -> Registered {
    let spec = WorkspaceSpec::demo();
    Registered {
        id: spec.id,
        name: spec.name,
        is_demo: true,
        is_team: false,
        created_at: now_millis,
    }
}

/// A workspace name, trimmed; refused when empty or too long.
fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the workspace a name, e.g. your company's.".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "That name is too long: at most {MAX_NAME_CHARS} characters."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("A workspace name cannot contain control characters.".into());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_launch_has_the_demo_and_a_saved_registry_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut registry = Registry::load(dir.path(), 1).unwrap();
        assert_eq!(registry.to_open().unwrap().id, DEMO_WORKSPACE_ID);
        let acme = registry.add("  Acme Support ", 2, false).unwrap();
        assert_eq!(acme.name, "Acme Support");
        registry.last_used = Some(acme.id.clone());
        registry.save().unwrap();
        let again = Registry::load(dir.path(), 3).unwrap();
        assert_eq!(again.workspaces.len(), 2);
        assert_eq!(again.to_open().unwrap().id, acme.id);
    }

    #[test]
    fn names_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let mut registry = Registry::load(dir.path(), 1).unwrap();
        assert!(registry.add("   ", 1, false).is_err());
        assert!(registry.add(&"x".repeat(81), 1, false).is_err());
        assert!(registry.add("a\u{7}b", 1, false).is_err());
        assert!(registry.rename("nope", "x").is_err());
    }

    #[test]
    fn an_unreadable_registry_is_rebuilt_from_the_databases() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("workspaces")).unwrap();
        std::fs::write(dir.path().join("workspaces/ws-1.sqlite3"), b"").unwrap();
        std::fs::write(dir.path().join("workspaces.json"), b"{ not json").unwrap();
        let registry = Registry::load(dir.path(), 1).unwrap();
        assert_eq!(registry.workspaces.len(), 1);
        assert_eq!(registry.workspaces[0].id, "ws-1");
        assert!(dir.path().join("workspaces.json.unreadable").exists());
    }
}
