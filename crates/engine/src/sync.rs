//! The sync loop of one source (a brand account, or the demo network): pull its incoming
//! items and the brand's own posts, route them, store each page with its new cursor, tell
//! the UI, sleep as long as the provider suggests (it paces by the platform's rate-limit
//! budget and by how busy the account is). Transient errors back off with jitter and
//! honour the platform's `Retry-After`; a revoked or expired sign-in stops the loop in a
//! "sign in again" state with one notification.

use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{AlertAction, Notification, SlaState, Timestamp, Urgency};
use switchboard_platforms::backoff::Backoff;
use switchboard_platforms::{Page, Provider, ProviderError};
use switchboard_store::RoutedItem;
use tokio::sync::watch;

use crate::planner::PolicyPlanner;
use crate::Shared;

/// How a source's syncing goes (the demo network's, for fronts that show one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// When the last successful pull finished.
    pub last_pull_at: Option<Timestamp>,
    /// The last failure, in plain words, until a pull succeeds again.
    pub error: Option<String>,
}

/// How often laptops of a team ask for an account's poll lease (and its holder polls),
/// unless the engine's poll interval says otherwise.
const TEAM_POLL_INTERVAL: Duration = Duration::from_secs(20);

/// The source key of the provider standing in for an account that cannot be pulled
/// (paused by the managed list, or its sign-in could not be read).
pub(crate) const PLACEHOLDER_KEY: &str = "unavailable";

/// Runs until `stop` turns true, the source is removed or replaced, or its sign-in is
/// refused.
pub(crate) async fn run(shared: Arc<Shared>, key: String, mut stop: watch::Receiver<bool>) {
    let Some(mine) = shared.accounts.get(&key) else {
        return;
    };
    // A placeholder (an account paused by the managed list, or whose sign-in could not be
    // read) has nothing to pull, and its state already says why: pulling it would replace
    // that reason with "sign in again". It can be replaced before this loop first runs.
    if mine.provider.source_key() == PLACEHOLDER_KEY {
        return;
    }
    let mut failures: u32 = 0;
    loop {
        // The loop belongs to the source it started with: removed or replaced (a new
        // sign-in), it stops.
        let source = match shared.accounts.get(&key) {
            Some(source) if Arc::ptr_eq(&source, &mine) => source,
            _ => break,
        };
        let provider = Arc::clone(&source.provider);
        let pulled = match &shared.team {
            Some(replica) => {
                let interval = shared.poll_interval.unwrap_or(TEAM_POLL_INTERVAL);
                crate::team::polling::pull_both(&shared, replica, provider.as_ref(), interval).await
            }
            None => pull_both(&shared, provider.as_ref()).await,
        };
        let pause = match pulled {
            Ok(paced) => {
                let poll_after = match (&source.record, shared.poll_interval) {
                    (Some(_), Some(interval)) => interval,
                    _ => paced,
                };
                failures = 0;
                let now = shared.now();
                source.update(|s| {
                    s.last_pull_at = Some(now);
                    s.next_pull_at = Some(now.plus_millis(poll_after.as_millis() as i64));
                    s.budget_left = provider.budget_left(now);
                    s.error = None;
                    s.needs_sign_in = false;
                });
                set_status(&shared, |s| {
                    s.last_pull_at = Some(now);
                    s.error = None;
                });
                poll_after
            }
            Err(ProviderError::SignInAgain(why)) => {
                tracing::warn!(account = %key, reason = %why, "sign-in no longer valid");
                needs_sign_in(&shared, &key, &source, &why).await;
                break;
            }
            Err(error) => {
                failures += 1;
                let message = error.to_string();
                tracing::warn!(account = %key, failures, error = %message, "sync failed");
                let pause = Backoff::SYNC.delay(failures, error.retry_after());
                let now = shared.now();
                source.update(|s| {
                    s.error = Some(message.clone());
                    s.next_pull_at = Some(now.plus_millis(pause.as_millis() as i64));
                });
                set_status(&shared, |s| s.error = Some(message));
                shared.changed(Vec::new());
                pause
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(pause) => {}
            _ = stop.wait_for(|stopped| *stopped) => break,
        }
    }
    tracing::debug!(account = %key, "sync loop stopped");
}

/// Pulls the incoming stream, then the brand's own posts. Returns the pause the provider
/// suggests.
async fn pull_both(shared: &Shared, provider: &dyn Provider) -> Result<Duration, ProviderError> {
    let incoming = pull_stream(shared, provider, &provider.source_key(), false).await?;
    pull_stream(shared, provider, &provider.brand_source_key(), true).await?;
    Ok(incoming)
}

/// One pull of one stream: fetch after the stored cursor, store the page with its cursor.
async fn pull_stream(
    shared: &Shared,
    provider: &dyn Provider,
    source: &str,
    brand: bool,
) -> Result<Duration, ProviderError> {
    let clock = shared.clock.as_ref();
    let policy = shared.policy();
    let storage = |e: switchboard_store::StoreError| ProviderError::Unavailable(e.to_string());
    let cursor = shared.store.cursor(source).await.map_err(storage)?;
    let fetch = |cursor: Option<String>| async move {
        if brand {
            provider
                .fetch_brand_replies_since(cursor.as_deref(), clock.now())
                .await
        } else {
            provider.fetch_since(cursor.as_deref(), clock.now()).await
        }
    };
    let page: Page = match fetch(cursor).await {
        Err(ProviderError::BadCursor(bad)) => {
            tracing::warn!(%source, cursor = %bad, "resetting an unreadable cursor");
            fetch(None).await
        }
        other => other,
    }?;
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
            routed,
            Some((source, &page.next_cursor)),
            clock.now(),
            &PolicyPlanner(&policy),
        )
        .await
        .map_err(storage)?;
    tracing::debug!(%source, inserted = report.inserted, duplicates = report.duplicates, "pulled");
    if report.inserted > 0 {
        shared.changed(report.changed_conversations);
    }
    Ok(Duration::from_millis(page.poll_after_ms))
}

/// Puts the account in the "sign in again" state (stored, so it survives a restart) and
/// tells the person once.
async fn needs_sign_in(shared: &Shared, key: &str, source: &crate::accounts::Source, why: &str) {
    let already = source.sync().needs_sign_in;
    source.update(|s| {
        s.needs_sign_in = true;
        s.error = Some(format!("Sign in again: {why}"));
        s.next_pull_at = None;
    });
    if let Err(e) = shared.store.set_needs_sign_in(key, true).await {
        tracing::warn!(error = %e, "could not record the sign-in state");
    }
    shared.changed(Vec::new());
    if already {
        return;
    }
    let Some(sink) = shared.alerts.sink() else {
        return;
    };
    let handle = source
        .record
        .as_ref()
        .map(|r| r.handle.clone())
        .unwrap_or_else(|| key.to_owned());
    let notification = Notification {
        key: format!("account:{key}"),
        title: format!("Sign in to {handle} again"),
        body: format!(
            "Switchboard can no longer read {handle}: {why}. Open Accounts and sign in again."
        ),
        urgency: Urgency::Normal,
        level: SlaState::OnTrack,
        queue: None,
        conversation: None,
        conversations: Vec::new(),
    };
    crate::notifier::deliver(&sink, vec![AlertAction::Show(notification)]).await;
}

fn set_status(shared: &Shared, update: impl FnOnce(&mut SyncStatus)) {
    let mut status = shared
        .sync_status
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    update(&mut status);
}
