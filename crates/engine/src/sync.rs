//! The sync loop: pull a provider, route what it returns, store it with the new cursor,
//! tell the UI, sleep as long as the provider suggests. Errors back off exponentially
//! (capped) and are kept as the source's sync status.

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::Timestamp;
use switchboard_platforms::{Provider, ProviderError};
use switchboard_store::RoutedItem;
use tokio::sync::watch;

use crate::planner::PolicyPlanner;
use crate::Shared;

/// Longest pause after repeated failures.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// First pause after a failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(2);

/// How a source's syncing goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// When the last successful pull finished.
    pub last_pull_at: Option<Timestamp>,
    /// The last failure, in plain words, until a pull succeeds again.
    pub error: Option<String>,
}

/// Runs until `stop` turns true.
pub(crate) async fn run(
    shared: Arc<Shared>,
    provider: std::sync::Arc<dyn Provider>,
    mut stop: watch::Receiver<bool>,
) {
    let source = provider.source_key();
    let mut failures: u32 = 0;
    loop {
        let pause = match pull_once(&shared, provider.as_ref(), &source).await {
            Ok(poll_after) => {
                failures = 0;
                poll_after
            }
            Err(message) => {
                failures += 1;
                tracing::warn!(%source, failures, error = %message, "sync failed");
                set_status(&shared, |s| s.error = Some(message));
                backoff(failures)
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    tracing::debug!(%source, "sync loop stopped");
}

/// One pull: fetch after the stored cursor, store the page with its cursor. Returns the
/// pause the provider suggests.
async fn pull_once(
    shared: &Shared,
    provider: &dyn Provider,
    source: &str,
) -> Result<Duration, String> {
    let clock = shared.clock.as_ref();
    let policy = shared.policy();
    let cursor = shared
        .store
        .cursor(source)
        .await
        .map_err(|e| e.to_string())?;
    let page = match provider.fetch_since(cursor.as_deref(), clock.now()).await {
        Err(ProviderError::BadCursor(bad)) => {
            tracing::warn!(%source, cursor = %bad, "resetting an unreadable cursor");
            provider.fetch_since(None, clock.now()).await
        }
        other => other,
    }
    .map_err(|e| e.to_string())?;

    let routed: Vec<RoutedItem> = page
        .items
        .into_iter()
        .map(|item| RoutedItem {
            queue: policy.routing.route(&item),
            item,
        })
        .collect();
    let report = shared
        .store
        .ingest(
            &routed,
            Some((source, &page.next_cursor)),
            clock.now(),
            &PolicyPlanner(&policy),
        )
        .await
        .map_err(|e| e.to_string())?;
    tracing::debug!(%source, inserted = report.inserted, duplicates = report.duplicates, "pulled");
    set_status(shared, |s| {
        s.last_pull_at = Some(clock.now());
        s.error = None;
    });
    if report.inserted > 0 {
        shared.changed(report.changed_conversations);
    }
    Ok(Duration::from_millis(page.poll_after_ms))
}

fn set_status(shared: &Shared, update: impl FnOnce(&mut SyncStatus)) {
    let mut status = shared
        .sync_status
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    update(&mut status);
}

/// Exponential backoff: 2 s, 4 s, 8 s … capped at 5 minutes, with up to 25 % jitter so
/// that many loops failing together do not retry in lockstep.
fn backoff(failures: u32) -> Duration {
    let base = FIRST_BACKOFF
        .saturating_mul(1 << failures.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = base.mul_f64(f64::from(nanos % 250) / 1000.0);
    base + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(1) >= Duration::from_secs(2) && backoff(1) < Duration::from_millis(2_500));
        assert!(backoff(3) >= Duration::from_secs(8) && backoff(3) < Duration::from_secs(10));
        assert!(backoff(40) >= MAX_BACKOFF && backoff(40) < MAX_BACKOFF.mul_f64(1.25));
    }
}
