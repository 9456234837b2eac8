//! **Unsettled replies**: the idempotency keys of replies whose `POST` may have been
//! applied at Meta although Switchboard does not know it — the request timed out, the
//! connection dropped after the request was sent, Meta answered with a server error, or
//! its answer could not be read — each with the moment of that attempt.
//!
//! A retry of an unsettled key reads the conversation a few times before posting again
//! (see [`super`]); a posted or found reply settles its key. The memory belongs to the
//! account, not to one client object: every [`crate::MetaProvider`] of the same account
//! (same Graph address, platform and account id) in this process shares it, so a retry
//! that goes through another client of the account (the engine keeps one with and one
//! without the human-agent tag, and may rebuild them) still knows the attempt. It lives in
//! memory only and is bounded: keys older than the settle period are dropped, and past
//! [`MOST_KEYS`] the oldest go first.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The most unsettled keys one account remembers.
pub(crate) const MOST_KEYS: usize = 256;

/// One account's unsettled keys.
#[derive(Debug, Default)]
pub(crate) struct Unsettled {
    attempts: Mutex<HashMap<String, Instant>>,
}

/// Every account's memory in this process, by [`scope`].
fn accounts() -> &'static Mutex<HashMap<String, Arc<Unsettled>>> {
    static ACCOUNTS: OnceLock<Mutex<HashMap<String, Arc<Unsettled>>>> = OnceLock::new();
    ACCOUNTS.get_or_init(Default::default)
}

/// What names one account: its Graph address, platform and account id.
pub(crate) fn scope(graph: &str, platform: &str, account: &str) -> String {
    format!("{graph} {platform}:{account}")
}

impl Unsettled {
    /// The memory of the account named `scope`, shared with its other clients.
    pub(crate) fn of_account(scope: String) -> Arc<Unsettled> {
        accounts()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(scope)
            .or_default()
            .clone()
    }

    /// Remembers that the `POST` of `key` attempted at `attempted` may have been applied;
    /// drops keys attempted more than `keep` before it.
    pub(crate) fn remember(&self, key: &str, attempted: Instant, keep: Duration) {
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
    pub(crate) fn attempted(&self, key: &str, now: Instant, keep: Duration) -> Option<Instant> {
        let attempts = self.attempts.lock().unwrap_or_else(|p| p.into_inner());
        attempts
            .get(key)
            .copied()
            .filter(|at| now.saturating_duration_since(*at) <= keep)
    }

    /// Forgets `key`: its reply was posted, or found at Meta.
    pub(crate) fn forget(&self, key: &str) {
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
        let a = Unsettled::of_account(scope("http://127.0.0.1:1/", "facebook", "test-1"));
        let b = Unsettled::of_account(scope("http://127.0.0.1:1/", "facebook", "test-1"));
        let other = Unsettled::of_account(scope("http://127.0.0.1:2/", "facebook", "test-1"));
        a.remember("k", Instant::now(), KEEP);
        assert!(b.attempted("k", Instant::now(), KEEP).is_some());
        assert!(other.attempted("k", Instant::now(), KEEP).is_none());
    }
}
