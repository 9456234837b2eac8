//! Fills a workspace database with waiting customer conversations, for measuring the app
//! with a realistic backlog (`scripts/bench-memory`).
//!
//! `cargo run --release -p switchboard-store --example seed_conversations -- <db path> <count>`
//!
//! Every conversation is one customer mention, spread over the demo policy's four queues,
//! written through `Store::ingest` exactly as a platform pull writes them. Deadlines are
//! one hour of open time after the item (the app re-plans them from its policy at start).

#[path = "../benches/support/hour_planner.rs"]
mod hour_planner;

use std::path::PathBuf;

use hour_planner::HourPlanner;

use switchboard_core::{
    Author, BusinessCalendar, Item, ItemKind, Platform, QueueId, SlaThresholds, ThreadKey,
    Timestamp,
};
use switchboard_store::{RoutedItem, Store};

const QUEUES: [&str; 4] = ["triage", "support", "sales", "marketing"];

fn item(n: u64, now: Timestamp) -> RoutedItem {
    let thread = format!("seeded-{n}");
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: format!("seeded-{n}"),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", &thread),
            kind: if n.is_multiple_of(7) {
                ItemKind::DirectMessage
            } else {
                ItemKind::Mention
            },
            author: Author {
                handle: format!("@customer{n}@example.social"),
                display_name: format!("Customer {n}"),
            },
            from_brand: false,
            text: format!(
                "Order #{n}: the tracking page has not moved for a week. Could someone look \
                 into it and tell me when it will arrive? Thanks!"
            ),
            lang: Some("en".into()),
            // Spread over the last two days, a minute apart at most.
            created_at: Timestamp(now.0 - (n as i64 % 2_880) * 60_000),
        },
        queue: QueueId::from(QUEUES[(n % 4) as usize]),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(count)) = (args.next(), args.next()) else {
        return Err("usage: seed_conversations <database path> <count>".into());
    };
    let path = PathBuf::from(path);
    let count: u64 = count.parse()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let now = Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64,
    );
    let planner = HourPlanner(BusinessCalendar::always_open(), SlaThresholds::default());
    let store = Store::open(&path).await?;
    for start in (0..count).step_by(1_000) {
        let page = (start..(start + 1_000).min(count))
            .map(|n| item(n, now))
            .collect();
        store.ingest(page, None, now, &planner).await?;
    }
    store.close().await;
    eprintln!("{count} waiting conversations in {}", path.display());
    Ok(())
}
