//! **Settling** replies whose outcome is unknown.
//!
//! Some servers ignore idempotency keys (or keep them a short while), so a client looks
//! for a reply in its conversation before posting it again. That look can miss a reply
//! whose `POST` was applied a moment ago: the request timed out, the connection dropped
//! after it was sent, the server answered with an error, or its answer could not be
//! read — and the server lists the new post only a little later.
//!
//! Such a reply's idempotency key is **unsettled**: [`Unsettled`] remembers it, with the
//! moment of the attempt, for the [`SettlePolicy::period`]. A retry of an unsettled key
//! reads the conversation up to [`SettlePolicy::reads`] times, [`SettlePolicy::pause`]
//! apart, before concluding the reply is not there and posting it; a posted or found
//! reply settles (forgets) its key. The memory belongs to an account, not to one client
//! object ([`Unsettled::of_account`]), lives in this process only, and is bounded: keys
//! older than the period are dropped, and past [`MOST_KEYS`] the oldest go first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The most unsettled keys one account remembers.
pub const MOST_KEYS: usize = 256;

/// How long a key stays unsettled and how a retry of it reads before posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettlePolicy {
    /// How long a reply whose `POST` may have been applied is remembered as unsettled.
    pub period: Duration,
    /// How many times the conversation is read before a retry of an unsettled key posts.
    pub reads: u32,
    /// The pause between those reads.
    pub pause: Duration,
}

impl Default for SettlePolicy {
    /// Two minutes; three reads two seconds apart (about 4 s).
    fn default() -> Self {
        SettlePolicy {
            period: Duration::from_secs(120),
            reads: 3,
            pause: Duration::from_secs(2),
        }
    }
}

impl SettlePolicy {
    /// The reads a retry of `key` makes at `now`: [`SettlePolicy::reads`] (at least one)
    /// when `key` is unsettled in `memory`, else `otherwise`.
    pub fn reads_for(&self, memory: &Unsettled, key: &str, now: Instant, otherwise: u32) -> u32 {
        match memory.attempted(key, now, self.period) {
            Some(_) => self.reads.max(1),
            None => otherwise,
        }
    }
}

/// One account's unsettled keys, each with the moment of its attempt.
#[derive(Debug, Default)]
pub struct Unsettled {
    attempts: Mutex<HashMap<String, Instant>>,
}

/// Every account's memory in this process, by scope.
fn accounts() -> &'static Mutex<HashMap<String, Arc<Unsettled>>> {
    static ACCOUNTS: OnceLock<Mutex<HashMap<String, Arc<Unsettled>>>> = OnceLock::new();
    ACCOUNTS.get_or_init(Default::default)
}

impl Unsettled {
    /// The memory of the account named `scope` (a string that names the account on its
    /// server, e.g. the server's address and the account id), shared with every other
    /// client of that account in this process.
    pub fn of_account(scope: String) -> Arc<Unsettled> {
        accounts()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(scope)
            .or_default()
            .clone()
    }

    /// Remembers that the `POST` of `key` attempted at `attempted` may have been applied;
    /// drops keys attempted more than `keep` before it.
    pub fn remember(&self, key: &str, attempted: Instant, keep: Duration) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        attempts.retain(|_, at| attempted.saturating_duration_since(*at) <= keep);
        attempts.insert(key.to_owned(), attempted);
        while attempts.len() > MOST_KEYS {
            let oldest = attempts
                .iter()
                .min_by_key(|(_, at)| **at)
                .map(|(key, _)| key.clone());
            match oldest {
                Some(oldest) => attempts.remove(&oldest),
                None => break,
            };
        }
    }

    /// When `key` was attempted with an unknown outcome, if that is at most `keep` before
    /// `now`.
    pub fn attempted(&self, key: &str, now: Instant, keep: Duration) -> Option<Instant> {
        let attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        attempts
            .get(key)
            .copied()
            .filter(|at| now.saturating_duration_since(*at) <= keep)
    }

    /// Forgets `key`: its reply was posted, or found.
    pub fn forget(&self, key: &str) {
        self.attempts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.attempts.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEEP: Duration = Duration::from_secs(120);

    #[test]
    fn a_key_is_unsettled_within_the_settle_period_until_forgotten() {
        let memory = Unsettled::default();
        let t0 = Instant::now();
        assert_eq!(memory.attempted("k", t0, KEEP), None);
        memory.remember("k", t0, KEEP);
        assert_eq!(memory.attempted("k", t0 + KEEP, KEEP), Some(t0));
        assert_eq!(
            memory.attempted("k", t0 + KEEP + Duration::from_secs(1), KEEP),
            None
        );
        memory.forget("k");
        assert_eq!(memory.attempted("k", t0, KEEP), None);
    }

    #[test]
    fn old_keys_are_dropped_and_the_memory_is_bounded() {
        let memory = Unsettled::default();
        let t0 = Instant::now();
        memory.remember("old", t0, KEEP);
        memory.remember("new", t0 + KEEP + Duration::from_secs(1), KEEP);
        assert_eq!(memory.len(), 1);
        for n in 0..MOST_KEYS + 10 {
            memory.remember(
                &n.to_string(),
                t0 + KEEP + Duration::from_millis(n as u64),
                KEEP,
            );
        }
        assert_eq!(memory.len(), MOST_KEYS);
        let later = t0 + KEEP + Duration::from_secs(2);
        assert_eq!(
            memory.attempted("0", later, KEEP),
            None,
            "the oldest went first"
        );
        assert!(memory
            .attempted(&(MOST_KEYS + 9).to_string(), later, KEEP)
            .is_some());
    }

    #[test]
    fn clients_of_one_account_share_its_memory() {
        let a = Unsettled::of_account("settling-test http://127.0.0.1:1/ a".into());
        let b = Unsettled::of_account("settling-test http://127.0.0.1:1/ a".into());
        let other = Unsettled::of_account("settling-test http://127.0.0.1:2/ a".into());
        a.remember("k", Instant::now(), KEEP);
        assert!(b.attempted("k", Instant::now(), KEEP).is_some());
        assert!(other.attempted("k", Instant::now(), KEEP).is_none());
    }

    #[test]
    fn a_retry_of_an_unsettled_key_reads_the_policy_reads() {
        let policy = SettlePolicy::default();
        let memory = Unsettled::default();
        let now = Instant::now();
        assert_eq!(policy.reads_for(&memory, "k", now, 1), 1);
        memory.remember("k", now, policy.period);
        assert_eq!(policy.reads_for(&memory, "k", now, 1), 3);
    }
}
