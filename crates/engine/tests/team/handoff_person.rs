//! Hand-off to a person: Ana hands a Support conversation to Sales "for Priya". Priya
//! (who works Support only) is notified on her laptop — "Ana handed you a conversation
//! (Sales)", with the note — and Bob (Support too) is not; both see the note naming
//! Priya. A hand-off to Support then tells Bob, whose queue it is. A person who is not
//! in the team is refused in plain words, and nothing moves.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use switchboard_core::{AlertAction, ErrorCode, QueueId};
use switchboard_engine::AlertSink;
use switchboard_team::admin::NewMember;
use switchboard_team::testing;

use crate::laptops::{eventually, Feeder, Laptop};

/// The notifications shown, as (title, body).
#[derive(Default)]
struct Shown(Mutex<Vec<(String, String)>>);

impl AlertSink for Shown {
    fn deliver(&self, actions: Vec<AlertAction>) {
        let mut shown = self.0.lock().unwrap();
        for action in actions {
            if let AlertAction::Show(n) = action {
                shown.push((n.title, n.body));
            }
        }
    }
}

impl Shown {
    fn with_body(&self, body: &str) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, b)| b == body)
            .map(|(title, _)| title.clone())
            .collect()
    }
}

fn support(name: &str) -> NewMember {
    NewMember {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        queues: vec!["support".into()],
        lead: false,
        trainee: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_off_to_a_person_notifies_that_person_on_their_laptop() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = db.member_with(team, &support("Ana")).await;
    let priya_code = db.member_with(team, &support("Priya")).await;
    let bob_code = db.member_with(team, &support("Bob")).await;
    let on_priya_shown = Arc::new(Shown::default());
    let on_bob_shown = Arc::new(Shown::default());
    let ana = Laptop::open("ana", &ana_code, None).await;
    let priya = Laptop::open(
        "priya",
        &priya_code,
        Some(on_priya_shown.clone() as Arc<dyn AlertSink>),
    )
    .await;
    let bob = Laptop::open(
        "bob",
        &bob_code,
        Some(on_bob_shown.clone() as Arc<dyn AlertSink>),
    )
    .await;
    let mut feeder = Feeder::start(&db.member(team, "poller").await).await;
    let thread = feeder.mention("support").await;
    eventually(
        Duration::from_secs(10),
        "the mention reaches everyone",
        || async {
            ana.conversation(&thread).await.is_some()
                && priya.conversation(&thread).await.is_some()
                && bob.conversation(&thread).await.is_some()
        },
    )
    .await;
    let on_ana = ana.conversation(&thread).await.unwrap();

    // Someone who is not in the team: refused, nothing moves.
    let refused = ana
        .engine
        .hand_off_to(
            on_ana,
            QueueId("sales".into()),
            "Wholesale order".into(),
            Some("sb_nobody_00000000".into()),
        )
        .await
        .expect_err("not a member");
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(
        refused.message.contains("not a member of the team"),
        "{}",
        refused.message
    );
    assert_eq!(
        ana.engine
            .get_thread(on_ana)
            .await
            .unwrap()
            .conversation
            .queue,
        QueueId("support".into())
    );

    let note = "Wholesale order, 40 kg a month: Priya knows the prices";
    let handed = ana
        .engine
        .hand_off_to(
            on_ana,
            QueueId("sales".into()),
            note.into(),
            Some(priya_code.member.clone()),
        )
        .await
        .expect("handed to Priya");
    let handoff = handed.conversation.handoff_note.expect("a hand-off note");
    assert_eq!(
        handoff.to_member.as_deref(),
        Some(priya_code.member.as_str())
    );

    eventually(
        Duration::from_secs(10),
        "Priya is notified on her laptop",
        || async { !on_priya_shown.with_body(note).is_empty() },
    )
    .await;
    assert_eq!(
        on_priya_shown.with_body(note),
        vec!["Ana handed you a conversation (Sales)".to_owned()]
    );
    for laptop in [&priya, &bob] {
        let id = laptop.conversation(&thread).await.unwrap();
        // Priya's notification says her laptop has it; Bob's may pull it a moment later.
        eventually(
            Duration::from_secs(10),
            &format!("{} has the hand-off", laptop.name),
            || async {
                let thread = laptop.engine.get_thread(id).await.unwrap();
                thread.conversation.queue == QueueId("sales".into())
            },
        )
        .await;
        let summary = laptop.engine.get_thread(id).await.unwrap().conversation;
        assert_eq!(summary.queue, QueueId("sales".into()), "{}", laptop.name);
        let handoff = summary.handoff_note.expect("the note");
        assert_eq!(handoff.text, note);
        assert_eq!(
            handoff.to_member.as_deref(),
            Some(priya_code.member.as_str())
        );
    }

    // Then Priya hands it back to Support for anyone: Bob, whose queue it is, is told —
    // after the first hand-off, which Bob's laptop folded in first and did not show.
    let on_priya = priya.conversation(&thread).await.unwrap();
    let back = "Prices sent; the delivery question is yours";
    priya
        .engine
        .hand_off_to(on_priya, QueueId("support".into()), back.into(), None)
        .await
        .expect("handed back to the queue");
    eventually(
        Duration::from_secs(10),
        "Bob is notified of the hand-off to his queue",
        || async { !on_bob_shown.with_body(back).is_empty() },
    )
    .await;
    assert_eq!(
        on_bob_shown.with_body(back),
        vec!["Priya handed a conversation to Support".to_owned()]
    );
    assert!(
        on_bob_shown.with_body(note).is_empty(),
        "Bob was not told of the hand-off to Priya: {:?}",
        on_bob_shown.0.lock().unwrap()
    );

    for laptop in [&ana, &priya, &bob] {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test]
async fn outside_a_team_a_hand_off_names_no_person() {
    let data = tempfile::tempdir().unwrap();
    let config = switchboard_engine::EngineConfig {
        data_dir: data.path().to_path_buf(),
        demo_seed: 1,
        demo_speed: 0.0,
        me: "maya".into(),
        keychain_namespace: format!("app.switchboard.test.handoff.{}", std::process::id()),
        poll_interval: None,
    };
    let engine = switchboard_engine::Engine::start(
        config,
        Arc::new(switchboard_engine::SystemClock),
        Arc::new(|_: &switchboard_engine::Change| {}),
        None,
    )
    .await
    .unwrap();
    // A conversation of the demo's backlog.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let id = 'found: loop {
        assert!(std::time::Instant::now() < deadline, "no demo backlog");
        for queue in ["support", "sales", "triage"] {
            let rows = engine
                .list_conversations(QueueId(queue.into()))
                .await
                .unwrap_or_default();
            if let Some(row) = rows.first() {
                break 'found row.id;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let refused = engine
        .hand_off_to(
            id,
            QueueId("sales".into()),
            "For Priya".into(),
            Some("priya".into()),
        )
        .await
        .expect_err("no team here");
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    // The window's "anyone in the queue" (an empty choice) is no person.
    engine
        .hand_off_to(
            id,
            QueueId("sales".into()),
            "For sales".into(),
            Some(String::new()),
        )
        .await
        .expect("to the queue");
    engine.shutdown().await;
}
