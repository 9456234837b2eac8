//! The TCP gate and the members' connections: a member connected through the gate
//! loses the database at once when it is cut and connects again once it is restored;
//! the administrator can count and end the members' connections.

use std::time::{Duration, Instant};

use switchboard_team::TeamClient;

use crate::support::{cluster, database, TcpGate};

async fn ping(client: &TeamClient) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar("SELECT 1")
        .fetch_one(client.pool())
        .await
}

#[tokio::test]
async fn a_cut_fails_queries_at_once_and_a_restore_lets_members_connect_again() {
    let db = database().await;
    let team = db.team("Support").await;
    let mut code = db.member(team, "ana").await;
    let gate = TcpGate::start(cluster().port);
    code.url = gate.url_for(&code.url);
    assert!(
        code.url.contains(&format!(":{}/", gate.port())),
        "the gate's port"
    );

    let client = TeamClient::join(&code, "laptop")
        .await
        .expect("connects through the gate");
    assert_eq!(ping(&client).await.unwrap(), 1);
    assert_eq!(
        db.count_connections().await,
        1,
        "the member's one connection"
    );

    gate.cut();
    let started = Instant::now();
    let failed = tokio::time::timeout(Duration::from_secs(2), ping(&client))
        .await
        .expect("a query on a cut connection fails within 2 s");
    assert!(failed.is_err(), "the query fails while the gate is cut");
    let refused = tokio::time::timeout(Duration::from_secs(2), TeamClient::join(&code, "laptop"))
        .await
        .expect("connecting through a cut gate fails within 2 s");
    assert!(refused.is_err(), "no new connection while the gate is cut");
    assert!(started.elapsed() < Duration::from_secs(4));

    gate.restore();
    let again = TeamClient::join(&code, "laptop")
        .await
        .expect("connects after the restore");
    assert_eq!(ping(&again).await.unwrap(), 1);
}

#[tokio::test]
async fn the_administrator_counts_and_ends_a_members_connections() {
    let db = database().await;
    let team = db.team("Support").await;
    let (code, client) = db.client(team, "ana", "laptop").await;
    let (_, other) = db.client(team, "ben", "laptop").await;
    ping(&client).await.unwrap();
    ping(&other).await.unwrap();
    assert_eq!(
        db.count_connections().await,
        2,
        "one connection each, the administrator's left out"
    );

    assert_eq!(db.terminate_connections_of(&code.member).await, 1);
    assert_eq!(db.count_connections().await, 1, "ben's connection is left");
    assert!(ping(&client).await.is_err(), "ana's connection was ended");
    assert_eq!(ping(&client).await.unwrap(), 1, "her pool connects again");
    let max: String = sqlx::query_scalar("SHOW max_connections")
        .fetch_one(db.admin.pool())
        .await
        .unwrap();
    assert_eq!(max, "600", "room for a few hundred replicas");
    assert_eq!(db.name(), db.name);
    assert_eq!(db.admin_url(), db.url);
}
