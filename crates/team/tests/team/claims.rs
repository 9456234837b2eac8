//! Claims: one winner per race, renewal, release, explicit take-over.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use switchboard_team::{ClaimOutcome, Stamp, TeamError};

use crate::support::database;

const TTL: Duration = Duration::from_secs(60);

/// 50 members, each with their own login role and device, race to claim the same
/// conversation, 200 rounds: exactly one grant per round; everyone else is told who
/// holds it; the fence grows with every new holder; one `claimed` event per grant.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_winner_per_round() {
    let db = database().await;
    let team = db.team("racers").await;
    let setup = Instant::now();
    let db = Arc::new(db);
    let joins: Vec<_> = (0..50)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                let (code, client) = db
                    .client(team, &format!("agent{i}"), &format!("laptop-{i}"))
                    .await;
                (code.member, client)
            })
        })
        .collect();
    let mut clients = Vec::new();
    for join in joins {
        clients.push(join.await.unwrap());
    }
    let setup = setup.elapsed();
    let rounds = 200;
    let start = Instant::now();
    let mut last_fence = 0;
    for round in 0..rounds {
        let tasks: Vec<_> = clients
            .iter()
            .cloned()
            .map(|(member, c)| {
                tokio::spawn(async move {
                    let outcome = c.claim("conv-1", TTL, Stamp::new(round)).await.unwrap();
                    (member, c, outcome)
                })
            })
            .collect();
        let mut winners = Vec::new();
        let mut told = HashSet::new();
        for task in tasks {
            let (member, client, outcome) = task.await.unwrap();
            match outcome {
                ClaimOutcome::Granted { fence, .. } => winners.push((member, client, fence)),
                ClaimOutcome::Held { holder, .. } => {
                    told.insert(holder);
                }
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: {} grants", winners.len());
        let (winner_member, winner, fence) = winners.pop().unwrap();
        assert!(
            fence > last_fence,
            "round {round}: fence {fence} after {last_fence}"
        );
        last_fence = fence;
        assert_eq!(
            told,
            HashSet::from([winner_member]),
            "round {round}: all 49 others are told the winner holds it"
        );
        winner
            .release_claim("conv-1", fence, Stamp::new(10_000 + round))
            .await
            .unwrap();
    }
    let race = start.elapsed();
    let claimed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM switchboard.events WHERE kind = 'claimed'")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert_eq!(claimed, rounds);
    eprintln!("one winner: 50 members set up in {setup:?}; {rounds} rounds in {race:?}");
}

/// Renewal keeps the fence; a second claim by the holder renews; release lets the next
/// member in with a new fence; the old holder's renewal is then refused; take-over of a
/// live claim is explicit and logged with the previous holder.
#[tokio::test]
async fn renew_release_and_take_over() {
    let db = database().await;
    let team = db.team("t").await;
    let (ana_code, ana) = db.client(team, "ana", "ana-laptop").await;
    let (_, bo) = db.client(team, "bo", "bo-laptop").await;

    let ClaimOutcome::Granted { fence, .. } = ana.claim("c", TTL, Stamp::new(1)).await.unwrap()
    else {
        panic!("the first claim is granted")
    };
    let again = ana.claim("c", TTL, Stamp::new(2)).await.unwrap();
    assert!(matches!(again, ClaimOutcome::Granted { fence: f, .. } if f == fence));
    ana.renew_claim("c", fence, TTL).await.unwrap();
    match bo.claim("c", TTL, Stamp::new(1)).await.unwrap() {
        ClaimOutcome::Held { holder, device, .. } => {
            assert_eq!(holder, ana_code.member);
            assert_eq!(device, "ana-laptop");
        }
        other => panic!("bo must be told ana holds it, got {other:?}"),
    }

    let ClaimOutcome::Granted {
        fence: bo_fence, ..
    } = bo.take_over("c", TTL, Stamp::new(2)).await.unwrap()
    else {
        panic!("take-over always grants")
    };
    assert!(bo_fence > fence);
    let err = ana.renew_claim("c", fence, TTL).await.unwrap_err();
    assert!(matches!(err, TeamError::FenceMoved { .. }), "{err}");
    let err = ana
        .release_claim("c", fence, Stamp::new(3))
        .await
        .unwrap_err();
    assert!(matches!(err, TeamError::FenceMoved { .. }), "{err}");

    let log = bo.events_after(0, 100).await.unwrap();
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["claimed", "claimed", "claim_taken_over"]);
    let taken = &log[2].payload;
    assert_eq!(taken["previous_holder"], ana_code.member.as_str());
    assert_eq!(taken["previous_fence"], fence);

    bo.release_claim("c", bo_fence, Stamp::new(3))
        .await
        .unwrap();
    let ClaimOutcome::Granted {
        fence: ana_fence, ..
    } = ana.claim("c", TTL, Stamp::new(4)).await.unwrap()
    else {
        panic!("a released claim is free")
    };
    assert!(ana_fence > bo_fence);
}
