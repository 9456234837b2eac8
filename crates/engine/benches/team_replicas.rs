//! The team benchmark (issue 16): many replicas on one PostgreSQL.
//!
//! ```text
//! cargo bench -p switchboard-engine --bench team_replicas
//! TEAM_BENCH_REPLICAS=20 TEAM_BENCH_SECONDS=20 cargo bench -p switchboard-engine --bench team_replicas
//! ```
//!
//! Setup: a throwaway PostgreSQL cluster (`switchboard_team::testing`), one team, and
//! `TEAM_BENCH_REPLICAS` (200) **replicas**: real engines, each its own data folder,
//! SQLite workspace database and in-memory keychain holding its member's join code.
//!
//! Load, for `TEAM_BENCH_SECONDS` (60):
//! - a **feeder** stands in for the platform side: it is the poll-lease holder of one
//!   brand account and, once a second (one *poll*), asks for the lease again and commits
//!   `TEAM_BENCH_ITEMS_PER_SEC` (20) new customer items. No replica polls a platform, so
//!   platform requests per hour are the feeder's polls — flat in the number of replicas by
//!   construction;
//! - 10 % of the replicas are **actors**: each, once a minute (spread evenly over the
//!   minute), claims a conversation the feeder entered a few seconds before, adds a note
//!   and hands it off to `sales` (two seconds between the steps, as a person would).
//!
//! Measured:
//! - **claim-to-visible**: from the claim's return on the actor's laptop to each other
//!   replica's change listener naming the conversation (the first change after the claim:
//!   only the actor's events touch it then), confirmed by reading the conversation there
//!   (`claimed_by` is the actor, or its history shows the actor's claim);
//! - **item-to-visible**: from the feeder's commit to each replica's change listener first
//!   naming the new conversation (for a sample of the items, resolved after the run);
//! - PostgreSQL **connections** of the test database (sampled each second), its **CPU**
//!   (utime + stime of the cluster's processes, from `/proc`), and this process's CPU and
//!   memory.

#![allow(clippy::print_stdout)] // A benchmark's job is to print its figures.

#[allow(dead_code)] // this bench uses only some of the helpers
#[path = "../tests/team/laptops.rs"]
mod laptops;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use laptops::{MemoryVault, FEED_ACCOUNT, WORKSPACE};
use switchboard_core::{
    Author, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey, Timestamp,
};
use switchboard_engine::{
    Change, Engine, EngineConfig, EngineHooks, SecretVault, SystemClock, WorkspaceSpec,
};
use switchboard_team::{testing, JoinCode, LeaseOutcome, Stamp, TeamClient, TeamItem};
use tokio::sync::mpsc;

/// How the run is scaled (from the environment).
struct Scale {
    replicas: usize,
    seconds: u64,
    items_per_sec: usize,
}

impl Scale {
    fn from_env() -> Scale {
        let var = |name: &str, default: u64| -> u64 {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        };
        Scale {
            replicas: var("TEAM_BENCH_REPLICAS", 200).max(2) as usize,
            seconds: var("TEAM_BENCH_SECONDS", 60).max(1),
            items_per_sec: var("TEAM_BENCH_ITEMS_PER_SEC", 20) as usize,
        }
    }
}

/// Pause before the first action, so that the feeder has entered something to claim.
const WARM_UP: Duration = Duration::from_secs(5);
/// A claimed conversation was entered at least this long before.
const CLAIM_AGE: Duration = Duration::from_secs(3);
/// Between claim and note, and note and hand-off.
const STEP: Duration = Duration::from_secs(2);
/// Items whose visibility is resolved after the run, at most.
const ITEM_SAMPLE: usize = 400;
/// How long the replicas may take to catch up after the load stops.
const DRAIN: Duration = Duration::from_secs(60);

/// A change as a replica's listener saw it.
struct Seen {
    laptop: usize,
    conversations: Vec<i64>,
    at: Instant,
}

/// One replica of the bench.
struct Replica {
    engine: Engine,
    _data: tempfile::TempDir,
}

/// A claim whose arrival on the other replicas is watched.
struct Watch {
    actor: String,
    /// When the actor asked for the claim (None: not yet).
    asked_at: Option<Instant>,
    /// When the claim returned on the actor's laptop (None: not yet).
    claimed_at: Option<Instant>,
    /// Per replica that showed it: the change that did, and the reading that confirmed it.
    shown: Vec<(Instant, Instant)>,
}

/// What the checker keeps: the first change naming each conversation on each replica,
/// and the claims being watched.
#[derive(Default)]
struct Tracker {
    /// Per replica: conversation id → first change naming it.
    first_seen: Vec<HashMap<i64, Instant>>,
    /// (replica, conversation id) → index into `watches`, until the claim is seen there.
    watched: HashMap<(usize, i64), usize>,
    watches: Vec<Watch>,
    /// Changes after a claim whose reading did not show it yet.
    unconfirmed: usize,
    /// Replicas on which a watched claim never showed.
    claim_missing: usize,
}

type Shared = Arc<Mutex<Tracker>>;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scale = Scale::from_env();
    let n = scale.replicas;
    println!(
        "team benchmark: {n} replicas, {} s, {} items/s on one brand account",
        scale.seconds, scale.items_per_sec
    );
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let tracker: Shared = Arc::new(Mutex::new(Tracker {
        first_seen: vec![HashMap::new(); n],
        ..Tracker::default()
    }));
    let (seen_tx, seen_rx) = mpsc::unbounded_channel::<Seen>();

    let opening = Instant::now();
    let mut replicas: Vec<Arc<Replica>> = Vec::with_capacity(n);
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let mut codes = Vec::new();
        for &i in chunk {
            codes.push((i, db.member(team, &format!("agent{i}")).await));
        }
        let opened = join_all(
            codes
                .iter()
                .map(|(i, code)| open(*i, code, seen_tx.clone())),
        )
        .await;
        replicas.extend(opened.into_iter().map(Arc::new));
    }
    drop(seen_tx);
    println!("opened {n} replicas in {:.1?}", opening.elapsed());
    let checker = tokio::spawn(check(seen_rx, tracker.clone(), replicas.clone()));

    let load_before = load_average();
    let pg = PgCpu::new();
    let me_cpu_start = proc_cpu_ticks(std::process::id());
    let connections = Arc::new(Mutex::new(Vec::<i64>::new()));
    let stop = Arc::new(tokio::sync::Notify::new());
    let feeder_code = db.member(team, "poller").await;
    let sampler = {
        let connections = connections.clone();
        let feeder_role = feeder_code.member.clone();
        let admin_db = db.admin_url().to_owned();
        let stop = stop.clone();
        let db_name = db.name().to_owned();
        tokio::spawn(async move {
            sample_connections(&admin_db, &db_name, &feeder_role, &connections, &stop).await;
        })
    };

    let start = Instant::now();
    let fed: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let polls = Arc::new(AtomicU64::new(0));
    let feeder = {
        let code = feeder_code;
        let fed = fed.clone();
        let polls = polls.clone();
        let (seconds, per_sec) = (scale.seconds, scale.items_per_sec);
        tokio::spawn(async move { feed(&code, seconds, per_sec, &fed, &polls).await })
    };

    // Actors: every tenth replica; actor k acts at WARM_UP + k·60/actors s, then each minute.
    let actors: Vec<usize> = (0..n).step_by(10).collect();
    let taken: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut acting = Vec::new();
    for (k, &a) in actors.iter().enumerate() {
        let offset = WARM_UP + Duration::from_secs(60) * k as u32 / actors.len() as u32;
        let (replicas, tracker, fed, taken) = (
            replicas.clone(),
            tracker.clone(),
            fed.clone(),
            taken.clone(),
        );
        let end = start + Duration::from_secs(scale.seconds);
        acting.push(tokio::spawn(async move {
            let mut at = start + offset;
            let mut done = 0;
            while at < end {
                tokio::time::sleep_until(at.into()).await;
                if act(a, &replicas, &tracker, &fed, &taken).await {
                    done += 1;
                }
                at += Duration::from_secs(60);
            }
            done
        }));
    }

    let fed_count = feeder.await.expect("the feeder runs");
    let mut actions = 0;
    for a in acting {
        actions += a.await.expect("an actor runs");
    }
    let load_end = Instant::now();
    let me_cpu_end = proc_cpu_ticks(std::process::id());
    let pg_seconds = pg.seconds();
    stop.notify_waiters();
    sampler.await.ok();

    // Let every replica catch up, then resolve the sampled items' conversation ids.
    let fed = fed.lock().unwrap().clone();
    let drained = drain(&replicas, &fed).await;
    let items = item_latencies(&replicas, &fed, &tracker).await;
    {
        let mut t = tracker.lock().unwrap();
        t.claim_missing = t.watched.len();
    }

    let run = load_end.duration_since(start).as_secs_f64();
    report(&Report {
        scale: &scale,
        run,
        fed: fed_count,
        polls: polls.load(Ordering::Relaxed),
        actions,
        tracker: &tracker.lock().unwrap(),
        items,
        drained,
        connections: &connections.lock().unwrap(),
        pg_seconds,
        me_seconds: (me_cpu_end - me_cpu_start) as f64 / clock_ticks(),
        load_before,
    });

    let closing = Instant::now();
    join_all(replicas.iter().map(|r| r.engine.shutdown())).await;
    checker.abort();
    println!("closed {n} replicas in {:.1?}", closing.elapsed());
    drop(replicas);
    // Leave at once: nothing is left to wait for.
    std::process::exit(0);
}

/// Opens replica `i` with a listener that sends what changed to the checker.
async fn open(i: usize, code: &JoinCode, seen: mpsc::UnboundedSender<Seen>) -> Replica {
    let name = format!("agent{i}");
    let vault = Arc::new(MemoryVault::default());
    vault
        .store(WORKSPACE, "team:join-code", &code.encode())
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let config = EngineConfig {
        data_dir: data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: name,
        keychain_namespace: format!("app.switchboard.bench.team.{}", std::process::id()),
        poll_interval: Some(Duration::from_millis(200)),
    };
    let spec = WorkspaceSpec {
        id: WORKSPACE.into(),
        name: "Acme team".into(),
        is_demo: false,
        is_team: true,
    };
    let hooks = EngineHooks {
        listener: Arc::new(move |change: &Change| {
            if !change.conversations.is_empty() {
                let _ = seen.send(Seen {
                    laptop: i,
                    conversations: change.conversations.clone(),
                    at: Instant::now(),
                });
            }
        }),
        alerts: None,
        version: Arc::default(),
        open_url: None,
    };
    let engine = Engine::open_with_vault(
        config,
        &spec,
        Arc::new(SystemClock),
        hooks,
        vault as Arc<dyn SecretVault>,
    )
    .await
    .expect("the team workspace opens");
    Replica {
        engine,
        _data: data,
    }
}

/// Consumes the listeners' changes: first sightings, and watched claims (each confirmed
/// by reading the conversation on that replica).
async fn check(
    mut seen: mpsc::UnboundedReceiver<Seen>,
    tracker: Shared,
    replicas: Vec<Arc<Replica>>,
) {
    while let Some(change) = seen.recv().await {
        let mut to_confirm = Vec::new();
        {
            let mut t = tracker.lock().unwrap();
            for &id in &change.conversations {
                t.first_seen[change.laptop].entry(id).or_insert(change.at);
                let Some(&w) = t.watched.get(&(change.laptop, id)) else {
                    continue;
                };
                let watch = &t.watches[w];
                if watch.asked_at.is_some_and(|asked| change.at >= asked) {
                    to_confirm.push((id, w, watch.actor.clone()));
                }
            }
        }
        for (id, w, actor) in to_confirm {
            let replica = replicas[change.laptop].clone();
            let tracker = tracker.clone();
            let (laptop, at) = (change.laptop, change.at);
            tokio::spawn(async move {
                let Ok(thread) = replica.engine.get_thread(id).await else {
                    return;
                };
                let confirmed = Instant::now();
                let shows = thread.conversation.claimed_by.as_deref() == Some(actor.as_str())
                    || thread
                        .history
                        .iter()
                        .any(|h| h.kind == "claimed" && h.by.as_deref() == Some(actor.as_str()));
                let mut t = tracker.lock().unwrap();
                if !shows {
                    t.unconfirmed += 1;
                    return;
                }
                if t.watched.get(&(laptop, id)) == Some(&w) {
                    t.watched.remove(&(laptop, id));
                    t.watches[w].shown.push((at, confirmed));
                }
            });
        }
    }
}

/// Actor `a` claims the oldest unclaimed conversation entered at least [`CLAIM_AGE`]
/// ago, adds a note and hands it off to sales. Returns whether it acted.
async fn act(
    a: usize,
    replicas: &[Arc<Replica>],
    tracker: &Shared,
    fed: &Mutex<Vec<(String, Instant)>>,
    taken: &Mutex<HashSet<String>>,
) -> bool {
    let thread = {
        let fed = fed.lock().unwrap();
        let mut taken = taken.lock().unwrap();
        let pick = fed
            .iter()
            .rev()
            .find(|(thread, at)| at.elapsed() >= CLAIM_AGE && !taken.contains(thread));
        let Some((thread, _)) = pick else {
            println!("actor agent{a}: nothing old enough to claim yet");
            return false;
        };
        taken.insert(thread.clone());
        thread.clone()
    };
    // Its id on every replica (all have it by now, or soon).
    let mut ids = Vec::with_capacity(replicas.len());
    for r in replicas {
        let deadline = Instant::now() + Duration::from_secs(10);
        let id = loop {
            match r
                .engine
                .conversation_of_thread(&thread)
                .await
                .ok()
                .flatten()
            {
                Some(id) => break Some(id),
                None if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                None => break None,
            }
        };
        ids.push(id);
    }
    let Some(mine) = ids[a] else {
        println!("actor agent{a}: the conversation never arrived here");
        return false;
    };
    let actor = replicas[a].engine.me().to_owned();
    let w = {
        let mut t = tracker.lock().unwrap();
        let w = t.watches.len();
        t.watches.push(Watch {
            actor: actor.clone(),
            asked_at: None,
            claimed_at: None,
            shown: Vec::new(),
        });
        for (laptop, id) in ids.iter().enumerate() {
            if let (Some(id), true) = (id, laptop != a) {
                t.watched.insert((laptop, *id), w);
            }
        }
        w
    };
    let engine = &replicas[a].engine;
    tracker.lock().unwrap().watches[w].asked_at = Some(Instant::now());
    if let Err(e) = engine.claim(mine).await {
        println!("actor {actor}: claim refused: {}", e.message);
        let mut t = tracker.lock().unwrap();
        t.watched.retain(|_, v| *v != w);
        return false;
    }
    tracker.lock().unwrap().watches[w].claimed_at = Some(Instant::now());
    tokio::time::sleep(STEP).await;
    if let Err(e) = engine
        .add_note(mine, "Checked the order: it left the warehouse.".into())
        .await
    {
        println!("actor {actor}: note failed: {}", e.message);
    }
    tokio::time::sleep(STEP).await;
    if let Err(e) = engine
        .hand_off(
            mine,
            QueueId("sales".into()),
            "A refund question; over to sales.".into(),
        )
        .await
    {
        println!("actor {actor}: hand-off failed: {}", e.message);
    }
    true
}

/// The platform side, simulated: holds the brand account's poll lease and, once a second,
/// asks for it again and commits `per_sec` new items. Returns how many items it entered.
async fn feed(
    code: &JoinCode,
    seconds: u64,
    per_sec: usize,
    fed: &Mutex<Vec<(String, Instant)>>,
    polls: &AtomicU64,
) -> usize {
    let client = TeamClient::join(code, "feeder")
        .await
        .expect("the feeder connects");
    let start = Instant::now();
    let mut next = 0usize;
    for second in 0..seconds {
        tokio::time::sleep_until((start + Duration::from_secs(second)).into()).await;
        polls.fetch_add(1, Ordering::Relaxed);
        let LeaseOutcome::Granted { fence, .. } = client
            .acquire_poll_lease(FEED_ACCOUNT, Duration::from_secs(10))
            .await
            .expect("the lease answers")
        else {
            panic!("the feeder holds the lease");
        };
        let mut threads = Vec::with_capacity(per_sec);
        let items: Vec<TeamItem> = (0..per_sec)
            .map(|_| {
                next += 1;
                let (thread, item) = mention(next);
                threads.push(thread);
                item
            })
            .collect();
        client
            .commit_poll(FEED_ACCOUNT, fence, &items, None)
            .await
            .expect("the items enter the log");
        let at = Instant::now();
        fed.lock()
            .unwrap()
            .extend(threads.into_iter().map(|t| (t, at)));
    }
    next
}

/// Customer mention number `n`, routed to support: its thread key and log item.
fn mention(n: usize) -> (String, TeamItem) {
    let thread = format!(
        "mastodon:feed@acme.example:{n}-{}",
        uuid::Uuid::now_v7().simple()
    );
    let item = Item {
        platform: Platform::Mastodon,
        account: "feed@acme.example".into(),
        native_id: thread.clone(),
        thread: ThreadKey(thread.clone()),
        kind: ItemKind::Mention,
        author: Author {
            handle: format!("@customer{n}@example.social"),
            display_name: format!("Customer {n}"),
        },
        from_brand: false,
        text: format!("Question {n}: where is my order?"),
        lang: Some("en".into()),
        created_at: Timestamp::now_from_system(),
    };
    let event = Event {
        thread: ThreadKey(thread.clone()),
        at: Timestamp::now_from_system(),
        by: None,
        kind: EventKind::ItemIngested {
            item,
            queue: QueueId("support".into()),
        },
    };
    let team_item = TeamItem::new(
        thread.clone(),
        &serde_json::json!({ "event": event }),
        Stamp::new(0),
    )
    .expect("an item");
    (thread, team_item)
}

/// Waits until every replica has the last item; returns how long that took after the
/// load stopped (None: not within [`DRAIN`]).
async fn drain(replicas: &[Arc<Replica>], fed: &[(String, Instant)]) -> Option<Duration> {
    let Some((last, _)) = fed.last() else {
        return Some(Duration::ZERO);
    };
    let started = Instant::now();
    for r in replicas {
        while r
            .engine
            .conversation_of_thread(last)
            .await
            .ok()
            .flatten()
            .is_none()
        {
            if started.elapsed() > DRAIN {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    Some(started.elapsed())
}

/// Item-to-visible for a sample of the items on every replica.
async fn item_latencies(
    replicas: &[Arc<Replica>],
    fed: &[(String, Instant)],
    tracker: &Shared,
) -> Vec<Duration> {
    let step = fed.len().div_ceil(ITEM_SAMPLE).max(1);
    let sample: Vec<&(String, Instant)> = fed.iter().step_by(step).collect();
    let per_replica = join_all(replicas.iter().map(|r| async {
        let mut ids = Vec::with_capacity(sample.len());
        for (thread, _) in &sample {
            ids.push(r.engine.conversation_of_thread(thread).await.ok().flatten());
        }
        ids
    }))
    .await;
    let t = tracker.lock().unwrap();
    let mut latencies = Vec::new();
    for (laptop, ids) in per_replica.iter().enumerate() {
        for ((_, committed), id) in sample.iter().zip(ids) {
            if let Some(seen) = id.and_then(|id| t.first_seen[laptop].get(&id)) {
                latencies.push(seen.saturating_duration_since(*committed));
            }
        }
    }
    latencies
}

/// Counts the replicas' connections to the test database (the feeder's left out) once a
/// second until `stop`.
async fn sample_connections(
    admin_url: &str,
    db_name: &str,
    feeder: &str,
    into: &Mutex<Vec<i64>>,
    stop: &tokio::sync::Notify,
) {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await
        .expect("the sampler connects");
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.notified() => break,
        }
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = $1 AND backend_type = 'client backend' \
               AND pid <> pg_backend_pid() AND usename <> 'postgres' AND usename <> $2",
        )
        .bind(db_name)
        .bind(feeder)
        .fetch_one(&pool)
        .await
        .expect("counting connections");
        into.lock().unwrap().push(count);
    }
    pool.close().await;
}

/// The cluster's CPU: its processes' utime + stime at the start, per process.
struct PgCpu {
    start: HashMap<u32, u64>,
}

impl PgCpu {
    fn new() -> PgCpu {
        PgCpu { start: Self::now() }
    }

    /// Ticks per process of the cluster (the postmaster and its children).
    fn now() -> HashMap<u32, u64> {
        let pid_file = testing::cluster().dir.join("data/postmaster.pid");
        let postmaster: u32 = std::fs::read_to_string(pid_file)
            .ok()
            .and_then(|s| s.lines().next()?.trim().parse().ok())
            .expect("the postmaster's pid");
        let mut ticks = HashMap::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, t)) = stat(pid) {
                if pid == postmaster || ppid == postmaster {
                    ticks.insert(pid, t);
                }
            }
        }
        ticks
    }

    /// CPU seconds of the cluster since [`PgCpu::new`] (processes that ended meanwhile
    /// are left out).
    fn seconds(&self) -> f64 {
        let total: u64 = Self::now()
            .into_iter()
            .map(|(pid, t)| t.saturating_sub(self.start.get(&pid).copied().unwrap_or(0)))
            .sum();
        total as f64 / clock_ticks()
    }
}

/// A process's parent and utime + stime (ticks), from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(u32, u64)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    let ppid = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((ppid, utime + stime))
}

fn proc_cpu_ticks(pid: u32) -> u64 {
    stat(pid).map(|(_, t)| t).unwrap_or(0)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux).
fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// The value of a line of `/proc/self/status` (`VmRSS:`, `Threads:`, …).
fn status_line(key: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| Some(l.split_whitespace().nth(1)?.to_owned()))
        })
        .unwrap_or_default()
}

/// A memory line of `/proc/self/status` (`VmRSS:`, `VmHWM:`), in MiB.
fn memory_mib(key: &str) -> f64 {
    status_line(key)
        .parse::<f64>()
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The machine's 1-minute load average (other work running next to the bench).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| Some(s.split_whitespace().next()?.to_owned()))
        .unwrap_or_default()
}

struct Report<'a> {
    scale: &'a Scale,
    run: f64,
    fed: usize,
    polls: u64,
    actions: usize,
    tracker: &'a Tracker,
    items: Vec<Duration>,
    drained: Option<Duration>,
    connections: &'a [i64],
    pg_seconds: f64,
    me_seconds: f64,
    load_before: String,
}

/// p50 / p99 / max of `values`, in milliseconds.
fn spread(values: &[Duration]) -> String {
    if values.is_empty() {
        return "no samples".into();
    }
    let mut v = values.to_vec();
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    format!(
        "p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({} samples)",
        at(0.5),
        at(0.99),
        at(1.0),
        v.len()
    )
}

fn p99(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    v.get(((v.len().max(1) - 1) as f64 * 0.99).round() as usize)
        .copied()
        .unwrap_or_default()
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

fn report(r: &Report<'_>) {
    let n = r.scale.replicas as f64;
    let t = r.tracker;
    let (mut visible, mut confirmed, mut early) = (Vec::new(), Vec::new(), 0);
    for watch in &t.watches {
        let Some(claimed_at) = watch.claimed_at else {
            continue;
        };
        for (at, read) in &watch.shown {
            early += usize::from(*at < claimed_at);
            visible.push(at.saturating_duration_since(claimed_at));
            confirmed.push(read.saturating_duration_since(claimed_at));
        }
    }
    println!();
    println!(
        "== team benchmark: {} replicas, {:.0} s of load ==",
        r.scale.replicas, r.run
    );
    println!(
        "platform side simulated by the feeder: {} items in {} polls (1 poll/s per account, \
         flat in N by construction) = {:.0} platform requests/hour; acquire_poll_lease \
         attempts: {} (the feeder's; no replica holds a platform token here)",
        r.fed,
        r.polls,
        r.polls as f64 * 3600.0 / r.scale.seconds as f64,
        r.polls
    );
    println!(
        "actions: {} (claim, note, hand-off to sales) by {} actors",
        r.actions,
        r.scale.replicas.div_ceil(10)
    );
    println!(
        "claim-to-visible on the other replicas (listener): {}",
        spread(&visible)
    );
    println!(
        "claim-to-visible (confirmed by reading): {}",
        spread(&confirmed)
    );
    println!(
        "  goal p99 <= 1 s: {}; shown before the claim returned on the actor's laptop \
         (counted as 0): {early}; changes read before the claim showed: {}; replicas where \
         a claim never showed: {}",
        verdict(!visible.is_empty() && p99(&visible) <= Duration::from_secs(1)),
        t.unconfirmed,
        t.claim_missing
    );
    println!(
        "item-to-visible on all replicas (sampled items): {}",
        spread(&r.items)
    );
    match r.drained {
        Some(d) => println!(
            "every replica had the last item {:.1?} after the load stopped",
            d
        ),
        None => println!("replicas had NOT caught up {DRAIN:?} after the load stopped"),
    }
    let max = r.connections.iter().copied().max().unwrap_or(0);
    let mean = r.connections.iter().sum::<i64>() as f64 / r.connections.len().max(1) as f64;
    println!(
        "PostgreSQL connections of the replicas ({} samples): max {max}, mean \
         {mean:.1}; per laptop {:.2} (goal <= 2: {})",
        r.connections.len(),
        max as f64 / n,
        verdict(max as f64 / n <= 2.0)
    );
    println!(
        "PostgreSQL CPU: {:.1} s = {:.0} % of one core",
        r.pg_seconds,
        r.pg_seconds / r.run * 100.0
    );
    println!(
        "bench process ({} engines): CPU {:.1} s = {:.0} % of one core; RSS {:.0} MiB (peak {:.0} MiB); {} threads",
        r.scale.replicas,
        r.me_seconds,
        r.me_seconds / r.run * 100.0,
        memory_mib("VmRSS:"),
        memory_mib("VmHWM:"),
        status_line("Threads:")
    );
    println!(
        "machine: {} cores; load average at the start {}, at the end {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        r.load_before,
        load_average()
    );
}
