//! The **live team snapshot** ([`TeamLive`]): what this laptop knows right now about the
//! people of its team — the members (roles, leads, trainees), who is viewing or replying
//! to which conversation (**presence**), and when each member's laptop was last
//! connected (**seen**) — plus the team's name and the policy version in force.
//!
//! It is the one seam between the sources of team life and what the window shows:
//! - the **replica** of a team workspace fills it from the team database ([`refresh`]:
//!   on every presence or events wake-up and on the fallback tick, and the heartbeat
//!   every [`HEARTBEAT`]);
//! - a **simulated team** (the demo's "Demo team", no database) installs its own with
//!   [`Shared::set_team_live`] / [`Shared::update_team_live`] — simulated teammates are
//!   plain [`Member`]s, their presence names local conversation ids.
//!
//! Whoever fills it, the same code reads it: the conversation rows' and the thread's
//! "claimed by" / "Ana is viewing" annotations ([`super::annotate`]: every row and thread
//! the engine answers with), the team view ([`super::view`]: members panel, header) and
//! the notifications' roles (`preferences.rs`: a member's queues and the queues they
//! lead; in a team workspace only, so the demo's notifications stay as they were).
//!
//! A simulated team fills it like this (inside the engine crate):
//! ```ignore
//! shared.update_team_live(|live| {
//!     live.team_name = "Demo team".into();
//!     live.me = shared.me.clone();
//!     live.members = vec![Member { login_role: "ana".into(), name: "Ana".into(),
//!         queues: vec!["support".into()], lead: false, trainee: false }];
//!     live.presence = vec![LivePresence { member: "ana".into(), conversation: id,
//!         activity: Activity::Replying, until: shared.now().plus_millis(10_000) }];
//! });
//! ```
//! Claims are not part of it: they are the conversations' own (`claimed_by`, recorded in
//! the store like any claim), so a simulated teammate claims through the store.
//! Installing a snapshot whose presence differs reports the conversations concerned on
//! the change bus, so the window refreshes within a second; a change of the members also
//! tells the notifier its settings changed.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use switchboard_core::{Activity, PolicyVersionView, QueueId, Timestamp};
pub(crate) use switchboard_team::Member;

use super::Replica;
use crate::Shared;

/// How long an announced presence lasts without being announced again (the window
/// announces every 4 s while the person stays).
pub(crate) const PRESENCE_TTL: Duration = Duration::from_secs(10);

/// How often this laptop tells the team it is connected, and reads when the others were.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(20);

/// A member counts as online when one of their laptops was seen this recently.
pub(crate) const ONLINE_WITHIN: Duration = Duration::from_secs(60);

/// One teammate on one conversation, right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LivePresence {
    /// Their member id (login role).
    pub member: String,
    /// The conversation, by its id in this workspace.
    pub conversation: i64,
    /// Viewing or replying.
    pub activity: Activity,
    /// Until when it holds unless announced again.
    pub until: Timestamp,
}

/// The team's life as this laptop knows it now (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TeamLive {
    /// The team's name.
    pub team_name: String,
    /// The member id of the person at this laptop.
    pub me: String,
    /// Every current member (this person included).
    pub members: Vec<Member>,
    /// Who is on which conversation (this person's own presence may be among them; it is
    /// never shown to them).
    pub presence: Vec<LivePresence>,
    /// When each member (by id) was last connected.
    pub seen: HashMap<String, Timestamp>,
    /// The team policy version in force.
    pub policy: Option<PolicyVersionView>,
}

impl TeamLive {
    /// Member `id`, if they are one.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.login_role == id)
    }

    /// The person at this laptop, if the team has them.
    pub fn my_member(&self) -> Option<&Member> {
        self.member(&self.me)
    }

    /// The name of member `id` (their id when unknown).
    pub fn name_of(&self, id: &str) -> String {
        self.member(id)
            .map_or_else(|| id.to_owned(), |m| m.name.clone())
    }

    /// The leads of `queue`: leads who work it, and leads who work no queue (they lead
    /// all).
    pub fn leads_of(&self, queue: &QueueId) -> Vec<String> {
        self.members
            .iter()
            .filter(|m| m.lead && (m.queues.is_empty() || m.queues.contains(&queue.0)))
            .map(|m| m.login_role.clone())
            .collect()
    }

    /// Teammates (never this person) on `conversation` at `now`: one entry per member,
    /// replying winning over viewing.
    pub fn presence_on(&self, conversation: i64, now: Timestamp) -> Vec<(&str, Activity)> {
        let mut on: Vec<(&str, Activity)> = Vec::new();
        for p in &self.presence {
            if p.conversation != conversation || p.member == self.me || p.until <= now {
                continue;
            }
            match on.iter_mut().find(|(m, _)| *m == p.member) {
                Some(entry) if p.activity == Activity::Replying => entry.1 = Activity::Replying,
                Some(_) => {}
                None => on.push((p.member.as_str(), p.activity)),
            }
        }
        on
    }

    /// The members seen within [`ONLINE_WITHIN`] of `now`.
    fn online_at(&self, now: Timestamp) -> BTreeSet<&str> {
        let within = ONLINE_WITHIN.as_millis() as i64;
        self.seen
            .iter()
            .filter(|(_, seen)| now.millis() - seen.millis() <= within)
            .map(|(member, _)| member.as_str())
            .collect()
    }

    /// The conversations whose presence differs between `self` and `other` (expiry
    /// instants aside).
    fn presence_changes(&self, other: &TeamLive) -> Vec<i64> {
        let key = |p: &LivePresence| (p.conversation, p.member.clone(), p.activity as u8);
        let mine: BTreeSet<_> = self.presence.iter().map(key).collect();
        let theirs: BTreeSet<_> = other.presence.iter().map(key).collect();
        let changed: BTreeSet<i64> = mine
            .symmetric_difference(&theirs)
            .map(|(conversation, _, _)| *conversation)
            .collect();
        changed.into_iter().collect()
    }
}

/// Where [`Shared`] keeps the snapshot (none outside a team, and before the first read),
/// with what the annotations remember between calls: when each claim's holder claimed it
/// (by conversation and holder) and when this laptop asked for its pending claims (by
/// thread key), to explain a claim lost later.
#[derive(Default)]
pub(crate) struct LiveSlot {
    live: RwLock<Option<Arc<TeamLive>>>,
    /// Set when a conversation names someone the members list does not have (they joined
    /// after it was read): the next refresh reads the members again.
    unknown_member: std::sync::atomic::AtomicBool,
    since: Mutex<HashMap<(i64, String), Timestamp>>,
    asked: Mutex<HashMap<String, Timestamp>>,
}

impl LiveSlot {
    /// The snapshot, if any.
    pub fn get(&self) -> Option<Arc<TeamLive>> {
        self.live.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Notes that someone not among the members was met (see `unknown_member`).
    pub fn note_unknown_member(&self) {
        self.unknown_member
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether someone unknown was met since the last call.
    fn take_unknown_member(&self) -> bool {
        self.unknown_member
            .swap(false, std::sync::atomic::Ordering::Relaxed)
    }

    /// Puts `live` in place; returns what was there.
    fn replace(&self, live: Option<Arc<TeamLive>>) -> Option<Arc<TeamLive>> {
        std::mem::replace(
            &mut *self.live.write().unwrap_or_else(|p| p.into_inner()),
            live,
        )
    }

    /// When `holder` claimed conversation `id`, if noted.
    pub fn since(&self, id: i64, holder: &str) -> Option<Timestamp> {
        lock(&self.since).get(&(id, holder.to_owned())).copied()
    }

    /// Notes when `holder` claimed conversation `id`.
    pub fn note_since(&self, id: i64, holder: &str, at: Timestamp) {
        let mut since = lock(&self.since);
        if since.len() > 10_000 {
            since.clear(); // read again as needed
        }
        since.insert((id, holder.to_owned()), at);
    }

    /// When this laptop asked for its claim on `thread_key`, if noted.
    pub fn asked(&self, thread_key: &str) -> Option<Timestamp> {
        lock(&self.asked).get(thread_key).copied()
    }

    /// Notes when this laptop asked for its (pending) claim on `thread_key`.
    pub fn note_asked(&self, thread_key: &str, at: Timestamp) {
        lock(&self.asked).entry(thread_key.to_owned()).or_insert(at);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Notes when each of this laptop's pending claims was asked (so that a claim lost later
/// can say by how much).
pub(crate) async fn note_pending(shared: &Shared) {
    if let Ok(pending) = shared
        .store
        .team_claims(switchboard_store::TeamClaimStatus::Pending)
        .await
    {
        for claim in pending {
            shared
                .team_live
                .note_asked(&claim.thread_key, claim.updated_at);
        }
    }
}

impl Shared {
    /// The live team snapshot, if this workspace has a team (real or simulated).
    pub(crate) fn team_live(&self) -> Option<Arc<TeamLive>> {
        self.team_live.get()
    }

    /// Installs `live` as the team snapshot (`None`: no team) and reports what changed:
    /// the conversations whose presence changed (the window refreshes them), and — when
    /// the members changed — everything, with the notifier's settings (roles).
    pub(crate) fn set_team_live(&self, live: Option<TeamLive>) {
        let live = live.map(Arc::new);
        let old = self.team_live.replace(live.clone());
        let empty = TeamLive::default();
        let before = old.as_deref().unwrap_or(&empty);
        let after = live.as_deref().unwrap_or(&empty);
        if old.is_some() != live.is_some()
            || before.members != after.members
            || before.team_name != after.team_name
            || before.policy != after.policy
            || before.me != after.me
        {
            self.alerts.settings_changed();
            self.changed(Vec::new());
            return;
        }
        let presence = before.presence_changes(after);
        if !presence.is_empty() {
            self.changed(presence);
        } else if before.online_at(self.now()) != after.online_at(self.now()) {
            // Only the members panel shows it ("online now"); heartbeats that change no
            // one's standing are not reported.
            self.changed(Vec::new());
        }
    }

    /// Changes the team snapshot in place (a default one when there is none yet), with
    /// the same reports as [`Shared::set_team_live`].
    pub(crate) fn update_team_live(&self, update: impl FnOnce(&mut TeamLive)) {
        let mut live = self
            .team_live()
            .map(|live| (*live).clone())
            .unwrap_or_default();
        update(&mut live);
        self.set_team_live(Some(live));
    }
}

/// What the replica read last, kept between refreshes so a presence-only refresh does not
/// read everything again.
#[derive(Default)]
pub(crate) struct Refreshed {
    team_name: Option<String>,
}

/// Reads the team's presence (and, when `full`, its name, members, seen times and policy
/// version) and installs the snapshot. Fails quietly: the last snapshot stands.
pub(crate) async fn refresh(shared: &Shared, replica: &Replica, full: bool) {
    if let Err(e) = try_refresh(shared, replica, full).await {
        tracing::debug!(error = %e, "could not read the team's presence");
    }
}

async fn try_refresh(
    shared: &Shared,
    replica: &Replica,
    full: bool,
) -> Result<(), switchboard_team::TeamError> {
    let full = full
        || shared.team_live.take_unknown_member()
        || shared.team_live().is_none_or(|live| live.me.is_empty());
    let mut everything = None;
    if full {
        replica.membership.forget(); // roles change rarely, but should show within a beat
        let cached = replica
            .refreshed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .team_name
            .clone();
        let team_name = match cached {
            Some(name) => name,
            None => {
                let name = replica.client.team_name().await?;
                replica
                    .refreshed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .team_name = Some(name.clone());
                name
            }
        };
        let members = replica.membership.members(replica).await;
        let seen: HashMap<String, Timestamp> = replica
            .client
            .member_seen()
            .await?
            .into_iter()
            .map(|(member, at_ms)| (member, Timestamp(at_ms)))
            .collect();
        let policy = policy_in_force(shared, replica).await?;
        everything = Some((team_name, members, seen, policy));
    }
    let mut presence = Vec::new();
    for p in replica.client.presence().await? {
        let Ok(Some(conversation)) = shared.store.conversation_id(&p.conversation).await else {
            continue; // a conversation this replica does not have (yet)
        };
        presence.push(LivePresence {
            member: p.member,
            conversation,
            activity: match p.activity {
                switchboard_team::Activity::Viewing => Activity::Viewing,
                switchboard_team::Activity::Replying => Activity::Replying,
            },
            // The database left expired rows out; counting the rest from this laptop's
            // clock keeps a skewed clock from hiding or prolonging them (the next refresh,
            // within seconds, drops one that expired meanwhile).
            until: shared.now().plus_millis(PRESENCE_TTL.as_millis() as i64),
        });
    }
    shared.update_team_live(|live| {
        live.me = replica.member.clone();
        live.presence = presence;
        if let Some((team_name, members, seen, policy)) = everything {
            live.team_name = team_name;
            live.members = members;
            live.seen = seen;
            live.policy = policy;
        }
    });
    Ok(())
}

/// The replica setting where the team policy follower (`policy.rs`) keeps the version
/// it put in force.
const POLICY_VERSION_KEY: &str = "team_policy_version";

/// The policy version in force here (as the team policy follower last applied it), with
/// its author's name.
async fn policy_in_force(
    shared: &Shared,
    replica: &Replica,
) -> Result<Option<PolicyVersionView>, switchboard_team::TeamError> {
    let applied = shared
        .store
        .setting(POLICY_VERSION_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<i32>().ok());
    let Some(version) = applied else {
        return Ok(None);
    };
    let Some(published) = replica.client.policy_published(version).await? else {
        return Ok(None);
    };
    Ok(Some(PolicyVersionView {
        version: u32::try_from(published.version).unwrap_or(0),
        by: replica.membership.name_of(replica, &published.author).await,
        at: Timestamp(published.at_ms),
    }))
}
