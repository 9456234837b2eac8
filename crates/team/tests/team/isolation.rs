//! Isolation: teams cannot read each other, members cannot rewrite the log, a removed
//! member is out at once.

use std::time::Duration;

use serde_json::json;
use sqlx::{Connection, PgConnection};
use switchboard_team::connect::connect_options;
use switchboard_team::{BrandAccount, JoinCode, NewEvent, Stamp, TeamClient, TeamItem};

use crate::support::database;

const TABLES: [&str; 8] = [
    "teams",
    "members",
    "events",
    "items",
    "claims",
    "poll_leases",
    "policy",
    "presence",
];

/// A connection as the member of `code`, with her own credentials.
async fn connect_as(code: &JoinCode) -> Result<PgConnection, sqlx::Error> {
    let options = connect_options(&code.url)
        .unwrap()
        .password(code.secret.expose());
    PgConnection::connect_with(&options).await
}

async fn count(conn: &mut PgConnection, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM switchboard.{table}"
    )))
    .fetch_one(conn)
    .await
    .unwrap()
}

/// Sets `switchboard.team` to `team` on `conn` — for the transaction with `set` "SET
/// LOCAL", for the session with "SET".
async fn set_team(conn: &mut PgConnection, set: &str, team: impl std::fmt::Display) {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{set} switchboard.team = '{team}'"
    )))
    .execute(conn)
    .await
    .unwrap();
}

/// Asserts that `conn` reads no row of any table; `when` names the setting, for the
/// failure message.
async fn assert_reads_nothing(conn: &mut PgConnection, when: &str) {
    for table in TABLES {
        assert_eq!(count(conn, table).await, 0, "{when}: {table}");
    }
}

/// Team A has rows in every table; Bea, a member of team B, connects with her own
/// credentials and reads 0 rows of team A with hand-written SQL — with no team set, with
/// `SET LOCAL switchboard.team` to A, and with a session-wide `SET` to A — while Ana of
/// team A sees them. Bea cannot write into team A either. Members have no superuser or
/// BYPASSRLS.
#[tokio::test]
async fn a_member_of_team_b_reads_nothing_of_team_a() {
    let db = database().await;
    let team_a = db.team("A").await;
    let team_b = db.team("B").await;
    let (ana_code, ana) = db.client(team_a, "ana", "ana-laptop").await;
    let bea_code = db.member(team_b, "bea").await;

    // Rows of team A everywhere.
    ana.append(&[NewEvent::new(Stamp::new(1), "note", &json!({"text": "hi"})).unwrap()])
        .await
        .unwrap();
    ana.claim("conv", Duration::from_secs(60), Stamp::new(2))
        .await
        .unwrap();
    let brand = BrandAccount {
        platform: "mastodon",
        account: "brand",
    };
    let switchboard_team::LeaseOutcome::Granted { fence, .. } = ana
        .acquire_poll_lease(brand, Duration::from_secs(60))
        .await
        .unwrap()
    else {
        panic!("granted")
    };
    ana.commit_poll(
        brand,
        fence,
        &[TeamItem::new("1", &json!({}), Stamp::new(3)).unwrap()],
        Some("c"),
    )
    .await
    .unwrap();
    db.exec(&format!(
        "INSERT INTO switchboard.policy (team_id, version, body_toml) VALUES ('{team_a}', 1, 'x = 1'); \
         INSERT INTO switchboard.presence (team_id, member, device, conversation, activity, expires_at) \
         VALUES ('{team_a}', '{}', 'ana-laptop', 'conv', 'viewing', now() + interval '1 minute')",
        ana_code.member
    ))
    .await;

    let mut ana_sql = connect_as(&ana_code).await.unwrap();
    let mut tx = ana_sql.begin().await.unwrap();
    set_team(&mut tx, "SET LOCAL", team_a).await;
    for table in TABLES {
        assert!(
            count(&mut tx, table).await > 0,
            "ana sees her team's {table}"
        );
    }
    tx.commit().await.unwrap();

    let mut bea = connect_as(&bea_code).await.unwrap();
    let (superuser, bypass): (bool, bool) =
        sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&mut bea)
            .await
            .unwrap();
    assert!(!superuser && !bypass);
    assert_reads_nothing(&mut bea, "no team set").await;
    let mut tx = bea.begin().await.unwrap();
    set_team(&mut tx, "SET LOCAL", team_a).await;
    assert_reads_nothing(&mut tx, "SET LOCAL to team A").await;
    let forged = sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO switchboard.events (team_id, server_seq, event_id, device, device_seq, kind, payload) \
         VALUES ('{team_a}', 0, gen_random_uuid(), 'x', 1, 'note', '{{}}')"
    )))
    .execute(&mut *tx)
    .await;
    assert!(forged.is_err(), "bea wrote into team A");
    tx.rollback().await.unwrap();
    set_team(&mut bea, "SET", team_a).await;
    assert_reads_nothing(&mut bea, "session SET to team A").await;

    // Bea's own client for team A gets nothing either.
    let bea_in_a = TeamClient::connect(&bea_code.url, &bea_code.secret, team_a, "bea-laptop")
        .await
        .unwrap();
    assert!(bea_in_a.events_after(0, 100).await.unwrap().is_empty());
}

/// Members may INSERT and SELECT the log, never UPDATE or DELETE it — not even their own
/// events, not even with their team set; items and policy likewise.
#[tokio::test]
async fn members_cannot_rewrite_the_log() {
    let db = database().await;
    let team = db.team("A").await;
    let (code, ana) = db.client(team, "ana", "ana-laptop").await;
    ana.append(&[NewEvent::new(Stamp::new(1), "note", &json!({"text": "hi"})).unwrap()])
        .await
        .unwrap();
    let mut conn = connect_as(&code).await.unwrap();
    for statement in [
        "UPDATE switchboard.events SET kind = 'done'",
        "DELETE FROM switchboard.events",
        "TRUNCATE switchboard.events",
        "UPDATE switchboard.items SET payload = '{}'",
        "DELETE FROM switchboard.items",
        "DELETE FROM switchboard.claims",
        "UPDATE switchboard.members SET lead = true",
        "ALTER TABLE switchboard.events DISABLE ROW LEVEL SECURITY",
    ] {
        let mut tx = conn.begin().await.unwrap();
        set_team(&mut tx, "SET LOCAL", team).await;
        let result = sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&mut *tx)
            .await;
        let err = result.expect_err(statement);
        assert!(
            err.to_string().contains("permission denied")
                || err.to_string().contains("must be owner"),
            "{statement}: {err}"
        );
        tx.rollback().await.unwrap();
    }
    assert_eq!(ana.events_after(0, 10).await.unwrap()[0].kind, "note");
}

/// `remove-member`: the member's open connection is ended and a new one is refused.
#[tokio::test]
async fn a_removed_member_can_no_longer_connect() {
    let db = database().await;
    let team = db.team("A").await;
    let (code, ana) = db.client(team, "ana", "ana-laptop").await;
    ana.events_after(0, 1).await.unwrap();
    let mut open = connect_as(&code).await.unwrap();
    db.admin.remove_member(team, &code.member).await.unwrap();

    let err = sqlx::query("SELECT 1").execute(&mut open).await;
    assert!(err.is_err(), "the open session was ended");
    let err = connect_as(&code).await.unwrap_err();
    assert!(
        err.to_string().contains("authentication failed")
            || err.to_string().contains("does not exist"),
        "{err}"
    );
    assert!(TeamClient::join(&code, "ana-laptop").await.is_err());
    let status = db.admin.status().await.unwrap();
    assert!(status.teams[0]
        .members
        .iter()
        .any(|m| m.login_role == code.member && m.removed));
}
