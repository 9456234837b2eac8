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
#[path = "../../tests/team/laptops.rs"]
mod laptops;
mod load;
mod report;
mod system;
mod watch;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use laptops::{keychain_with, Laptop};
use switchboard_engine::{Change, EngineHooks};
use switchboard_team::{testing, JoinCode};
use tokio::sync::mpsc;

use load::{act, feed};
use report::{report, Report};
use system::{clock_ticks, load_average, proc_cpu_ticks, sample_connections, PgCpu};
use watch::{check, drain, item_latencies, Seen, Shared, Tracker};

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
    let mut replicas: Vec<Arc<Laptop>> = Vec::with_capacity(n);
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
async fn open(i: usize, code: &JoinCode, seen: mpsc::UnboundedSender<Seen>) -> Laptop {
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
    Laptop::open_with(&format!("agent{i}"), keychain_with(code), hooks).await
}
