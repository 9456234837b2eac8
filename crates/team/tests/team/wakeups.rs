//! LISTEN/NOTIFY only wakes the puller; a lost listening connection comes back and says
//! so, and the puller re-reads from its cursor.

use std::time::Duration;

use serde_json::json;
use switchboard_team::{NewEvent, Stamp, Wake};

use crate::support::database;

const PATIENCE: Duration = Duration::from_secs(10);

/// Bo listens; Ana's append wakes him. Bo's listening connection is terminated
/// (as a network drop or a server restart would); the next wake-up says `Reconnected`
/// and an event appended while he was away is found by re-reading from his cursor;
/// later appends wake him again. Bo never holds more than two connections.
#[tokio::test]
async fn wakeups_survive_a_lost_connection() {
    let db = database().await;
    let team = db.team("t").await;
    let (_, ana) = db.client(team, "ana", "ana-laptop").await;
    let (bo_code, bo) = db.client(team, "bo", "bo-laptop").await;
    let mut wakeups = bo.wakeups().await.unwrap();
    let note = |seq| NewEvent::new(Stamp::new(seq), "note", &json!({ "seq": seq })).unwrap();

    ana.append(&[note(1)]).await.unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Notified);
    let mut cursor = 0;
    let got = bo.events_after(cursor, 100).await.unwrap();
    assert_eq!(got.len(), 1);
    cursor = got[0].server_seq;

    let killed: i64 = sqlx::query_scalar(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE usename = $1 AND query LIKE 'LISTEN%'",
    )
    .bind(&bo_code.member)
    .fetch_one(db.admin.pool())
    .await
    .unwrap();
    assert_eq!(killed, 1, "bo's listening connection was found");
    ana.append(&[note(2)]).await.unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Reconnected);
    let got = bo.events_after(cursor, 100).await.unwrap();
    assert_eq!(
        got.len(),
        1,
        "the event appended while away is found from the cursor"
    );
    cursor = got[0].server_seq;

    ana.append(&[note(3)]).await.unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Notified);
    assert_eq!(bo.events_after(cursor, 100).await.unwrap().len(), 1);

    let connections: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = $1")
            .bind(&bo_code.member)
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert!(connections <= 2, "bo holds {connections} connections");
}
