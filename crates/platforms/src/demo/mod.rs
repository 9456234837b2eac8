//! The demo network: an in-process provider that plays a believable crowd of customers
//! writing to Northwind Coffee — order problems, complaints, sales questions, praise, DMs,
//! follow-ups in existing threads, some in German, Spanish and French — and the brand
//! answering some of them, so that a new user sees queues fill and clocks run at once.
//!
//! Deterministic from a seed: the cursor is the number of items produced so far, and item
//! *n* depends only on the seed and *n*. The first fetch returns the last week (`history`)
//! — every conversation of it answered — and a backlog spread over the last two hours;
//! every later fetch returns one new item stamped with `now`. A few minutes after the first
//! start the crowd plays an app outage (`outage`): a burst of customers writing that the
//! app is down, for the spike alert to show.
//! The crowd's brand answers arrive in the incoming stream (the brand stream stays empty);
//! replies sent from Switchboard are accepted at once, like a platform that never fails.

mod crowd;
mod history;
mod outage;
mod rng;
mod script;

use std::sync::Mutex;

use async_trait::async_trait;
use switchboard_core::{Item, Timestamp};

pub use crowd::{Crowd, DEMO_ACCOUNT};
pub use history::HISTORY_DAYS;
pub use outage::{BURST_ITEMS, BURST_START};

use crate::{AuthKind, Page, Provider, ProviderError, ReplyTarget};

/// Items of the last two hours the first fetch of a new workspace returns (after the last
/// week's).
pub const BACKLOG_ITEMS: u64 = 40;
/// Time between two backlog items, in milliseconds (3 minutes).
const BACKLOG_SPACING_MS: i64 = 3 * 60 * 1000;
/// Shortest and longest pause between two live items at speed 1, in milliseconds.
const LIVE_GAP_MS: (u64, u64) = (2_000, 6_000);

/// The built-in simulated network.
#[derive(Debug)]
pub struct DemoNetwork {
    seed: u64,
    speed: f64,
    crowd: Mutex<Crowd>,
}

impl DemoNetwork {
    /// A demo network for `seed`, producing items `speed` times as fast as the default (a
    /// new item every 2–6 s). A speed of 0 pauses it.
    pub fn new(seed: u64, speed: f64) -> Self {
        DemoNetwork {
            seed,
            speed: if speed.is_finite() {
                speed.max(0.0)
            } else {
                1.0
            },
            crowd: Mutex::new(Crowd::new(seed)),
        }
    }

    /// Milliseconds until the item after item `n`, at this speed.
    fn gap_after(&self, n: u64) -> u64 {
        let mut rng = rng::SplitMix64::new(self.seed ^ n.rotate_left(17));
        let mut gap = rng.between(LIVE_GAP_MS.0, LIVE_GAP_MS.1) as f64;
        if outage::in_burst(n) {
            gap /= outage::BURST_PACE as f64;
        }
        if self.speed == 0.0 {
            1_000
        } else {
            (gap / self.speed).clamp(50.0, 3_600_000.0) as u64
        }
    }

    /// The crowd brought to the state after `n` items (replaying from the seed if needed).
    fn crowd_at(&self, n: u64) -> std::sync::MutexGuard<'_, Crowd> {
        let mut crowd = self.crowd.lock().unwrap_or_else(|p| p.into_inner());
        if crowd.generated() > n {
            *crowd = Crowd::new(self.seed);
        }
        while crowd.generated() < n {
            crowd.next_item(Timestamp(0));
        }
        crowd
    }
}

#[async_trait]
impl Provider for DemoNetwork {
    fn source_key(&self) -> String {
        format!("demo:{DEMO_ACCOUNT}")
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::None
    }

    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let Some(cursor) = cursor else {
            let mut items = history::last_week(self.seed, now);
            let mut crowd = self.crowd_at(0);
            items.extend((0..BACKLOG_ITEMS).map(|i| {
                let age = (BACKLOG_ITEMS - i) as i64 * BACKLOG_SPACING_MS;
                crowd.next_item(now.plus_millis(-age))
            }));
            return Ok(Page {
                items,
                next_cursor: BACKLOG_ITEMS.to_string(),
                poll_after_ms: self.gap_after(BACKLOG_ITEMS),
            });
        };
        let n: u64 = cursor
            .parse()
            .map_err(|_| ProviderError::BadCursor(cursor.to_owned()))?;
        if self.speed == 0.0 {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: cursor.to_owned(),
                poll_after_ms: self.gap_after(n),
            });
        }
        let item = if outage::in_burst(n) {
            outage::burst_item(self.seed, n - BURST_START, now)
        } else {
            self.crowd_at(outage::crowd_items_before(n)).next_item(now)
        };
        Ok(Page {
            items: vec![item],
            next_cursor: (n + 1).to_string(),
            poll_after_ms: self.gap_after(n + 1),
        })
    }

    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        _now: Timestamp,
    ) -> Result<Page, ProviderError> {
        Ok(Page {
            items: Vec::new(),
            next_cursor: cursor.unwrap_or("0").to_owned(),
            poll_after_ms: 60_000,
        })
    }

    async fn thread(&self, _target: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        // Every demo item is already in the workspace database.
        Ok(Vec::new())
    }

    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        Ok(crowd::brand_item(
            &target.thread,
            format!("demo-reply-{idempotency_key}"),
            text,
            now,
        ))
    }
}
