//! Team workspaces: this laptop's **replica** of a workspace shared through the team's
//! PostgreSQL database (see `switchboard_team`).
//!
//! A workspace is a team workspace when the registry says so (it was made by joining a
//! team); its **join code** is kept in the keychain only. The local SQLite store stays what the window reads; the
//! replica service keeps it in step with the team's **shared log**:
//! - every action recorded here also goes into the store's **team outbox**, which
//!   [`replicate`] pushes in device order (re-sending is harmless: event ids are minted
//!   here);
//! - [`replicate`] pulls the team's events after the replica's cursor (by server
//!   sequence), maps them to core events ([`mapping`]) and hands them to the store, which
//!   folds each touched conversation in one canonical order, so every replica ends in the
//!   same state. `LISTEN/NOTIFY` only wakes the puller;
//! - **claims** are decided by the database ([`claims`]): granted, refused (someone else
//!   holds it), or — while the database cannot be reached — *pending*, asked again on
//!   reconnect and then held or *lost*;
//! - **one poller per brand account** ([`polling`]): only the holder of an account's poll
//!   lease reads the platform; what it reads enters the shared log once, fenced, and every
//!   replica (the holder's too) stores it from the log;
//! - **hand-offs** by teammates to this member's queues raise a notification
//!   ([`handoffs`]);
//! - the **team policy** ([`policy`]) replaces the local policy file; a lead's edit is
//!   published as the next version, anyone else's is set aside with a message;
//! - the **live team snapshot** ([`live`]): members, presence ("Ana is replying") and
//!   when each member was last connected, read on every wake-up and heartbeat — the
//!   seam a simulated team (the demo's) fills too; the window's annotations ("claimed by
//!   Ana · 12 m"), the team view ([`view`]) and the notifications' roles read it.
//!
//! Platform tokens never reach any of this: they stay in the keychain and in the
//! platform clients.

mod annotate;
pub(crate) mod approval;
pub(crate) mod claims;
pub(crate) mod collision;
pub(crate) mod handoffs;
mod inspect;
mod join;
pub(crate) mod live;
pub(crate) mod mapping;
pub(crate) mod membership;
pub(crate) mod policy;
pub(crate) mod polling;
pub(crate) mod replicate;
mod view;

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Duration;

use switchboard_core::Timestamp;
use switchboard_team::{JoinCode, TeamClient};
use tokio::sync::Notify;

use crate::accounts::Keychain;

/// The keychain entry (per workspace) that holds the join code.
pub(crate) const JOIN_CODE_ENTRY: &str = "team:join-code";

/// How long a call waits for a connection before the replica counts as offline.
const CONNECT_WAIT: Duration = Duration::from_secs(3);

/// How this laptop's link to its team stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamStatus {
    /// Whether the last exchange with the team database worked.
    pub online: bool,
    /// Since when the database could not be reached (`None` while online).
    pub offline_since: Option<Timestamp>,
    /// The last failure, in plain words.
    pub error: Option<String>,
    /// This laptop's events not yet accepted by the database.
    pub unpushed: i64,
    /// The last server sequence folded into the replica.
    pub cursor: i64,
    /// Events of the log still to fold in (0 when in step).
    pub behind: i64,
    /// How often this laptop found, committing what it read, that its poll lease had been
    /// taken over (it slept or stalled): nothing of it was written.
    pub leases_lost: u64,
}

/// The replica service of one team workspace.
pub(crate) struct Replica {
    pub client: TeamClient,
    /// The member's login role: what actions are recorded under.
    pub member: String,
    pub status: Mutex<TeamStatus>,
    /// Woken when the outbox or the pending claims have something for the server.
    pub kick: Notify,
    /// The team's members (roles, leads, trainees), as last read.
    pub membership: membership::Membership,
    /// Whether the team's policy should be read again (see [`policy::follow`]).
    pub policy_due: AtomicBool,
    /// What the live snapshot's refresh keeps between reads (see [`live::refresh`]).
    pub refreshed: Mutex<live::Refreshed>,
}

impl Replica {
    /// The replica of the team whose join code `keychain` holds. Does not connect yet
    /// (the workspace opens offline too).
    pub async fn from_keychain(keychain: &Keychain, device: String) -> Result<Replica, String> {
        let code = keychain
            .read(JOIN_CODE_ENTRY)
            .await
            .map_err(|e| format!("the keychain could not be read: {e}"))?
            .ok_or("its join code is not in the keychain")?;
        let code = JoinCode::decode(code.expose()).map_err(|e| e.to_string())?;
        let client =
            TeamClient::join_lazy(&code, device, CONNECT_WAIT).map_err(|e| e.to_string())?;
        Ok(Replica {
            client,
            member: code.member.clone(),
            status: Mutex::new(TeamStatus::default()),
            kick: Notify::new(),
            membership: membership::Membership::default(),
            policy_due: AtomicBool::new(true),
            refreshed: Mutex::new(live::Refreshed::default()),
        })
    }

    /// How the link stands.
    pub fn status(&self) -> TeamStatus {
        self.status
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Records a successful exchange.
    pub fn online(&self, update: impl FnOnce(&mut TeamStatus)) {
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        status.online = true;
        status.offline_since = None;
        status.error = None;
        update(&mut status);
    }

    /// Records a failed exchange at `now`.
    pub fn offline(&self, now: Timestamp, error: String) {
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        if status.online || status.offline_since.is_none() {
            status.offline_since = Some(now);
        }
        status.online = false;
        status.error = Some(error);
    }
}

/// The setting that holds this laptop's device name in a team workspace's database.
const DEVICE_KEY: &str = "team_device";

/// Whether the workspace database was opened as a team's replica before.
pub(crate) async fn was_replica(store: &switchboard_store::Store) -> bool {
    matches!(store.setting(DEVICE_KEY).await, Ok(Some(_)))
}

/// This laptop's device name in the team: the host name and a random suffix, minted once
/// per workspace database and kept in it.
pub(crate) async fn device_name(store: &switchboard_store::Store) -> String {
    if let Ok(Some(json)) = store.setting(DEVICE_KEY).await {
        if let Ok(name) = serde_json::from_str::<String>(&json) {
            return name;
        }
    }
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "laptop".into());
    let name = format!(
        "{host}-{}",
        &uuid::Uuid::now_v7().simple().to_string()[24..]
    );
    if let Err(e) = store
        .set_setting(
            DEVICE_KEY,
            &serde_json::to_string(&name).unwrap_or_default(),
        )
        .await
    {
        tracing::warn!(error = %e, "could not keep this laptop's device name");
    }
    name
}
