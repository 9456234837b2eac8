//! Pull benchmark: 2,000 mention notifications of one brand account on the local Bluesky
//! network, pulled with Switchboard's client (`fetch_since` from the position before they
//! arrived: paging, parsing and turning them into items) and with the official
//! `@atproto/api` Node client (`tests/peers/bluesky/pull.mjs`: paging only) in the same
//! run. Prints both medians and their ratio. Run: `cargo bench -p switchboard-bluesky`
//! (after `scripts/peers/bluesky`).

#![allow(clippy::print_stdout)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::actors::Actor;
use support::network::{network, node_binary};
use switchboard_bluesky::ClientOptions;
use switchboard_core::Timestamp;
use switchboard_platforms::Provider;

const MENTIONS: usize = 2_000;
const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `cargo test --all-targets` runs bench targets too: only `cargo bench` runs this one.
    if !std::env::args().any(|arg| arg == "--bench") {
        println!("pull benchmark skipped: run it with `cargo bench -p switchboard-bluesky`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let started = Instant::now();
    let network = network();
    println!(
        "local Bluesky network ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let brand = Actor::create("bnb").await;
    let crowd = Actor::create("bnc").await;
    let options = ClientOptions {
        max_pages_per_fetch: 1_000,
        ..ClientOptions::default()
    };
    let (provider, _) = brand.sign_in_to_switchboard(options).await;
    let now = Timestamp::now_from_system();
    let before = provider
        .fetch_since(None, now)
        .await
        .expect("first sync")
        .next_cursor;

    let seeding = Instant::now();
    crowd.post_many_mentions(MENTIONS, &brand).await;
    tokio::task::spawn_blocking(|| network.process())
        .await
        .expect("indexed");
    println!(
        "seeded {MENTIONS} mentions in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    // One untimed warm-up, then RUNS timed pulls.
    let mut times = Vec::new();
    for run in 0..=RUNS {
        let t0 = Instant::now();
        let page = provider
            .fetch_since(Some(&before), now)
            .await
            .expect("pull");
        let elapsed = t0.elapsed();
        assert_eq!(page.items.len(), MENTIONS, "every mention, once");
        if run > 0 {
            times.push(elapsed);
        }
    }
    let ours = median(times);

    let peer_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/peers/bluesky");
    let output = Command::new(node_binary())
        .arg("pull.mjs")
        .args([
            &brand.pds,
            &brand.handle,
            &brand.app_password,
            &RUNS.to_string(),
        ])
        .current_dir(peer_dir)
        .output()
        .expect("node runs pull.mjs");
    assert!(
        output.status.success(),
        "pull.mjs failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("pull.mjs prints JSON");
    assert_eq!(
        result["count"].as_u64(),
        Some(MENTIONS as u64),
        "the Node client sees them all"
    );
    let node_times: Vec<Duration> = result["timesMs"]
        .as_array()
        .expect("times")
        .iter()
        .map(|t| Duration::from_secs_f64(t.as_f64().expect("ms") / 1000.0))
        .collect();
    let theirs = median(node_times);

    println!("pull of {MENTIONS} mention notifications (20 pages of 100), median of {RUNS}:");
    println!(
        "  switchboard-bluesky: {:>8.1} ms",
        ours.as_secs_f64() * 1000.0
    );
    println!(
        "  @atproto/api (Node): {:>8.1} ms",
        theirs.as_secs_f64() * 1000.0
    );
    println!(
        "  ratio switchboard / official: {:.2} ({})",
        ours.as_secs_f64() / theirs.as_secs_f64(),
        if ours <= theirs {
            "no slower"
        } else {
            "SLOWER"
        }
    );
}
