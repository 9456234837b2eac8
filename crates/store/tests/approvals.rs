//! Trainees' replies in the store: an awaiting one shows among the thread's outgoing
//! replies with its approval id (never as an outbox row), a rejected one shows rejected
//! with the reason, an approved one leaves the list for the lead's outbox row — logged
//! and queued in one transaction, once, however often it is asked; a reply sent anyway
//! keeps its warning in the log.

mod support;

use support::HourPlanner;
use switchboard_core::{
    Author, EventKind, Item, ItemKind, Platform, Queue, QueueId, ReplyState, ThreadKey, Timestamp,
};
use switchboard_store::{ApprovalState, RoutedItem, Store};

fn customer_item(root: &str, at: i64) -> RoutedItem {
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "1@m.example".into(),
            native_id: root.into(),
            thread: ThreadKey::new(Platform::Mastodon, "1@m.example", root),
            kind: ItemKind::Mention,
            author: Author {
                handle: "@ana@m.example".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: format!("question {root}"),
            lang: None,
            created_at: Timestamp(at),
        },
        queue: QueueId::from("support"),
    }
}

async fn one_conversation(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("w.sqlite3")).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    store
        .ingest(
            vec![customer_item("10", 1_000)],
            None,
            Timestamp(2_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    store
}

async fn awaiting(store: &Store, approval: &str, text: &str, at: i64) {
    store
        .record_action(
            1,
            "tina",
            EventKind::ReplyAwaitingApproval {
                approval: approval.into(),
                text: text.into(),
                sent_anyway: None,
                guardrail_overrides: Vec::new(),
            },
            Timestamp(at),
            &HourPlanner,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn trainees_replies_show_awaiting_then_rejected_or_approved_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = one_conversation(&dir).await;
    awaiting(&store, "a-1", "first try", 3_000).await;
    awaiting(&store, "a-2", "second try", 3_100).await;

    let outgoing = store.outgoing(1).await.unwrap();
    assert_eq!(outgoing.len(), 2);
    assert!(outgoing
        .iter()
        .all(|r| r.state == ReplyState::AwaitingApproval && r.id < 0 && r.by == "tina"));
    assert_eq!(outgoing[0].approval.as_deref(), Some("a-1"));
    assert_eq!(outgoing[0].text, "first try");
    assert_eq!(
        store.awaiting_approvals().await.unwrap(),
        vec![(1, "a-1".to_owned()), (1, "a-2".to_owned())]
    );

    // Rejected: shown as such with the reason; a second rejection logs nothing.
    assert!(store
        .record_rejection(
            1,
            "lea",
            "a-1",
            "Too casual",
            Timestamp(4_000),
            &HourPlanner
        )
        .await
        .unwrap());
    assert!(!store
        .record_rejection(1, "lea", "a-1", "Again", Timestamp(4_100), &HourPlanner)
        .await
        .unwrap());
    let rejected = &store.outgoing(1).await.unwrap()[0];
    assert_eq!(rejected.state, ReplyState::Rejected);
    assert_eq!(rejected.error.as_deref(), Some("Too casual"));

    // Approved (edited): logged and queued together, under its key; asked again, the
    // key refuses a second reply and the log has one approval.
    let queued = store
        .queue_approved_reply(
            1,
            "priya",
            "a-2",
            "second try, edited",
            "key-a-2",
            Default::default(),
            Timestamp(5_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!(queued.text, "second try, edited");
    assert!(store
        .queue_approved_reply(
            1,
            "priya",
            "a-2",
            "second try, edited",
            "key-a-2",
            Default::default(),
            Timestamp(5_100),
            &HourPlanner,
        )
        .await
        .is_err());
    let thread = store.thread(1, Timestamp(6_000)).await.unwrap();
    let kinds: Vec<&str> = thread.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "item_ingested",
            "reply_awaiting_approval",
            "reply_awaiting_approval",
            "reply_rejected",
            "reply_approved",
            "reply_queued"
        ]
    );
    let approved = thread
        .history
        .iter()
        .find(|h| h.kind == "reply_approved")
        .unwrap();
    assert_eq!(approved.by.as_deref(), Some("priya"));
    // The outgoing list: the lead's outbox row, and the rejected reply.
    let outgoing = store.outgoing(1).await.unwrap();
    assert_eq!(outgoing.len(), 2);
    assert_eq!(outgoing[0].state, ReplyState::Sending);
    assert_eq!(outgoing[0].approval, None);
    assert_eq!(outgoing[1].state, ReplyState::Rejected);
    let requests = store.approvals(1).await.unwrap();
    assert!(matches!(
        &requests[1].state,
        ApprovalState::Approved { by: Some(by), text } if by == "priya" && text == "second try, edited"
    ));
    assert!(store.awaiting_approvals().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_reply_sent_anyway_keeps_what_the_writer_was_told() {
    let dir = tempfile::tempdir().unwrap();
    let store = one_conversation(&dir).await;
    store
        .queue_reply(
            1,
            "bob",
            "Hello!",
            "key-1",
            Timestamp(3_000),
            &HourPlanner,
            Some("Ana replied 2 min ago, after you opened this"),
        )
        .await
        .unwrap();
    let events = store.events_after(1, 1).await.unwrap();
    assert_eq!(events.len(), 1);
    assert!(matches!(
        &events[0].event.kind,
        EventKind::ReplyQueued { sent_anyway: Some(w), .. } if w.starts_with("Ana replied")
    ));
    let thread = store.thread(1, Timestamp(4_000)).await.unwrap();
    assert!(thread
        .history
        .iter()
        .any(|h| h.detail.contains("sent anyway") && h.detail.contains("Ana replied")));
}
