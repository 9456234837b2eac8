//! The demo network: an in-process provider that plays a believable crowd of customers
//! writing to Northwind Coffee — order problems, complaints, sales questions, praise, DMs,
//! follow-ups in existing threads, some in German, Spanish and French — and the brand
//! answering some of them, so that a new user sees queues fill and clocks run at once.
//!
//! Deterministic from a seed: the cursor is the number of items produced so far, and item
//! *n* depends only on the seed and *n*. The first fetch returns a backlog spread over the
//! last hour and a half; every later fetch returns one new item stamped with `now`.

mod crowd;
mod rng;
mod script;

use async_trait::async_trait;
use switchboard_core::Timestamp;

pub use crowd::{Crowd, DEMO_ACCOUNT};

use crate::{Page, Provider, ProviderError};

/// Items the first fetch of a new workspace returns.
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
    crowd: Crowd,
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
            crowd: Crowd::new(seed),
        }
    }

    /// Milliseconds until the item after item `n`, at this speed.
    fn gap_after(&self, n: u64) -> u64 {
        let mut rng = rng::SplitMix64::new(self.seed ^ n.rotate_left(17));
        let gap = rng.between(LIVE_GAP_MS.0, LIVE_GAP_MS.1) as f64;
        if self.speed == 0.0 {
            1_000
        } else {
            (gap / self.speed).clamp(50.0, 3_600_000.0) as u64
        }
    }

    /// Brings the crowd to the state after `n` items (replaying from the seed if needed).
    fn seek(&mut self, n: u64) {
        if self.crowd.generated() > n {
            self.crowd = Crowd::new(self.seed);
        }
        while self.crowd.generated() < n {
            self.crowd.next_item(Timestamp(0));
        }
    }
}

#[async_trait]
impl Provider for DemoNetwork {
    fn source_key(&self) -> String {
        format!("demo:{DEMO_ACCOUNT}")
    }

    async fn fetch_since(
        &mut self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let Some(cursor) = cursor else {
            self.seek(0);
            let items = (0..BACKLOG_ITEMS)
                .map(|i| {
                    let age = (BACKLOG_ITEMS - i) as i64 * BACKLOG_SPACING_MS;
                    self.crowd.next_item(now.plus_millis(-age))
                })
                .collect();
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
        self.seek(n);
        let item = self.crowd.next_item(now);
        Ok(Page {
            items: vec![item],
            next_cursor: (n + 1).to_string(),
            poll_after_ms: self.gap_after(n + 1),
        })
    }
}
