//! Poll leases and their fences: a replaced holder cannot write.

use std::time::Duration;

use serde_json::json;
use switchboard_team::{BrandAccount, LeaseOutcome, Stamp, TeamError, TeamItem};

use crate::support::{database, TestDb};

const TTL: Duration = Duration::from_secs(30);
const BRAND: BrandAccount<'static> = BrandAccount {
    platform: "mastodon",
    account: "brand@social.example",
};

fn item(native_id: &str, seq: i64) -> TeamItem {
    TeamItem::new(
        native_id,
        &json!({ "text": format!("mention {native_id}") }),
        Stamp::new(seq),
    )
    .unwrap()
}

/// What a laptop that slept past its lease looks like to the database: the lease's
/// expiry is in the past (moved there by the administrator instead of waiting).
async fn expire_lease(db: &TestDb) {
    db.exec("UPDATE switchboard.poll_leases SET expires_at = now() - interval '1 second'")
        .await;
}

async fn items_and_cursor(db: &TestDb) -> (Vec<String>, Option<String>) {
    let items = sqlx::query_scalar("SELECT native_id FROM switchboard.items ORDER BY native_id")
        .fetch_all(db.admin.pool())
        .await
        .unwrap();
    let cursor = sqlx::query_scalar("SELECT cursor FROM switchboard.poll_leases")
        .fetch_one(db.admin.pool())
        .await
        .unwrap();
    (items, cursor)
}

/// A holds the lease and commits a poll; A's lease expires (A asleep) and B takes it over
/// with a higher fence, starting from A's cursor. A wakes up: its commit of items and
/// cursor and its renewal are refused with `FenceMoved`, and nothing of it is written.
/// B's commit goes through; an item already in the team is not entered twice.
#[tokio::test]
async fn replaced_holder_cannot_commit() {
    let db = database().await;
    let team = db.team("pollers").await;
    let (_, a) = db.client(team, "ana", "ana-laptop").await;
    let (_, b) = db.client(team, "bo", "bo-laptop").await;

    let LeaseOutcome::Granted {
        fence: fa, cursor, ..
    } = a.acquire_poll_lease(BRAND, TTL).await.unwrap()
    else {
        panic!("a free lease is granted")
    };
    assert_eq!(cursor, None);
    match b.acquire_poll_lease(BRAND, TTL).await.unwrap() {
        LeaseOutcome::Held { device, .. } => assert_eq!(device, "ana-laptop"),
        other => panic!("a live lease is not granted twice: {other:?}"),
    }
    let done = a
        .commit_poll(BRAND, fa, &[item("1", 1), item("2", 2)], Some("c1"))
        .await
        .unwrap();
    assert_eq!(done.new_items, 2);
    a.renew_poll_lease(BRAND, fa, TTL).await.unwrap();

    expire_lease(&db).await;
    let LeaseOutcome::Granted {
        fence: fb, cursor, ..
    } = b.acquire_poll_lease(BRAND, TTL).await.unwrap()
    else {
        panic!("an expired lease is granted to the next asker")
    };
    assert!(
        fb > fa,
        "the fence grows on a change of holder ({fa} → {fb})"
    );
    assert_eq!(
        cursor.as_deref(),
        Some("c1"),
        "the new holder starts where the team stands"
    );

    let late = a.commit_poll(BRAND, fa, &[item("3", 3)], Some("c2")).await;
    assert!(
        matches!(late, Err(TeamError::FenceMoved { fence, .. }) if fence == fa),
        "{late:?}"
    );
    assert_eq!(
        items_and_cursor(&db).await,
        (vec!["1".to_owned(), "2".to_owned()], Some("c1".to_owned())),
        "the refused commit wrote nothing"
    );
    let renew = a.renew_poll_lease(BRAND, fa, TTL).await;
    assert!(
        matches!(renew, Err(TeamError::FenceMoved { .. })),
        "{renew:?}"
    );
    match a.acquire_poll_lease(BRAND, TTL).await.unwrap() {
        LeaseOutcome::Held { device, .. } => assert_eq!(device, "bo-laptop"),
        other => panic!("the old holder must not get the lease back: {other:?}"),
    }

    let done = b
        .commit_poll(BRAND, fb, &[item("2", 1), item("3", 2)], Some("c2"))
        .await
        .unwrap();
    assert_eq!(done.new_items, 1, "item 2 was already in the team");
    assert_eq!(
        items_and_cursor(&db).await,
        (
            vec!["1".to_owned(), "2".to_owned(), "3".to_owned()],
            Some("c2".to_owned())
        )
    );
    let kinds: Vec<String> = b
        .events_after(0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.payload["native_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["1", "2", "3"],
        "one `item` event per item, whoever pulled it"
    );
}

/// The same for claims: once a claim expired and was granted to someone else, the old
/// holder's renewal is refused.
#[tokio::test]
async fn expired_claim_goes_to_the_next_claimer() {
    let db = database().await;
    let team = db.team("claimers").await;
    let (_, a) = db.client(team, "ana", "ana-laptop").await;
    let (_, b) = db.client(team, "bo", "bo-laptop").await;
    let switchboard_team::ClaimOutcome::Granted { fence: fa, .. } =
        a.claim("conv", TTL, Stamp::new(1)).await.unwrap()
    else {
        panic!("granted")
    };
    db.exec("UPDATE switchboard.claims SET expires_at = now() - interval '1 second'")
        .await;
    let switchboard_team::ClaimOutcome::Granted { fence: fb, .. } =
        b.claim("conv", TTL, Stamp::new(1)).await.unwrap()
    else {
        panic!("an expired claim is granted to the next claimer")
    };
    assert!(fb > fa);
    let renew = a.renew_claim("conv", fa, TTL).await;
    assert!(
        matches!(renew, Err(TeamError::FenceMoved { .. })),
        "{renew:?}"
    );
}

/// Runs `sql` as the member behind `client`, with the team set; returns the refusal.
async fn hand_written(
    client: &switchboard_team::TeamClient,
    sql: &str,
) -> Result<u64, sqlx::Error> {
    let mut tx = client.pool().begin().await.unwrap();
    sqlx::query("SELECT set_config('switchboard.team', $1, true)")
        .bind(client.team().to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let result = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *tx)
        .await
        .map(|done| done.rows_affected());
    tx.rollback().await.unwrap();
    result
}

/// The fencing rules hold against hand-written SQL too: Bo cannot take Ana's live poll
/// lease or claim, keep its fence while changing its holder, move her cursor, or jump
/// the fence; the database refuses each statement.
#[tokio::test]
async fn hand_written_sql_cannot_move_leases_or_claims() {
    let db = database().await;
    let team = db.team("pollers").await;
    let (_, a) = db.client(team, "ana", "ana-laptop").await;
    let (_, b) = db.client(team, "bo", "bo-laptop").await;
    let LeaseOutcome::Granted { .. } = a.acquire_poll_lease(BRAND, TTL).await.unwrap() else {
        panic!("granted")
    };
    let switchboard_team::ClaimOutcome::Granted { .. } =
        a.claim("conv", TTL, Stamp::new(1)).await.unwrap()
    else {
        panic!("granted")
    };
    for sql in [
        "UPDATE switchboard.poll_leases SET holder_member = current_user, holder_device = 'bo-laptop'",
        "UPDATE switchboard.poll_leases SET holder_member = current_user, holder_device = 'bo-laptop', \
         fence = fence + 1",
        "UPDATE switchboard.poll_leases SET cursor = 'elsewhere'",
        "UPDATE switchboard.poll_leases SET expires_at = now()",
        "UPDATE switchboard.claims SET holder = current_user, device = 'bo-laptop'",
        "UPDATE switchboard.claims SET holder = current_user, device = 'bo-laptop', fence = fence + 1",
        "UPDATE switchboard.claims SET expires_at = now()",
    ] {
        let refused = hand_written(&b, sql).await;
        let err = refused.expect_err(sql);
        assert!(
            err.to_string().contains("holder")
                || err.to_string().contains("taken")
                || err.to_string().contains("row-level security"),
            "{sql}: {err}"
        );
    }
    let jump = hand_written(&a, "UPDATE switchboard.poll_leases SET fence = fence + 5").await;
    assert!(jump.unwrap_err().to_string().contains("one at a time"));
    // The rightful paths still work.
    let LeaseOutcome::Granted { fence, .. } = a.acquire_poll_lease(BRAND, TTL).await.unwrap()
    else {
        panic!("the holder renews")
    };
    a.commit_poll(BRAND, fence, &[], Some("c1")).await.unwrap();
    b.take_over("conv", TTL, Stamp::new(1)).await.unwrap();
}
