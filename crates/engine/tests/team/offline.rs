//! Offline merge: a laptop whose network to the team database is cut (a loopback gate in
//! front of PostgreSQL) records 100 actions, among them a claim someone else wins in the
//! meantime. Everything works locally; after the network is back every action lands in
//! the team's log exactly once, the lost claim is shown as lost (with its holder), and
//! every replica ends identical.

use std::time::Duration;

use switchboard_core::{DoneReason, QueueId};
use switchboard_engine::TeamClaimStatus;
use switchboard_team::testing::{self, TcpGate};
use switchboard_team::JoinCode;

use crate::laptops::{eventually, Feeder, Laptop};

/// The member's join code with its address pointing through `gate`.
fn through(gate: &TcpGate, code: &JoinCode) -> JoinCode {
    JoinCode {
        url: gate.url_for(&code.url),
        ..code.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_offline_records_a_hundred_actions_and_merges_them_once() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let gate = TcpGate::start(testing::cluster().port);
    let ana = Laptop::open("ana", &through(&gate, &db.member(team, "ana").await), None).await;
    let ben = Laptop::open("ben", &db.member(team, "ben").await, None).await;
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let mut threads = Vec::new();
    for _ in 0..10 {
        threads.push(feeder.mention("support").await);
    }
    for laptop in [&ana, &ben] {
        for thread in &threads {
            eventually(
                Duration::from_secs(10),
                "mentions reach both laptops",
                || async { laptop.conversation(thread).await.is_some() },
            )
            .await;
        }
    }
    eventually(Duration::from_secs(5), "ana is online", || async {
        ana.engine.team_status().is_some_and(|s| s.online)
    })
    .await;

    gate.cut();
    // Ana keeps working: 100 actions, the first a claim.
    let contested = ana.conversation(&threads[0]).await.unwrap();
    ana.engine
        .claim(contested)
        .await
        .expect("a claim offline is accepted as pending");
    let pending = ana.engine.team_claim(contested).await.unwrap().unwrap();
    assert_eq!(pending.status, TeamClaimStatus::Pending);
    // Meanwhile Ben claims the same conversation, online.
    let bens_copy = ben.conversation(&threads[0]).await.unwrap();
    ben.engine
        .claim(bens_copy)
        .await
        .expect("ben gets the claim");
    let mut recorded = 1;
    while recorded < 100 {
        let id = ana.conversation(&threads[1 + recorded % 9]).await.unwrap();
        let done = match recorded % 4 {
            0 => ana.engine.add_note(id, format!("note {recorded}")).await,
            1 => ana.engine.snooze(id, 30).await,
            2 => ana.engine.mark_done(id, DoneReason::NoReplyNeeded).await,
            _ => ana.engine.reopen(id).await,
        };
        done.expect("actions work offline");
        recorded += 1;
    }
    let handed = ana.conversation(&threads[9]).await.unwrap();
    ana.engine
        .hand_off(handed, QueueId("sales".into()), "for Sales, offline".into())
        .await
        .unwrap();
    let status = ana.engine.team_status().unwrap();
    assert!(!status.online, "ana knows she is offline: {status:?}");
    assert!(status.offline_since.is_some());

    gate.restore();
    eventually(Duration::from_secs(20), "ana's outbox empties", || async {
        ana.engine
            .team_status()
            .is_some_and(|s| s.online && s.unpushed == 0)
    })
    .await;
    eventually(
        Duration::from_secs(10),
        "the lost claim is shown as lost",
        || async {
            ana.engine
                .team_claim(contested)
                .await
                .unwrap()
                .is_some_and(|c| {
                    c.status == TeamClaimStatus::Lost
                        && c.holder.as_deref() == Some(ben.engine.me())
                })
        },
    )
    .await;
    // Every action landed once: 99 of ana's actions plus the hand-off, none twice.
    let from_ana: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM switchboard.events WHERE author = $1 \
         AND kind IN ('note_added', 'snoozed', 'marked_done', 'reopened', 'handed_off')",
    )
    .bind(ana.engine.me())
    .fetch_one(db.admin.pool())
    .await
    .unwrap();
    assert_eq!(from_ana, 100, "every offline action landed exactly once");
    let claims: i64 =
        sqlx::query_scalar("SELECT count(*) FROM switchboard.events WHERE kind = 'claimed'")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert_eq!(claims, 1, "only ben's claim was granted");
    // Both replicas end identical, and agree that ben holds the contested conversation.
    eventually(Duration::from_secs(10), "the replicas converge", || async {
        ana.engine.replica_fingerprint().await.unwrap()
            == ben.engine.replica_fingerprint().await.unwrap()
    })
    .await;
    assert_eq!(
        ana.holder(&threads[0]).await.as_deref(),
        Some(ben.engine.me())
    );
    let on_ben = ben
        .engine
        .get_thread(ben.conversation(&threads[9]).await.unwrap())
        .await
        .unwrap();
    assert_eq!(on_ben.conversation.queue, QueueId("sales".into()));
    ana.engine.shutdown().await;
    ben.engine.shutdown().await;
}
