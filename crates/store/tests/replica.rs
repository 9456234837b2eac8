//! The store as a team replica: shared events folded in canonical order, the team outbox,
//! and this laptop's claim records.

mod support;

use support::HourPlanner;
use switchboard_core::{
    Author, DoneReason, Event, EventKind, Item, ItemKind, Platform, Queue, QueueId, ThreadKey,
    Timestamp,
};
use switchboard_store::{
    RoutedItem, SharedApplied, SharedEvent, Store, TeamClaim, TeamClaimStatus,
};

fn item(native_id: &str, root: &str, at: i64) -> Item {
    Item {
        platform: Platform::Mastodon,
        account: "northwind".into(),
        native_id: native_id.into(),
        thread: ThreadKey::new(Platform::Mastodon, "northwind", root),
        kind: ItemKind::Mention,
        author: Author {
            handle: "@ana@example.social".into(),
            display_name: "Ana".into(),
        },
        from_brand: false,
        text: format!("message {native_id}"),
        lang: Some("en".into()),
        created_at: Timestamp(at),
    }
}

/// The shared `item` event of `item`, at `server_seq`.
fn shared_item(event_id: &str, server_seq: i64, item: Item) -> SharedEvent {
    SharedEvent {
        event_id: event_id.into(),
        server_seq,
        event: Event {
            thread: item.thread.clone(),
            at: item.created_at,
            by: None,
            kind: EventKind::ItemIngested {
                item,
                queue: QueueId::from("support"),
            },
        },
    }
}

fn shared_action(
    event_id: &str,
    server_seq: i64,
    thread: &ThreadKey,
    by: &str,
    at: i64,
    kind: EventKind,
) -> SharedEvent {
    SharedEvent {
        event_id: event_id.into(),
        server_seq,
        event: Event {
            thread: thread.clone(),
            at: Timestamp(at),
            by: Some(by.into()),
            kind,
        },
    }
}

async fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    let store = Store::open(&dir.path().join(format!("{name}.sqlite3")))
        .await
        .expect("open store");
    store.set_queues(&Queue::defaults()).await.expect("queues");
    store
}

/// A stand-in for the team server: the shared log, in server order.
#[derive(Default)]
struct Server {
    log: Vec<SharedEvent>,
}

impl Server {
    /// Takes every waiting outbox event of `store`, logs it and marks it accepted.
    async fn push(&mut self, store: &Store) {
        let pending = store.team_outbox_pending(100).await.unwrap();
        for outgoing in &pending {
            let payload: serde_json::Value = serde_json::from_str(&outgoing.payload).unwrap();
            let event: Event = serde_json::from_value(payload["event"].clone()).unwrap();
            assert_eq!(outgoing.kind, event.kind.name());
            self.log.push(SharedEvent {
                event_id: outgoing.event_id.clone(),
                server_seq: self.log.len() as i64 + 1,
                event,
            });
        }
        if let Some(last) = pending.last() {
            store
                .team_outbox_accepted(last.device_seq, Timestamp(0))
                .await
                .unwrap();
        }
    }

    fn log_event(&mut self, make: impl FnOnce(i64) -> SharedEvent) {
        let event = make(self.log.len() as i64 + 1);
        self.log.push(event);
    }

    /// The events after `after`, as a pull gives them.
    fn after(&self, after: i64) -> &[SharedEvent] {
        &self.log[after as usize..]
    }

    fn head(&self) -> i64 {
        self.log.len() as i64
    }
}

async fn pull(store: &Store, server: &Server) -> SharedApplied {
    let after = store.team_cursor().await.unwrap();
    store
        .apply_shared(server.after(after), server.head(), &HourPlanner)
        .await
        .unwrap()
}

#[tokio::test]
async fn replicas_fed_different_interleavings_converge_once_everything_is_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        open(&dir, "a").await,
        open(&dir, "b").await,
        open(&dir, "c").await,
    );
    a.share_actions();
    b.share_actions();
    c.share_actions();
    let mut server = Server::default();
    let t = ThreadKey::new(Platform::Mastodon, "northwind", "t");
    let u = ThreadKey::new(Platform::Mastodon, "northwind", "u");
    server.log_event(|seq| shared_item("item-t1", seq, item("t1", "t", 1_000)));
    server.log_event(|seq| shared_item("item-u1", seq, item("u1", "u", 2_000)));
    pull(&a, &server).await;
    pull(&b, &server).await;

    // Both act on T before hearing of each other.
    let at = a.conversation_id(&t.0).await.unwrap().unwrap();
    let bt = b.conversation_id(&t.0).await.unwrap().unwrap();
    a.record_action(
        at,
        "ana",
        EventKind::Claimed,
        Timestamp(3_000),
        &HourPlanner,
    )
    .await
    .unwrap();
    let note = EventKind::NoteAdded {
        note: "asked for the order number".into(),
    };
    a.record_action(at, "ana", note, Timestamp(3_100), &HourPlanner)
        .await
        .unwrap();
    b.record_action(
        bt,
        "bob",
        EventKind::Claimed,
        Timestamp(3_050),
        &HourPlanner,
    )
    .await
    .unwrap();
    let done = EventKind::MarkedDone {
        reason: DoneReason::NoReplyNeeded,
    };
    b.record_action(bt, "bob", done, Timestamp(3_200), &HourPlanner)
        .await
        .unwrap();
    assert_eq!(a.team_outbox_len().await.unwrap(), 2);
    assert_eq!(b.team_outbox_len().await.unwrap(), 2);

    // A's actions reach the server first, then a snooze that cannot apply, then B's.
    server.push(&a).await;
    server.log_event(|seq| {
        shared_action(
            "snooze-past",
            seq,
            &t,
            "cy",
            5_000,
            EventKind::Snoozed {
                until: Timestamp(4_000),
            },
        )
    });
    // B hears of A's actions while its own are still unacknowledged: its own stay last.
    let heard = pull(&b, &server).await;
    assert_eq!(heard.applied, 3);
    assert_eq!(heard.acknowledged, 0);
    assert_eq!(heard.conversations, vec![bt]);
    let before_ack = b.conversation(bt, Timestamp(4_000)).await.unwrap();
    assert_eq!(before_ack.claimed_by.as_deref(), Some("bob"));
    server.push(&b).await;
    server.log_event(|seq| shared_action("u-claim", seq, &u, "cy", 6_000, EventKind::Claimed));

    // A pulls everything in one batch; B pulls the rest (its own coming back); C, which
    // acted on nothing, pulls the whole log.
    let a_pulled = pull(&a, &server).await;
    assert_eq!(a_pulled.acknowledged, 2, "A's own two actions came back");
    assert_eq!(
        a_pulled.applied, 4,
        "the snooze, B's two actions and U's claim"
    );
    let b_pulled = pull(&b, &server).await;
    assert_eq!(b_pulled.acknowledged, 2, "B's own two actions came back");
    assert_eq!(b_pulled.applied, 1);
    pull(&c, &server).await;
    for store in [&a, &b, &c] {
        assert_eq!(store.team_cursor().await.unwrap(), server.head());
        assert_eq!(store.team_outbox_len().await.unwrap(), 0);
    }

    let fingerprint = a.projection_fingerprint().await.unwrap();
    assert_eq!(fingerprint, b.projection_fingerprint().await.unwrap());
    assert_eq!(fingerprint, c.projection_fingerprint().await.unwrap());
    // The last writer in the team's order wins: B's claim and done came after A's.
    let summary = a.conversation(at, Timestamp(7_000)).await.unwrap();
    assert_eq!(summary.claimed_by.as_deref(), Some("bob"));
    assert!(summary.done_reason.is_some(), "B marked it done last");
    assert!(fingerprint.contains("\"note_count\":1"), "{fingerprint}");
    assert!(
        !fingerprint.contains("\"pauses\":[["),
        "the snooze in the past is skipped"
    );
}

#[tokio::test]
async fn applying_the_same_batch_twice_is_applying_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "replica").await;
    let t = ThreadKey::new(Platform::Mastodon, "northwind", "t");
    let batch = vec![
        shared_item("i1", 1, item("t1", "t", 1_000)),
        shared_action("c1", 2, &t, "ana", 2_000, EventKind::Claimed),
        shared_item("i2", 3, item("t2", "t", 3_000)),
    ];
    let first = store.apply_shared(&batch, 3, &HourPlanner).await.unwrap();
    let id = store.conversation_id(&t.0).await.unwrap().unwrap();
    assert_eq!(
        first,
        SharedApplied {
            conversations: vec![id],
            applied: 3,
            acknowledged: 0,
            set_aside: 0,
        }
    );
    let fingerprint = store.projection_fingerprint().await.unwrap();
    let events = store.event_count().await.unwrap();

    let again = store.apply_shared(&batch, 3, &HourPlanner).await.unwrap();
    assert_eq!(again, SharedApplied::default());
    assert_eq!(store.projection_fingerprint().await.unwrap(), fingerprint);
    assert_eq!(store.event_count().await.unwrap(), events);
    assert_eq!(store.item_count().await.unwrap(), 2);
    let summary = store.conversation(id, Timestamp(4_000)).await.unwrap();
    assert_eq!(summary.claimed_by.as_deref(), Some("ana"));
    assert_eq!(store.thread_key(id).await.unwrap(), t.0);
}

#[tokio::test]
async fn an_item_already_stored_is_mapped_not_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "replica").await;
    let stored = item("t1", "t", 1_000);
    store
        .ingest(
            vec![RoutedItem {
                item: stored.clone(),
                queue: QueueId::from("support"),
            }],
            None,
            Timestamp(1_500),
            &HourPlanner,
        )
        .await
        .unwrap();
    let events = store.event_count().await.unwrap();
    let applied = store
        .apply_shared(&[shared_item("i1", 1, stored)], 1, &HourPlanner)
        .await
        .unwrap();
    assert_eq!(applied.applied, 0, "the item was not new");
    assert_eq!(store.event_count().await.unwrap(), events);
    assert_eq!(store.item_count().await.unwrap(), 1);
    // A later action in the team's order still applies after it.
    let t = ThreadKey::new(Platform::Mastodon, "northwind", "t");
    let claim = shared_action("c1", 2, &t, "ana", 2_000, EventKind::Claimed);
    store.apply_shared(&[claim], 2, &HourPlanner).await.unwrap();
    let id = store.conversation_id(&t.0).await.unwrap().unwrap();
    let summary = store.conversation(id, Timestamp(3_000)).await.unwrap();
    assert_eq!(summary.claimed_by.as_deref(), Some("ana"));
}

#[tokio::test]
async fn an_action_on_an_unknown_thread_is_set_aside_and_the_cursor_still_moves() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "replica").await;
    let nowhere = ThreadKey::new(Platform::Mastodon, "northwind", "nowhere");
    let claim = shared_action("c1", 4, &nowhere, "ana", 2_000, EventKind::Claimed);
    let applied = store.apply_shared(&[claim], 9, &HourPlanner).await.unwrap();
    assert_eq!(applied.set_aside, 1);
    assert!(applied.conversations.is_empty());
    assert_eq!(store.team_cursor().await.unwrap(), 9);
    assert_eq!(store.event_count().await.unwrap(), 1, "kept in the log");
    assert_eq!(store.conversation_id(&nowhere.0).await.unwrap(), None);
    assert_eq!(store.projection_fingerprint().await.unwrap(), "");
    // The cursor never moves back.
    store.apply_shared(&[], 3, &HourPlanner).await.unwrap();
    assert_eq!(store.team_cursor().await.unwrap(), 9);
}

#[tokio::test]
async fn shared_actions_are_queued_in_order_and_marked_when_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let local = open(&dir, "local").await;
    let shared = open(&dir, "shared").await;
    shared.share_actions();
    let first = shared_item("i1", 1, item("t1", "t", 1_000));
    for store in [&local, &shared] {
        store
            .apply_shared(std::slice::from_ref(&first), 1, &HourPlanner)
            .await
            .unwrap();
        let id = store.conversation_id(&first.event.thread.0).await.unwrap();
        let id = id.unwrap();
        let actions = [
            EventKind::Claimed,
            EventKind::NoteAdded {
                note: "refund sent".into(),
            },
            EventKind::MarkedDone {
                reason: DoneReason::AnsweredElsewhere,
            },
        ];
        for (n, kind) in actions.into_iter().enumerate() {
            store
                .record_action(id, "ana", kind, Timestamp(2_000 + n as i64), &HourPlanner)
                .await
                .unwrap();
        }
    }
    assert_eq!(
        local.team_outbox_len().await.unwrap(),
        0,
        "a local workspace shares nothing"
    );
    assert!(local.team_outbox_pending(10).await.unwrap().is_empty());

    let pending = shared.team_outbox_pending(10).await.unwrap();
    let kinds: Vec<&str> = pending.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["claimed", "note_added", "marked_done"]);
    assert!(pending
        .windows(2)
        .all(|w| w[0].device_seq < w[1].device_seq));
    let note: serde_json::Value = serde_json::from_str(&pending[1].payload).unwrap();
    assert_eq!(note["event"]["kind"]["note"], "refund sent");
    assert_eq!(note["event"]["by"], "ana");
    assert_eq!(shared.team_outbox_pending(2).await.unwrap().len(), 2);

    shared
        .team_outbox_accepted(pending[1].device_seq, Timestamp(9_000))
        .await
        .unwrap();
    assert_eq!(shared.team_outbox_len().await.unwrap(), 1);
    let rest = shared.team_outbox_pending(10).await.unwrap();
    assert_eq!(rest, vec![pending[2].clone()]);
}

#[tokio::test]
async fn a_claim_the_server_logged_is_recorded_once_and_acknowledged_without_a_push() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "replica").await;
    store.share_actions();
    let first = shared_item("i1", 1, item("t1", "t", 1_000));
    store
        .apply_shared(std::slice::from_ref(&first), 1, &HourPlanner)
        .await
        .unwrap();
    let id = store
        .conversation_id(&first.event.thread.0)
        .await
        .unwrap()
        .unwrap();
    store
        .record_claimed(id, "ana", Timestamp(2_000), &HourPlanner, "claim-1")
        .await
        .unwrap();
    assert_eq!(
        store.team_outbox_len().await.unwrap(),
        0,
        "the server has it already"
    );
    let summary = store.conversation(id, Timestamp(2_500)).await.unwrap();
    assert_eq!(summary.claimed_by.as_deref(), Some("ana"));
    let events = store.event_count().await.unwrap();

    let back = shared_action(
        "claim-1",
        2,
        &first.event.thread,
        "ana",
        2_000,
        EventKind::Claimed,
    );
    let applied = store.apply_shared(&[back], 2, &HourPlanner).await.unwrap();
    assert_eq!(applied.acknowledged, 1);
    assert_eq!(applied.applied, 0);
    assert_eq!(applied.conversations, vec![id]);
    assert_eq!(store.event_count().await.unwrap(), events);
    // Recording it again changes nothing.
    store
        .record_claimed(id, "ana", Timestamp(2_000), &HourPlanner, "claim-1")
        .await
        .unwrap();
    assert_eq!(store.event_count().await.unwrap(), events);
}

#[tokio::test]
async fn team_claims_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "replica").await;
    assert_eq!(store.team_claim("t").await.unwrap(), None);
    let pending = TeamClaim {
        thread_key: "t".into(),
        status: TeamClaimStatus::Pending,
        fence: None,
        holder: None,
        updated_at: Timestamp(1_000),
    };
    store.set_team_claim(&pending).await.unwrap();
    assert_eq!(store.team_claim("t").await.unwrap(), Some(pending));
    let held = TeamClaim {
        thread_key: "t".into(),
        status: TeamClaimStatus::Held,
        fence: Some(7),
        holder: Some("ana".into()),
        updated_at: Timestamp(2_000),
    };
    store.set_team_claim(&held).await.unwrap();
    let lost = TeamClaim {
        thread_key: "u".into(),
        status: TeamClaimStatus::Lost,
        fence: Some(3),
        holder: Some("bob".into()),
        updated_at: Timestamp(2_500),
    };
    store.set_team_claim(&lost).await.unwrap();
    assert_eq!(store.team_claim("t").await.unwrap(), Some(held.clone()));
    assert_eq!(
        store.team_claims(TeamClaimStatus::Held).await.unwrap(),
        vec![held]
    );
    assert_eq!(
        store.team_claims(TeamClaimStatus::Lost).await.unwrap(),
        vec![lost]
    );
    let released = TeamClaim {
        thread_key: "v".into(),
        status: TeamClaimStatus::Released,
        fence: None,
        holder: None,
        updated_at: Timestamp(3_000),
    };
    store.set_team_claim(&released).await.unwrap();
    assert_eq!(
        store.team_claims(TeamClaimStatus::Released).await.unwrap(),
        vec![released]
    );
    assert!(store
        .team_claims(TeamClaimStatus::Pending)
        .await
        .unwrap()
        .is_empty());
}
