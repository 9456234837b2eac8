//! The benchmark's printed figures, with the goals next to them.

use std::time::Duration;

use crate::system::{load_average, memory_mib, status_line};
use crate::watch::{Tracker, DRAIN};
use crate::Scale;

pub(crate) struct Report<'a> {
    pub(crate) scale: &'a Scale,
    pub(crate) run: f64,
    pub(crate) fed: usize,
    pub(crate) polls: u64,
    pub(crate) actions: usize,
    pub(crate) tracker: &'a Tracker,
    pub(crate) items: Vec<Duration>,
    pub(crate) drained: Option<Duration>,
    pub(crate) connections: &'a [i64],
    pub(crate) pg_seconds: f64,
    pub(crate) me_seconds: f64,
    pub(crate) load_before: String,
}

/// p50 / p99 / max of `values`, in milliseconds.
pub(crate) fn spread(values: &[Duration]) -> String {
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

pub(crate) fn p99(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    v.get(((v.len().max(1) - 1) as f64 * 0.99).round() as usize)
        .copied()
        .unwrap_or_default()
}

pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "NOT met"
    }
}

pub(crate) fn report(r: &Report<'_>) {
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
