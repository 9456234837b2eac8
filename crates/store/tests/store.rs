//! Store behaviour against a real SQLite file in a temporary directory.

mod support;

use support::{HourPlanner, HOUR};
use switchboard_core::{
    Author, DoneReason, EventKind, Item, ItemKind, Platform, Queue, QueueId, SlaState, ThreadKey,
    Timestamp,
};
use switchboard_store::{RoutedItem, Store};

fn item(native_id: &str, root: &str, from_brand: bool, at: i64) -> RoutedItem {
    let author = if from_brand {
        Author {
            handle: "@northwind@coffee.example".into(),
            display_name: "Northwind Coffee".into(),
        }
    } else {
        Author {
            handle: "@ana@example.social".into(),
            display_name: "Ana".into(),
        }
    };
    RoutedItem {
        item: Item {
            platform: Platform::Mastodon,
            account: "northwind".into(),
            native_id: native_id.into(),
            thread: ThreadKey::new(Platform::Mastodon, "northwind", root),
            kind: if from_brand {
                ItemKind::Reply
            } else {
                ItemKind::Mention
            },
            author,
            from_brand,
            text: format!("message {native_id}\nsecond line"),
            lang: Some("en".into()),
            created_at: Timestamp(at),
        },
        queue: QueueId::from("support"),
    }
}

async fn open(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("workspace.sqlite3"))
        .await
        .expect("open store");
    store.set_queues(&Queue::defaults()).await.expect("queues");
    store
}

#[tokio::test]
async fn items_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            Some(("demo", "1")),
            Timestamp(5),
            &HourPlanner,
        )
        .await
        .unwrap();
    store.close().await;

    let store = open(&dir).await;
    assert_eq!(
        store.item_count().await.unwrap(),
        1,
        "the item survived a reopen"
    );
    assert_eq!(
        store.cursor("demo").await.unwrap().as_deref(),
        Some("1"),
        "and its cursor"
    );
    let list = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(0))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].preview, "message 1", "preview is the first line");
    assert_eq!(list[0].waiting_since, Some(Timestamp(1_000)));
}

#[tokio::test]
async fn the_same_item_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let first = store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            None,
            Timestamp(5),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!((first.inserted, first.duplicates), (1, 0));
    let again = store
        .ingest(
            vec![item("1", "1", false, 1_000), item("1", "1", false, 1_000)],
            None,
            Timestamp(6),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!(
        (again.inserted, again.duplicates),
        (0, 2),
        "both copies are duplicates"
    );
    assert!(again.changed_conversations.is_empty());
    assert_eq!(store.item_count().await.unwrap(), 1);
    assert_eq!(
        store.event_count().await.unwrap(),
        1,
        "no event for a duplicate"
    );
}

#[tokio::test]
async fn a_page_mixing_stored_and_new_items_stores_each_new_one_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            Some(("demo", "1")),
            Timestamp(5),
            &HourPlanner,
        )
        .await
        .unwrap();
    // "1" again, and again under another thread (a platform that re-roots a reply): both
    // are stored already, and neither starts a conversation; "2" and "3" are new.
    let page = [
        item("2", "1", false, 2_000),
        item("1", "1", false, 1_000),
        item("1", "elsewhere", false, 1_000),
        item("3", "3", false, 3_000),
    ];
    let report = store
        .ingest(
            page.to_vec(),
            Some(("demo", "2")),
            Timestamp(6),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!((report.inserted, report.duplicates), (2, 2));
    assert_eq!(report.changed_conversations.len(), 2);
    assert_eq!(store.item_count().await.unwrap(), 3);
    assert_eq!(store.event_count().await.unwrap(), 3);
    assert_eq!(store.cursor("demo").await.unwrap().as_deref(), Some("2"));
    let queues = store.queue_summaries(Timestamp(7)).await.unwrap();
    let conversations: u32 = queues.iter().map(|q| q.conversation_count).sum();
    assert_eq!(
        conversations, 2,
        "no conversation for the re-rooted duplicate"
    );
}

#[tokio::test]
async fn ingest_sees_an_action_made_between_two_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let first = store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            None,
            Timestamp(5),
            &HourPlanner,
        )
        .await
        .unwrap();
    let id = first.changed_conversations[0];
    // The claim goes through the other connection; the writer's cached state is stale.
    store
        .record_action(id, "maya", EventKind::Claimed, Timestamp(6), &HourPlanner)
        .await
        .unwrap();
    store
        .ingest(
            vec![item("2", "1", false, 2_000)],
            None,
            Timestamp(7),
            &HourPlanner,
        )
        .await
        .unwrap();
    let conversation = store.conversation(id, Timestamp(8)).await.unwrap();
    assert_eq!(
        conversation.claimed_by.as_deref(),
        Some("maya"),
        "the claim survives"
    );
    assert_eq!(conversation.item_count, 2);
}

#[tokio::test]
async fn a_brand_reply_answers_and_a_new_customer_item_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 1_000), item("2", "1", false, 2_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let thread = |s: Store| async move {
        let id = s
            .conversations_in_queue(&QueueId::from("support"), Timestamp(0))
            .await
            .unwrap()[0]
            .id;
        s.thread(id, Timestamp(0)).await.unwrap()
    };
    let t = thread(store.clone()).await;
    assert_eq!(
        t.conversation.waiting_since,
        Some(Timestamp(1_000)),
        "clock starts at the first unanswered item"
    );

    store
        .ingest(
            vec![item("3", "1", true, 3_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let t = thread(store.clone()).await;
    assert_eq!(t.conversation.waiting_since, None, "the brand answered");
    assert_eq!(t.items.len(), 3);

    store
        .ingest(
            vec![item("4", "1", false, 4_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let t = thread(store.clone()).await;
    assert_eq!(
        t.conversation.waiting_since,
        Some(Timestamp(4_000)),
        "waiting again from the new item"
    );
    assert_eq!(
        t.conversation.preview, "message 4",
        "preview follows the latest customer item"
    );
}

#[tokio::test]
async fn a_brand_reply_fetched_before_the_item_it_answers_still_answers_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("r", "1", true, 2_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let summaries = store.queue_summaries(Timestamp(0)).await.unwrap();
    assert_eq!(
        summaries.iter().map(|q| q.conversation_count).sum::<u32>(),
        0,
        "a conversation with only brand items is not listed"
    );
    store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let list = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(0))
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].waiting_since, None,
        "answered by the earlier-fetched reply"
    );
    assert_eq!(
        list[0].customer.display_name, "Ana",
        "customer comes from the customer item"
    );
}

#[tokio::test]
async fn queue_counts_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![
                item("a", "a", false, 5_000),
                item("b", "b", false, 1_000),
                item("c", "c", false, 3_000),
                item("c2", "c", true, 4_000),
            ],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let support = store
        .queue_summaries(Timestamp(0))
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.queue.id == QueueId::from("support"))
        .unwrap();
    assert_eq!((support.waiting_count, support.conversation_count), (2, 3));
    let order: Vec<String> = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(0))
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.preview)
        .collect();
    assert_eq!(
        order,
        ["message b", "message a", "message c"],
        "longest waiting first, answered last"
    );
}

#[tokio::test]
async fn the_event_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 1_000)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("workspace.sqlite3").display()
    ))
    .await
    .unwrap();
    let update = sqlx::query("UPDATE events SET kind = 'x'")
        .execute(&pool)
        .await;
    assert!(update.is_err(), "update refused");
    let delete = sqlx::query("DELETE FROM events").execute(&pool).await;
    assert!(
        delete.unwrap_err().to_string().contains("append-only"),
        "delete refused"
    );
}

#[tokio::test]
async fn missing_thread_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let err = store.thread(42, Timestamp(0)).await.unwrap_err();
    assert!(matches!(
        err,
        switchboard_store::StoreError::NotFound { id: 42, .. }
    ));
}

/// The store's only conversation in `queue`.
async fn only(store: &Store, queue: &str, now: i64) -> switchboard_core::ConversationSummary {
    let list = store
        .conversations_in_queue(&QueueId::from(queue), Timestamp(now))
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "one conversation in {queue}");
    list.into_iter().next().unwrap()
}

#[tokio::test]
async fn waiting_conversations_carry_deadlines_and_live_sla_states() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 0)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let c = only(&store, "support", 0).await;
    let sla = c.sla.expect("waiting: an SLA");
    assert_eq!(sla.due_at, Timestamp(HOUR), "one-hour target, 24/7");
    assert_eq!(sla.at_risk_at, Timestamp(HOUR * 3 / 4), "at risk at 75 %");
    assert_eq!(sla.escalated_at, Timestamp(HOUR * 2), "escalated at 200 %");
    assert!(sla.first_response);
    assert_eq!(sla.state, SlaState::OnTrack);
    for (now, state, at_risk, breached) in [
        (HOUR * 3 / 4, SlaState::AtRisk, 1, 0),
        (HOUR, SlaState::Breached, 0, 1),
        (HOUR * 2, SlaState::Escalated, 0, 1),
    ] {
        assert_eq!(only(&store, "support", now).await.sla.unwrap().state, state);
        let support = store.queue_summaries(Timestamp(now)).await.unwrap()[1].clone();
        assert_eq!(
            (support.at_risk_count, support.breached_count),
            (at_risk, breached),
            "counts at {now}"
        );
    }
    store
        .ingest(
            vec![item("2", "1", true, 10)],
            None,
            Timestamp(10),
            &HourPlanner,
        )
        .await
        .unwrap();
    assert_eq!(
        only(&store, "support", 20).await.sla,
        None,
        "answered: no clock"
    );
}

#[tokio::test]
async fn the_waiting_page_is_sorted_by_due_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![
                item("late", "a", false, 5_000),
                item("early", "b", false, 1_000),
                item("mid", "c", false, 3_000),
            ],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let page = store
        .waiting_page(&QueueId::from("support"), 2, Timestamp(0))
        .await
        .unwrap();
    let previews: Vec<&str> = page.iter().map(|c| c.preview.as_str()).collect();
    assert_eq!(
        previews,
        ["message early", "message mid"],
        "soonest due first, limited"
    );
}

#[tokio::test]
async fn actions_update_the_projection_and_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 0)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let id = only(&store, "support", 0).await.id;
    let act = |kind: EventKind, at: i64| {
        let store = store.clone();
        async move {
            store
                .record_action(id, "maya", kind, Timestamp(at), &HourPlanner)
                .await
        }
    };
    act(EventKind::Claimed, 10).await.unwrap();
    assert_eq!(
        only(&store, "support", 10).await.claimed_by.as_deref(),
        Some("maya")
    );

    act(
        EventKind::Snoozed {
            until: Timestamp(10 + HOUR),
        },
        10,
    )
    .await
    .unwrap();
    let c = only(&store, "support", 20).await;
    assert_eq!(c.snoozed_until, Some(Timestamp(10 + HOUR)));
    assert_eq!(
        c.sla.unwrap().due_at,
        Timestamp(2 * HOUR),
        "the snoozed hour does not count"
    );

    act(
        EventKind::HandedOff {
            to: QueueId::from("sales"),
            note: "Office order, 40 kg".into(),
            to_member: None,
        },
        30,
    )
    .await
    .unwrap();
    let c = only(&store, "sales", 30).await;
    assert_eq!(c.handoff_note.unwrap().text, "Office order, 40 kg");
    assert_eq!(c.claimed_by, None);

    act(
        EventKind::MarkedDone {
            reason: DoneReason::NoReplyNeeded,
        },
        40,
    )
    .await
    .unwrap();
    let sales = store
        .conversations_in_queue(&QueueId::from("sales"), Timestamp(40))
        .await
        .unwrap();
    assert!(sales.is_empty(), "done: out of the queue");
    act(EventKind::Reopened, 50).await.unwrap();
    assert_eq!(only(&store, "sales", 50).await.done_reason, None);

    let thread = store.thread(id, Timestamp(60)).await.unwrap();
    let kinds: Vec<&str> = thread.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "item_ingested",
            "claimed",
            "snoozed",
            "handed_off",
            "marked_done",
            "reopened"
        ]
    );
    assert_eq!(thread.history[1].by.as_deref(), Some("maya"));
    assert_eq!(
        thread.history[3].detail,
        "Handed off to sales: Office order, 40 kg"
    );
    assert_eq!(thread.history[2].detail, "Snoozed for 60 min");
}

#[tokio::test]
async fn invalid_actions_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("1", "1", false, 0)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let id = only(&store, "support", 0).await.id;
    let events = store.event_count().await.unwrap();
    let err = store
        .record_action(
            id,
            "maya",
            EventKind::Snoozed {
                until: Timestamp(5),
            },
            Timestamp(10),
            &HourPlanner,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, switchboard_store::StoreError::Rejected(_)),
        "{err}"
    );
    let err = store
        .record_action(
            9_999,
            "maya",
            EventKind::Claimed,
            Timestamp(10),
            &HourPlanner,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        switchboard_store::StoreError::NotFound { .. }
    ));
    assert_eq!(store.event_count().await.unwrap(), events, "nothing logged");
}

#[tokio::test]
async fn sla_changes_are_found_by_time_window() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![item("a", "a", false, 0), item("b", "b", false, HOUR)],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let ids = |after: i64, until: i64| {
        let store = store.clone();
        async move {
            let mut ids = store
                .sla_changes_between(Timestamp(after), Timestamp(until))
                .await
                .unwrap();
            ids.sort();
            ids
        }
    };
    assert_eq!(ids(0, HOUR / 2).await.len(), 0);
    assert_eq!(ids(0, HOUR * 3 / 4).await.len(), 1, "a becomes at risk");
    assert_eq!(
        ids(HOUR * 3 / 4, HOUR * 7 / 4).await.len(),
        2,
        "a breaches, b at risk"
    );
    assert_eq!(
        ids(HOUR * 4, HOUR * 5).await.len(),
        0,
        "nothing left to change"
    );
}

#[tokio::test]
async fn settings_are_stored_replaced_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    assert_eq!(store.setting("alerts").await.unwrap(), None);
    store.set_setting("alerts", r#"{"a":1}"#).await.unwrap();
    store.set_setting("alerts", r#"{"a":2}"#).await.unwrap();
    store.close().await;
    let store = open(&dir).await;
    assert_eq!(
        store.setting("alerts").await.unwrap().as_deref(),
        Some(r#"{"a":2}"#)
    );
}

#[tokio::test]
async fn a_setting_replaced_erasing_leaves_no_trace_of_the_old_value_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let secret = "0123456789abcdef-secret-client-token";
    store
        .set_setting("app", &format!(r#"{{"id":"1","token":"{secret}"}}"#))
        .await
        .unwrap();
    let emptied = store
        .replace_setting_erasing("app", r#"{"id":"1"}"#)
        .await
        .unwrap();
    assert!(emptied, "nothing else reads or writes: the log is emptied");
    assert_eq!(
        store.setting("app").await.unwrap().as_deref(),
        Some(r#"{"id":"1"}"#)
    );
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the old value is still in {}",
            path.display()
        );
    }
    assert!(files > 0);
    store.close().await;
}

#[tokio::test]
async fn the_notifier_sees_every_waiting_conversation_with_its_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    store
        .ingest(
            vec![
                item("a", "a", false, 0),
                item("b", "b", false, 500),
                item("c", "c", false, 100),
                item("c2", "c", true, 200),
            ],
            None,
            Timestamp(0),
            &HourPlanner,
        )
        .await
        .unwrap();
    let waiting = store.waiting_conversations().await.unwrap();
    let previews: Vec<&str> = waiting.iter().map(|w| w.preview.as_str()).collect();
    assert_eq!(
        previews,
        ["message a", "message b"],
        "answered ones are not watched"
    );
    assert_eq!(waiting[0].queue_label, "Support");
    assert_eq!(waiting[0].deadlines.breached_at, Timestamp(HOUR));
    assert!(!waiting[0].claimed);
}

/// Conversations the concurrency test writes to from every side.
const SHARED: u64 = 4;

/// Ingest (on the rusqlite writer), people's actions (sqlx transactions on the pool, two
/// at a time) and re-planning write the same conversations at once. An action reads the
/// conversation and then writes it: were its transaction not `BEGIN IMMEDIATE`, a commit
/// by another connection between that read and that write would fail it with "database
/// is locked" (`SQLITE_BUSY_SNAPSHOT`). In the end nothing is lost on either side.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_never_see_database_is_locked() {
    const PAGES: u64 = 150;
    const NOTES_PER_ACTOR: u64 = 80;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir).await;
    let seed: Vec<RoutedItem> = (0..SHARED)
        .map(|t| item(&format!("seed-{t}"), &format!("t{t}"), false, 1_000))
        .collect();
    store
        .ingest(seed, None, Timestamp(1_000), &HourPlanner)
        .await
        .unwrap();
    let ids: Vec<i64> = store
        .conversations_in_queue(&QueueId::from("support"), Timestamp(1_000))
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids.len() as u64, SHARED);

    let ingester = {
        let store = store.clone();
        tokio::spawn(async move {
            for n in 0..PAGES {
                // Every page adds a customer item to each shared conversation.
                let page: Vec<RoutedItem> = (0..SHARED)
                    .map(|t| item(&format!("{n}-{t}"), &format!("t{t}"), false, 2_000))
                    .collect();
                store
                    .ingest(
                        page,
                        Some(("src", &n.to_string())),
                        Timestamp(2_000),
                        &HourPlanner,
                    )
                    .await
                    .expect("ingest never sees a locked database");
            }
        })
    };
    let actors: Vec<_> = (0..2)
        .map(|actor| {
            let (store, ids) = (store.clone(), ids.clone());
            tokio::spawn(async move {
                for n in 0..NOTES_PER_ACTOR {
                    let id = ids[(n % SHARED) as usize];
                    let note = EventKind::NoteAdded {
                        note: format!("note {actor}-{n}"),
                    };
                    store
                        .record_action(id, "maya", note, Timestamp(3_000), &HourPlanner)
                        .await
                        .expect("an action never sees a locked database");
                }
            })
        })
        .collect();
    let replanner = {
        let store = store.clone();
        tokio::spawn(async move {
            for _ in 0..50 {
                store
                    .replan(&HourPlanner)
                    .await
                    .expect("replanning never sees a locked database");
            }
        })
    };
    ingester.await.unwrap();
    for actor in actors {
        actor.await.unwrap();
    }
    replanner.await.unwrap();

    assert_eq!(
        store.cursor("src").await.unwrap().as_deref(),
        Some("149"),
        "every page stored"
    );
    for id in ids {
        let c = store.conversation(id, Timestamp(3_000)).await.unwrap();
        assert_eq!(
            (u64::from(c.item_count), u64::from(c.note_count)),
            (1 + PAGES, 2 * NOTES_PER_ACTOR / SHARED),
            "conversation {id} kept every item and every note"
        );
    }
    assert_eq!(
        store.event_count().await.unwrap(),
        SHARED * (1 + PAGES) + 2 * NOTES_PER_ACTOR,
        "one event per item and per note"
    );
}
