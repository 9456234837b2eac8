//! Customer items for the team e2e test, entered into the team's shared log as the
//! *poll-lease holder* of a brand account would: the one laptop that holds the account's
//! poll lease reads the platform and commits what it read under its lease's fence. Here a
//! member of the team called "poller" holds the lease and makes the customers up.

use std::time::Duration;

use switchboard_core::{
    Author, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey, Timestamp,
};
use switchboard_team::{BrandAccount, JoinCode, LeaseOutcome, Stamp, TeamClient, TeamItem};

/// The brand account the feeder reads.
const ACCOUNT: BrandAccount<'static> = BrandAccount {
    platform: "mastodon",
    account: "mastodon:help@acme.example",
};

/// Holds the brand account's poll lease and enters customer mentions into the log.
pub struct Feeder {
    client: TeamClient,
    fence: i64,
}

impl Feeder {
    /// Connects with the join code `code` and takes the brand account's poll lease.
    pub async fn start(code: &JoinCode) -> Feeder {
        let client = TeamClient::join(code, "e2e-feeder")
            .await
            .expect("the feeder connects to the team database");
        let LeaseOutcome::Granted { fence, .. } = client
            .acquire_poll_lease(ACCOUNT, Duration::from_secs(3600))
            .await
            .expect("the feeder asks for the poll lease")
        else {
            panic!("the feeder holds the poll lease (nobody else polls this account)");
        };
        Feeder { client, fence }
    }

    /// Enters a mention from `customer` saying `text`, routed to `queue`.
    pub async fn mention(&self, customer: &str, text: &str, queue: &str) {
        let now = Timestamp::now_from_system();
        let thread = format!(
            "{}:{}-{}",
            ACCOUNT.account,
            customer.to_lowercase().replace(' ', "-"),
            now.0
        );
        let item = Item {
            platform: Platform::Mastodon,
            account: "help@acme.example".into(),
            native_id: thread.clone(),
            thread: ThreadKey(thread.clone()),
            kind: ItemKind::Mention,
            author: Author {
                handle: format!(
                    "@{}@example.social",
                    customer.to_lowercase().replace(' ', "")
                ),
                display_name: customer.into(),
            },
            from_brand: false,
            text: text.into(),
            lang: Some("en".into()),
            created_at: now,
        };
        let event = Event {
            thread: ThreadKey(thread.clone()),
            at: now,
            by: None,
            kind: EventKind::ItemIngested {
                item,
                queue: QueueId(queue.into()),
            },
        };
        let item = TeamItem::new(
            thread,
            &serde_json::json!({ "event": event }),
            Stamp::new(0),
        )
        .expect("a team item");
        self.client
            .commit_poll(ACCOUNT, self.fence, &[item], None)
            .await
            .expect("the mention enters the team's log");
    }
}
