//! Laptops of a team for the engine's team tests: each its own data folder, workspace
//! database (the replica), in-memory keychain holding its member's join code, and engine;
//! and a [`Feeder`] that enters customer items into the team's log as a poll-lease holder
//! would.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{
    Author, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey, Timestamp,
};
pub use switchboard_engine::MemoryVault;
use switchboard_engine::{
    AlertSink, Engine, EngineConfig, EngineHooks, SecretVault, SystemClock, WorkspaceSpec,
};
use switchboard_team::{BrandAccount, JoinCode, LeaseOutcome, Stamp, TeamClient, TeamItem};

/// The workspace id every laptop uses for the team.
pub const WORKSPACE: &str = "team-acme";

/// One laptop of the team.
#[allow(dead_code)] // not every test reads every field
pub struct Laptop {
    pub name: String,
    pub engine: Engine,
    pub data: tempfile::TempDir,
    pub vault: Arc<MemoryVault>,
}

/// How often the laptops of these tests poll (and so how long a poll lease lasts: three
/// intervals, at least 2 s).
pub const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Hooks that listen to no change, with `alerts`.
pub fn quiet_hooks(alerts: Option<Arc<dyn AlertSink>>) -> EngineHooks {
    EngineHooks {
        listener: Arc::new(|_| {}),
        alerts,
        version: Arc::default(),
        open_url: None,
    }
}

/// Opens the team workspace on `data` as `name`, with the keychain `vault` (which holds
/// the join code, and whatever else the laptop signed in to) and `hooks`.
pub async fn open_engine(
    name: &str,
    data: &Path,
    vault: Arc<MemoryVault>,
    hooks: EngineHooks,
) -> Engine {
    let config = EngineConfig {
        data_dir: data.to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: name.into(),
        keychain_namespace: format!("app.switchboard.test.team.{}", std::process::id()),
        poll_interval: Some(POLL_INTERVAL),
    };
    let spec = WorkspaceSpec {
        id: WORKSPACE.into(),
        name: "Acme team".into(),
        is_demo: false,
        is_team: true,
    };
    Engine::open_with_vault(
        config,
        &spec,
        Arc::new(SystemClock),
        hooks,
        vault as Arc<dyn SecretVault>,
    )
    .await
    .expect("the team workspace opens")
}

/// A keychain holding member `code`'s join code.
pub fn keychain_with(code: &JoinCode) -> Arc<MemoryVault> {
    let vault = Arc::new(MemoryVault::default());
    vault
        .store(WORKSPACE, "team:join-code", &code.encode())
        .unwrap();
    vault
}

impl Laptop {
    /// Opens the team workspace on a new laptop whose keychain holds `code`.
    pub async fn open(name: &str, code: &JoinCode, alerts: Option<Arc<dyn AlertSink>>) -> Laptop {
        Self::open_with(name, keychain_with(code), quiet_hooks(alerts)).await
    }

    /// Opens the team workspace on a new laptop with keychain `vault` and `hooks`.
    pub async fn open_with(name: &str, vault: Arc<MemoryVault>, hooks: EngineHooks) -> Laptop {
        let data = tempfile::tempdir().unwrap();
        let engine = open_engine(name, data.path(), Arc::clone(&vault), hooks).await;
        Laptop {
            name: name.into(),
            engine,
            data,
            vault,
        }
    }

    /// The conversation id of `thread` here, once it arrived.
    pub async fn conversation(&self, thread: &str) -> Option<i64> {
        self.engine.conversation_of_thread(thread).await.unwrap()
    }

    /// Who holds conversation `thread` here.
    pub async fn holder(&self, thread: &str) -> Option<String> {
        let id = self.conversation(thread).await?;
        self.engine
            .get_thread(id)
            .await
            .ok()?
            .conversation
            .claimed_by
    }
}

/// Enters customer items into the team's log as the poll-lease holder of the brand
/// account `feeder` would.
pub struct Feeder {
    client: TeamClient,
    fence: i64,
    next: u64,
}

/// The brand account the feeder reads.
pub const FEED_ACCOUNT: BrandAccount<'static> = BrandAccount {
    platform: "mastodon",
    account: "mastodon:feed@acme.example",
};

impl Feeder {
    pub async fn start(code: &JoinCode) -> Feeder {
        let client = TeamClient::join(code, "feeder")
            .await
            .expect("the feeder connects");
        let LeaseOutcome::Granted { fence, .. } = client
            .acquire_poll_lease(FEED_ACCOUNT, Duration::from_secs(3600))
            .await
            .unwrap()
        else {
            panic!("the feeder holds the lease");
        };
        Feeder {
            client,
            fence,
            next: 0,
        }
    }

    /// Enters a new customer mention routed to `queue`; returns its thread key.
    pub async fn mention(&mut self, queue: &str) -> String {
        self.next += 1;
        let (thread, item) = mention_item(self.next, queue);
        self.client
            .commit_poll(FEED_ACCOUNT, self.fence, &[item], None)
            .await
            .expect("the item enters the log");
        thread
    }
}

/// Customer mention number `n` of the feeder's account, routed to `queue`: its thread
/// key and the item as the poll-lease holder enters it into the log.
pub fn mention_item(n: u64, queue: &str) -> (String, TeamItem) {
    let thread = format!(
        "mastodon:feed@acme.example:{n}-{}",
        uuid::Uuid::now_v7().simple()
    );
    let item = Item {
        platform: Platform::Mastodon,
        account: "feed@acme.example".into(),
        native_id: thread.clone(),
        thread: ThreadKey(thread.clone()),
        kind: ItemKind::Mention,
        author: Author {
            handle: format!("@customer{n}@example.social"),
            display_name: format!("Customer {n}"),
        },
        from_brand: false,
        text: format!("Question {n}: where is my order?"),
        lang: Some("en".into()),
        created_at: Timestamp::now_from_system(),
    };
    let event = Event {
        thread: ThreadKey(thread.clone()),
        at: Timestamp::now_from_system(),
        by: None,
        kind: EventKind::ItemIngested {
            item,
            queue: QueueId(queue.into()),
        },
    };
    let item = TeamItem::new(
        thread.clone(),
        &serde_json::json!({ "event": event }),
        Stamp::new(0),
    )
    .expect("an item");
    (thread, item)
}

/// Polls `check` every 10 ms until it holds; fails with `what` after `within`.
pub async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let done = tokio::time::timeout(within, async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(done.is_ok(), "not within {within:?}: {what}");
}

/// A customer's mention to Support, entered into team `team`'s log by a poller of its
/// own, once both laptops have it: its thread and its conversation id on `a` and on `b`.
pub async fn mention_on_both(
    db: &switchboard_team::testing::TestDb,
    team: uuid::Uuid,
    a: &Laptop,
    b: &Laptop,
) -> (String, i64, i64) {
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let thread = feeder.mention("support").await;
    eventually(
        Duration::from_secs(10),
        "the mention reaches both",
        || async {
            a.conversation(&thread).await.is_some() && b.conversation(&thread).await.is_some()
        },
    )
    .await;
    let on_a = a.conversation(&thread).await.unwrap();
    let on_b = b.conversation(&thread).await.unwrap();
    (thread, on_a, on_b)
}
