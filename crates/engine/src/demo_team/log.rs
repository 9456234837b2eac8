//! The demo team's own log: conversations a teammate brings arrive as a team replica gets
//! its teammates' work — as events of the team's shared log (event id, server sequence)
//! folded in by [`switchboard_store::Store::apply_shared`], the replica's fold. The
//! server sequences continue the workspace's team cursor, so the fold orders them as the
//! team database would.

use switchboard_core::{Author, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey};
use switchboard_platforms::demo::DEMO_ACCOUNT;
use switchboard_store::{SharedEvent, StoreError};

use crate::planner::PolicyPlanner;
use crate::Shared;

/// The queue of the conversations teammates bring (a sales request).
const BROUGHT_TO: &str = "sales";

/// How long before the hand-off the customer wrote, and the teammate claimed it.
const WROTE_BEFORE_MS: i64 = 6 * 60_000;
const CLAIMED_BEFORE_MS: i64 = 4 * 60_000;

/// Folds in a conversation teammate `by` worked and hands to `me` with `note`: the
/// customer's `message`, the teammate's claim, their hand-off. Returns its id and the
/// hand-off's event id.
pub(crate) async fn bring_hand_off(
    shared: &Shared,
    by: &str,
    me: &str,
    message: &str,
    note: &str,
) -> Result<(i64, String), StoreError> {
    let now = shared.now();
    let root = format!("team-{}", now.millis());
    let thread = ThreadKey::new(Platform::Mastodon, DEMO_ACCOUNT, &root);
    let queue = QueueId::from(BROUGHT_TO);
    let item = Item {
        platform: Platform::Mastodon,
        account: DEMO_ACCOUNT.into(),
        native_id: root.clone(),
        thread: thread.clone(),
        kind: ItemKind::Mention,
        author: Author {
            handle: "@leedsbeans@mastodon.example".into(),
            display_name: "Leeds Beans Café".into(),
        },
        from_brand: false,
        text: message.to_owned(),
        lang: Some("en".into()),
        created_at: now.plus_millis(-WROTE_BEFORE_MS),
    };
    let events = [
        Event {
            thread: thread.clone(),
            at: now.plus_millis(-WROTE_BEFORE_MS),
            by: None,
            kind: EventKind::ItemIngested {
                item,
                queue: queue.clone(),
            },
        },
        Event {
            thread: thread.clone(),
            at: now.plus_millis(-CLAIMED_BEFORE_MS),
            by: Some(by.to_owned()),
            kind: EventKind::Claimed,
        },
        Event {
            thread: thread.clone(),
            at: now,
            by: Some(by.to_owned()),
            kind: EventKind::HandedOff {
                to: queue,
                note: note.to_owned(),
                to_member: Some(me.to_owned()),
            },
        },
    ];
    let after = shared.store.team_cursor().await?;
    let shared_events: Vec<SharedEvent> = events
        .into_iter()
        .zip(after + 1..)
        .map(|(event, server_seq)| SharedEvent {
            event_id: uuid::Uuid::now_v7().to_string(),
            server_seq,
            event,
        })
        .collect();
    let last = shared_events.last().map_or(after, |e| e.server_seq);
    let handed = shared_events
        .last()
        .map(|e| e.event_id.clone())
        .unwrap_or_default();
    let policy = shared.policy();
    let applied = shared
        .store
        .apply_shared(&shared_events, last, &PolicyPlanner(&policy))
        .await?;
    shared.changed(applied.conversations);
    let id = shared
        .store
        .conversation_id(&thread.0)
        .await?
        .ok_or(StoreError::NotFound {
            what: "conversation",
            id: 0,
        })?;
    Ok((id, handed))
}
