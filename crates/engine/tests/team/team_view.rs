//! The team view (header and members panel): the team's name, this person, every member
//! with their queues, Lead/Trainee, online now or last seen; the policy version in force
//! by its lead's name; the link online, offline since a moment with the actions waiting
//! counted as unsent, and online again.

use std::time::Duration;

use switchboard_core::{LinkState, QueueId, TeamView, Timestamp};
use switchboard_team::admin::NewMember;
use switchboard_team::testing::{self, TcpGate, TestDb};
use switchboard_team::{JoinCode, TeamClient};
use uuid::Uuid;

use crate::laptops::{eventually, Feeder, Laptop};

async fn member(
    db: &TestDb,
    team: Uuid,
    name: &str,
    queue: &str,
    lead: bool,
    trainee: bool,
) -> JoinCode {
    db.member_with(
        team,
        &NewMember {
            name: name.into(),
            email: format!("{}@example.com", name.replace(' ', ".").to_lowercase()),
            queues: vec![queue.into()],
            lead,
            trainee,
        },
    )
    .await
}

async fn view(laptop: &Laptop) -> TeamView {
    laptop
        .engine
        .team_view()
        .await
        .unwrap()
        .expect("a team workspace has a team view")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_view_shows_members_online_last_seen_policy_by_name_and_the_link() {
    let db = testing::database().await;
    let team = db.team("Acme Support").await;
    let lena_code = member(&db, team, "Lena Park", "support", true, false).await;
    let ana_code = member(&db, team, "Ana", "support", false, false).await;
    let tia_code = member(&db, team, "Tia", "sales", false, true).await;
    // Tia's laptop was last connected an hour ago.
    let tia = TeamClient::join(&tia_code, "tia-laptop").await.unwrap();
    tia.heartbeat().await.unwrap();
    tia.pool().close().await;
    db.exec(&format!(
        "UPDATE switchboard.member_seen SET seen_at = now() - interval '1 hour' \
         WHERE member = '{}'",
        tia_code.member
    ))
    .await;

    let gate = TcpGate::start(testing::cluster().port);
    let through = JoinCode {
        url: gate.url_for(&ana_code.url),
        ..ana_code.clone()
    };
    let lena = Laptop::open("lena", &lena_code, None).await;
    let ana = Laptop::open("ana", &through, None).await;

    // Lena (a lead) changes the policy: published as version 1.
    let path = std::path::PathBuf::from(lena.engine.workspace_info().policy_path);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n[[queue]]\nid = \"billing\"\nlabel = \"Billing\"\ncolor = \"#336699\"\n");
    std::fs::write(&path, text).unwrap();

    eventually(
        Duration::from_secs(20),
        "Ana's view: policy v1 by Lena Park, Lena online",
        || async {
            let v = view(&ana).await;
            v.policy.as_ref().is_some_and(|p| p.version == 1)
                && v.members.iter().any(|m| m.name == "Lena Park" && m.online)
        },
    )
    .await;
    let v = view(&ana).await;
    assert_eq!(v.team_name, "Acme Support");
    let policy = v.policy.clone().unwrap();
    assert_eq!((policy.version, policy.by.as_str()), (1, "Lena Park"));
    let now = Timestamp::now_from_system();
    assert!((now.millis() - policy.at.millis()).abs() < 60_000);
    assert_eq!(
        (v.me.id.as_str(), v.me.name.as_str(), v.me.online),
        (ana_code.member.as_str(), "Ana", true)
    );
    let names: Vec<&str> = v.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Ana", "Lena Park", "Tia"]);
    let lena_row = &v.members[1];
    assert_eq!(lena_row.id, lena_code.member);
    assert_eq!(lena_row.queues, vec![QueueId::from("support")]);
    assert!(lena_row.lead && !lena_row.trainee && lena_row.online);
    assert!(
        lena_row
            .last_seen
            .is_some_and(|seen| (now.millis() - seen.millis()).abs() < 60_000),
        "{lena_row:?}"
    );
    let tia_row = &v.members[2];
    assert_eq!(tia_row.queues, vec![QueueId::from("sales")]);
    assert!(tia_row.trainee && !tia_row.lead);
    assert!(!tia_row.online, "Tia is not online: {tia_row:?}");
    let tia_seen = tia_row.last_seen.expect("Tia was seen before");
    assert!(
        (now.millis() - tia_seen.millis() - 3_600_000).abs() < 60_000,
        "Tia was last seen an hour ago: {tia_row:?}"
    );
    assert_eq!(
        (
            v.link.state,
            v.link.unsent,
            v.link.behind,
            v.link.offline_since
        ),
        (LinkState::Online, 0, 0, None)
    );
    assert_eq!(v.awaiting_approval, 0);
    let lenas = view(&lena).await;
    assert_eq!(lenas.me.name, "Lena Park");
    assert!(lenas.me.lead);

    // Ana's network goes: offline since then, her note waits as unsent.
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let thread = feeder.mention("support").await;
    eventually(
        Duration::from_secs(10),
        "the mention reaches Ana",
        || async { ana.conversation(&thread).await.is_some() },
    )
    .await;
    let on_ana = ana.conversation(&thread).await.unwrap();
    let cut_at = Timestamp::now_from_system();
    gate.cut();
    eventually(Duration::from_secs(15), "Ana's link is offline", || async {
        view(&ana).await.link.state == LinkState::Offline
    })
    .await;
    ana.engine
        .add_note(on_ana, "Called the customer back.".into())
        .await
        .unwrap();
    let v = view(&ana).await;
    assert_eq!(v.link.state, LinkState::Offline);
    assert!(v.link.unsent >= 1, "{:?}", v.link);
    let since = v.link.offline_since.expect("offline since");
    assert!(since.millis() >= cut_at.millis() - 1_000, "{:?}", v.link);
    assert!(v
        .link
        .error
        .is_some_and(|e| e.contains("cannot be reached")));

    gate.restore();
    eventually(
        Duration::from_secs(15),
        "Ana's link is online, nothing unsent",
        || async {
            let link = view(&ana).await.link;
            link.state == LinkState::Online && link.unsent == 0
        },
    )
    .await;
    ana.engine.shutdown().await;
    lena.engine.shutdown().await;
}
