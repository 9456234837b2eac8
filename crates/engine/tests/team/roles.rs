//! Roles drive notifications: each member is alerted for the queues they work (their
//! membership, until they choose queues themselves), and a conversation's escalation
//! reaches its queue's leads — a lead of Support gets it, a Support member does not, a
//! Sales member hears nothing of a Support conversation; a lead with no queues leads all.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{AlertAction, QueueId, SlaState};
use switchboard_engine::AlertSink;
use switchboard_team::admin::NewMember;
use switchboard_team::testing::{self, TestDb};
use switchboard_team::JoinCode;
use uuid::Uuid;

use crate::laptops::{eventually, Feeder, Laptop};

/// The notifications a laptop showed: (level, conversations).
#[derive(Default)]
struct Shown(Mutex<Vec<(SlaState, Vec<i64>)>>);

impl AlertSink for Shown {
    fn deliver(&self, actions: Vec<AlertAction>) {
        let mut shown = self.0.lock().unwrap();
        for action in actions {
            if let AlertAction::Show(n) = action {
                let mut about = n.conversations.clone();
                about.extend(n.conversation);
                shown.push((n.level, about));
            }
        }
    }
}

impl Shown {
    /// The levels shown about conversation `id`.
    fn about(&self, id: i64) -> Vec<SlaState> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, about)| about.contains(&id))
            .map(|(level, _)| *level)
            .collect()
    }
}

/// A policy whose Support and Sales answer within 2 s (at risk after 1 s, escalated after
/// 3 s), with a Billing queue to tell it is in force.
const FAST_POLICY: &str = r##"
[thresholds]
at_risk = 50
breached = 100
escalated = 150

[calendar.always]
time_zone = "UTC"
hours.mon-sun = ["00:00-24:00"]

[[queue]]
id = "triage"
label = "Triage"
color = "#8a8f98"

[[queue]]
id = "support"
label = "Support"
color = "#2f80ed"

[queue.sla]
calendar = "always"
first_response = "2s"

[[queue]]
id = "sales"
label = "Sales"
color = "#27ae60"

[queue.sla]
calendar = "always"
first_response = "2s"

[[queue]]
id = "billing"
label = "Billing"
color = "#336699"
"##;

async fn member(db: &TestDb, team: Uuid, name: &str, queues: &[&str], lead: bool) -> JoinCode {
    db.member_with(
        team,
        &NewMember {
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase()),
            queues: queues.iter().map(|q| (*q).to_owned()).collect(),
            lead,
            trainee: false,
        },
    )
    .await
}

async fn laptop(name: &str, code: &JoinCode) -> (Laptop, Arc<Shown>) {
    let shown = Arc::new(Shown::default());
    let laptop = Laptop::open(name, code, Some(shown.clone() as Arc<dyn AlertSink>)).await;
    (laptop, shown)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_follow_the_members_roles_and_escalations_reach_the_queues_lead() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let (lena, to_lena) =
        laptop("lena", &member(&db, team, "Lena", &["support"], true).await).await;
    let (ana, to_ana) = laptop("ana", &member(&db, team, "Ana", &["support"], false).await).await;
    let (sam, to_sam) = laptop("sam", &member(&db, team, "Sam", &["sales"], false).await).await;
    let (olga, _) = laptop("olga", &member(&db, team, "Olga", &[], true).await).await;

    if let Err(e) = switchboard_core::Policy::parse("policy.toml", FAST_POLICY) {
        panic!("the test's policy is not valid: {e}");
    }
    let path = std::path::PathBuf::from(lena.engine.workspace_info().policy_path);
    std::fs::write(&path, FAST_POLICY).unwrap();
    for laptop in [&lena, &ana, &sam, &olga] {
        eventually(
            Duration::from_secs(20),
            &format!("{}: the fast policy is in force", laptop.name),
            || async {
                laptop
                    .engine
                    .policy()
                    .queues()
                    .iter()
                    .any(|q| q.id == QueueId::from("billing"))
            },
        )
        .await;
    }
    // Roles come from the membership once the members were read.
    eventually(
        Duration::from_secs(10),
        "each laptop knows its member's roles",
        || async {
            ana.engine.alert_preferences().await.queues == vec![QueueId::from("support")]
                && sam.engine.alert_preferences().await.queues == vec![QueueId::from("sales")]
                && lena.engine.alert_preferences().await.lead_of == vec![QueueId::from("support")]
                && olga.engine.alert_preferences().await.lead_of.len() == 4
        },
    )
    .await;
    assert!(ana.engine.alert_preferences().await.lead_of.is_empty());
    assert!(sam.engine.alert_preferences().await.lead_of.is_empty());

    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let thread = feeder.mention("support").await;
    for laptop in [&lena, &ana, &sam] {
        eventually(
            Duration::from_secs(10),
            &format!("{}: the mention arrives", laptop.name),
            || async { laptop.conversation(&thread).await.is_some() },
        )
        .await;
    }
    let on_lena = lena.conversation(&thread).await.unwrap();
    let on_ana = ana.conversation(&thread).await.unwrap();
    let on_sam = sam.conversation(&thread).await.unwrap();

    eventually(
        Duration::from_secs(15),
        "the escalation reaches Lena, Support's lead",
        || async { to_lena.about(on_lena).contains(&SlaState::Escalated) },
    )
    .await;
    eventually(
        Duration::from_secs(5),
        "Ana, who works Support, is told it is at risk or overdue",
        || async { !to_ana.about(on_ana).is_empty() },
    )
    .await;
    assert!(
        !to_ana.about(on_ana).contains(&SlaState::Escalated),
        "a member who does not lead is not sent escalations: {:?}",
        to_ana.about(on_ana)
    );
    assert!(
        to_sam.about(on_sam).is_empty(),
        "Sales hears nothing of a Support conversation: {:?}",
        to_sam.about(on_sam)
    );
    for laptop in [&lena, &ana, &sam, &olga] {
        laptop.engine.shutdown().await;
    }
}
