//! The spike detector on synthetic series, and the policy's `[spikes]` section.

use switchboard_core::{
    spike_words, Policy, QueueId, SpikeChange, SpikeDetector, SpikeSettings, Timestamp,
};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
/// Monday 2026-11-02 00:00 UTC.
const MONDAY: i64 = 1_793_577_600_000;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
    fn poisson(&mut self, mean: f64) -> u32 {
        let l = (-mean).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.next();
            if p <= l {
                return k;
            }
            k += 1;
        }
    }
}

fn support() -> QueueId {
    QueueId("support".into())
}

fn settings(keywords: &[&str]) -> SpikeSettings {
    let policy = switchboard_core::SpikePolicy {
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        ..Default::default()
    };
    SpikeSettings::from_policy(&policy)
}

/// Plays `minutes` minutes from `start` at `rate(minute start)` items per minute; returns
/// the changes with the minute they came in.
fn play(
    d: &mut SpikeDetector,
    rng: &mut Rng,
    start: i64,
    minutes: i64,
    rate: impl Fn(i64) -> f64,
    text: impl Fn(&mut Rng) -> String,
) -> Vec<(i64, SpikeChange)> {
    let mut out = Vec::new();
    for m in 0..minutes {
        let t0 = start + m * MIN;
        let n = rng.poisson(rate(t0));
        let mut times: Vec<i64> = (0..n)
            .map(|_| t0 + (rng.next() * MIN as f64) as i64)
            .collect();
        times.sort_unstable();
        let mut changes = Vec::new();
        for at in times {
            let body = text(rng);
            d.observe(&support(), Timestamp(at), &body, &mut changes);
        }
        d.advance(Timestamp(t0 + MIN), &mut changes);
        out.extend(changes.into_iter().map(|c| (t0, c)));
    }
    out
}

fn ordinary(rng: &mut Rng) -> String {
    const TEXTS: &[&str] = &[
        "Where is my order? It was supposed to arrive yesterday",
        "The grinder I bought makes a strange noise",
        "Wo bleibt meine Bestellung? Seit einer Woche nichts",
        "¿Cuándo llega mi pedido? Gracias",
        "Ma commande n'est toujours pas arrivée",
        "Can I change the delivery address for my subscription?",
        "The beans were stale, can I get a refund?",
    ];
    TEXTS[(rng.next() * TEXTS.len() as f64) as usize].to_owned()
}

fn outage(rng: &mut Rng) -> String {
    const TEXTS: &[&str] = &[
        "Is the app down? Login fails with an outage message",
        "App crashes at login, outage again?",
        "Login geht nicht, App abgestürzt — Störung?",
        "La app no funciona, no puedo hacer login",
        "Panne de l'appli, impossible de faire le login",
    ];
    TEXTS[(rng.next() * TEXTS.len() as f64) as usize].to_owned()
}

fn started(changes: &[(i64, SpikeChange)]) -> Vec<(i64, switchboard_core::SpikeView)> {
    changes
        .iter()
        .filter_map(|(m, c)| match c {
            SpikeChange::Started { spike, .. } => Some((*m, spike.clone())),
            SpikeChange::Ended { .. } => None,
        })
        .collect()
}

#[test]
fn a_five_fold_burst_is_flagged_within_two_minutes_once() {
    let mut rng = Rng(7);
    let mut d = SpikeDetector::new(settings(&[]));
    d.go_live(Timestamp(MONDAY), &[support()]);
    let normal = play(&mut d, &mut rng, MONDAY, 60, |_| 6.0, ordinary);
    assert!(
        started(&normal).is_empty(),
        "nothing before the burst: {normal:?}"
    );
    let burst_at = MONDAY + 60 * MIN;
    let burst = play(&mut d, &mut rng, burst_at, 20, |_| 30.0, outage);
    let spikes = started(&burst);
    assert_eq!(spikes.len(), 1, "one alert per spike: {burst:?}");
    let (minute, spike) = &spikes[0];
    assert!(*minute < burst_at + 2 * MIN, "flagged within 2 minutes");
    assert!(spike.since.millis() <= burst_at + 2 * MIN);
    assert!(spike.factor >= 4.0, "{spike:?}");
    assert!(spike.count >= 20);
    assert!(
        spike
            .top_words
            .iter()
            .any(|w| w == "login" || w == "outage"),
        "{spike:?}"
    );
    assert!(d.spike(&support()).is_some(), "marked while it lasts");
    // Back to normal: it ends (once) and the mark goes.
    let after = play(&mut d, &mut rng, burst_at + 20 * MIN, 40, |_| 6.0, ordinary);
    let ends = after
        .iter()
        .filter(|(_, c)| matches!(c, SpikeChange::Ended { .. }))
        .count();
    assert_eq!(ends, 1, "{after:?}");
    assert!(started(&after).is_empty());
    assert!(d.spike(&support()).is_none());
    let text = spike.describe("Support");
    assert!(text.starts_with("Support: "), "{text}");
    assert!(
        text.contains(" new in 10 min, ") && text.contains("× usual — top words: "),
        "{text}"
    );
}

/// A weekday: quiet nights, a morning rise, a lunch peak and a bigger evening peak;
/// weekends lower and later.
fn daily_curve(t: i64) -> f64 {
    let day = (t - MONDAY).div_euclid(DAY).rem_euclid(7);
    let hour = (t.rem_euclid(DAY)) as f64 / HOUR as f64;
    let anchors: [(f64, f64); 11] = [
        (0.0, 0.3),
        (6.0, 0.2),
        (8.0, 2.0),
        (10.0, 3.0),
        (12.0, 5.5),
        (13.5, 3.0),
        (17.0, 3.5),
        (19.0, 7.0),
        (20.5, 8.0),
        (22.5, 1.5),
        (24.0, 0.3),
    ];
    let mut rate = 0.3;
    for w in anchors.windows(2) {
        let ((h0, r0), (h1, r1)) = (w[0], w[1]);
        if hour >= h0 && hour < h1 {
            rate = r0 + (r1 - r0) * (hour - h0) / (h1 - h0);
        }
    }
    if day >= 5 {
        rate * 0.6
    } else {
        rate
    }
}

#[test]
fn a_normal_daily_curve_raises_nothing_over_four_weeks() {
    let mut rng = Rng(42);
    let mut d = SpikeDetector::new(settings(&["refund"]));
    d.go_live(Timestamp(MONDAY), &[support()]);
    let changes = play(
        &mut d,
        &mut rng,
        MONDAY,
        28 * 24 * 60,
        daily_curve,
        ordinary,
    );
    assert!(changes.is_empty(), "no spike: {:?}", changes.first());
    // And a burst on top of the learned week is still seen.
    let at = MONDAY + 28 * DAY + 12 * HOUR;
    let burst = play(&mut d, &mut rng, at, 10, |t| daily_curve(t) * 6.0, outage);
    assert_eq!(started(&burst).len(), 1, "{burst:?}");
}

#[test]
fn a_keyword_spikes_on_its_own_inside_a_busy_queue() {
    let mut rng = Rng(3);
    let mut d = SpikeDetector::new(settings(&["outage", "login"]));
    d.go_live(Timestamp(MONDAY), &[support()]);
    let quiet = play(&mut d, &mut rng, MONDAY, 60, |_| 20.0, ordinary);
    assert!(started(&quiet).is_empty());
    // 25 % more items, all about an outage: not a spike of the queue, one of the keyword.
    let at = MONDAY + 60 * MIN;
    let changes = play(
        &mut d,
        &mut rng,
        at,
        10,
        |_| 25.0,
        |rng| {
            if rng.next() < 0.2 {
                outage(rng)
            } else {
                ordinary(rng)
            }
        },
    );
    let spikes = started(&changes);
    assert_eq!(spikes.len(), 1, "one alert for the queue: {changes:?}");
    let spike = &spikes[0].1;
    assert!(
        spike.keyword.as_deref() == Some("outage") || spike.keyword.as_deref() == Some("login"),
        "{spike:?}"
    );
    assert!(spike.describe("Support").contains("mentioning"));
}

#[test]
fn a_new_workspace_learns_its_pace_before_judging() {
    let mut rng = Rng(11);
    let mut d = SpikeDetector::new(settings(&[]));
    // History: a sparse backlog (an item every 3 minutes for two hours).
    let mut changes = Vec::new();
    for i in 0..40 {
        d.observe(
            &support(),
            Timestamp(MONDAY - (40 - i) * 3 * MIN),
            "old",
            &mut changes,
        );
    }
    assert!(changes.is_empty(), "history never alerts");
    // Live at a far busier pace from the start: that is the usual pace, not a spike.
    d.go_live(Timestamp(MONDAY), &[support()]);
    let live = play(&mut d, &mut rng, MONDAY, 30, |_| 12.0, ordinary);
    assert!(started(&live).is_empty(), "{live:?}");
    let burst = play(&mut d, &mut rng, MONDAY + 30 * MIN, 5, |_| 80.0, outage);
    assert_eq!(started(&burst).len(), 1, "{burst:?}");
}

#[test]
fn the_same_hour_last_week_is_usual() {
    let mut rng = Rng(5);
    let mut d = SpikeDetector::new(settings(&[]));
    // History of two weeks: Mondays 10:00–11:00 a flash sale hour (40/min), 2/min else.
    let rate = |t: i64| {
        let in_week = (t - MONDAY).rem_euclid(7 * DAY);
        if (10 * HOUR..11 * HOUR).contains(&in_week) {
            40.0
        } else {
            2.0
        }
    };
    let history = play(
        &mut d,
        &mut rng,
        MONDAY - 14 * DAY,
        14 * 24 * 60,
        rate,
        ordinary,
    );
    assert!(history.is_empty());
    d.go_live(Timestamp(MONDAY), &[support()]);
    let live = play(&mut d, &mut rng, MONDAY, 12 * 60, rate, ordinary);
    assert!(
        started(&live).is_empty(),
        "the Monday peak is usual: {live:?}"
    );
    // The same jump on a Tuesday is a spike.
    let tuesday = play(
        &mut d,
        &mut rng,
        MONDAY + DAY + 10 * HOUR,
        10,
        |_| 40.0,
        outage,
    );
    assert_eq!(started(&tuesday).len(), 1);
}

#[test]
fn words_drop_stop_words_of_four_languages() {
    assert_eq!(
        spike_words("The app is down and I can't login! Die App ist abgestürzt. La app no funciona. L'appli est en panne"),
        vec!["app", "down", "login", "app", "abgestürzt", "app", "funciona", "appli", "panne"]
    );
}

fn policy(spikes: &str) -> Result<Policy, String> {
    let text =
        format!("[[queue]]\nid = \"triage\"\nlabel = \"Triage\"\ncolor = \"#888888\"\n\n{spikes}");
    Policy::parse("p.toml", &text).map_err(|e| e.to_string())
}

#[test]
fn the_spikes_section_has_defaults_and_reads_every_key() {
    let p = policy("").unwrap();
    assert_eq!(p.spikes, switchboard_core::SpikePolicy::default());
    assert_eq!(p.spikes.factor, 4.0);
    assert_eq!(p.spikes.min_count, 20);
    assert_eq!(p.spikes.window_millis, 10 * MIN);
    let p = policy("[spikes]\nfactor = 5\nmin_count = 30\nwindow = \"15m\"\nkeywords = [\"Outage\", \"app down\"]\n").unwrap();
    assert_eq!(p.spikes.factor, 5.0);
    assert_eq!(p.spikes.min_count, 30);
    assert_eq!(p.spikes.window_millis, 15 * MIN);
    assert_eq!(p.spikes.keywords, vec!["outage", "app down"]);
    let demo = Policy::demo();
    assert!(
        !demo.spikes.keywords.is_empty(),
        "the demo watches keywords"
    );
}

#[test]
fn spikes_mistakes_point_at_the_value() {
    let cases = [
        (
            "[spikes]\nfactor = 1\n",
            "p.toml:7:10: factor = 1 must be above 1",
        ),
        ("[spikes]\nfactor = \"4\"\n", "p.toml:7:10: "),
        (
            "[spikes]\nmin_count = 2.5\n",
            "p.toml:7:13: min_count = 2.5 must be a whole number",
        ),
        (
            "[spikes]\nmin_count = 0\n",
            "p.toml:7:13: min_count = 0 must be",
        ),
        (
            "[spikes]\nwindow = \"10\"\n",
            "p.toml:7:10: \"10\" is not a duration",
        ),
        (
            "[spikes]\nwindow = \"30s\"\n",
            "p.toml:7:10: window = \"30s\" must be from 1 minute to 1 day",
        ),
        (
            "[spikes]\nkeywords = [\"outage\", \" \"]\n",
            "p.toml:7:23: a keyword is empty",
        ),
        (
            "[spikes]\nkeywords = [\"login\", \"LOGIN\"]\n",
            "p.toml:7:22: the keyword \"login\" is listed twice",
        ),
        ("[spikes]\nfactr = 4\n", "p.toml:7:1: unknown field `factr`"),
    ];
    for (text, expected) in cases {
        let err = policy(text).unwrap_err();
        assert!(err.starts_with(expected), "{text:?}: {err}");
    }
}
