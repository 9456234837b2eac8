//! The **demo team**: try a team without a database. In the demo workspace two simulated
//! teammates — Ana Ruiz (Support) and Priya Shah (Sales, the lead) — work the demo's
//! conversations next to the person at the laptop, so that within the first minute a
//! newcomer sees every team moment: a teammate's presence ("Ana is viewing", "Priya is
//! replying"), a teammate's claim, a teammate's reply, a hand-off to them with a desktop
//! notification, a lost claim ("Ana claimed this 3 s before you") and the collision prompt
//! when they reply after Ana did. At speed 1: Ana opens a Support conversation at ~2 s and
//! claims it at ~8 s; Priya opens a Sales one at ~4 s, replies at ~17 s and hands the
//! person a wholesale request at ~25 s (the notification); from ~15 s Ana joins the
//! conversation the person has open (waiting until they open one) — a claim of it by the
//! person in the next ~8 s is lost to her — then claims it, writes and answers it (~34 s):
//! the person's reply then meets the collision prompt. Later, every 20–50 s each teammate looks at a conversation of their
//! queue and claims and answers it, answers it, hands it to the person, or leaves it; a
//! conversation the person hands to one of them by name is the one they take up next.
//!
//! Terms:
//! - the **script** ([`script`]): each teammate's routine, deterministic from
//!   `SWITCHBOARD_DEMO_SEED` and paced by `SWITCHBOARD_DEMO_SPEED` like the crowd (0
//!   pauses the crowd and leaves the team out); `SWITCHBOARD_DEMO_TEAM=off`
//!   ([`DEMO_TEAM_ENV`]) leaves the team out at any speed;
//! - the **team snapshot**: the demo team fills the live team snapshot the window reads
//!   (`team::live`) — members (the person, Ana, Priya), presence, "last seen" (a heartbeat
//!   every 15 s), the team policy "v1 by Priya" — so `team_view` and the rows' and
//!   thread's annotations show the demo team exactly as they show a real one (the link is
//!   always online);
//! - the **race**: while a teammate has a conversation open (they are about to take it),
//!   a claim of it by the person is lost to them — their claim is recorded 3 s earlier, the
//!   person's claim record says lost, and the person is refused with their name, as the
//!   team database refuses a claim someone else got first. A conversation a teammate holds
//!   is refused the same way. Teammates leave alone what someone else claimed, and what
//!   was handed to someone else by name.
//!
//! What is real and what is simulated, and why:
//! - A conversation a teammate **brings** (Priya's wholesale request, handed to the
//!   person; once per workspace) lives in the team's log: its item, her claim and her
//!   hand-off are folded in by the replica's own fold,
//!   [`switchboard_store::Store::apply_shared`], under event ids and server sequences of
//!   an in-process log — the path every team replica takes for its teammates' events, with
//!   no PostgreSQL to start (a throwaway server would cost seconds at every launch and a
//!   PostgreSQL install on every laptop trying the demo).
//! - Teammates' actions on the **crowd's** conversations (claims, replies, hand-offs)
//!   are recorded with `by` = the teammate through the store's action path: those
//!   conversations' items were ingested locally (the demo network is not a team log), and
//!   the replica's canonical order puts shared events before local ones, so folding a
//!   teammate's claim through `apply_shared` would place it before the conversation's
//!   first item (where it does not apply). A teammate's reply is posted through the demo
//!   network like any reply, its `reply_queued`/`reply_sent` events authored by them.
//! - Presence, members and "last seen" go into the live team snapshot, as the replica's
//!   reads of the team database do; the collision checks read the same log a team
//!   workspace's do (in the team's words; `collision`), the hand-off notification reads
//!   as a team's ("Priya Shah handed you a conversation (Sales)").
//!
//! The demo workspace stays a local workspace (`WorkspaceInfo::is_team` is false); the
//! window shows team elements because `team_view` answers with the demo team.

mod acts;
mod collision;
mod log;
pub(crate) mod script;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{Activity, ApiError, ErrorCode, PolicyVersionView, Timestamp};
use tokio::sync::watch;
use tracing::Instrument;

use crate::team::live::{LivePresence, Member, TeamLive};
use crate::Shared;
use script::{Pick, Routine, TEAMMATES};

/// The demo team's name.
pub(crate) const TEAM_NAME: &str = "Demo team";

/// How much earlier than the person's claim a teammate's winning claim is recorded.
const RACE_MARGIN_MS: i64 = 3_000;

/// How long a simulated presence holds without being announced again (the runner
/// announces it again at every act and heartbeat).
const PRESENCE_HOLDS_MS: i64 = 120_000;

/// How often the teammates' laptops say they are connected (at any speed).
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The environment variable that turns the demo team off (`0`, `off`, `false`, `no`).
pub const DEMO_TEAM_ENV: &str = "SWITCHBOARD_DEMO_TEAM";

/// Whether the demo team should play in the demo workspace (see [`DEMO_TEAM_ENV`]).
pub(crate) fn wanted() -> bool {
    !matches!(
        std::env::var(DEMO_TEAM_ENV)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "0" | "off" | "false" | "no"
    )
}

/// The simulated team of the demo workspace.
pub(crate) struct DemoTeam {
    seed: u64,
    speed: f64,
    /// The person at the laptop's member id.
    me: String,
    state: Mutex<State>,
    /// When the team started (the policy's date).
    started: Timestamp,
}

/// What the teammates and the person are on right now.
#[derive(Debug, Default)]
struct State {
    /// The conversation the person has open, as the window announced it.
    my_open: Option<i64>,
    /// Each teammate's current conversation and what they do in it.
    on: [Option<(i64, Activity)>; 2],
    /// The teammates' replies so far (their reply ids).
    replies: i64,
}

impl DemoTeam {
    /// The demo team for `seed` at `speed`, for the person `me`.
    pub fn new(seed: u64, speed: f64, me: String, now: Timestamp) -> Self {
        DemoTeam {
            seed,
            speed,
            me,
            state: Mutex::new(State::default()),
            started: now,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The name of member `id`.
    pub fn name_of(&self, id: &str) -> String {
        TEAMMATES
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.to_owned())
    }

    /// The team's members: the person (working every queue of the workspace), then the
    /// teammates.
    fn members(&self, shared: &Shared) -> Vec<Member> {
        let every_queue = shared
            .policy()
            .queues()
            .iter()
            .map(|q| q.id.0.clone())
            .collect();
        let mut members = vec![Member {
            login_role: self.me.clone(),
            name: self.me.clone(),
            queues: every_queue,
            lead: false,
            trainee: false,
        }];
        members.extend(TEAMMATES.iter().map(|t| Member {
            login_role: t.id.into(),
            name: t.name.into(),
            queues: t.queues.iter().map(|q| (*q).to_owned()).collect(),
            lead: t.lead,
            trainee: false,
        }));
        members
    }

    /// Installs the snapshot as it stands at `now`: members, the teammates' presence, and
    /// — on a `heartbeat` (or the first time) — everyone seen now. (Only a heartbeat
    /// touches "last seen", so an act reports the conversations it concerns, not
    /// everything.)
    fn publish(&self, shared: &Shared, now: Timestamp, heartbeat: bool) {
        let presence: Vec<LivePresence> = {
            let state = self.state();
            state
                .on
                .iter()
                .zip(TEAMMATES)
                .filter_map(|(on, mate)| {
                    on.map(|(conversation, activity)| LivePresence {
                        member: mate.id.into(),
                        conversation,
                        activity,
                        until: now.plus_millis(PRESENCE_HOLDS_MS),
                    })
                })
                .collect()
        };
        let members = self.members(shared);
        let policy = PolicyVersionView {
            version: 1,
            by: script::PRIYA.name.into(),
            at: self.started,
        };
        let me = self.me.clone();
        shared.update_team_live(move |live: &mut TeamLive| {
            live.team_name = TEAM_NAME.into();
            live.me = me;
            if heartbeat || live.seen.is_empty() {
                live.seen = members
                    .iter()
                    .map(|m| (m.login_role.clone(), now))
                    .collect();
            }
            live.members = members;
            live.presence = presence;
            live.policy = Some(policy);
        });
    }

    /// The window says what the person is doing: a conversation open (or none).
    pub fn set_my_presence(&self, conversation: Option<i64>, activity: Option<Activity>) {
        self.state().my_open = conversation.filter(|_| activity.is_some());
    }

    /// Before the person's claim of conversation `id` is recorded: refused when a
    /// teammate holds it, or is on it (about to take it) — then the teammate's claim is
    /// recorded first, [`RACE_MARGIN_MS`] earlier, and the person told so.
    pub async fn before_claim(&self, shared: &Shared, id: i64) -> Result<(), ApiError> {
        let now = shared.now();
        let conversation = shared
            .store
            .conversation(id, now)
            .await
            .map_err(crate::api::to_api)?;
        if let Some(holder) = conversation.claimed_by.filter(|h| *h != self.me) {
            return Err(ApiError::new(
                ErrorCode::NotAllowed,
                format!(
                    "{} is working on this conversation. Ask them to hand it off, or take it \
                     over.",
                    self.name_of(&holder)
                ),
            ));
        }
        let racer = {
            let state = self.state();
            state
                .on
                .iter()
                .position(|on| on.is_some_and(|(c, _)| c == id))
        };
        let Some(index) = racer else {
            return Ok(());
        };
        let mate = TEAMMATES[index];
        let won_at = now.plus_millis(-RACE_MARGIN_MS);
        acts::record(
            shared,
            id,
            mate.id,
            switchboard_core::EventKind::Claimed,
            won_at,
        )
        .await
        .map_err(crate::api::to_api)?;
        acts::lost_claim(shared, id, mate.id, now).await;
        tracing::info!(
            conversation = id,
            teammate = mate.id,
            "demo team: a claim lost to a teammate"
        );
        Err(ApiError::new(
            ErrorCode::NotAllowed,
            format!(
                "{} claimed this {} s before you. Ask them to hand it off, or take it over.",
                mate.name,
                RACE_MARGIN_MS / 1000
            ),
        ))
    }

    /// Milliseconds of real time for `ms` of script time at this speed.
    fn paced(&self, ms: u64) -> Duration {
        Duration::from_millis((ms as f64 / self.speed).clamp(1.0, 3_600_000.0) as u64)
    }
}

/// Starts the demo team of the demo workspace (nothing when the demo is paused): one task
/// per teammate and their laptops' heartbeat, until `stop`.
pub(crate) fn start(
    shared: &Arc<Shared>,
    seed: u64,
    speed: f64,
    stop: &watch::Receiver<bool>,
    span: &tracing::Span,
) -> Vec<tokio::task::JoinHandle<()>> {
    if !(speed.is_finite() && speed > 0.0) {
        return Vec::new();
    }
    let team = Arc::new(DemoTeam::new(seed, speed, shared.me.clone(), shared.now()));
    if shared.demo_team.set(Arc::clone(&team)).is_err() {
        return Vec::new(); // already playing
    }
    team.publish(shared, shared.now(), true);
    let mut tasks: Vec<_> = (0..TEAMMATES.len())
        .map(|index| {
            tokio::spawn(
                play(Arc::clone(shared), Arc::clone(&team), index, stop.clone())
                    .instrument(span.clone()),
            )
        })
        .collect();
    tasks.push(tokio::spawn(
        heartbeat(Arc::clone(shared), Arc::clone(&team), stop.clone()).instrument(span.clone()),
    ));
    tasks
}

/// Plays teammate `index`'s routine until `stop`.
async fn play(
    shared: Arc<Shared>,
    team: Arc<DemoTeam>,
    index: usize,
    mut stop: watch::Receiver<bool>,
) {
    for step in Routine::new(team.seed, index) {
        tokio::select! {
            _ = tokio::time::sleep(team.paced(step.after_ms)) => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
        let done = match &step.act {
            script::Act::View(pick) => loop {
                // Joining the person's conversation waits until they have one open.
                match acts::pick(&shared, &team, index, pick).await {
                    Some(id) => {
                        team.state().on[index] = Some((id, Activity::Viewing));
                        break Ok(());
                    }
                    None if *pick == Pick::YourOpen => {}
                    None => break Ok(()),
                }
                tokio::select! {
                    _ = tokio::time::sleep(team.paced(1_000)) => {}
                    _ = stop.wait_for(|stopped| *stopped) => return,
                }
            },
            act => acts::act(&shared, &team, index, act).await,
        };
        if let Err(e) = done {
            tracing::debug!(teammate = TEAMMATES[index].id, error = %e, "a demo teammate's act failed");
        }
        team.publish(&shared, shared.now(), false);
    }
}

/// Says every few seconds that the teammates' laptops are connected.
async fn heartbeat(shared: Arc<Shared>, team: Arc<DemoTeam>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(HEARTBEAT) => {}
            _ = stop.wait_for(|stopped| *stopped) => return,
        }
        team.publish(&shared, shared.now(), true);
    }
}

impl crate::Engine {
    /// Starts the demo team in this (demo) workspace, playing `seed` at `speed` (0: it
    /// does not play). The console does it when it opens the demo workspace, unless
    /// [`DEMO_TEAM_ENV`] turns it off. Does nothing in another workspace or when it
    /// already plays.
    pub async fn start_demo_team(&self, seed: u64, speed: f64) {
        let is_demo = self
            .shared
            .workspace
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_demo;
        if !is_demo || self.shared.team.is_some() {
            return;
        }
        let tasks = start(&self.shared, seed, speed, &self.stop_rx, &self.span);
        self.tasks.lock().await.extend(tasks);
    }
}
