//! One counted stream of customer items (a queue's, or a keyword's within a queue): its
//! sliding window, its hourly history and its baseline, and whether it is in a spike.
//!
//! - The **window** is [`BUCKETS`] buckets of `window / BUCKETS` each; the newest is the
//!   one `now` falls in (partly elapsed). Counting an item and sliding the window are O(1)
//!   amortised (a long silence clears at most [`BUCKETS`] buckets).
//! - The **hourly history** keeps the counts of every hour of the last [`WEEKS`] weeks
//!   (plus the current one) in a ring.
//! - The **baseline** is the usual rate: the **seasonal** estimate (for each of the past
//!   weeks observed, the count of the same hour of the week — and of the hours just before
//!   and after, the largest of the three medians counts, so a daily ramp is usual) and,
//!   once the detector has watched live for one window, the **moving** estimate (an
//!   exponentially weighted mean of closed buckets, half-life three windows, started from
//!   the mean of the first live window and frozen while in a spike). With both, the larger;
//!   never below one item per window.
//! - A **spike starts** when the window holds at least `min_count` items and the count of
//!   the last 2, 5 or 10 buckets is at least `factor` times what the baseline expects over
//!   that span — and improbable under it (Poisson tail below one in a million), so a few
//!   items in a quiet minute are not a spike. It **ends** (hysteresis) once half a window
//!   has passed and the last half window runs below `factor / 2` times the baseline, or the
//!   window holds fewer than `min_count / 2`.

use crate::Timestamp;

/// Buckets per window.
pub(crate) const BUCKETS: usize = 10;
/// Weeks of hourly history used for the seasonal baseline.
pub(crate) const WEEKS: i64 = 4;
const HOUR_MS: i64 = 3_600_000;
const WEEK_HOURS: i64 = 168;
const RING_HOURS: usize = ((WEEKS + 1) * WEEK_HOURS) as usize;
/// ln(one in a million): how improbable a spike's count must be under the baseline.
const LN_IMPROBABLE: f64 = -13.8;

/// What the thresholds are, for one detector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    pub(crate) factor: f64,
    pub(crate) min_count: u32,
    pub(crate) bucket_ms: i64,
}

impl Thresholds {
    fn window_ms(&self) -> i64 {
        self.bucket_ms * BUCKETS as i64
    }
}

/// A spike in progress.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Active {
    pub(crate) since: Timestamp,
    /// The largest ratio to the baseline seen so far.
    pub(crate) factor: f64,
}

/// One counted stream.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    ring: [u32; BUCKETS],
    /// Absolute index (`time / bucket_ms`) of the newest bucket.
    head: i64,
    /// Items in the window.
    pub(crate) window: u32,
    hours: Box<[u32]>,
    hour_head: i64,
    first_hour: Option<i64>,
    /// Moving estimate, items per bucket.
    ewma: Option<f64>,
    /// Since when the detector watches live (`None`: still replaying history).
    live_from: Option<Timestamp>,
    warm_count: u64,
    pub(crate) active: Option<Active>,
}

impl Series {
    pub(crate) fn new(live_from: Option<Timestamp>) -> Series {
        Series {
            ring: [0; BUCKETS],
            head: i64::MIN,
            window: 0,
            hours: vec![0; RING_HOURS].into_boxed_slice(),
            hour_head: i64::MIN,
            first_hour: None,
            ewma: None,
            live_from,
            warm_count: 0,
            active: None,
        }
    }

    /// Starts live watching at `now`: the moving estimate learns again from here.
    pub(crate) fn go_live(&mut self, now: Timestamp) {
        self.live_from = Some(now);
        self.ewma = None;
        self.warm_count = 0;
    }

    /// Slides the window so that the newest bucket is `now`'s.
    pub(crate) fn roll(&mut self, now: Timestamp, t: &Thresholds) {
        let to = now.millis().div_euclid(t.bucket_ms);
        if self.head == i64::MIN {
            self.head = to;
            return;
        }
        if to <= self.head {
            return;
        }
        let gap = to - self.head;
        // The moving estimate learns from the buckets that closed.
        if self.active.is_none() {
            if let Some(ewma) = self.ewma {
                let alpha = 1.0 - 0.5f64.powf(1.0 / (3 * BUCKETS) as f64);
                let closed = f64::from(self.ring[slot(self.head)]);
                let mut e = ewma * (1.0 - alpha) + alpha * closed;
                e *= (1.0 - alpha).powf((gap - 1) as f64);
                self.ewma = Some(e);
            }
        }
        for i in 1..=gap.min(BUCKETS as i64) {
            let s = slot(self.head + i);
            self.window -= self.ring[s];
            self.ring[s] = 0;
        }
        self.head = to;
        if self.ewma.is_none() {
            if let Some(from) = self.live_from {
                let watched = to * t.bucket_ms - from.millis();
                if watched >= t.window_ms() {
                    let buckets = watched as f64 / t.bucket_ms as f64;
                    self.ewma = Some(self.warm_count as f64 / buckets);
                }
            }
        }
    }

    /// Counts an item of time `at` (the window must have been rolled to at least `at`).
    pub(crate) fn add(&mut self, at: Timestamp, t: &Thresholds) {
        let bucket = at.millis().div_euclid(t.bucket_ms);
        if bucket > self.head - BUCKETS as i64 && bucket <= self.head {
            self.ring[slot(bucket)] += 1;
            self.window += 1;
        }
        if self.live_from.is_some_and(|from| at >= from) {
            self.warm_count += 1;
        }
        let hour = at.millis().div_euclid(HOUR_MS);
        if self.hour_head == i64::MIN {
            self.hour_head = hour;
        }
        if hour > self.hour_head {
            for h in (self.hour_head + 1)..=hour.min(self.hour_head + RING_HOURS as i64) {
                self.hours[hour_slot(h)] = 0;
            }
            self.hour_head = hour;
        }
        if hour > self.hour_head - RING_HOURS as i64 {
            self.hours[hour_slot(hour)] += 1;
        }
        self.first_hour = Some(self.first_hour.map_or(hour, |f| f.min(hour)));
    }

    /// Items per hour usually seen around `now`'s hour of the week, from the weeks
    /// observed; `None` without a past week.
    fn seasonal_per_hour(&self, now: Timestamp) -> Option<f64> {
        let first = self.first_hour?;
        let hour = now.millis().div_euclid(HOUR_MS);
        let mut best: Option<f64> = None;
        for offset in -1..=1 {
            let mut counts: Vec<u32> = Vec::with_capacity(WEEKS as usize);
            for week in 1..=WEEKS {
                let h = hour + offset - week * WEEK_HOURS;
                let observed =
                    h > first && h > self.hour_head - RING_HOURS as i64 && h <= self.hour_head;
                if observed {
                    counts.push(self.hours[hour_slot(h)]);
                }
            }
            if counts.is_empty() {
                continue;
            }
            counts.sort_unstable();
            let n = counts.len();
            let median = if n % 2 == 1 {
                f64::from(counts[n / 2])
            } else {
                (f64::from(counts[n / 2 - 1]) + f64::from(counts[n / 2])) / 2.0
            };
            best = Some(best.map_or(median, |b: f64| b.max(median)));
        }
        best
    }

    /// The usual rate at `now`, items per millisecond; `None` while nothing is known.
    pub(crate) fn baseline(&self, now: Timestamp, t: &Thresholds) -> Option<f64> {
        let seasonal = self.seasonal_per_hour(now).map(|h| h / HOUR_MS as f64);
        let moving = self.ewma.map(|e| e / t.bucket_ms as f64);
        let rate = match (seasonal, moving) {
            (Some(s), Some(m)) => s.max(m),
            (Some(s), None) => s,
            (None, Some(m)) => m,
            (None, None) => return None,
        };
        Some(rate.max(1.0 / t.window_ms() as f64))
    }

    /// Items in the last `k` buckets and how long they span up to `now`, in milliseconds.
    fn span(&self, k: usize, now: Timestamp, t: &Thresholds) -> (u32, f64) {
        let count = (0..k as i64).map(|i| self.ring[slot(self.head - i)]).sum();
        let start = (self.head - k as i64 + 1) * t.bucket_ms;
        let ms = (now.millis() - start).max(t.bucket_ms);
        (count, ms as f64)
    }

    /// Whether the series is in a spike at `now`, starting or ending one; returns
    /// `Some(true)` when one starts, `Some(false)` when one ends.
    pub(crate) fn judge(&mut self, now: Timestamp, t: &Thresholds) -> Option<bool> {
        let rate = self.baseline(now, t)?;
        match self.active {
            None => {
                if self.window < t.min_count {
                    return None;
                }
                let mut best: Option<f64> = None;
                for k in [2, BUCKETS / 2, BUCKETS] {
                    let (count, ms) = self.span(k, now, t);
                    let expected = rate * ms;
                    let c = f64::from(count);
                    if c >= t.factor * expected && ln_poisson_tail(c, expected) < LN_IMPROBABLE {
                        let ratio = c / expected;
                        best = Some(best.map_or(ratio, |b: f64| b.max(ratio)));
                    }
                }
                let factor = best?;
                self.active = Some(Active { since: now, factor });
                Some(true)
            }
            Some(mut active) => {
                let (count, ms) = self.span(BUCKETS / 2, now, t);
                let ratio = f64::from(count) / (rate * ms);
                let long_enough = now.millis() - active.since.millis() >= t.window_ms() / 2;
                if long_enough && (ratio < t.factor / 2.0 || self.window * 2 < t.min_count) {
                    self.active = None;
                    return Some(false);
                }
                let (count, ms) = self.span(2, now, t);
                active.factor = active.factor.max(f64::from(count) / (rate * ms));
                self.active = Some(active);
                None
            }
        }
    }
}

fn slot(bucket: i64) -> usize {
    bucket.rem_euclid(BUCKETS as i64) as usize
}

fn hour_slot(hour: i64) -> usize {
    hour.rem_euclid(RING_HOURS as i64) as usize
}

/// ln P(X ≥ c) for X Poisson with mean `mean`, when `c` > `mean` (an upper bound close to
/// it: the probability of `c` times the geometric tail).
fn ln_poisson_tail(c: f64, mean: f64) -> f64 {
    if c <= mean {
        return 0.0;
    }
    let ln_factorial = if c < 1.0 {
        0.0
    } else {
        c * c.ln() - c + 0.5 * (2.0 * std::f64::consts::PI * c).ln() + 1.0 / (12.0 * c)
    };
    let ln_pmf = c * mean.ln() - mean - ln_factorial;
    ln_pmf - (1.0 - mean / (c + 1.0)).ln()
}
