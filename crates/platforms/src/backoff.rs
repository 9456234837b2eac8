//! Retries with exponential backoff and jitter.
//!
//! After the *n*-th failure in a row a client waits `first × 2ⁿ⁻¹`, capped, plus up to
//! 25 % random **jitter** so that many accounts failing together do not retry in lockstep.
//! When the platform said how long to wait (`Retry-After`, a rate-limit reset), that wait
//! wins if it is longer.

use std::time::Duration;

/// A backoff schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The pause after the first failure.
    pub first: Duration,
    /// The longest pause.
    pub max: Duration,
}

impl Backoff {
    /// The sync loop's schedule: 2 s, 4 s, 8 s … capped at 5 minutes.
    pub const SYNC: Backoff = Backoff {
        first: Duration::from_secs(2),
        max: Duration::from_secs(300),
    };

    /// Retries inside one request: 250 ms, 500 ms, 1 s … capped at 8 s.
    pub const REQUEST: Backoff = Backoff {
        first: Duration::from_millis(250),
        max: Duration::from_secs(8),
    };

    /// The pause before the next attempt after `failures` failures in a row (≥ 1),
    /// without jitter.
    pub fn base(&self, failures: u32) -> Duration {
        self.first
            .saturating_mul(1 << failures.saturating_sub(1).min(16))
            .min(self.max)
    }

    /// The pause with jitter, never shorter than what the platform asked for.
    pub fn delay(&self, failures: u32, platform_asked: Option<Duration>) -> Duration {
        let base = self.base(failures);
        let jittered = base + base.mul_f64(fastrand::f64() * 0.25);
        match platform_asked {
            Some(asked) if asked > jittered => asked,
            _ => jittered,
        }
    }
}

/// Parses an HTTP `Retry-After` value given in seconds (the HTTP-date form is rare on
/// these APIs and is ignored).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_doubles_and_is_capped_with_at_most_a_quarter_of_jitter() {
        let b = Backoff::SYNC;
        assert_eq!(b.base(1), Duration::from_secs(2));
        assert_eq!(b.base(3), Duration::from_secs(8));
        assert_eq!(b.base(40), Duration::from_secs(300));
        for failures in [1, 3, 40] {
            let d = b.delay(failures, None);
            assert!(d >= b.base(failures) && d <= b.base(failures).mul_f64(1.25));
        }
    }

    #[test]
    fn the_platforms_wait_wins_when_longer() {
        let asked = Duration::from_secs(60);
        assert_eq!(Backoff::REQUEST.delay(1, Some(asked)), asked);
        assert!(Backoff::SYNC.delay(9, Some(Duration::from_secs(1))) >= Duration::from_secs(300));
        assert_eq!(parse_retry_after(" 17 "), Some(Duration::from_secs(17)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
