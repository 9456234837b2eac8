//! The **policy service**: the workspace policy in force (kept in a
//! [`PolicySlot`](crate::policy_file::PolicySlot), read from the policy file) and the
//! **policy notice** (what the last policy put in force did that people should know,
//! see [`policy_apply`](crate::policy_apply)). It loads the policy at start, and the
//! **policy watcher** re-reads the file every [`POLICY_CHECK`]; a new policy is put in force
//! in the database and reported as a change of possibly everything.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use switchboard_core::{Policy, Timestamp, DEMO_POLICY_TOML};
use switchboard_store::{Store, StoreError};
use tokio::sync::watch;

use crate::change_bus::ChangeBus;
use crate::policy_file::{self, PolicySlot};
use crate::{planner, policy_apply, team, Shared, WorkspaceFiles, WorkspaceSpec};

/// How often the policy file is checked for changes.
const POLICY_CHECK: Duration = Duration::from_secs(2);

/// The workspace policy in force and its notice.
pub(crate) struct PolicyService {
    slot: PolicySlot,
    /// What the last policy put in force did that people should know (conversations
    /// moved out of a removed queue).
    notice: RwLock<Option<String>>,
}

impl PolicyService {
    /// Reads the workspace's policy — the file, or while it is invalid the last good
    /// policy the database kept — and puts it in force in the database.
    pub(crate) async fn load(
        store: &Store,
        spec: &WorkspaceSpec,
        files: &WorkspaceFiles,
        now: Timestamp,
    ) -> Result<PolicyService, StoreError> {
        let template = if spec.is_demo {
            DEMO_POLICY_TOML.to_owned()
        } else {
            policy_file::new_workspace_policy()
        };
        let kept = store.policy_in_force().await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the policy kept in the database");
            None
        });
        let slot = PolicySlot::load_or_create(&files.policy, &template, kept.as_deref());
        let previous = kept
            .as_deref()
            .and_then(|text| Policy::parse("the kept policy", text).ok());
        if slot.error().is_some() && previous.is_none() {
            // An invalid file and no policy kept (a database from before policies were
            // kept): the template must not replace the team's queues. Leave them; re-plan
            // only.
            tracing::warn!("policy file invalid and no policy kept; the queues stay as they were");
            store
                .replan(&planner::PolicyPlanner(&slot.current()))
                .await?;
            return Ok(PolicyService::new(slot, None));
        }
        // Deadlines follow the policy read now, which may differ from the last run's.
        let notice = policy_apply::put_in_force(
            store,
            &slot.current(),
            &slot.text(),
            previous.as_ref(),
            now,
        )
        .await?;
        Ok(PolicyService::new(slot, notice))
    }

    fn new(slot: PolicySlot, notice: Option<String>) -> PolicyService {
        PolicyService {
            slot,
            notice: RwLock::new(notice),
        }
    }

    /// The policy in force.
    pub(crate) fn current(&self) -> Arc<Policy> {
        self.slot.current()
    }

    /// The TOML text of the policy in force.
    pub(crate) fn text(&self) -> Arc<str> {
        self.slot.text()
    }

    /// The policy file.
    pub(crate) fn path(&self) -> &Path {
        self.slot.path()
    }

    /// Why the policy file is not in force, if it is not.
    pub(crate) fn error(&self) -> Option<String> {
        self.slot.error()
    }

    /// The policy notice, if any.
    pub(crate) fn notice(&self) -> Option<String> {
        self.notice
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Undoes an edit of the policy file: the text in force goes back into it.
    pub(crate) fn restore_file(&self) -> std::io::Result<()> {
        self.slot.restore()
    }

    /// Replaces the policy notice.
    pub(crate) fn set_notice(&self, notice: Option<String>) {
        *self.notice.write().unwrap_or_else(|p| p.into_inner()) = notice;
    }

    /// Re-reads the policy file if it changed (or always, when `force`); a new policy
    /// updates the queues and every waiting conversation's deadlines in `store`. Reports
    /// on `bus` a new policy, or a change of the file's error.
    pub(crate) async fn check(
        &self,
        store: &Store,
        bus: &ChangeBus,
        now: Timestamp,
        force: bool,
    ) -> Result<(), StoreError> {
        let before = self.slot.error();
        let previous = self.current();
        let replaced = if force {
            self.slot.reload()
        } else {
            self.slot.reload_if_changed()
        };
        if !replaced {
            if self.slot.error() != before {
                bus.changed(Vec::new()); // the UI shows (or clears) the error
            }
            return Ok(());
        }
        let policy = self.current();
        let notice =
            policy_apply::put_in_force(store, &policy, &self.text(), Some(&previous), now).await?;
        self.set_notice(notice);
        store
            .record_policy_change(&self.path().display().to_string(), now)
            .await?;
        tracing::info!("policy changed");
        bus.changed(Vec::new());
        Ok(())
    }
}

/// The policy watcher: checks the policy file every [`POLICY_CHECK`] until `stop` turns
/// true (in a team workspace, first publishes or refuses a local edit).
pub(crate) async fn watch(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(POLICY_CHECK) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
        if let Some(replica) = &shared.team {
            team::policy::local_edit(&shared, replica).await;
        }
        if let Err(e) = shared.check_policy(false).await {
            tracing::warn!(error = %e, "could not apply the new policy");
        }
    }
}
