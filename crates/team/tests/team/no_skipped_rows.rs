//! Readers that page through the log by `server_seq` never skip a row, even when
//! writers commit out of order relative to when they inserted.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use switchboard_team::{NewEvent, Stamp};
use uuid::Uuid;

use crate::support::database;

const APPENDERS: usize = 6;
const TRANSACTIONS: usize = 20;
const PER_TRANSACTION: usize = 3;

/// A small deterministic generator for the commit delays (no extra dependency).
fn delays(seed: u64) -> impl Iterator<Item = Duration> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    std::iter::repeat_with(move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        Duration::from_millis(x % 8)
    })
}

/// Six members append 20 transactions of 3 events each; every transaction waits a random
/// 0–7 ms between inserting its rows and committing, so inserts and commits interleave.
/// A reader pages with `events_after(cursor, 7)` the whole time, moving its cursor to
/// the last `server_seq` it got. It ends with every event exactly once, in strictly
/// increasing `server_seq` order, and per device in device order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reader_sees_every_event_once_in_order() {
    let db = database().await;
    let team = db.team("log").await;
    let (_, reader) = db.client(team, "reader", "reader-laptop").await;
    let mut writers = Vec::new();
    for i in 0..APPENDERS {
        let (_, client) = db
            .client(team, &format!("writer{i}"), &format!("w{i}"))
            .await;
        writers.push(client);
    }
    let expected = APPENDERS * TRANSACTIONS * PER_TRANSACTION;
    let written = Arc::new(std::sync::Mutex::new(HashSet::new()));

    let tasks: Vec<_> = writers
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let written = written.clone();
            tokio::spawn(async move {
                let mut delay = delays(i as u64 + 1);
                let mut seq = 0;
                for _ in 0..TRANSACTIONS {
                    let events: Vec<NewEvent> = (0..PER_TRANSACTION)
                        .map(|_| {
                            seq += 1;
                            NewEvent::new(Stamp::new(seq), "note", &serde_json::json!({ "n": seq }))
                                .unwrap()
                        })
                        .collect();
                    // Insert, wait, then commit: the rows are numbered at insert time and
                    // become visible only at commit.
                    let mut tx = client.pool().begin().await.unwrap();
                    sqlx::query("SELECT set_config('switchboard.team', $1, true)")
                        .bind(team.to_string())
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    for e in &events {
                        sqlx::query(
                            "INSERT INTO switchboard.events \
                             (team_id, server_seq, event_id, device, device_seq, kind, payload) \
                             VALUES ($1::uuid, 0, $2::uuid, $3, $4, $5, $6::jsonb)",
                        )
                        .bind(team.to_string())
                        .bind(e.stamp.event_id.to_string())
                        .bind(client.device())
                        .bind(e.stamp.device_seq)
                        .bind(&e.kind)
                        .bind(e.payload.to_string())
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    }
                    tokio::time::sleep(delay.next().unwrap()).await;
                    tx.commit().await.unwrap();
                    written
                        .lock()
                        .unwrap()
                        .extend(events.iter().map(|e| e.stamp.event_id));
                }
            })
        })
        .collect();

    let mut cursor = 0;
    let mut seen: Vec<(i64, Uuid, String, i64)> = Vec::new();
    let mut writers_done = false;
    loop {
        let page = reader.events_after(cursor, 7).await.unwrap();
        for e in &page {
            seen.push((e.server_seq, e.event_id, e.device.clone(), e.device_seq));
        }
        if let Some(last) = page.last() {
            cursor = last.server_seq;
        }
        if page.is_empty() {
            if writers_done {
                break;
            }
            writers_done = tasks.iter().all(|t| t.is_finished());
            tokio::task::yield_now().await;
        }
    }
    for task in tasks {
        task.await.unwrap();
    }

    assert_eq!(
        seen.len(),
        expected,
        "the reader got {} of {expected} events",
        seen.len()
    );
    let ids: HashSet<Uuid> = seen.iter().map(|s| s.1).collect();
    assert_eq!(ids.len(), expected, "an event was read twice");
    assert_eq!(
        ids,
        *written.lock().unwrap(),
        "the reader's events differ from the written ones"
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "server_seq is not strictly increasing"
    );
    for device in (0..APPENDERS).map(|i| format!("w{i}")) {
        let seqs: Vec<i64> = seen.iter().filter(|s| s.2 == device).map(|s| s.3).collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "{device} out of device order"
        );
    }
}

/// Appending the same events again (an outbox pushed twice after a lost answer) adds
/// nothing; a batch keeps its order.
#[tokio::test]
async fn append_is_idempotent_and_keeps_order() {
    let db = database().await;
    let team = db.team("log").await;
    let (_, client) = db.client(team, "ana", "ana-laptop").await;
    let events: Vec<NewEvent> = (1..=5)
        .map(|i| NewEvent::new(Stamp::new(i), "note", &serde_json::json!({ "i": i })).unwrap())
        .collect();
    let first = client.append(&events).await.unwrap();
    assert_eq!((first.accepted, first.duplicates), (5, 0));
    let again = client.append(&events[2..]).await.unwrap();
    assert_eq!((again.accepted, again.duplicates), (0, 3));
    let log = client.events_after(0, 100).await.unwrap();
    assert_eq!(log.len(), 5);
    let order: Vec<i64> = log.iter().map(|e| e.device_seq).collect();
    assert_eq!(order, [1, 2, 3, 4, 5]);
    assert_eq!(log[4].payload["i"], 5);
    assert_eq!(client.events_after(3, 100).await.unwrap().len(), 2);
}
