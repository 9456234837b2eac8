//! The demo team's script: who does what, and when — platform- and store-independent.
//!
//! Each simulated teammate follows a **routine**: a list of [`Step`]s, each one an
//! [`Act`] done a pause after the previous step (the pause at demo speed 1; the runner
//! divides it by the speed). A routine is the **opening** (the first minute, the same for
//! every seed up to a second of jitter, so a newcomer sees every team moment at once)
//! followed by endless **episodes** drawn from the seed: look at a conversation of one's
//! queue, then claim and answer it, answer it straight away, hand it to the person at the
//! laptop, or just leave it.
//!
//! Terms:
//! - a teammate's **current** conversation is the one they have open (their presence);
//!   acts without a target ([`Act::Claim`], [`Act::Reply`], …) are about it;
//! - [`Pick::YourOpen`] is the conversation the person at the laptop has open (as the
//!   window announces it): the step waits until there is one, so the collision happens in
//!   front of them.

/// One simulated teammate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Teammate {
    /// Their member id (what the log's `by` says).
    pub id: &'static str,
    /// Their name.
    pub name: &'static str,
    /// The queues they work.
    pub queues: &'static [&'static str],
    /// Whether they lead.
    pub lead: bool,
}

/// Ana Ruiz, Support.
pub(crate) const ANA: Teammate = Teammate {
    id: "demo.ana",
    name: "Ana Ruiz",
    queues: &["support"],
    lead: false,
};

/// Priya Shah, Sales, the team's lead (she published the policy).
pub(crate) const PRIYA: Teammate = Teammate {
    id: "demo.priya",
    name: "Priya Shah",
    queues: &["sales"],
    lead: true,
};

/// Both teammates, in the order their routines are numbered.
pub(crate) const TEAMMATES: [Teammate; 2] = [ANA, PRIYA];

/// Which conversation a teammate opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pick {
    /// A waiting conversation of this queue nobody has claimed (the `n`-th such one, by
    /// the runner's order, modulo how many there are).
    Queue(&'static str, u32),
    /// The conversation the person has open, once they have one nobody claimed.
    YourOpen,
}

/// What a teammate does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Act {
    /// Opens a conversation (presence: viewing); it becomes their current one.
    View(Pick),
    /// Starts writing a reply in their current conversation (presence: replying).
    StartReplying,
    /// Claims their current conversation (skipped when someone else has it).
    Claim,
    /// Answers their current conversation with this text (posted as the brand).
    Reply(String),
    /// Hands their current conversation to the person at the laptop, with this note.
    HandToYou(String),
    /// A conversation of their own arrives through the team's log — the customer's
    /// message, their claim and their hand-off to the person with this note.
    BringHandOff {
        /// The customer's message.
        message: String,
        /// The note for the person.
        note: String,
    },
    /// Closes their current conversation (no presence).
    Leave,
}

/// One act, `after_ms` after the previous one of the same teammate (at demo speed 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    /// The pause before it, in milliseconds at demo speed 1.
    pub after_ms: u64,
    /// What is done.
    pub act: Act,
}

/// A small deterministic generator (SplitMix64), so a seed always plays the same script.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// One of `choices`.
    pub fn pick<'a>(&mut self, choices: &'a [&'a str]) -> &'a str {
        choices[(self.next_u64() % choices.len() as u64) as usize]
    }
}

/// Replies the teammates write.
const REPLIES: &[&str] = &[
    "Thanks for writing in! I've looked into this and sent you a DM with the details.",
    "Sorry about that — I've asked the roastery to check your order and I'll get back to you today.",
    "Great question! Yes, that blend is back in stock this week.",
    "Thanks so much for the kind words, we'll pass them on to the team!",
    "I'm on it — could you send us your order number by DM so I can check?",
];

/// Notes of hand-offs to the person.
const NOTES: &[&str] = &[
    "Could you take this one? I'm heading into a call — they need an answer today.",
    "This is more your area than mine; I told them someone would follow up shortly.",
    "Handing this to you: the customer already waited once, please answer first.",
];

/// The wholesale request Priya hands over in the opening.
const WHOLESALE_MESSAGE: &str = "Hi Northwind! We run a small café in Leeds and would love \
     to serve your Yirgacheffe — about 20 kg a month. Do you do wholesale prices, and which \
     days do you deliver?";

/// Priya's note on it.
const WHOLESALE_NOTE: &str = "I quoted them the café tier (12% off 20 kg+). Can you confirm \
     the delivery days? I'm in meetings all afternoon.";

/// The endless routine of one teammate: the opening, then episodes drawn from the seed.
#[derive(Debug, Clone)]
pub(crate) struct Routine {
    rng: Rng,
    queue: &'static str,
    next: std::collections::VecDeque<Step>,
}

impl Routine {
    /// The routine of teammate `index` (see [`TEAMMATES`]) for `seed`.
    pub fn new(seed: u64, index: usize) -> Self {
        let mut rng = Rng::new(seed ^ (0xA11CE + index as u64).rotate_left(29));
        let next = opening(index, &mut rng).into();
        Routine {
            rng,
            queue: TEAMMATES[index].queues[0],
            next,
        }
    }
}

impl Iterator for Routine {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        if self.next.is_empty() {
            self.next = episode(self.queue, &mut self.rng).into();
        }
        self.next.pop_front()
    }
}

/// The first `steps` steps of teammate `index`'s routine for `seed`.
#[cfg(test)]
fn routine(seed: u64, index: usize, steps: usize) -> Vec<Step> {
    Routine::new(seed, index).take(steps).collect()
}

/// `ms` give or take up to `jitter` ms.
fn about(rng: &mut Rng, ms: u64, jitter: u64) -> u64 {
    ms - jitter + rng.between(0, 2 * jitter)
}

fn step(after_ms: u64, act: Act) -> Step {
    Step { after_ms, act }
}

/// The first minute (times at speed 1, from the start):
/// - Ana: opens a Support conversation (~2 s), claims it (~8 s), leaves it (~14 s), then
///   opens the conversation the person has open (waits for one): a claim of it by the
///   person is lost to her while she is on it; she claims it (~8 s later), starts
///   replying (~4 s later) and answers (~7 s later) — a send by the person then meets
///   the collision prompt — and leaves.
/// - Priya: opens a Sales conversation (~4 s), starts replying (~10 s), answers (~17 s),
///   leaves (~19 s), and hands a wholesale request to the person (~25 s): a notification.
fn opening(index: usize, rng: &mut Rng) -> Vec<Step> {
    let reply = rng.pick(REPLIES).to_owned();
    if index == 0 {
        vec![
            step(about(rng, 2_000, 500), Act::View(Pick::Queue("support", 0))),
            step(about(rng, 6_000, 500), Act::Claim),
            step(about(rng, 6_000, 500), Act::Leave),
            step(1_000, Act::View(Pick::YourOpen)),
            step(about(rng, 8_000, 500), Act::Claim),
            step(about(rng, 4_000, 500), Act::StartReplying),
            step(about(rng, 7_000, 500), Act::Reply(reply)),
            step(3_000, Act::Leave),
        ]
    } else {
        vec![
            step(about(rng, 4_000, 500), Act::View(Pick::Queue("sales", 0))),
            step(about(rng, 6_000, 500), Act::StartReplying),
            step(about(rng, 7_000, 500), Act::Reply(reply)),
            step(2_000, Act::Leave),
            step(
                about(rng, 6_000, 500),
                Act::BringHandOff {
                    message: WHOLESALE_MESSAGE.into(),
                    note: WHOLESALE_NOTE.into(),
                },
            ),
        ]
    }
}

/// One later episode in `queue`: a pause, a look, then one of the endings.
fn episode(queue: &'static str, rng: &mut Rng) -> Vec<Step> {
    let pick = Pick::Queue(queue, rng.between(0, 3) as u32);
    let mut steps = vec![step(rng.between(15_000, 40_000), Act::View(pick))];
    // Looking takes a while before anything else.
    let look = rng.between(4_000, 9_000);
    let reply = rng.pick(REPLIES).to_owned();
    match rng.between(0, 9) {
        0..=3 => steps.extend([
            step(look, Act::Claim),
            step(rng.between(3_000, 6_000), Act::StartReplying),
            step(rng.between(5_000, 9_000), Act::Reply(reply)),
        ]),
        4..=6 => steps.extend([
            step(look, Act::StartReplying),
            step(rng.between(5_000, 9_000), Act::Reply(reply)),
        ]),
        7 => steps.push(step(look, Act::HandToYou(rng.pick(NOTES).to_owned()))),
        _ => steps.push(step(look, Act::Leave)),
    }
    if steps.last().map(|s| &s.act) != Some(&Act::Leave) {
        steps.push(step(2_000, Act::Leave));
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// When each act of `steps` happens, from the start, at speed 1.
    fn times(steps: &[Step]) -> Vec<(u64, &Act)> {
        let mut at = 0;
        steps
            .iter()
            .map(|s| {
                at += s.after_ms;
                (at, &s.act)
            })
            .collect()
    }

    #[test]
    fn a_seed_always_plays_the_same_script_and_seeds_differ() {
        for index in 0..TEAMMATES.len() {
            assert_eq!(routine(7, index, 60), routine(7, index, 60));
        }
        assert_ne!(routine(7, 0, 60), routine(8, 0, 60));
    }

    #[test]
    fn every_team_moment_happens_within_the_first_minute() {
        for seed in 0..50 {
            let ana = routine(seed, 0, opening(0, &mut Rng::new(0)).len());
            let priya = routine(seed, 1, opening(1, &mut Rng::new(0)).len());
            let ana_times = times(&ana);
            let priya_times = times(&priya);
            let when = |times: &[(u64, &Act)], want: &dyn Fn(&Act) -> bool| {
                times
                    .iter()
                    .find(|(_, act)| want(act))
                    .map(|(at, _)| *at)
                    .expect("the act is in the opening")
            };
            // Presence and a claim within ten seconds.
            assert!(when(&ana_times, &|a| matches!(a, Act::View(_))) <= 3_000);
            assert!(when(&ana_times, &|a| *a == Act::Claim) <= 10_000);
            assert!(when(&priya_times, &|a| *a == Act::StartReplying) <= 12_000);
            // A hand-off to the person within half a minute.
            assert!(
                when(&priya_times, &|a| matches!(a, Act::BringHandOff { .. })) <= 30_000,
                "seed {seed}"
            );
            // Ana joins the person's conversation, then claims and answers it: counted
            // from when she joins, the reply comes within 25 s.
            let joined = when(&ana_times, &|a| *a == Act::View(Pick::YourOpen));
            assert!(joined <= 20_000, "seed {seed}");
            let answered = when(&ana_times, &|a| matches!(a, Act::Reply(_)));
            assert!(answered > joined && answered - joined <= 25_000);
            let claimed_there = ana_times
                .iter()
                .filter(|(at, act)| *at > joined && **act == Act::Claim)
                .count();
            assert_eq!(claimed_there, 1, "she claims the person's conversation");
        }
    }

    #[test]
    fn episodes_look_before_acting_and_always_leave() {
        for seed in 0..30 {
            for (index, mate) in TEAMMATES.iter().enumerate() {
                let opened = opening(index, &mut Rng::new(0)).len();
                let mut later: Vec<Step> =
                    Routine::new(seed, index).skip(opened).take(200).collect();
                // Up to the end of the last whole episode.
                while later.last().map(|s| &s.act) != Some(&Act::Leave) {
                    later.pop();
                }
                let mut open = false;
                for s in &later {
                    match &s.act {
                        Act::View(Pick::Queue(queue, _)) => {
                            assert!(!open, "one conversation at a time");
                            assert_eq!(*queue, mate.queues[0]);
                            open = true;
                        }
                        Act::View(Pick::YourOpen) | Act::BringHandOff { .. } => {
                            panic!("only the opening does that")
                        }
                        Act::Leave => open = false,
                        _ => assert!(open, "acts on an open conversation: {s:?}"),
                    }
                    assert!(s.after_ms > 0 && s.after_ms <= 40_000);
                }
                assert!(!open, "the routine ends with the conversation left");
            }
        }
    }

    #[test]
    fn the_rng_stays_in_bounds() {
        let mut rng = Rng::new(3);
        for _ in 0..1_000 {
            let n = rng.between(5, 9);
            assert!((5..=9).contains(&n));
        }
    }
}
