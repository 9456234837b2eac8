//! Trainees' replies wait for a lead's approval, on a real `mastodon_mock` brand account
//! every laptop is signed in to: Tina (a trainee) and two leads, Lea and Priya.
//! - Tina's reply is not posted: every laptop shows it awaiting approval, and the leads'
//!   laptops raise "Tina's reply waits for your approval". Tina cannot approve it.
//! - Both leads approve at once: one wins, the other is told who approved; the winner
//!   approves again (a retry) — the platform has the reply exactly once, as the winner
//!   left it, and the log's `reply_approved` is the winner's.
//! - A rejected reply is never posted; Tina sees it rejected with the lead's reason, and
//!   the other lead's approval comes too late.
//! - Without the team database (the network cut) a lead's approval is refused in plain
//!   words and nothing changes; back online it goes through.
//! - A lead's laptop that stopped between the decision (in the team database) and
//!   logging and queueing the reply (on the laptop) posts it when it runs again — once,
//!   with the text the lead approved — and the other lead is told it is decided.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{AlertAction, ErrorCode, OutgoingReply, ReplyState};
use switchboard_engine::{AlertSink, SecretVault};
use switchboard_team::admin::NewMember;
use switchboard_team::testing::{self, TcpGate};
use switchboard_team::JoinCode;

use crate::laptops::{
    eventually, keychain_with, mention_on_both, open_engine, quiet_hooks, Laptop, WORKSPACE,
};
use crate::one_poller::brand_laptops::Brand;

/// The notification titles shown.
#[derive(Default)]
struct Shown(Mutex<Vec<String>>);

impl AlertSink for Shown {
    fn deliver(&self, actions: Vec<AlertAction>) {
        let mut shown = self.0.lock().unwrap();
        for action in actions {
            if let AlertAction::Show(n) = action {
                shown.push(n.title);
            }
        }
    }
}

impl Shown {
    fn titles(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

fn member(name: &str, lead: bool, trainee: bool) -> NewMember {
    NewMember {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        queues: vec!["support".into()],
        lead,
        trainee,
    }
}

/// A laptop of `code` signed in to the brand account, its notifications shown to `shown`.
async fn laptop(brand: &Brand, name: &str, code: &JoinCode, shown: &Arc<Shown>) -> Laptop {
    let vault = keychain_with(code);
    vault
        .store(WORKSPACE, &brand.record.key, &brand.secret)
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    brand.prepare(data.path()).await;
    let hooks = quiet_hooks(Some(Arc::clone(shown) as Arc<dyn AlertSink>));
    let engine = open_engine(name, data.path(), Arc::clone(&vault), hooks).await;
    Laptop {
        name: name.into(),
        engine,
        data,
        vault,
    }
}

/// The brand's statuses answering the customer's status of `thread`, as the platform
/// has them (the status's context, read by the customer).
pub(super) async fn posted_replies(brand: &Brand, thread: &str) -> Vec<String> {
    let status = thread.rsplit(':').next().unwrap();
    let context: serde_json::Value = reqwest::Client::new()
        .get(
            brand
                .server
                .endpoint(&format!("api/v1/statuses/{status}/context")),
        )
        .bearer_auth(&brand.customer.token)
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("a context");
    context["descendants"]
        .as_array()
        .expect("descendants")
        .iter()
        .filter(|s| {
            s["in_reply_to_id"].as_str() == Some(status)
                && s["account"]["username"].as_str() == Some("brand")
        })
        .map(|s| s["content"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The thread's trainee replies (those with an approval id) on `laptop`.
pub(super) async fn approvals_on(laptop: &Laptop, thread: &str) -> Vec<OutgoingReply> {
    let Some(id) = laptop.conversation(thread).await else {
        return Vec::new();
    };
    laptop
        .engine
        .get_thread(id)
        .await
        .unwrap()
        .outgoing
        .into_iter()
        .filter(|reply| reply.approval.is_some())
        .collect()
}

pub(super) struct Team {
    pub(super) brand: Brand,
    pub(super) tina: Laptop,
    pub(super) lea: Laptop,
    pub(super) priya: Laptop,
    pub(super) codes: [JoinCode; 3],
    lead_shown: [Arc<Shown>; 2],
    _db: testing::TestDb,
}

pub(super) async fn team() -> Team {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let brand = Brand::start().await;
    let tina_code = db.member_with(team, &member("Tina", false, true)).await;
    let lea_code = db.member_with(team, &member("Lea", true, false)).await;
    let priya_code = db.member_with(team, &member("Priya", true, false)).await;
    let quiet = Arc::new(Shown::default());
    let lea_shown = Arc::new(Shown::default());
    let priya_shown = Arc::new(Shown::default());
    let tina = laptop(&brand, "tina", &tina_code, &quiet).await;
    let lea = laptop(&brand, "lea", &lea_code, &lea_shown).await;
    let priya = laptop(&brand, "priya", &priya_code, &priya_shown).await;
    Team {
        brand,
        tina,
        lea,
        priya,
        codes: [tina_code, lea_code, priya_code],
        lead_shown: [lea_shown, priya_shown],
        _db: db,
    }
}

impl Team {
    pub(super) fn laptops(&self) -> [&Laptop; 3] {
        [&self.tina, &self.lea, &self.priya]
    }

    /// The customer asks question `n`; returns its thread once every laptop has it.
    pub(super) async fn question(&self, n: usize) -> String {
        let thread = self.brand.mention(n).await;
        eventually(
            Duration::from_secs(20),
            "the mention reaches every laptop",
            || async {
                for laptop in self.laptops() {
                    if Brand::customer_items(laptop, &thread).await.is_none() {
                        return false;
                    }
                }
                true
            },
        )
        .await;
        thread
    }

    /// Tina writes `text` in `thread`; returns the approval id once every laptop shows
    /// it awaiting approval.
    async fn trainee_writes(&self, thread: &str, text: &str) -> String {
        let id = self.tina.conversation(thread).await.unwrap();
        let written = self
            .tina
            .engine
            .send_reply_checked(
                id,
                text.into(),
                Some(uuid::Uuid::now_v7().to_string()),
                None,
                false,
            )
            .await
            .expect("Tina's reply is taken");
        let waiting: Vec<&OutgoingReply> = written
            .outgoing
            .iter()
            .filter(|r| r.state == ReplyState::AwaitingApproval)
            .collect();
        assert_eq!(waiting.len(), 1, "{:?}", written.outgoing);
        assert_eq!(waiting[0].text, text);
        assert_eq!(waiting[0].by, self.codes[0].member);
        let approval = waiting[0].approval.clone().expect("an approval id");
        for laptop in self.laptops() {
            eventually(
                Duration::from_secs(10),
                &format!("{} shows Tina's reply awaiting approval", laptop.name),
                || async {
                    approvals_on(laptop, thread).await.iter().any(|r| {
                        r.approval.as_deref() == Some(approval.as_str())
                            && r.state == ReplyState::AwaitingApproval
                    })
                },
            )
            .await;
        }
        approval
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_reply_is_posted_exactly_once_whoever_approves_and_however_often() {
    let team = team().await;
    let thread = team.question(1).await;
    let approval = team
        .trainee_writes(&thread, "Hello! Your order left our warehouse today.")
        .await;
    assert!(
        posted_replies(&team.brand, &thread).await.is_empty(),
        "nothing posted before a lead approves"
    );
    for shown in &team.lead_shown {
        eventually(Duration::from_secs(10), "each lead is notified", || async {
            shown
                .titles()
                .contains(&"Tina's reply waits for your approval".to_owned())
        })
        .await;
    }

    // The trainee cannot approve her own reply (nor can any non-lead).
    let on_tina = team.tina.conversation(&thread).await.unwrap();
    let refused = team
        .tina
        .engine
        .approve_reply(on_tina, approval.clone(), None, Vec::new())
        .await
        .expect_err("Tina does not lead");
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert_eq!(refused.message, "Only a lead can approve replies.");

    // Both leads approve at once; Lea edits the text first.
    let edited = "Hello! Your order left our warehouse today — tracking link to follow.";
    let on_lea = team.lea.conversation(&thread).await.unwrap();
    let on_priya = team.priya.conversation(&thread).await.unwrap();
    let (by_lea, by_priya) = tokio::join!(
        team.lea
            .engine
            .approve_reply(on_lea, approval.clone(), Some(edited.into()), Vec::new()),
        team.priya
            .engine
            .approve_reply(on_priya, approval.clone(), None, Vec::new()),
    );
    let (winner, winner_id, loser_error, text) = match (by_lea, by_priya) {
        (Ok(_), Err(e)) => (&team.lea, on_lea, e, edited),
        (Err(e), Ok(_)) => (
            &team.priya,
            on_priya,
            e,
            "Hello! Your order left our warehouse today.",
        ),
        other => panic!("exactly one lead's approval is the one: {other:?}"),
    };
    let winner_name = if winner.name == "lea" { "Lea" } else { "Priya" };
    let winner_member = if winner.name == "lea" {
        &team.codes[1].member
    } else {
        &team.codes[2].member
    };
    assert_eq!(loser_error.code, ErrorCode::NotAllowed);
    assert_eq!(
        loser_error.message,
        format!("{winner_name} already approved this reply.")
    );
    // The winner approves again (a retry after a lost answer): nothing more happens.
    winner
        .engine
        .approve_reply(winner_id, approval.clone(), None, Vec::new())
        .await
        .expect("a retry stands");

    // The platform has the reply once, with the winner's text.
    eventually(
        Duration::from_secs(20),
        "the approved reply is on the platform",
        || async { !posted_replies(&team.brand, &thread).await.is_empty() },
    )
    .await;
    eventually(
        Duration::from_secs(20),
        "the winner records the reply as sent",
        || async {
            let thread = winner.engine.get_thread(winner_id).await.unwrap();
            thread.outgoing.is_empty() && thread.history.iter().any(|e| e.kind == "reply_sent")
        },
    )
    .await;
    // Approving again after it went: still nothing more.
    winner
        .engine
        .approve_reply(winner_id, approval.clone(), None, Vec::new())
        .await
        .expect("a late retry stands");
    let posted = posted_replies(&team.brand, &thread).await;
    assert_eq!(posted.len(), 1, "posted exactly once: {posted:?}");
    let words = text.split(" — ").next().unwrap();
    assert!(posted[0].contains(words), "{posted:?} is {text:?}");
    if winner.name == "lea" {
        assert!(posted[0].contains("tracking link"), "the edit is posted");
    }

    // Every laptop: the reply no longer waits, and the log names the approver.
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!("{} has the approval by {winner_name}", laptop.name),
            || async {
                let id = laptop.conversation(&thread).await.unwrap();
                let thread_now = laptop.engine.get_thread(id).await.unwrap();
                approvals_on(laptop, &thread).await.is_empty()
                    && thread_now.history.iter().any(|e| {
                        e.kind == "reply_approved" && e.by.as_deref() == Some(winner_member)
                    })
            },
        )
        .await;
        let id = laptop.conversation(&thread).await.unwrap();
        let approvals = laptop
            .engine
            .get_thread(id)
            .await
            .unwrap()
            .history
            .iter()
            .filter(|e| e.kind == "reply_approved")
            .count();
        assert_eq!(approvals, 1, "{}: one approval logged", laptop.name);
    }
    assert_eq!(posted_replies(&team.brand, &thread).await.len(), 1);

    for laptop in team.laptops() {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_reply_is_never_posted_and_the_trainee_reads_why() {
    let team = team().await;
    let thread = team.question(1).await;
    let approval = team
        .trainee_writes(&thread, "lol we lost ur parcel, sorry")
        .await;

    let on_priya = team.priya.conversation(&thread).await.unwrap();
    let empty = team
        .priya
        .engine
        .reject_reply(on_priya, approval.clone(), "  ".into())
        .await
        .expect_err("a rejection says why");
    assert_eq!(empty.code, ErrorCode::InvalidInput);
    let reason = "Too casual, and we have not lost it: check the tracking first.";
    team.priya
        .engine
        .reject_reply(on_priya, approval.clone(), reason.into())
        .await
        .expect("Priya rejects it");

    // Lea's approval comes too late.
    let on_lea = team.lea.conversation(&thread).await.unwrap();
    let late = team
        .lea
        .engine
        .approve_reply(on_lea, approval.clone(), None, Vec::new())
        .await
        .expect_err("rejected first");
    assert_eq!(late.code, ErrorCode::NotAllowed);
    assert_eq!(late.message, "Priya already rejected this reply.");

    // Tina sees it rejected, with the reason.
    eventually(
        Duration::from_secs(10),
        "Tina sees the rejection",
        || async {
            approvals_on(&team.tina, &thread).await.iter().any(|r| {
                r.approval.as_deref() == Some(approval.as_str())
                    && r.state == ReplyState::Rejected
                    && r.error.as_deref() == Some(reason)
            })
        },
    )
    .await;
    // And it never went out: no laptop queued it, the platform has nothing.
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!("{} has the rejection", laptop.name),
            || async {
                approvals_on(laptop, &thread)
                    .await
                    .iter()
                    .any(|r| r.state == ReplyState::Rejected)
            },
        )
        .await;
        let id = laptop.conversation(&thread).await.unwrap();
        let history = laptop.engine.get_thread(id).await.unwrap().history;
        assert!(
            !history
                .iter()
                .any(|e| e.kind == "reply_queued" || e.kind == "reply_approved"),
            "{}: {history:?}",
            laptop.name
        );
    }
    assert!(posted_replies(&team.brand, &thread).await.is_empty());

    for laptop in team.laptops() {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_team_database_a_lead_cannot_decide_and_nothing_changes() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let gate = TcpGate::start(testing::cluster().port);
    let tina_code = db.member_with(team, &member("Tina", false, true)).await;
    let lea_code = db.member_with(team, &member("Lea", true, false)).await;
    let tina = Laptop::open("tina", &tina_code, None).await;
    let lea_through_gate = JoinCode {
        url: gate.url_for(&lea_code.url),
        ..lea_code.clone()
    };
    let lea = Laptop::open("lea", &lea_through_gate, None).await;
    let (thread, on_tina, _) = mention_on_both(&db, team, &tina, &lea).await;
    let written = tina
        .engine
        .send_reply_checked(on_tina, "We are on it.".into(), None, None, false)
        .await
        .unwrap();
    let approval = written.outgoing[0]
        .approval
        .clone()
        .expect("awaiting approval");
    eventually(Duration::from_secs(10), "Lea sees it waiting", || async {
        !approvals_on(&lea, &thread).await.is_empty()
    })
    .await;
    let on_lea = lea.conversation(&thread).await.unwrap();
    // Lea's laptop knows she leads (it read the members while online).
    let unknown = lea
        .engine
        .approve_reply(on_lea, uuid::Uuid::now_v7().to_string(), None, Vec::new())
        .await
        .expect_err("no such reply");
    assert_eq!(unknown.code, ErrorCode::NotFound);

    gate.cut();
    let offline = lea
        .engine
        .approve_reply(on_lea, approval.clone(), None, Vec::new())
        .await
        .expect_err("only the team database settles it");
    assert_eq!(offline.code, ErrorCode::Platform);
    assert!(
        offline.message.contains("cannot be reached") && offline.message.contains("Nothing"),
        "{}",
        offline.message
    );
    let thread_now = lea.engine.get_thread(on_lea).await.unwrap();
    assert!(
        !thread_now
            .history
            .iter()
            .any(|e| e.kind == "reply_approved" || e.kind == "reply_queued"),
        "nothing changed: {:?}",
        thread_now.history
    );
    assert_eq!(
        approvals_on(&lea, &thread).await[0].state,
        ReplyState::AwaitingApproval
    );

    gate.restore();
    lea.engine
        .approve_reply(on_lea, approval.clone(), None, Vec::new())
        .await
        .expect("online again, Lea approves");
    eventually(Duration::from_secs(10), "Tina sees it approved", || async {
        approvals_on(&tina, &thread).await.is_empty()
    })
    .await;
    for laptop in [&tina, &lea] {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_stopped_between_deciding_and_queueing_posts_the_approved_reply_when_back() {
    let mut team = team().await;
    let thread = team.question(1).await;
    let approval = team
        .trainee_writes(&thread, "Hello! Your parcel is on its way.")
        .await;

    // Lea's laptop decides in the team database and stops before it logs and queues the
    // reply (as a crash there would leave it).
    team.lea.engine.shutdown().await;
    let edited = "Hello! Your parcel is on its way; it arrives on Friday.";
    let lea_db = switchboard_team::TeamClient::join(&team.codes[1], "lea-before-the-crash")
        .await
        .expect("Lea connects");
    assert_eq!(
        lea_db.decide(&approval, Some(edited)).await.unwrap(),
        switchboard_team::Decided::Decided
    );
    lea_db.pool().close().await;

    // Priya is told it is decided; nothing is posted yet.
    let on_priya = team.priya.conversation(&thread).await.unwrap();
    let late = team
        .priya
        .engine
        .approve_reply(on_priya, approval.clone(), None, Vec::new())
        .await
        .expect_err("Lea decided first");
    assert_eq!(late.message, "Lea already approved this reply.");
    assert!(posted_replies(&team.brand, &thread).await.is_empty());

    // Lea's laptop runs again: the approved reply goes, once, as she approved it.
    let hooks = quiet_hooks(None);
    team.lea.engine = open_engine(
        "lea",
        team.lea.data.path(),
        Arc::clone(&team.lea.vault),
        hooks,
    )
    .await;
    eventually(
        Duration::from_secs(20),
        "the approved reply is on the platform",
        || async { !posted_replies(&team.brand, &thread).await.is_empty() },
    )
    .await;
    let lea_member = team.codes[1].member.clone();
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!("{} has Lea's approval", laptop.name),
            || async {
                let id = laptop.conversation(&thread).await.unwrap();
                let now = laptop.engine.get_thread(id).await.unwrap();
                approvals_on(laptop, &thread).await.is_empty()
                    && now
                        .history
                        .iter()
                        .any(|e| e.kind == "reply_approved" && e.by.as_deref() == Some(&lea_member))
            },
        )
        .await;
    }
    let posted = posted_replies(&team.brand, &thread).await;
    assert_eq!(posted.len(), 1, "posted exactly once: {posted:?}");
    assert!(posted[0].contains("arrives on Friday"), "{posted:?}");

    for laptop in team.laptops() {
        laptop.engine.shutdown().await;
    }
}
