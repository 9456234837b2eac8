//! The policy of a team workspace comes from the team.
//!
//! The team's policy is versioned in the team database. The newest version is written
//! into this laptop's policy file and put in force like any edit of the file
//! ([`follow`]); the version in force is kept in the replica. A change of the file here
//! ([`local_edit`]) is published as the next version when its author is a lead; anyone
//! else's edit is refused: the file goes back to the team's version, the edit is kept
//! next to it (`.refused`), and the window says why.

use switchboard_core::Policy;
use switchboard_team::{Stamp, TeamError};

use super::Replica;
use crate::Shared;

/// The replica setting that holds the team policy version in force.
const VERSION_KEY: &str = "team_policy_version";

/// Puts the team's newest policy in force if it is newer than the one in force here.
/// Returns false when that could not be done (to be tried again).
pub(crate) async fn follow(shared: &Shared, replica: &Replica) -> bool {
    let latest = match replica.client.latest_policy().await {
        Ok(Some(latest)) => latest,
        Ok(None) => return true, // the team has no policy yet: the local one stays
        Err(e) => {
            tracing::info!(error = %e, "could not read the team's policy");
            return false;
        }
    };
    if applied_version(shared).await >= Some(latest.version) {
        return true;
    }
    if let Err(e) = write_file(shared, &latest.body_toml) {
        tracing::warn!(error = %e, "could not write the team's policy to its file");
        return false;
    }
    set_applied_version(shared, latest.version).await;
    tracing::info!(version = latest.version, author = %latest.author, "team policy in force");
    if let Err(e) = shared.check_policy(true).await {
        tracing::warn!(error = %e, "could not apply the team's policy");
    }
    true
}

/// Called by the policy watcher before it reads the file: publishes a valid local edit
/// of a lead, refuses anyone else's.
pub(crate) async fn local_edit(shared: &Shared, replica: &Replica) {
    let path = shared.policy.path().to_owned();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    if *text == *shared.policy.text() || Policy::parse("the policy file", &text).is_err() {
        return; // unchanged, or invalid: the watcher shows the error as for any workspace
    }
    if let Ok(Some(latest)) = replica.client.latest_policy().await {
        if latest.body_toml == text {
            return; // the team's own version, being put in force by `follow`
        }
    }
    let based_on = applied_version(shared).await;
    match replica
        .client
        .publish_policy(based_on, &text, Stamp::new(0))
        .await
    {
        Ok(version) => {
            set_applied_version(shared, version).await;
            tracing::info!(version, "published the team's policy");
        }
        Err(refused @ (TeamError::NotALead | TeamError::PolicyVersionTaken { .. })) => {
            let kept = path.with_extension("toml.refused");
            let _ = std::fs::write(&kept, &text);
            if let Err(e) = shared.policy.restore_file() {
                tracing::warn!(error = %e, "could not put the team's policy back in its file");
            }
            shared.policy.set_notice(Some(format!(
                "Your edit of the team's policy was not applied: {refused}. It was kept in {}.",
                kept.display()
            )));
            shared.changed(Vec::new());
            // A newer version may be why: read it on the next exchange.
            replica
                .policy_due
                .store(true, std::sync::atomic::Ordering::SeqCst);
            replica.kick.notify_one();
        }
        Err(e) => tracing::info!(error = %e, "could not publish the policy edit yet"),
    }
}

async fn applied_version(shared: &Shared) -> Option<i32> {
    shared
        .store
        .setting(VERSION_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
}

async fn set_applied_version(shared: &Shared, version: i32) {
    if let Err(e) = shared
        .store
        .set_setting(VERSION_KEY, &version.to_string())
        .await
    {
        tracing::warn!(error = %e, "could not keep the team policy version");
    }
}

/// Replaces the policy file's text (through a temporary file, so a reader never sees
/// half of it).
fn write_file(shared: &Shared, text: &str) -> std::io::Result<()> {
    let path = shared.policy.path();
    let temporary = path.with_extension("toml.incoming");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}
