//! A workspace whose Triage answers within an hour around the clock (at risk 45 minutes
//! after a customer wrote, breached after 60), filled with customers' mentions of the
//! brand account "northwind" before the engine opens it. Shared by the engine's tests
//! (through `common`) and its benches (which include this file by path).
//!
//! Terms: a *customer item* is one customer's mention opening its own thread; *preparing*
//! a workspace writes its policy file and stores items in its database while no engine
//! has it open.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use switchboard_core::{
    Author, ConversationState, Deadlines, Item, ItemKind, Platform, Policy, QueueId, ThreadKey,
    Timestamp,
};
use switchboard_engine::{Engine, EngineConfig, WorkspaceFiles, WorkspaceSpec};
use switchboard_store::{DeadlinePlanner, RoutedItem, Store};

/// A minute in milliseconds.
pub const MIN: i64 = 60_000;

/// Triage answers within an hour, around the clock.
pub const POLICY: &str = r##"
[calendar.always]
time_zone = "UTC"
hours.daily = ["00:00-24:00"]

[[queue]]
id = "triage"
label = "Triage"
color = "#8a8f98"

[queue.sla]
calendar = "always"
first_response = "1h"
"##;

/// Appended to [`POLICY`]: "northwind" is one of the workspace's brand accounts.
pub const BRAND_ACCOUNT: &str = r##"
[[brand_account]]
platform = "mastodon"
account = "northwind"
"##;

/// The engine re-plans every deadline from its policy when it opens; this planner only
/// has to exist.
pub struct NoDeadlines;

impl DeadlinePlanner for NoDeadlines {
    fn plan(&self, _: &ConversationState) -> Option<Deadlines> {
        None
    }
}

/// A customer's mention of "northwind" opening thread `thread`, by `@{handle}@example.social`
/// ("Customer `n`"), written at `written_at`.
pub fn customer_item(
    thread: String,
    n: usize,
    handle: &str,
    text: String,
    written_at: Timestamp,
) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: thread.clone(),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", &thread),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!("@{handle}@example.social"),
                display_name: format!("Customer {n}"),
            },
            from_brand: false,
            text,
            lang: Some("en".into()),
            created_at: written_at,
        },
        queue: QueueId::from("triage"),
    }
}

/// An engine's settings on `data` for a workspace of its own (no demo network running),
/// acting as `me`, with its own keychain `namespace`.
pub fn config(data: &Path, me: &str, namespace: &str) -> EngineConfig {
    EngineConfig {
        data_dir: data.to_owned(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: me.into(),
        keychain_namespace: namespace.into(),
        poll_interval: None,
    }
}

/// Workspace `id`, named `name` (not the demo), and its files in `config`'s data folder.
pub fn workspace(config: &EngineConfig, id: &str, name: &str) -> (WorkspaceSpec, WorkspaceFiles) {
    let spec = WorkspaceSpec {
        id: id.into(),
        name: name.into(),
        is_demo: false,
        is_team: false,
    };
    let files = WorkspaceFiles::new(&config.workspaces_dir(), &spec.id);
    (spec, files)
}

/// Writes `policy` (named `name` in errors) into the workspace at `files` and stores each
/// page of `pages` as of `now`, before any engine opens it.
pub async fn prepare(
    files: &WorkspaceFiles,
    name: &str,
    policy: &str,
    pages: impl IntoIterator<Item = Vec<RoutedItem>>,
    now: Timestamp,
) {
    std::fs::create_dir_all(&files.dir).expect("workspace dir");
    std::fs::write(&files.policy, policy).expect("write the policy");
    let parsed = Policy::parse(name, policy).expect("the policy parses");
    let store = Store::open(&files.database).await.expect("open the store");
    store.set_queues(&parsed.queues()).await.expect("queues");
    for items in pages {
        store
            .ingest(items, None, now, &NoDeadlines)
            .await
            .expect("store the conversations");
    }
    store.close().await;
}

/// Every alert as soon as it is due: no cool-down between two.
pub async fn cooldown_off(engine: &Engine) {
    let mut preferences = engine.alert_preferences().await;
    preferences.cooldown_seconds = 0;
    engine
        .set_alert_preferences(preferences)
        .await
        .expect("turn the cool-down off");
}

/// The wall clock, in milliseconds since 1970.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_millis() as i64
}
