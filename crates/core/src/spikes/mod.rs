//! Spike detection: a queue (or a keyword within a queue) receiving far more customer items
//! than usual. Pure: items and the clock come in as arguments.
//!
//! Terms:
//! - a **series** is one counted stream: a queue's customer items, or those of a queue
//!   whose text contains one of the policy's keywords (see `series.rs` for the window, the
//!   baseline and when a spike starts and ends);
//! - a queue is **in a spike** while any of its series is; [`SpikeChange::Started`] comes
//!   once when the first of them starts and [`SpikeChange::Ended`] once when the last ends
//!   — one alert per spike, however many keywords it involves;
//! - the detector first **replays history** (the workspace's stored items: they teach the
//!   seasonal baseline and never alert), then **goes live** ([`SpikeDetector::go_live`]).
//!
//! Cost: counting an item is O(1) amortised plus its words (a hash-map update each);
//! sliding the window when time passes is O(1) amortised per queue.

mod series;
mod words;

use std::collections::HashMap;

pub use words::{for_each_word, words};

use crate::{QueueId, SpikePolicy, SpikeView, Timestamp};
use series::{Series, Thresholds, BUCKETS};
use words::WordCounts;

/// Top words a spike shows.
pub const TOP_WORDS: usize = 5;

/// The detector's settings, from the policy's `[spikes]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeSettings {
    /// A spike is at least this many times the usual rate.
    pub factor: f64,
    /// …with at least this many items in the window.
    pub min_count: u32,
    /// The window, in milliseconds of the clock the items are stamped with.
    pub window_millis: i64,
    /// The window as the person reads it, in minutes (the policy's).
    pub window_minutes: u32,
    /// Keywords watched on their own, lowercase.
    pub keywords: Vec<String>,
}

impl SpikeSettings {
    /// The policy's settings.
    pub fn from_policy(policy: &SpikePolicy) -> SpikeSettings {
        SpikeSettings {
            factor: policy.factor,
            min_count: policy.min_count,
            window_millis: policy.window_millis,
            window_minutes: u32::try_from(policy.window_millis / 60_000).unwrap_or(u32::MAX),
            keywords: policy.keywords.clone(),
        }
    }

    /// These settings for a world that runs `speed` times as fast as the clock (the demo
    /// network at `SWITCHBOARD_DEMO_SPEED`): the window shrinks by `speed` (at least ten
    /// seconds); it still reads as the policy's.
    pub fn sped_up(mut self, speed: f64) -> SpikeSettings {
        if speed.is_finite() && speed > 1.0 {
            self.window_millis = ((self.window_millis as f64 / speed) as i64).max(10_000);
        }
        self
    }

    fn thresholds(&self) -> Thresholds {
        Thresholds {
            factor: self.factor,
            min_count: self.min_count,
            bucket_ms: (self.window_millis / BUCKETS as i64).max(1),
        }
    }
}

/// A queue's spike starting or ending.
#[derive(Debug, Clone, PartialEq)]
pub enum SpikeChange {
    /// `queue` went into a spike.
    Started {
        /// The queue.
        queue: QueueId,
        /// The spike as it stands.
        spike: SpikeView,
    },
    /// `queue`'s spike ended.
    Ended {
        /// The queue.
        queue: QueueId,
    },
}

/// One queue's series and words.
#[derive(Debug)]
struct QueueSpikes {
    total: Series,
    keywords: Vec<Series>,
    /// The words of each bucket of the window (same slots as the series').
    bucket_words: Vec<HashMap<Box<str>, u32>>,
    head: i64,
    window_words: WordCounts,
    background: WordCounts,
    in_spike: bool,
}

impl QueueSpikes {
    fn new(keywords: usize, live_from: Option<Timestamp>) -> QueueSpikes {
        QueueSpikes {
            total: Series::new(live_from),
            keywords: (0..keywords).map(|_| Series::new(live_from)).collect(),
            bucket_words: vec![HashMap::new(); BUCKETS],
            head: i64::MIN,
            window_words: WordCounts::default(),
            background: WordCounts::default(),
            in_spike: false,
        }
    }

    fn roll(&mut self, now: Timestamp, t: &Thresholds) {
        self.total.roll(now, t);
        for k in &mut self.keywords {
            k.roll(now, t);
        }
        let to = now.millis().div_euclid(t.bucket_ms);
        if self.head == i64::MIN {
            self.head = to;
            return;
        }
        if to <= self.head {
            return;
        }
        for i in 1..=(to - self.head).min(BUCKETS as i64) {
            let s = (self.head + i).rem_euclid(BUCKETS as i64) as usize;
            let leaving = std::mem::take(&mut self.bucket_words[s]);
            for (word, &n) in &leaving {
                self.window_words.remove(word, n);
            }
            self.background.absorb(&leaving);
        }
        self.head = to;
    }

    fn add_words(&mut self, at: Timestamp, text: &str, t: &Thresholds) {
        let bucket = at.millis().div_euclid(t.bucket_ms);
        if bucket <= self.head - BUCKETS as i64 || bucket > self.head {
            // Too old for the window: background only.
            for_each_word(text, |w| self.background.add(w, 1));
            return;
        }
        let s = bucket.rem_euclid(BUCKETS as i64) as usize;
        let words = &mut self.bucket_words[s];
        let window = &mut self.window_words;
        for_each_word(text, |w| {
            match words.get_mut(w) {
                Some(n) => *n += 1,
                None => {
                    words.insert(w.into(), 1);
                }
            }
            window.add(w, 1);
        });
    }

    /// Judges every series; reports the queue's start or end.
    fn judge(&mut self, now: Timestamp, t: &Thresholds) -> Option<bool> {
        self.total.judge(now, t);
        for k in &mut self.keywords {
            k.judge(now, t);
        }
        let active =
            self.total.active.is_some() || self.keywords.iter().any(|k| k.active.is_some());
        if active == self.in_spike {
            return None;
        }
        self.in_spike = active;
        Some(active)
    }

    fn view(&self, settings: &SpikeSettings) -> Option<SpikeView> {
        let (series, keyword) = match self.total.active {
            Some(_) => (&self.total, None),
            None => {
                let i = self.keywords.iter().position(|k| k.active.is_some())?;
                (&self.keywords[i], settings.keywords.get(i).cloned())
            }
        };
        let active = series.active?;
        Some(SpikeView {
            since: active.since,
            count: series.window,
            window_minutes: settings.window_minutes,
            factor: (active.factor * 10.0).round() / 10.0,
            top_words: self.window_words.top_against(&self.background, TOP_WORDS),
            keyword,
        })
    }
}

/// Watches every queue's incoming customer items for spikes.
#[derive(Debug)]
pub struct SpikeDetector {
    settings: SpikeSettings,
    thresholds: Thresholds,
    queues: HashMap<QueueId, QueueSpikes>,
    live_from: Option<Timestamp>,
    now: Timestamp,
}

impl SpikeDetector {
    /// A detector that has seen nothing, replaying history until [`SpikeDetector::go_live`].
    pub fn new(settings: SpikeSettings) -> SpikeDetector {
        SpikeDetector {
            thresholds: settings.thresholds(),
            settings,
            queues: HashMap::new(),
            live_from: None,
            now: Timestamp(i64::MIN),
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &SpikeSettings {
        &self.settings
    }

    /// History is replayed: from `now` on, items are live and may start spikes. `queues`
    /// are watched from now even if history had none of theirs. The moving estimate
    /// learns from live items only (a first fetch's backlog says little about the usual
    /// pace), so a queue is judged on it after one window of watching.
    pub fn go_live(&mut self, now: Timestamp, queues: &[QueueId]) {
        self.live_from = Some(now);
        self.now = self.now.max(now);
        let keywords = self.settings.keywords.len();
        for queue in queues {
            self.queues
                .entry(queue.clone())
                .or_insert_with(|| QueueSpikes::new(keywords, None));
        }
        let t = self.thresholds;
        for q in self.queues.values_mut() {
            q.total.go_live(now);
            for k in &mut q.keywords {
                k.go_live(now);
            }
            q.roll(now, &t);
        }
    }

    /// Counts a customer item of `queue` stamped `at` with `text`; pushes onto `changes`
    /// the spikes it starts (and any that ended meanwhile).
    pub fn observe(
        &mut self,
        queue: &QueueId,
        at: Timestamp,
        text: &str,
        changes: &mut Vec<SpikeChange>,
    ) {
        self.now = self.now.max(at);
        let now = self.now;
        let t = self.thresholds;
        let live_from = self.live_from.map(|_| at);
        let keywords = &self.settings.keywords;
        let q = match self.queues.get_mut(queue) {
            Some(q) => q,
            None => self
                .queues
                .entry(queue.clone())
                .or_insert_with(|| QueueSpikes::new(keywords.len(), live_from)),
        };
        q.roll(now, &t);
        q.total.add(at, &t);
        if !keywords.is_empty() {
            let lower = text.to_lowercase();
            for (series, keyword) in q.keywords.iter_mut().zip(keywords) {
                if lower.contains(keyword.as_str()) {
                    series.add(at, &t);
                }
            }
        }
        q.add_words(at, text, &t);
        if self.live_from.is_some() {
            if let Some(started) = q.judge(now, &t) {
                changes.push(change(queue, started, q, &self.settings));
            }
        }
    }

    /// Lets time pass to `now` (windows slide, spikes may end); pushes the changes.
    pub fn advance(&mut self, now: Timestamp, changes: &mut Vec<SpikeChange>) {
        self.now = self.now.max(now);
        let now = self.now;
        let t = self.thresholds;
        if self.live_from.is_none() {
            return;
        }
        for (queue, q) in &mut self.queues {
            q.roll(now, &t);
            if let Some(started) = q.judge(now, &t) {
                changes.push(change(queue, started, q, &self.settings));
            }
        }
    }

    /// `queue`'s spike while it lasts.
    pub fn spike(&self, queue: &QueueId) -> Option<SpikeView> {
        self.queues.get(queue)?.view(&self.settings)
    }

    /// Every queue in a spike, with it.
    pub fn spikes(&self) -> Vec<(QueueId, SpikeView)> {
        let mut out: Vec<(QueueId, SpikeView)> = self
            .queues
            .iter()
            .filter_map(|(id, q)| Some((id.clone(), q.view(&self.settings)?)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn change(
    queue: &QueueId,
    started: bool,
    q: &QueueSpikes,
    settings: &SpikeSettings,
) -> SpikeChange {
    match (started, q.view(settings)) {
        (true, Some(spike)) => SpikeChange::Started {
            queue: queue.clone(),
            spike,
        },
        _ => SpikeChange::Ended {
            queue: queue.clone(),
        },
    }
}

impl SpikeView {
    /// The notification's sentence: "Support: 46 new in 10 min, 5× usual — top words:
    /// outage, login".
    pub fn describe(&self, queue_label: &str) -> String {
        let what = match &self.keyword {
            Some(k) => format!("{} new mentioning “{k}”", self.count),
            None => format!("{} new", self.count),
        };
        let factor = if self.factor >= 10.0 {
            format!("{:.0}", self.factor)
        } else {
            let f = format!("{:.1}", self.factor);
            f.trim_end_matches(".0").to_owned()
        };
        let mut text = format!(
            "{queue_label}: {what} in {} min, {factor}× usual",
            self.window_minutes
        );
        if !self.top_words.is_empty() {
            text.push_str(" — top words: ");
            text.push_str(&self.top_words.join(", "));
        }
        text
    }
}
