//! Failover of the poll lease: the laptop that polls the brand account goes away and
//! another takes over within the lease's expiry plus one poll, while a customer posts a
//! mention every 0.3 s throughout; in the end every laptop has every mention exactly once
//! (none lost, none twice) and the team's log entered each once. Three ways to go away:
//!
//! - **asleep**: the holder (the `team_worker` process) is stopped with SIGSTOP in the
//!   middle of a poll (its request to the platform held at the proxy), then woken with
//!   SIGCONT after the takeover: its late commit is refused by the fence — it says so,
//!   and nothing more is written under its fence;
//! - **cut off**: the database ends the holder's connections (`pg_terminate_backend`) and
//!   refuses its logins until the takeover;
//! - **killed**: the holder's process is killed with SIGKILL in the middle of a poll.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use switchboard_team::testing::{self, TestDb};
use switchboard_team::JoinCode;

use crate::laptops::{eventually, Laptop, WORKSPACE};
use crate::one_poller::brand_laptops::{Brand, LEASE, POLL_INTERVAL};

/// Room for a loaded machine on top of "lease expiry + one poll".
const SLACK: Duration = Duration::from_secs(1);

/// How often the customer posts.
const MENTION_EVERY: Duration = Duration::from_millis(300);

/// Who holds the brand account's poll lease, under which fence.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lease {
    member: String,
    fence: i64,
}

async fn lease(db: &TestDb) -> Option<Lease> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT holder_member, fence FROM switchboard.poll_leases")
            .fetch_optional(db.admin.pool())
            .await
            .unwrap();
    row.map(|(member, fence)| Lease { member, fence })
}

/// Waits until `member` holds the lease.
async fn held_by(db: &TestDb, member: &str) -> Lease {
    eventually(
        Duration::from_secs(20),
        &format!("{member} holds the poll lease"),
        || async { lease(db).await.is_some_and(|l| l.member == member) },
    )
    .await;
    lease(db).await.unwrap()
}

/// Waits for the lease to move on from fence `old`; returns the new lease and how long
/// after `since` it moved. Fails if that took longer than lease expiry + one poll (+
/// slack).
async fn takeover(db: &TestDb, old: &Lease, since: Instant) -> (Lease, Duration) {
    eventually(
        Duration::from_secs(15),
        "another laptop takes over",
        || async { lease(db).await.is_some_and(|l| l.fence > old.fence) },
    )
    .await;
    let took = since.elapsed();
    let new = lease(db).await.unwrap();
    assert_ne!(new.member, old.member, "another laptop holds the lease");
    assert!(
        took <= LEASE + POLL_INTERVAL + SLACK,
        "the takeover took {took:?} (lease {LEASE:?}, poll {POLL_INTERVAL:?})"
    );
    (new, took)
}

/// Items entered into the team's log under `fence`.
async fn items_under(db: &TestDb, fence: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM switchboard.items WHERE lease_fence = $1")
        .bind(fence)
        .fetch_one(db.admin.pool())
        .await
        .unwrap()
}

/// The customer, mentioning the brand every 0.3 s until stopped.
struct Poster {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<String>>,
}

impl Poster {
    fn start(brand: &Arc<Brand>) -> Poster {
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (brand, stop) = (Arc::clone(brand), Arc::clone(&stop));
            async move {
                let mut threads = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    threads.push(brand.mention(threads.len() + 1).await);
                    tokio::time::sleep(MENTION_EVERY).await;
                }
                threads
            }
        });
        Poster { stop, task }
    }

    /// Stops posting; returns the threads of every mention posted.
    async fn stop(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.unwrap()
    }
}

/// A laptop in its own process (`team_worker`), signed in to the brand account.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    said: Arc<Mutex<Vec<String>>>,
    data: tempfile::TempDir,
}

impl Worker {
    async fn start(brand: &Brand, code: &JoinCode) -> Worker {
        let data = tempfile::tempdir().unwrap();
        brand.prepare(data.path()).await;
        let mut child = Command::new(env!("CARGO_BIN_EXE_team_worker"))
            .env("TEAM_WORKER_DATA_DIR", data.path())
            .env("TEAM_WORKER_WORKSPACE", WORKSPACE)
            .env("TEAM_WORKER_JOIN_CODE", code.encode().expose())
            .env("TEAM_WORKER_ACCOUNT", &brand.record.key)
            .env("TEAM_WORKER_ACCOUNT_SECRET", brand.secret.expose())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("team_worker starts");
        let stdin = child.stdin.take().unwrap();
        let said: Arc<Mutex<Vec<String>>> = Arc::default();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn({
            let said = Arc::clone(&said);
            move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    said.lock().unwrap().push(line);
                }
            }
        });
        Worker {
            child,
            stdin,
            said,
            data,
        }
    }

    /// Sends `signal` (`STOP`, `CONT`, `KILL`) to the process.
    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal}");
    }

    fn said(&self, needle: &str) -> bool {
        self.said.lock().unwrap().iter().any(|l| l.contains(needle))
    }

    /// How many of `threads` its replica lacks, and how many it has not exactly once.
    async fn check(&mut self, threads: &[String]) -> (usize, usize) {
        let file = self.data.path().join("threads.txt");
        std::fs::write(&file, threads.join("\n")).unwrap();
        let before = self.said.lock().unwrap().len();
        writeln!(self.stdin, "check {}", file.display()).unwrap();
        let mut answer = None;
        eventually(Duration::from_secs(10), "the worker answers", || {
            answer = self.said.lock().unwrap()[before..]
                .iter()
                .find_map(|l| l.strip_prefix("checked ").map(str::to_owned));
            std::future::ready(answer.is_some())
        })
        .await;
        let answer = answer.unwrap();
        let (missing, not_once) = answer.split_once(' ').unwrap();
        (missing.parse().unwrap(), not_once.parse().unwrap())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every mention in `threads` is on every laptop exactly once, and entered once into the
/// team's log.
async fn every_mention_once(db: &TestDb, laptops: &[&Laptop], threads: &[String]) {
    for laptop in laptops {
        for thread in threads {
            eventually(
                Duration::from_secs(20),
                &format!("{}: the mention {thread} arrives", laptop.name),
                || async { Brand::customer_items(laptop, thread).await.is_some() },
            )
            .await;
            assert_eq!(
                Brand::customer_items(laptop, thread).await,
                Some(1),
                "{}: mention {thread} once",
                laptop.name
            );
        }
    }
    let entered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM switchboard.events WHERE kind = 'item'")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert_eq!(entered, threads.len() as i64, "each mention entered once");
}

/// Laptops in this process, signed in too.
async fn laptops(db: &TestDb, team: uuid::Uuid, brand: &Brand, names: &[&str]) -> Vec<Laptop> {
    let mut laptops = Vec::new();
    for name in names {
        let code = db.member(team, name).await;
        laptops.push(brand.laptop(name, &code).await);
    }
    laptops
}

async fn shut_down(laptops: &[Laptop]) {
    for laptop in laptops {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_asleep_mid_poll_is_replaced_and_its_late_commit_is_refused() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let brand = Arc::new(Brand::start().await);
    let code = db.member(team, "sleeper").await;
    let mut worker = Worker::start(&brand, &code).await;
    let old = held_by(&db, &code.member).await;
    let laptops = laptops(&db, team, &brand, &["agent_a", "agent_b"]).await;
    let poster = Poster::start(&brand);
    tokio::time::sleep(Duration::from_secs(1)).await;

    // The worker is the only poller: the next request to the platform is its.
    let trap = brand.proxy.trap_next();
    let caught = tokio::time::timeout(Duration::from_secs(5), trap.caught)
        .await
        .expect("the holder polls")
        .unwrap();
    worker.signal("STOP");
    let asleep = Instant::now();
    let _ = trap.release.send(());
    let (new, took) = takeover(&db, &old, asleep).await;
    let written_before = items_under(&db, old.fence).await;

    worker.signal("CONT");
    eventually(
        Duration::from_secs(15),
        "the woken holder's commit is refused",
        || std::future::ready(worker.said("poll lease lost")),
    )
    .await;
    assert_eq!(
        items_under(&db, old.fence).await,
        written_before,
        "nothing written under the old fence after the takeover"
    );
    assert_eq!(
        lease(&db).await.as_ref(),
        Some(&new),
        "the new holder keeps the lease"
    );

    tokio::time::sleep(Duration::from_secs(1)).await;
    let threads = poster.stop().await;
    let everyone: Vec<&Laptop> = laptops.iter().collect();
    every_mention_once(&db, &everyone, &threads).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let checked = loop {
        let checked = worker.check(&threads).await;
        if checked.0 == 0 || Instant::now() > deadline {
            break checked;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(checked.0, 0, "the woken laptop has every mention");
    assert_eq!(checked.1, 0, "the woken laptop has every mention once");
    eprintln!(
        "asleep mid-poll ({caught}): {} took over after {took:?}; {} mentions, none lost or twice",
        new.member,
        threads.len()
    );
    shut_down(&laptops).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_whose_connections_the_database_ends_is_replaced() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let brand = Arc::new(Brand::start().await);
    let laptops = laptops(&db, team, &brand, &["agent_a", "agent_b", "agent_c"]).await;
    eventually(Duration::from_secs(20), "a laptop polls", || async {
        lease(&db).await.is_some()
    })
    .await;
    let poster = Poster::start(&brand);
    tokio::time::sleep(Duration::from_secs(1)).await;

    // The database ends the holder's connections and lets it in again only after the
    // takeover (a pool would otherwise reconnect at once and renew its lease).
    let old = lease(&db).await.unwrap();
    db.exec(&format!("ALTER ROLE \"{}\" NOLOGIN", old.member))
        .await;
    let ended = db.terminate_connections_of(&old.member).await;
    let cut = Instant::now();
    assert!(ended > 0, "the holder had connections");
    let (new, took) = takeover(&db, &old, cut).await;
    let written_before = items_under(&db, old.fence).await;
    db.exec(&format!("ALTER ROLE \"{}\" LOGIN", old.member))
        .await;
    let cut_off = laptops
        .iter()
        .find(|l| l.engine.me() == old.member)
        .expect("the holder is one of the laptops");
    eventually(
        Duration::from_secs(15),
        "the cut-off laptop is back",
        || std::future::ready(cut_off.engine.team_status().is_some_and(|s| s.online)),
    )
    .await;

    tokio::time::sleep(Duration::from_secs(1)).await;
    let threads = poster.stop().await;
    let everyone: Vec<&Laptop> = laptops.iter().collect();
    every_mention_once(&db, &everyone, &threads).await;
    assert_eq!(
        items_under(&db, old.fence).await,
        written_before,
        "nothing written under the old fence after the takeover"
    );
    assert_eq!(lease(&db).await.map(|l| l.member), Some(new.member.clone()));
    eprintln!(
        "{ended} connections ended: {} took over after {took:?}; {} mentions, none lost or twice",
        new.member,
        threads.len()
    );
    shut_down(&laptops).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_killed_mid_poll_is_replaced() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let brand = Arc::new(Brand::start().await);
    let code = db.member(team, "doomed").await;
    let worker = Worker::start(&brand, &code).await;
    let old = held_by(&db, &code.member).await;
    let laptops = laptops(&db, team, &brand, &["agent_a", "agent_b"]).await;
    let poster = Poster::start(&brand);
    tokio::time::sleep(Duration::from_secs(1)).await;

    let trap = brand.proxy.trap_next();
    let caught = tokio::time::timeout(Duration::from_secs(5), trap.caught)
        .await
        .expect("the holder polls")
        .unwrap();
    worker.signal("KILL");
    let killed = Instant::now();
    let _ = trap.release.send(());
    let (new, took) = takeover(&db, &old, killed).await;
    drop(worker);

    tokio::time::sleep(Duration::from_secs(1)).await;
    let threads = poster.stop().await;
    let everyone: Vec<&Laptop> = laptops.iter().collect();
    every_mention_once(&db, &everyone, &threads).await;
    eprintln!(
        "killed mid-poll ({caught}): {} took over after {took:?}; {} mentions, none lost or twice",
        new.member,
        threads.len()
    );
    shut_down(&laptops).await;
}
