//! Administration as on a managed PostgreSQL: the administrator owns the database and may
//! create roles, but is not a superuser (so row-level security, role membership and
//! session termination work as they will for real customers).

use std::time::Duration;

use serde_json::json;
use switchboard_team::{ClaimOutcome, NewEvent, Stamp, TeamClient};

use crate::support::database_with_plain_administrator;

#[tokio::test]
async fn a_non_superuser_administrator_runs_the_team() {
    let db = database_with_plain_administrator().await;
    let superuser: bool =
        sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            .fetch_one(db.admin.pool())
            .await
            .unwrap();
    assert!(
        !superuser,
        "the administrator of this test is not a superuser"
    );

    let team = db.team("managed").await;
    assert_eq!(db.team("managed").await, team, "init again finds the team");
    let other = db.team("other").await;
    let (ana_code, ana) = db.client(team, "ana", "ana-laptop").await;
    let (_, bo) = db.client(team, "bo", "bo-laptop").await;
    let (_, cy) = db.client(other, "cy", "cy-laptop").await;

    ana.append(&[NewEvent::new(Stamp::new(1), "note", &json!({"text": "hi"})).unwrap()])
        .await
        .unwrap();
    let ttl = Duration::from_secs(60);
    assert!(matches!(
        ana.claim("c", ttl, Stamp::new(2)).await.unwrap(),
        ClaimOutcome::Granted { .. }
    ));
    assert!(matches!(
        bo.claim("c", ttl, Stamp::new(1)).await.unwrap(),
        ClaimOutcome::Held { .. }
    ));
    assert_eq!(bo.events_after(0, 10).await.unwrap().len(), 2);
    assert!(
        cy.events_after(0, 10).await.unwrap().is_empty(),
        "other team sees nothing"
    );

    // The administrator sees every team (its own policy) and reports it.
    let status = db.admin.status().await.unwrap();
    assert_eq!(status.teams.len(), 2);
    assert_eq!(status.teams[0].events, 2);

    // Removing a member ends her open sessions and her login, without superuser rights.
    let mut open = ana.pool().acquire().await.unwrap();
    db.admin
        .remove_member(team, &ana_code.member)
        .await
        .unwrap();
    assert!(sqlx::query("SELECT 1").execute(&mut *open).await.is_err());
    drop(open);
    assert!(TeamClient::join(&ana_code, "ana-laptop").await.is_err());
    assert_eq!(
        bo.events_after(0, 10).await.unwrap().len(),
        2,
        "her events stay"
    );
}
