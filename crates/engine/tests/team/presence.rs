//! The team on the conversation rows and in the thread: "claimed by" with the holder's
//! name on the other laptop, "Bo is viewing" / "Bo is replying" within a second, gone
//! within a second after Bo leaves and within the expiry when Bo's laptop goes away
//! without a word; a claim asked offline shows as pending, then as lost with why.

use std::time::{Duration, Instant};

use switchboard_core::{
    Activity, ClaimState, ConversationSummary, ConversationTeam, PresenceView, QueueId,
};
use switchboard_team::admin::NewMember;
use switchboard_team::testing::{self, TcpGate, TestDb};
use switchboard_team::JoinCode;
use uuid::Uuid;

use crate::laptops::{eventually, mention_on_both, Laptop};

/// A member called `name` working Support.
async fn member(db: &TestDb, team: Uuid, name: &str) -> JoinCode {
    db.member_with(
        team,
        &NewMember {
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            queues: vec!["support".into()],
            lead: false,
            trainee: false,
        },
    )
    .await
}

/// The team's side of conversation `id` in `laptop`'s Support list.
async fn row_team(laptop: &Laptop, id: i64) -> Option<ConversationTeam> {
    let rows: Vec<ConversationSummary> = laptop
        .engine
        .list_conversations(QueueId::from("support"))
        .await
        .unwrap();
    rows.into_iter().find(|r| r.id == id)?.team
}

/// Who is on conversation `id`, as `laptop`'s row shows it.
async fn presence_on(laptop: &Laptop, id: i64) -> Vec<PresenceView> {
    row_team(laptop, id)
        .await
        .map(|t| t.presence)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_and_presence_of_a_teammate_show_on_the_other_laptop() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = member(&db, team, "Ana").await;
    let bo_code = member(&db, team, "Bo").await;
    let ana = Laptop::open("ana", &ana_code, None).await;
    let bo = Laptop::open("bo", &bo_code, None).await;
    let (_, on_ana, on_bo) = mention_on_both(&db, team, &ana, &bo).await;
    let team_side = row_team(&bo, on_bo).await.expect("a team workspace's rows");
    assert_eq!(team_side.claim, None);
    assert!(team_side.presence.is_empty());

    // Ana claims: Bo's row says "claimed by Ana", Ana's own says it is hers.
    let claimed_at = Instant::now();
    ana.engine.claim(on_ana).await.unwrap();
    eventually(
        Duration::from_secs(2),
        "Bo's row: claimed by Ana",
        || async {
            row_team(&bo, on_bo)
                .await
                .and_then(|t| t.claim)
                .is_some_and(|c| c.name == "Ana")
        },
    )
    .await;
    println!(
        "claim on ana's laptop -> 'claimed by Ana' on bo's row: {} ms",
        claimed_at.elapsed().as_millis()
    );
    let claim = row_team(&bo, on_bo).await.unwrap().claim.unwrap();
    assert_eq!(
        (claim.member.as_str(), claim.mine, claim.state),
        (ana_code.member.as_str(), false, ClaimState::Held)
    );
    let now = switchboard_core::Timestamp::now_from_system();
    assert!(
        (now.millis() - claim.since.millis()).abs() < 60_000,
        "since the claim: {claim:?}"
    );
    let thread_claim = bo.engine.get_thread(on_bo).await.unwrap().conversation.team;
    assert_eq!(
        thread_claim.unwrap().claim.unwrap().name,
        "Ana",
        "the thread too"
    );
    let mine = row_team(&ana, on_ana).await.unwrap().claim.unwrap();
    assert!(mine.mine && mine.state == ClaimState::Held, "{mine:?}");

    // Bo opens it, then writes: Ana sees it within a second; Bo never sees himself.
    let viewing_at = Instant::now();
    bo.engine
        .set_presence(Some(on_bo), Some(Activity::Viewing))
        .await
        .unwrap();
    eventually(Duration::from_secs(1), "Ana sees Bo viewing", || async {
        presence_on(&ana, on_ana)
            .await
            .iter()
            .any(|p| p.name == "Bo" && p.activity == Activity::Viewing)
    })
    .await;
    println!(
        "bo viewing -> shown on ana's row: {} ms",
        viewing_at.elapsed().as_millis()
    );
    bo.engine
        .set_presence(Some(on_bo), Some(Activity::Replying))
        .await
        .unwrap();
    eventually(
        Duration::from_secs(1),
        "Ana's thread: Bo is replying",
        || async {
            let thread = ana.engine.get_thread(on_ana).await.unwrap();
            thread.conversation.team.is_some_and(|t| {
                t.presence.len() == 1
                    && t.presence[0].activity == Activity::Replying
                    && t.presence[0].member == bo_code.member
            })
        },
    )
    .await;
    assert!(
        presence_on(&bo, on_bo).await.is_empty(),
        "Bo's own presence is not shown to him"
    );

    // Bo leaves: gone within a second.
    let left_at = Instant::now();
    bo.engine.set_presence(None, None).await.unwrap();
    eventually(
        Duration::from_secs(1),
        "Bo's presence gone after he left",
        || async { presence_on(&ana, on_ana).await.is_empty() },
    )
    .await;
    println!(
        "bo left -> gone from ana's row: {} ms",
        left_at.elapsed().as_millis()
    );

    // Bo's laptop goes away without a word: his presence expires by itself.
    bo.engine
        .set_presence(Some(on_bo), Some(Activity::Viewing))
        .await
        .unwrap();
    eventually(Duration::from_secs(1), "Ana sees Bo again", || async {
        !presence_on(&ana, on_ana).await.is_empty()
    })
    .await;
    let asleep = Instant::now();
    bo.engine.shutdown().await;
    eventually(
        Duration::from_secs(15),
        "Bo's presence expires after his laptop went away",
        || async { presence_on(&ana, on_ana).await.is_empty() },
    )
    .await;
    println!(
        "bo's laptop gone -> presence expired on ana's row: {} ms",
        asleep.elapsed().as_millis()
    );
    ana.engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_asked_offline_is_pending_then_lost_with_why() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let gate = TcpGate::start(testing::cluster().port);
    let ana_code = member(&db, team, "Ana").await;
    let through = JoinCode {
        url: gate.url_for(&ana_code.url),
        ..ana_code.clone()
    };
    let ana = Laptop::open("ana", &through, None).await;
    let ben = Laptop::open("ben", &member(&db, team, "Ben").await, None).await;
    let (thread, _, _) = mention_on_both(&db, team, &ana, &ben).await;
    eventually(Duration::from_secs(5), "ana is online", || async {
        ana.engine.team_status().is_some_and(|s| s.online)
    })
    .await;
    let on_ana = ana.conversation(&thread).await.unwrap();
    let on_ben = ben.conversation(&thread).await.unwrap();

    gate.cut();
    ben.engine.claim(on_ben).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await; // Ana asks a second later
    ana.engine.claim(on_ana).await.unwrap();
    let pending = row_team(&ana, on_ana).await.unwrap().claim.unwrap();
    assert_eq!(
        (pending.state, pending.mine, pending.name.as_str()),
        (ClaimState::Pending, true, "Ana")
    );

    gate.restore();
    // Ben joined after Ana's laptop read the members: it learns his name when his claim
    // names him (within a refresh).
    eventually(
        Duration::from_secs(15),
        "Ana's claim is lost to Ben",
        || async {
            row_team(&ana, on_ana)
                .await
                .and_then(|t| t.claim)
                .is_some_and(|c| c.state == ClaimState::Lost && c.name == "Ben")
        },
    )
    .await;
    let lost = row_team(&ana, on_ana).await.unwrap().claim.unwrap();
    assert_eq!((lost.name.as_str(), lost.mine), ("Ben", false));
    let why = lost.explanation.unwrap_or_default();
    assert!(
        why.starts_with("Ben claimed this ") && why.ends_with(" s before you"),
        "{why}"
    );
    let thread_claim = ana
        .engine
        .get_thread(on_ana)
        .await
        .unwrap()
        .conversation
        .team;
    assert_eq!(
        thread_claim.unwrap().claim.unwrap().explanation.as_deref(),
        Some(why.as_str()),
        "the thread explains it too"
    );
    let held = row_team(&ben, on_ben).await.unwrap().claim.unwrap();
    assert!(held.mine && held.state == ClaimState::Held, "{held:?}");
    ana.engine.shutdown().await;
    ben.engine.shutdown().await;
}
