//! The outbox: a Retry checks before it changes anything and claims a failed reply once;
//! a reply is finished (sent or failed) once, logging one event; a waiting reply shows as
//! waiting with why, and stops waiting when it is finished.

mod support;

use support::HourPlanner;
use switchboard_core::{
    Author, Item, ItemKind, Platform, Queue, QueueId, ReplyState, ThreadKey, Timestamp,
};
use switchboard_store::{RetryClaim, RoutedItem, Store};

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

/// A store with two conversations (ids 1 and 2), each with a customer question.
async fn two_conversations(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("w.sqlite3")).await.unwrap();
    store.set_queues(&Queue::defaults()).await.unwrap();
    store
        .ingest(
            vec![customer_item("10", 1_000), customer_item("20", 2_000)],
            None,
            Timestamp(3_000),
            &HourPlanner,
        )
        .await
        .unwrap();
    store
}

fn count(thread: &switchboard_core::Thread, kind: &str) -> usize {
    thread.history.iter().filter(|h| h.kind == kind).count()
}

#[tokio::test]
async fn retry_checks_first_and_claims_once_and_a_reply_finishes_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = two_conversations(&dir).await;
    let now = Timestamp(4_000);
    let queued = store
        .queue_reply(1, "maya", "On it", "key-1", now, &HourPlanner, None)
        .await
        .unwrap();
    assert_eq!(queued.created_at, now);

    // Waiting: shown with why; only a sending reply waits.
    store
        .reply_waiting(queued.id, "Will send when Mastodon is reachable.")
        .await
        .unwrap();
    let outgoing = store.outgoing(1).await.unwrap();
    assert_eq!(outgoing[0].state, ReplyState::Waiting);
    assert_eq!(
        outgoing[0].error.as_deref(),
        Some("Will send when Mastodon is reachable.")
    );

    // A Retry of a reply still sending (waiting) does nothing.
    assert_eq!(
        store.retry_reply(1, queued.id).await.unwrap(),
        RetryClaim::Underway
    );

    // Failed once; a second finish changes nothing and logs nothing.
    assert!(store
        .reply_failed(&queued, "refused", now, &HourPlanner)
        .await
        .unwrap());
    assert!(!store
        .reply_sent(&queued, "99", now, &HourPlanner)
        .await
        .unwrap());
    let thread = store.thread(1, now).await.unwrap();
    assert_eq!(thread.outgoing[0].state, ReplyState::Failed);
    assert_eq!(thread.outgoing[0].error.as_deref(), Some("refused"));
    assert_eq!(
        (count(&thread, "reply_failed"), count(&thread, "reply_sent")),
        (1, 0)
    );

    // A Retry naming the other conversation is refused and changes nothing.
    assert_eq!(
        store.retry_reply(2, queued.id).await.unwrap(),
        RetryClaim::OtherConversation
    );
    assert_eq!(
        store.outgoing(1).await.unwrap()[0].state,
        ReplyState::Failed
    );

    // Two Retries: the first claims it, the second finds it underway.
    let RetryClaim::Claimed(again) = store.retry_reply(1, queued.id).await.unwrap() else {
        panic!("a failed reply is claimed");
    };
    assert_eq!(again.idempotency_key, "key-1");
    assert_eq!(
        store.retry_reply(1, queued.id).await.unwrap(),
        RetryClaim::Underway
    );
    assert_eq!(
        store.outgoing(1).await.unwrap()[0].state,
        ReplyState::Sending
    );

    // Sent once; the native id is then claimed for every other reply.
    assert!(store
        .reply_sent(&again, "99", now, &HourPlanner)
        .await
        .unwrap());
    assert!(!store
        .reply_sent(&again, "99", now, &HourPlanner)
        .await
        .unwrap());
    let thread = store.thread(1, now).await.unwrap();
    assert!(thread.outgoing.is_empty());
    assert_eq!(count(&thread, "reply_sent"), 1);
    let twin = store
        .queue_reply(1, "maya", "On it", "key-2", now, &HourPlanner, None)
        .await
        .unwrap();
    assert!(store.native_id_claimed(twin.id, "99").await.unwrap());
    assert!(
        !store
            .reply_sent(&twin, "99", now, &HourPlanner)
            .await
            .unwrap(),
        "one post is one reply's"
    );
    assert_eq!(
        store.outgoing(1).await.unwrap()[0].state,
        ReplyState::Sending
    );
    assert!(!store.native_id_claimed(again.id, "99").await.unwrap());
    assert_eq!(
        store.retry_reply(1, queued.id).await.unwrap(),
        RetryClaim::Underway
    );
}
