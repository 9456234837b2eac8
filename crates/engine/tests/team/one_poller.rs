//! One poller per brand account: 1, 5, 10 and then 20 laptops signed in to the same
//! `@brand` on `mastodon_mock`, 6 s each while a customer mentions the brand every 0.3 s.
//! At the end, a dump of the whole team database holds no trace of the brand's token.
//! The requests the server receives in those 6 s (counted at a proxy in front of it, by
//! endpoint) do not grow with the number of laptops — only the poll-lease holder reads
//! the platform — and every laptop has every mention exactly once (its thread is a
//! conversation with one customer item).

#[path = "brand_laptops.rs"]
pub mod brand_laptops;
#[path = "counting_proxy.rs"]
pub mod counting_proxy;

use std::time::{Duration, Instant};

use switchboard_team::testing;

use crate::laptops::eventually;
use brand_laptops::Brand;
use counting_proxy::Counts;

/// How many laptops each period has (added to the ones before).
const LAPTOPS: [usize; 4] = [1, 5, 10, 20];

/// How long each period lasts, and how often the customer posts in it.
const PERIOD: Duration = Duration::from_secs(6);
const MENTION_EVERY: Duration = Duration::from_millis(300);

/// The most the server's load may grow from 1 laptop to any number.
const FLAT: f64 = 1.5;

fn total(counts: &Counts) -> u64 {
    counts.values().sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platform_sees_one_poller_however_many_laptops_are_signed_in() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let brand = Brand::start().await;
    let mut laptops = Vec::new();
    let mut periods: Vec<(usize, Counts)> = Vec::new();
    let mut n = 0;
    for size in LAPTOPS {
        while laptops.len() < size {
            let name = format!("agent{}", laptops.len());
            let code = db.member(team, &name).await;
            laptops.push(brand.laptop(&name, &code).await);
        }
        // The new laptops' first rounds (asking for the lease, catching up on the log).
        tokio::time::sleep(Duration::from_millis(500)).await;

        brand.proxy.take_counts();
        let started = Instant::now();
        let mut threads = Vec::new();
        for k in 1..=(PERIOD.as_millis() / MENTION_EVERY.as_millis()) as u32 {
            n += 1;
            threads.push(brand.mention(n).await);
            tokio::time::sleep_until((started + MENTION_EVERY * k).into()).await;
        }
        tokio::time::sleep_until((started + PERIOD).into()).await;
        let received = brand.proxy.take_counts();

        for laptop in &laptops {
            for thread in &threads {
                eventually(
                    Duration::from_secs(15),
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
        eprintln!(
            "{size:>2} laptops, {} mentions in {PERIOD:?}: {} requests {received:?}",
            threads.len(),
            total(&received)
        );
        periods.push((size, received));
    }

    let pollers: Vec<(String, i64)> = sqlx::query_as(
        "SELECT device, lease_fence FROM switchboard.items GROUP BY device, lease_fence",
    )
    .fetch_all(db.admin.pool())
    .await
    .unwrap();
    eprintln!("items entered by (device, fence): {pollers:?}");
    let entered: i64 =
        sqlx::query_scalar("SELECT count(*) FROM switchboard.events WHERE kind = 'item'")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert_eq!(
        entered, n as i64,
        "each mention entered into the team's log once"
    );
    let one = total(&periods[0].1);
    assert!(one > 0, "the one laptop polled");
    for (size, counts) in &periods {
        let ratio = total(counts) as f64 / one as f64;
        assert!(
            ratio <= FLAT,
            "{size} laptops cost the server {ratio:.2}× the requests of one laptop ({} vs {one})",
            total(counts)
        );
    }
    // Twenty laptops held the brand's token and polled with it: the team database holds
    // no trace of it — not in a dump of the whole database, nor in any row.
    let dump = testing::cluster().pg_dump(db.name());
    assert!(
        dump.contains("switchboard.events"),
        "the dump is of the team database"
    );
    let token = brand.secret.expose();
    assert!(!token.is_empty());
    assert!(
        !dump.contains(token.as_str()),
        "the platform token is not in the team database"
    );
    for laptop in &laptops {
        let closed = tokio::time::timeout(Duration::from_secs(10), laptop.engine.shutdown()).await;
        assert!(closed.is_ok(), "{} shuts down within 10 s", laptop.name);
    }
}
