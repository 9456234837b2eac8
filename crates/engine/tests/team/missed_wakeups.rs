//! No missed events: the laptops' connections (the listening one included) are killed
//! again and again with `pg_terminate_backend` while three laptops act and items flow.
//! Wake-ups sent while a listener was down are lost, but the puller re-reads from its
//! cursor after every reconnect: every replica ends with the same events and the same
//! conversations.

use std::time::Duration;

use switchboard_team::testing;

use crate::laptops::{eventually, Feeder, Laptop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_listening_connections_loses_no_event() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let mut laptops = Vec::new();
    let mut roles = Vec::new();
    for name in ["ana", "ben", "cho"] {
        let code = db.member(team, name).await;
        roles.push(code.member.clone());
        laptops.push(Laptop::open(name, &code, None).await);
    }
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let mut threads = Vec::new();
    let mut killed = 0;
    for round in 0..40usize {
        threads.push(feeder.mention("support").await);
        // Each laptop acts on a conversation it already has.
        for (n, laptop) in laptops.iter().enumerate() {
            let Some(thread) = threads.get(round.saturating_sub(2 + n)) else {
                continue;
            };
            if let Some(id) = laptop.conversation(thread).await {
                laptop
                    .engine
                    .add_note(id, format!("round {round} by {}", laptop.name))
                    .await
                    .unwrap();
            }
        }
        if round % 3 == 0 {
            for role in &roles {
                killed += db.terminate_connections_of(role).await;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(killed > 0, "connections were killed");
    for laptop in &laptops {
        eventually(
            Duration::from_secs(20),
            "each laptop pushes everything",
            || async { laptop.engine.team_status().is_some_and(|s| s.unpushed == 0) },
        )
        .await;
    }
    let (events, last): (i64, i64) =
        sqlx::query_as("SELECT count(*), max(server_seq) FROM switchboard.events")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    for laptop in &laptops {
        eventually(
            Duration::from_secs(20),
            "each replica reads the whole log",
            || async {
                laptop
                    .engine
                    .team_status()
                    .is_some_and(|s| s.cursor >= last)
            },
        )
        .await;
    }
    let first = laptops[0].engine.replica_fingerprint().await.unwrap();
    for laptop in &laptops[1..] {
        eventually(
            Duration::from_secs(10),
            "replicas are identical",
            || async { laptop.engine.replica_fingerprint().await.unwrap() == first },
        )
        .await;
    }
    for thread in &threads {
        for laptop in &laptops {
            assert!(
                laptop.conversation(thread).await.is_some(),
                "{thread} on {}",
                laptop.name
            );
        }
    }
    println!("{killed} connections killed; {events} events in the log");
    for laptop in &laptops {
        laptop.engine.shutdown().await;
    }
}
