//! The team's policy (versions, leads only) and presence (short expiry, only oneself).

use std::time::Duration;

use switchboard_team::{Activity, Stamp, TeamClient, TeamError};

use crate::support::database;

/// A lead publishes versions 1 and 2; every member reads the newest; a non-lead is
/// refused in plain words; a lead who started from an old version is told to start
/// again; each publication is a `policy_changed` event in the log.
#[tokio::test]
async fn only_leads_publish_policy_versions() {
    let db = database().await;
    let team = db.team("t").await;
    let lead_code = db.member_as(team, "lea", true).await;
    let lead = TeamClient::join(&lead_code, "lea-laptop").await.unwrap();
    let (_, agent) = db.client(team, "al", "al-laptop").await;

    assert_eq!(agent.latest_policy().await.unwrap(), None);
    assert_eq!(
        lead.publish_policy(None, "sla_minutes = 30", Stamp::new(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        lead.publish_policy(Some(1), "sla_minutes = 20", Stamp::new(2))
            .await
            .unwrap(),
        2
    );
    let newest = agent.latest_policy().await.unwrap().unwrap();
    assert_eq!(
        (newest.version, newest.body_toml.as_str()),
        (2, "sla_minutes = 20")
    );
    assert_eq!(newest.author, lead_code.member);

    let refused = agent
        .publish_policy(Some(2), "sla_minutes = 1", Stamp::new(1))
        .await;
    assert!(matches!(refused, Err(TeamError::NotALead)), "{refused:?}");
    assert!(refused.unwrap_err().to_string().contains("only a lead"));
    let stale = lead
        .publish_policy(Some(1), "sla_minutes = 5", Stamp::new(3))
        .await;
    assert!(
        matches!(stale, Err(TeamError::PolicyVersionTaken { version: 2 })),
        "{stale:?}"
    );

    let kinds: Vec<String> = agent
        .events_after(0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.kind, e.payload["version"]))
        .collect();
    assert_eq!(kinds, ["policy_changed 1", "policy_changed 2"]);
}

/// Ana announces she is viewing, then replying; Bo sees it; once it expires (moved into
/// the past instead of waiting) nobody sees it. Bo cannot announce as Ana.
#[tokio::test]
async fn presence_expires_and_is_ones_own() {
    let db = database().await;
    let team = db.team("t").await;
    let (ana_code, ana) = db.client(team, "ana", "ana-laptop").await;
    let (_, bo) = db.client(team, "bo", "bo-laptop").await;
    let ttl = Duration::from_secs(30);

    ana.announce("conv-7", Activity::Viewing, ttl)
        .await
        .unwrap();
    ana.announce("conv-7", Activity::Replying, ttl)
        .await
        .unwrap();
    let seen = bo.presence().await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].member, ana_code.member);
    assert_eq!(
        (seen[0].conversation.as_str(), seen[0].activity),
        ("conv-7", Activity::Replying)
    );

    let mut tx = bo.pool().begin().await.unwrap();
    sqlx::query("SELECT set_config('switchboard.team', $1, true)")
        .bind(team.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    let forged = sqlx::query(
        "INSERT INTO switchboard.presence (team_id, member, device, conversation, activity, expires_at) \
         VALUES ($1::uuid, $2, 'x', 'conv-7', 'viewing', now() + interval '1 minute')",
    )
    .bind(team.to_string())
    .bind(&ana_code.member)
    .execute(&mut *tx)
    .await;
    assert!(forged.is_err(), "bo announced as ana");
    tx.rollback().await.unwrap();

    db.exec("UPDATE switchboard.presence SET expires_at = now() - interval '1 second'")
        .await;
    assert!(bo.presence().await.unwrap().is_empty());
}
