//! Presence and heartbeats as the window uses them: an announce or a leave wakes the
//! other laptops with a presence-only wake-up (nothing new in the log), a leave ends the
//! presence at once; each member's heartbeats give "last seen" (the latest of their
//! devices), only for oneself; the team's name, the log's head and who published a
//! policy version are readable by every member.

use std::time::Duration;

use serde_json::json;
use switchboard_team::{Activity, NewEvent, Stamp, Wake};

use crate::support::database;

const PATIENCE: Duration = Duration::from_secs(10);

/// Ana announces, then leaves: Bo is woken with `Wake::Presence` each time (and with
/// `Wake::Notified` for an appended event); after the leave nobody sees her presence.
#[tokio::test]
async fn announcing_and_leaving_wake_the_team_with_a_presence_wake() {
    let db = database().await;
    let team = db.team("t").await;
    let (_, ana) = db.client(team, "ana", "ana-laptop").await;
    let (_, bo) = db.client(team, "bo", "bo-laptop").await;
    let mut wakeups = bo.wakeups().await.unwrap();

    ana.announce("conv-1", Activity::Viewing, Duration::from_secs(30))
        .await
        .unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Presence);
    assert_eq!(bo.presence().await.unwrap().len(), 1);

    ana.leave().await.unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Presence, "leaving wakes the team too");
    assert!(bo.presence().await.unwrap().is_empty(), "gone after leave");
    ana.leave().await.unwrap(); // leaving twice is harmless

    let note = NewEvent::new(Stamp::new(1), "note", &json!({})).unwrap();
    ana.append(&[note]).await.unwrap();
    let wake = tokio::time::timeout(PATIENCE, wakeups.next())
        .await
        .unwrap();
    assert_eq!(wake, Wake::Notified, "an event is not a presence wake");
    assert_eq!(bo.log_head().await.unwrap(), 1);
}

/// Ana's two laptops and Bo's one beat; `member_seen` gives each member's latest beat; a
/// member cannot beat for another; the team's name and a policy version's author are
/// readable by every member.
#[tokio::test]
async fn heartbeats_say_when_each_member_was_last_seen() {
    let db = database().await;
    let team = db.team("Acme Support").await;
    let lead_code = db.member_as(team, "lea", true).await;
    let lead = switchboard_team::TeamClient::join(&lead_code, "lea-laptop")
        .await
        .unwrap();
    let (ana_code, ana) = db.client(team, "ana", "ana-laptop").await;
    let ana_phone = switchboard_team::TeamClient::join(&ana_code, "ana-desktop")
        .await
        .unwrap();
    let (bo_code, bo) = db.client(team, "bo", "bo-laptop").await;

    assert!(
        bo.member_seen().await.unwrap().is_empty(),
        "nobody beat yet"
    );
    ana.heartbeat().await.unwrap();
    bo.heartbeat().await.unwrap();
    db.exec("UPDATE switchboard.member_seen SET seen_at = now() - interval '1 hour'")
        .await;
    ana_phone.heartbeat().await.unwrap();
    ana_phone.heartbeat().await.unwrap(); // again: one row per device
    let seen = bo.member_seen().await.unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let at = |member: &str| seen.iter().find(|(m, _)| m == member).unwrap().1;
    assert!(
        (now_ms - at(&ana_code.member)).abs() < 60_000,
        "ana's latest device counts"
    );
    assert!(
        now_ms - at(&bo_code.member) > 3_000_000,
        "bo was last seen an hour ago"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM switchboard.member_seen")
        .fetch_one(db.admin.pool())
        .await
        .unwrap();
    assert_eq!(rows, 3, "one row per member and device");

    let mut tx = bo.pool().begin().await.unwrap();
    sqlx::query("SELECT set_config('switchboard.team', $1, true)")
        .bind(team.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let forged = sqlx::query(
        "INSERT INTO switchboard.member_seen (team_id, member, device) VALUES ($1::uuid, $2, 'x')",
    )
    .bind(team.to_string())
    .bind(&ana_code.member)
    .execute(&mut *tx)
    .await;
    assert!(forged.is_err(), "bo beat for ana");
    tx.rollback().await.unwrap();

    assert_eq!(bo.team_name().await.unwrap(), "Acme Support");
    assert_eq!(bo.policy_published(1).await.unwrap(), None);
    lead.publish_policy(None, "sla_minutes = 30", Stamp::new(1))
        .await
        .unwrap();
    let published = bo.policy_published(1).await.unwrap().unwrap();
    assert_eq!(
        (published.version, published.author.as_str()),
        (1, lead_code.member.as_str())
    );
    assert!((now_ms - published.at_ms).abs() < 60_000);
}
