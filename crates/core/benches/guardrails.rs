//! Guardrail benchmark (`cargo bench -p switchboard-core --bench guardrails`): the check
//! the reply box runs on every keystroke, on a 500-character reply, with the demo
//! workspace's policy (the starter set, brand domains and its own rules). Prints p50, p99
//! and the worst of [`CHECKS`] checks of each reply; the goal from the issue is p99 ≤ 1 ms.
//! Nothing here asserts a time.
//!
//! Three replies: an ordinary one with no finding (the common case), one with several
//! findings (phone, e-mail, blame, shouting, an order number in public) and one full of
//! emoji and accents (spans converted to UTF-16).

#![allow(clippy::print_stdout)] // a benchmark reports by printing

use std::hint::black_box;
use std::time::{Duration, Instant};

use switchboard_core::guardrails::ReplyContext;
use switchboard_core::Policy;

/// Checks timed per reply.
const CHECKS: usize = 20_000;

/// `text` repeated and cut to 500 characters.
fn reply(text: &str) -> String {
    text.chars().cycle().take(500).collect()
}

fn main() {
    let policy = Policy::demo();
    let context = ReplyContext {
        public: true,
        direct_messages: true,
        language: Some("en"),
    };
    let replies = [
        (
            "ordinary",
            reply(
                "Hi Maya, thanks for getting in touch and sorry about the wait. Your parcel left \
                 our roastery this morning and should arrive on Thursday; the courier sends a \
                 delivery slot the day before. If anything is missing, send us a direct message \
                 and we'll sort it out straight away. Refunds usually reach your bank within 5 \
                 to 10 working days. ",
            ),
        ),
        (
            "findings",
            reply(
                "As I already said, you should have checked the size chart. Call me on +44 20 \
                 7946 0958 or write to maya.jones@gmail.com about order #NW-70506. PLEASE READ \
                 THE EMAIL we sent, it went to 221 Baker Street. Yeah right. ",
            ),
        ),
        (
            "emoji and accents",
            reply(
                "¡Gracias! 🙌 Nous sommes désolés ☕ für die Verzögerung 😊 — la molienda \
                 correcta ya va de camino 🚚 et le remboursement est en cours. Ça marche? 👍🏽 ",
            ),
        ),
    ];
    for (name, text) in &replies {
        let findings = policy.guardrails.check(text, &context);
        for _ in 0..1_000 {
            black_box(policy.guardrails.check(black_box(text), &context));
        }
        let mut times: Vec<Duration> = Vec::with_capacity(CHECKS);
        for _ in 0..CHECKS {
            let start = Instant::now();
            black_box(policy.guardrails.check(black_box(text), &context));
            times.push(start.elapsed());
        }
        times.sort_unstable();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "guardrail check, 500-character reply ({name}, {} findings): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs over {CHECKS} checks (goal p99 ≤ 1 ms)",
            findings.len(),
            at(0.50).as_secs_f64() * 1e6,
            at(0.99).as_secs_f64() * 1e6,
            times[times.len() - 1].as_secs_f64() * 1e6,
        );
    }
}
