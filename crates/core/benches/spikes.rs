//! Spike detection's cost: a day of 1 M customer items over four queues (with two
//! keywords watched), time advancing every second; prints the CPU share of one core.
//! Run: `cargo bench -p switchboard-core --bench spikes`.

use std::time::Instant;

use switchboard_core::{QueueId, SpikeDetector, SpikePolicy, SpikeSettings, Timestamp};

const ITEMS: u64 = 1_000_000;
const DAY_MS: i64 = 86_400_000;

#[allow(clippy::print_stdout)] // a benchmark prints its figures
fn main() {
    let policy = SpikePolicy {
        keywords: vec!["outage".into(), "login".into()],
        ..SpikePolicy::default()
    };
    let mut detector = SpikeDetector::new(SpikeSettings::from_policy(&policy));
    let queues: Vec<QueueId> = ["triage", "support", "sales", "marketing"]
        .iter()
        .map(|q| QueueId((*q).into()))
        .collect();
    let texts = [
        "Where is my order #NW-12345? It was supposed to arrive yesterday",
        "Wo bleibt meine Bestellung? Seit einer Woche nichts gehört",
        "¿Cuándo llega mi pedido? La app no funciona",
        "Ma commande n'est toujours pas arrivée, l'appli plante au login",
        "Love the new espresso blend, best coffee in town!",
        "Is the app down? Outage again, cannot login",
    ];
    let start = 1_793_577_600_000_i64;
    detector.go_live(Timestamp(start), &queues);
    let mut changes = Vec::new();
    let mut spikes = 0;
    let begun = Instant::now();
    let mut last_second = start / 1000;
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for n in 0..ITEMS {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        let at = start + (n as i64 * DAY_MS) / ITEMS as i64;
        let queue = &queues[(state >> 33) as usize % queues.len()];
        let text = texts[(state >> 40) as usize % texts.len()];
        detector.observe(queue, Timestamp(at), text, &mut changes);
        if at / 1000 != last_second {
            last_second = at / 1000;
            detector.advance(Timestamp(at), &mut changes);
        }
        spikes += changes.len();
        changes.clear();
    }
    let spent = begun.elapsed();
    let share = spent.as_secs_f64() / 86_400.0 * 100.0;
    println!(
        "spike detection: {ITEMS} items over a day (4 queues, 2 keywords, a tick per second) in {:.3} s of CPU = {:.5} % of one core ({:.2} µs per item; {} spike changes)",
        spent.as_secs_f64(),
        share,
        spent.as_secs_f64() * 1e6 / ITEMS as f64,
        spikes
    );
    assert!(
        share <= 1.0,
        "spike detection must cost at most 1 % of one core"
    );
}
