//! One winner: 50 laptops race to claim the same conversation, 200 rounds. Each round
//! exactly one claim is granted (counted in the team's log and by the answers the laptops
//! got), and every replica shows that holder within 1 s.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use switchboard_team::testing;

use crate::laptops::{eventually, Feeder, Laptop};

const LAPTOPS: usize = 50;
const ROUNDS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_laptops_race_for_a_claim_and_exactly_one_wins_each_round() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let mut laptops = Vec::new();
    for n in 0..LAPTOPS {
        let code = db.member(team, &format!("agent{n}")).await;
        laptops.push(Laptop::open(&format!("agent{n}"), &code, None).await);
    }
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let mut slowest_agreement = Duration::ZERO;
    for round in 0..ROUNDS {
        let thread = feeder.mention("support").await;
        // Every replica has the conversation before the race starts.
        for laptop in &laptops {
            eventually(
                Duration::from_secs(10),
                "the mention reaches every laptop",
                || async { laptop.conversation(&thread).await.is_some() },
            )
            .await;
        }
        let mut ids = Vec::new();
        for laptop in &laptops {
            ids.push(laptop.conversation(&thread).await.unwrap());
        }
        let answers = join_all(
            laptops
                .iter()
                .zip(&ids)
                .map(|(laptop, id)| laptop.engine.claim(*id)),
        )
        .await;
        let raced = Instant::now();
        let granted: Vec<&Laptop> = laptops
            .iter()
            .zip(&answers)
            .filter(|(_, answer)| answer.is_ok())
            .map(|(laptop, _)| laptop)
            .collect();
        assert_eq!(granted.len(), 1, "round {round}: one claim granted");
        let winner = granted[0].engine.me().to_owned();
        for answer in &answers {
            if let Err(refused) = answer {
                assert!(
                    refused.message.contains(&winner),
                    "round {round}: the refusal names the holder: {}",
                    refused.message
                );
            }
        }
        for laptop in &laptops {
            eventually(
                Duration::from_secs(5),
                "every replica agrees on the holder",
                || async { laptop.holder(&thread).await.as_deref() == Some(winner.as_str()) },
            )
            .await;
        }
        slowest_agreement = slowest_agreement.max(raced.elapsed());
    }
    let granted_in_log: i64 =
        sqlx::query_scalar("SELECT count(*) FROM switchboard.events WHERE kind = 'claimed'")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert_eq!(
        granted_in_log, ROUNDS as i64,
        "one `claimed` event per round"
    );
    // The 1 s goal is measured here and by the team benchmark; the assertion above
    // holds the correctness bound (every replica agrees), with room for a loaded machine.
    println!("slowest agreement of {LAPTOPS} replicas on a holder: {slowest_agreement:?}");
    for laptop in &laptops {
        laptop.engine.shutdown().await;
    }
}
