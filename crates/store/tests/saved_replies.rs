//! Saved replies behind the log: every change kept (archiving deletes nothing), the
//! projection as the fold of the log, sharing through the team outbox and folding a
//! teammate's changes in canonical order.

use switchboard_core::{Platform, QueueId, Timestamp};
use switchboard_store::{
    SavedReplyBody, SavedReplyChange, SavedReplyEvent, Store, SAVED_REPLY_KIND,
};

async fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&dir.path().join(format!("{name}.sqlite3")))
        .await
        .expect("open store")
}

fn body(title: &str, text: &str) -> SavedReplyBody {
    SavedReplyBody {
        title: title.into(),
        text: text.into(),
        category: "Orders".into(),
        queues: vec![QueueId("support".into())],
        platforms: vec![Platform::Bluesky],
    }
}

#[tokio::test]
async fn archiving_keeps_every_version_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "w").await;
    assert_eq!(store.saved_reply_log_len().await.unwrap(), 0);

    let made = store
        .record_saved_reply(
            "r1",
            SavedReplyChange::Created(body("Delayed", "Sorry {customer}, {{order number}}")),
            "ana",
            Timestamp(1_000),
        )
        .await
        .unwrap();
    assert_eq!(made.placeholders, vec!["order number"]);
    assert!(!made.archived);
    assert_eq!(made.queues, vec![QueueId("support".into())]);
    assert_eq!(made.platforms, vec![Platform::Bluesky]);

    store
        .record_saved_reply(
            "r1",
            SavedReplyChange::Edited(body("Delayed — apology", "Sorry!")),
            "bob",
            Timestamp(2_000),
        )
        .await
        .unwrap();
    let archived = store
        .record_saved_reply("r1", SavedReplyChange::Archived, "bob", Timestamp(3_000))
        .await
        .unwrap();
    assert!(archived.archived);
    assert_eq!(archived.title, "Delayed — apology");
    assert_eq!(
        (archived.updated_by.as_str(), archived.updated_at),
        ("bob", Timestamp(3_000))
    );
    // Listed (archived and marked), and the log has every change.
    let listed = store.saved_replies().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].archived);
    let log = store.saved_reply_log(Some("r1")).await.unwrap();
    let kinds: Vec<&str> = log.iter().map(|e| e.change.name()).collect();
    assert_eq!(kinds, vec!["created", "edited", "archived"]);
    assert!(matches!(&log[0].change, SavedReplyChange::Created(b) if b.title == "Delayed"));

    let restored = store
        .record_saved_reply("r1", SavedReplyChange::Restored, "ana", Timestamp(4_000))
        .await
        .unwrap();
    assert!(!restored.archived);
    assert_eq!(store.saved_reply_log_len().await.unwrap(), 4);

    // The log refuses deletes and rewrites, even by hand.
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        dir.path().join("w.sqlite3").display()
    ))
    .await
    .unwrap();
    assert!(sqlx::query("DELETE FROM saved_reply_log")
        .execute(&pool)
        .await
        .is_err());
    assert!(sqlx::query("UPDATE saved_reply_log SET body = '{}'")
        .execute(&pool)
        .await
        .is_err());
    pool.close().await;
    // A local workspace shares nothing.
    assert_eq!(store.team_outbox_len().await.unwrap(), 0);
    store.close().await;
}

#[tokio::test]
async fn a_team_replica_shares_changes_and_folds_a_teammates_in_server_order() {
    let dir = tempfile::tempdir().unwrap();
    let ana = open(&dir, "ana").await;
    let bob = open(&dir, "bob").await;
    ana.share_actions();
    bob.share_actions();

    ana.record_saved_reply(
        "r1",
        SavedReplyChange::Created(body("Delayed", "Sorry")),
        "sb_ana",
        Timestamp(1_000),
    )
    .await
    .unwrap();
    // Bob edits it offline, having got Ana's creation... later; first the server logs
    // Ana's change (seq 1).
    let pending = ana.team_outbox_pending(10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].kind, SAVED_REPLY_KIND);
    let shared = |outgoing: &switchboard_store::OutgoingEvent, seq, author: &str| {
        let payload: serde_json::Value = serde_json::from_str(&outgoing.payload).unwrap();
        SavedReplyEvent::from_shared(outgoing.event_id.clone(), seq, author.into(), &payload)
            .unwrap()
    };
    let first = shared(&pending[0], 1, "sb_ana");
    assert_eq!(
        bob.apply_shared_saved_replies(std::slice::from_ref(&first))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        bob.saved_reply("r1").await.unwrap().unwrap().title,
        "Delayed"
    );
    // Ana's own comes back: acknowledged, not doubled; again: nothing.
    assert_eq!(
        ana.apply_shared_saved_replies(std::slice::from_ref(&first))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        ana.apply_shared_saved_replies(std::slice::from_ref(&first))
            .await
            .unwrap(),
        0
    );
    assert_eq!(ana.saved_reply_log_len().await.unwrap(), 1);
    assert_eq!(
        ana.saved_reply_log(None).await.unwrap()[0].server_seq,
        Some(1)
    );

    // Both change it at once: Bob archives, Ana edits; the server logs Bob's first.
    bob.record_saved_reply("r1", SavedReplyChange::Archived, "sb_bob", Timestamp(2_000))
        .await
        .unwrap();
    ana.record_saved_reply(
        "r1",
        SavedReplyChange::Edited(body("Delayed v2", "Sorry again")),
        "sb_ana",
        Timestamp(2_001),
    )
    .await
    .unwrap();
    let bobs = shared(&bob.team_outbox_pending(10).await.unwrap()[0], 2, "sb_bob");
    let anas = shared(&ana.team_outbox_pending(10).await.unwrap()[1], 3, "sb_ana");
    for store in [&ana, &bob] {
        store
            .apply_shared_saved_replies(&[bobs.clone(), anas.clone()])
            .await
            .unwrap();
    }
    let on_ana = ana.saved_replies().await.unwrap();
    let on_bob = bob.saved_replies().await.unwrap();
    assert_eq!(on_ana, on_bob, "both replicas fold the same order");
    assert_eq!(on_ana[0].title, "Delayed v2");
    assert!(on_ana[0].archived, "an edit does not restore");
    assert_eq!(on_ana[0].updated_by, "sb_ana");

    // A payload that does not read is refused with a reason.
    assert!(SavedReplyEvent::from_shared(
        "x".into(),
        9,
        "sb_ana".into(),
        &serde_json::json!({ "saved_reply": { "reply": "r", "kind": "burned", "at": 1 } })
    )
    .is_err());
    ana.close().await;
    bob.close().await;
}
