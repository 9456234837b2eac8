//! One poller per brand account in a team workspace.
//!
//! Every laptop signed in to a brand account runs its sync loop, but each round first
//! asks for the account's **poll lease** (about three poll intervals long). Only the
//! holder reads the platform, from the cursor kept in the lease (the team's reading of
//! the account: the incoming stream's and the brand posts' positions), and commits what
//! it read with the new cursor in one transaction that re-checks its fence — a holder that
//! slept through its lease and was replaced writes nothing, and simply leaves polling to
//! the new holder (not reported as a sync error: nothing failed). Items enter the shared log
//! once; every replica, the holder's too, stores them when it pulls the log.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use switchboard_core::{Event, EventKind};
use switchboard_platforms::{Page, Provider, ProviderError};
use switchboard_team::{BrandAccount, LeaseOutcome, Stamp, TeamError, TeamItem};

use super::mapping::item_payload;
use super::Replica;
use crate::Shared;

/// The team's reading of one brand account, as kept in its poll lease.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
struct LeaseCursor {
    incoming: Option<String>,
    brand: Option<String>,
}

/// The lease lasts this many poll intervals.
const LEASE_INTERVALS: u32 = 3;

/// Shortest lease (for very fast poll intervals in tests).
const SHORTEST_LEASE: Duration = Duration::from_secs(2);

/// One round of the account's sync loop in a team workspace: poll if this laptop holds
/// (or gets) the lease, else nothing. Returns the pause the provider suggests, or
/// `interval` while another laptop polls.
pub(crate) async fn pull_both(
    shared: &Shared,
    replica: &Replica,
    provider: &dyn Provider,
    interval: Duration,
) -> Result<Duration, ProviderError> {
    let key = provider.source_key();
    let account = BrandAccount {
        platform: platform_of(&key),
        account: &key,
    };
    let ttl = (interval * LEASE_INTERVALS).max(SHORTEST_LEASE);
    let (fence, cursor) = match replica
        .client
        .acquire_poll_lease(account, ttl)
        .await
        .map_err(unavailable)?
    {
        LeaseOutcome::Granted { fence, cursor, .. } => (fence, cursor),
        LeaseOutcome::Held { device, .. } => {
            tracing::trace!(%key, %device, "another laptop polls this account");
            return Ok(interval);
        }
    };
    let mut position: LeaseCursor = cursor
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default();
    let clock = shared.clock.as_ref();
    let page = fetch(provider, position.incoming.as_deref(), false, clock).await?;
    let paced = Duration::from_millis(page.poll_after_ms);
    position.incoming = Some(page.next_cursor.clone());
    if let Committed::LeaseLost = commit(shared, replica, account, fence, page, &position).await? {
        return Ok(interval);
    }
    let page = fetch(provider, position.brand.as_deref(), true, clock).await?;
    position.brand = Some(page.next_cursor.clone());
    if let Committed::LeaseLost = commit(shared, replica, account, fence, page, &position).await? {
        return Ok(interval);
    }
    // The holder polls again within its lease (three intervals), however quiet the
    // account: a lease that lapsed between two polls would hand polling round the team.
    Ok(paced.min(interval))
}

/// Reads one stream after `cursor` (from the start when the platform no longer reads it).
async fn fetch(
    provider: &dyn Provider,
    cursor: Option<&str>,
    brand: bool,
    clock: &dyn crate::Clock,
) -> Result<Page, ProviderError> {
    let once = |cursor: Option<&str>| {
        let cursor = cursor.map(str::to_owned);
        async move {
            if brand {
                provider
                    .fetch_brand_replies_since(cursor.as_deref(), clock.now())
                    .await
            } else {
                provider.fetch_since(cursor.as_deref(), clock.now()).await
            }
        }
    };
    match once(cursor).await {
        Err(ProviderError::BadCursor(bad)) => {
            tracing::warn!(cursor = %bad, "resetting the team's unreadable cursor");
            once(None).await
        }
        other => other,
    }
}

/// How a commit under the lease went.
enum Committed {
    /// The items are in the log and the cursor moved.
    Done,
    /// Another laptop took the lease meanwhile (this one was paused or slow): nothing was
    /// written, and the new holder reads from the cursor it found. Not an error of this
    /// account's sync — polling simply moved to another laptop.
    LeaseLost,
}

/// Enters `page`'s items into the team's log and moves the lease's cursor, under `fence`.
async fn commit(
    shared: &Shared,
    replica: &Replica,
    account: BrandAccount<'_>,
    fence: i64,
    page: Page,
    position: &LeaseCursor,
) -> Result<Committed, ProviderError> {
    let policy = shared.policy();
    let now = shared.now();
    let items = page
        .items
        .into_iter()
        .map(|item| {
            let native_id = item.native_id.clone();
            let queue = policy.routing.route(&item);
            let event = Event {
                thread: item.thread.clone(),
                at: now,
                by: None,
                kind: if item.from_brand {
                    EventKind::BrandReplyObserved { item, queue }
                } else {
                    EventKind::ItemIngested { item, queue }
                },
            };
            TeamItem::new(native_id, &item_payload(&event), Stamp::new(0))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    let cursor =
        serde_json::to_string(position).map_err(|e| ProviderError::Unavailable(e.to_string()))?;
    let committed = match replica
        .client
        .commit_poll(account, fence, &items, Some(&cursor))
        .await
    {
        Ok(committed) => committed,
        Err(refused @ TeamError::FenceMoved { .. }) => {
            tracing::info!(account = %account.account, %refused, "another laptop took over polling this account");
            replica.online(|status| status.leases_lost += 1);
            return Ok(Committed::LeaseLost);
        }
        Err(e) => return Err(unavailable(e)),
    };
    if committed.new_items > 0 {
        replica.kick.notify_one(); // pull them in at once
    }
    Ok(Committed::Done)
}

/// `mastodon` of `mastodon:…`.
fn platform_of(key: &str) -> &str {
    key.split(':').next().unwrap_or(key)
}

fn unavailable(error: TeamError) -> ProviderError {
    ProviderError::Unavailable(format!("team database: {error}"))
}
