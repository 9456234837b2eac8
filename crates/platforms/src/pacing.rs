//! How often to call a platform: one **rate-limit budget** per account and **adaptive
//! polling**.
//!
//! Platforms report a window budget in response headers (Mastodon `X-RateLimit-Limit`,
//! `-Remaining`, `-Reset` as an ISO 8601 time; Bluesky `RateLimit-Limit`, `-Remaining`,
//! `-Reset` as epoch seconds). Every response of an account feeds the same
//! [`RateBudget`], which spreads the calls left evenly over the rest of the window and
//! keeps a reserve for replies, so polling never spends the whole budget.
//!
//! [`PollPacer`] polls faster while conversations arrive and slows down step by step when
//! nothing happens.

use std::time::Duration;

use switchboard_core::Timestamp;

/// Share of a window's calls polling leaves for replies and thread fetches.
const REPLY_RESERVE: f64 = 0.2;

/// Rate-limit figures read from one response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateHeaders {
    /// Calls allowed per window.
    pub limit: Option<u32>,
    /// Calls left in the current window.
    pub remaining: Option<u32>,
    /// When the window resets.
    pub reset_at: Option<Timestamp>,
}

impl RateHeaders {
    /// Reads the figures from header `(name, value)` pairs, accepting both the `X-RateLimit-*`
    /// and the `RateLimit-*` spellings and a reset given as an ISO 8601 time or as epoch
    /// seconds.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut headers = RateHeaders::default();
        for (name, value) in pairs {
            let name = name.to_ascii_lowercase();
            let name = name.strip_prefix("x-").unwrap_or(&name);
            match name {
                "ratelimit-limit" => headers.limit = value.trim().parse().ok(),
                "ratelimit-remaining" => headers.remaining = value.trim().parse().ok(),
                "ratelimit-reset" => headers.reset_at = parse_reset(value),
                _ => {}
            }
        }
        headers
    }
}

/// A reset time as ISO 8601 or epoch seconds.
fn parse_reset(value: &str) -> Option<Timestamp> {
    if let Ok(secs) = value.trim().parse::<i64>() {
        return Some(Timestamp(secs.saturating_mul(1000)));
    }
    Timestamp::parse_rfc3339(value)
}

/// One account's rate-limit budget, fed by every response of that account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateBudget {
    last: RateHeaders,
}

impl RateBudget {
    /// Takes the figures of a response; responses without them change nothing.
    pub fn observe(&mut self, headers: RateHeaders) {
        if headers.remaining.is_some() {
            self.last = headers;
        }
    }

    /// Calls left in the current window, if the platform said.
    pub fn remaining(&self, now: Timestamp) -> Option<u32> {
        match self.last.reset_at {
            Some(reset) if reset <= now => self.last.limit,
            _ => self.last.remaining,
        }
    }

    /// How long to wait before a call is allowed at all: until the reset when the window
    /// is spent, else zero.
    pub fn wait_for_call(&self, now: Timestamp) -> Duration {
        match (self.remaining(now), self.last.reset_at) {
            (Some(0), Some(reset)) => until(now, reset),
            _ => Duration::ZERO,
        }
    }

    /// The shortest pause between two polls that keeps polling within its share of the
    /// window: the time left divided by the polling calls left.
    pub fn min_poll_interval(&self, now: Timestamp) -> Duration {
        let (Some(remaining), Some(reset)) = (self.remaining(now), self.last.reset_at) else {
            return Duration::ZERO;
        };
        if reset <= now {
            return Duration::ZERO;
        }
        let for_polling = (f64::from(remaining) * (1.0 - REPLY_RESERVE)).floor();
        if for_polling < 1.0 {
            return until(now, reset);
        }
        until(now, reset).div_f64(for_polling)
    }
}

fn until(now: Timestamp, later: Timestamp) -> Duration {
    Duration::from_millis(u64::try_from(later.millis() - now.millis()).unwrap_or(0))
}

/// Adaptive polling: the fastest pace while items arrive, slowing by half again after
/// each empty poll, up to the slowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollPacer {
    fastest: Duration,
    slowest: Duration,
    current: Duration,
}

impl PollPacer {
    /// A pacer between `fastest` and `slowest`, starting fast.
    pub fn new(fastest: Duration, slowest: Duration) -> Self {
        PollPacer {
            fastest,
            slowest: slowest.max(fastest),
            current: fastest,
        }
    }

    /// The pause before the next poll after one that returned `new_items`, within the
    /// `budget` at `now`.
    pub fn after_poll(
        &mut self,
        new_items: usize,
        budget: &RateBudget,
        now: Timestamp,
    ) -> Duration {
        self.current = if new_items > 0 {
            self.fastest
        } else {
            self.current.mul_f64(1.5).min(self.slowest)
        };
        self.current.max(budget.min_poll_interval(now))
    }
}

/// Which of an account's two streams a fetch read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Mentions, replies, comments, DMs.
    Incoming,
    /// The brand account's own posts and messages.
    Brand,
}

/// One [`PollPacer`] per stream of an account, each slowing down on its own.
#[derive(Debug)]
pub struct StreamPacers {
    incoming: std::sync::Mutex<PollPacer>,
    brand: std::sync::Mutex<PollPacer>,
}

impl StreamPacers {
    /// Both streams between `fastest` and `slowest`, starting fast.
    pub fn new(fastest: Duration, slowest: Duration) -> Self {
        let pacer = PollPacer::new(fastest, slowest);
        StreamPacers {
            incoming: std::sync::Mutex::new(pacer),
            brand: std::sync::Mutex::new(pacer),
        }
    }

    /// The pause in milliseconds before the next fetch of `stream` after one that returned
    /// `new_items`: the stream's pacer when the fetch read everything it had to
    /// (`complete`), otherwise ("more waits") the shortest pause the `budget` allows, at
    /// least `more_waits_floor`.
    pub fn poll_after_ms(
        &self,
        stream: Stream,
        new_items: usize,
        complete: bool,
        budget: &RateBudget,
        now: Timestamp,
        more_waits_floor: Duration,
    ) -> u64 {
        let pause = if complete {
            let pacer = match stream {
                Stream::Incoming => &self.incoming,
                Stream::Brand => &self.brand,
            };
            pacer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .after_poll(new_items, budget, now)
        } else {
            budget.min_poll_interval(now).max(more_waits_floor)
        };
        u64::try_from(pause.as_millis()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    #[test]
    fn reads_both_header_spellings_and_both_reset_forms() {
        let mastodon = RateHeaders::from_pairs([
            ("X-RateLimit-Limit", "300"),
            ("X-RateLimit-Remaining", "299"),
            ("X-RateLimit-Reset", "2027-01-15T08:00:00.000Z"),
        ]);
        assert_eq!(mastodon.limit, Some(300));
        assert_eq!(mastodon.remaining, Some(299));
        assert_eq!(
            mastodon.reset_at,
            Timestamp::parse_rfc3339("2027-01-15T08:00:00Z")
        );
        let bluesky = RateHeaders::from_pairs([
            ("ratelimit-limit", "3000"),
            ("ratelimit-remaining", "2999"),
            ("ratelimit-reset", "1800000300"),
            ("ratelimit-policy", "3000;w=300"),
        ]);
        assert_eq!(bluesky.reset_at, Some(Timestamp(1_800_000_300_000)));
    }

    #[test]
    fn a_spent_window_waits_until_the_reset_then_is_full_again() {
        let mut budget = RateBudget::default();
        budget.observe(RateHeaders {
            limit: Some(300),
            remaining: Some(0),
            reset_at: Some(NOW.plus_millis(42_000)),
        });
        assert_eq!(budget.wait_for_call(NOW), Duration::from_secs(42));
        let later = NOW.plus_millis(43_000);
        assert_eq!(budget.wait_for_call(later), Duration::ZERO);
        assert_eq!(budget.remaining(later), Some(300));
    }

    #[test]
    fn polling_spreads_its_share_of_the_budget_over_the_window() {
        let mut budget = RateBudget::default();
        budget.observe(RateHeaders {
            limit: Some(300),
            remaining: Some(10),
            reset_at: Some(NOW.plus_millis(80_000)),
        });
        // 80 % of 10 calls for polling over 80 s: one every 10 s.
        assert_eq!(budget.min_poll_interval(NOW), Duration::from_secs(10));
        let mut pacer = PollPacer::new(Duration::from_secs(2), Duration::from_secs(60));
        assert_eq!(pacer.after_poll(3, &budget, NOW), Duration::from_secs(10));
        // A response without headers keeps the last figures.
        budget.observe(RateHeaders::default());
        assert_eq!(budget.remaining(NOW), Some(10));
    }

    #[test]
    fn polling_is_fast_while_busy_and_slows_when_idle() {
        let budget = RateBudget::default();
        let mut pacer = PollPacer::new(Duration::from_secs(2), Duration::from_secs(10));
        assert_eq!(pacer.after_poll(1, &budget, NOW), Duration::from_secs(2));
        assert_eq!(pacer.after_poll(0, &budget, NOW), Duration::from_secs(3));
        assert_eq!(
            pacer.after_poll(0, &budget, NOW),
            Duration::from_millis(4_500)
        );
        for _ in 0..10 {
            pacer.after_poll(0, &budget, NOW);
        }
        assert_eq!(pacer.after_poll(0, &budget, NOW), Duration::from_secs(10));
        assert_eq!(pacer.after_poll(5, &budget, NOW), Duration::from_secs(2));
    }
}
