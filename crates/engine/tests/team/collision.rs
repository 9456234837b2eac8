//! Collision checks at send time: a teammate's reply since the person opened the
//! conversation refuses the send with the teammate's name and words, until it is sent
//! anyway (logged, on every laptop); someone else's live claim needs "send anyway" even
//! without a version; a resend of a reply already queued is never refused; a trainee
//! sending anyway has what they were told kept with the reply awaiting approval.

use std::time::Duration;

use switchboard_core::{ErrorCode, Thread};
use switchboard_team::admin::NewMember;
use switchboard_team::testing;

use crate::laptops::{eventually, mention_on_both, Laptop};

fn person(name: &str) -> NewMember {
    NewMember {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
        queues: vec!["support".into()],
        lead: false,
        trainee: false,
    }
}

fn key() -> Option<String> {
    Some(uuid::Uuid::now_v7().to_string())
}

/// Whether `thread`'s history has an event of `kind` by `by` whose words contain `text`.
fn logged(thread: &Thread, kind: &str, by: &str, text: &str) -> bool {
    thread.history.iter().any(|entry| {
        entry.kind == kind && entry.by.as_deref() == Some(by) && entry.detail.contains(text)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teammates_reply_since_opening_is_pointed_out_and_sending_anyway_is_logged() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = db.member_with(team, &person("Ana")).await;
    let bob_code = db.member_with(team, &person("Bob")).await;
    let ana = Laptop::open("ana", &ana_code, None).await;
    let bob = Laptop::open("bob", &bob_code, None).await;
    let (_, on_ana, on_bob) = mention_on_both(&db, team, &ana, &bob).await;

    // Both open the conversation; Ana replies first.
    let ana_seen = ana.engine.get_thread(on_ana).await.unwrap().version;
    let bob_seen = bob.engine.get_thread(on_bob).await.unwrap().version;
    ana.engine
        .send_reply_checked(
            on_ana,
            "Thanks, we're on it — your parcel left today.".into(),
            key(),
            Some(ana_seen),
            false,
        )
        .await
        .expect("nothing happened since Ana opened it");
    eventually(
        Duration::from_secs(10),
        "Ana's reply reaches Bob",
        || async {
            let thread = bob.engine.get_thread(on_bob).await.unwrap();
            logged(&thread, "reply_queued", &ana_code.member, "parcel")
        },
    )
    .await;

    // Bob's reply, written before he saw Ana's, is held back with her name and words.
    let bob_key = key();
    let refused = bob
        .engine
        .send_reply_checked(
            on_bob,
            "Hello! Let me check.".into(),
            bob_key.clone(),
            Some(bob_seen),
            false,
        )
        .await
        .expect_err("Ana replied after Bob opened it");
    assert_eq!(refused.code, ErrorCode::Collision, "{refused:?}");
    assert!(
        refused.message.starts_with("Ana replied")
            && refused.message.contains("after you opened this")
            && refused.message.contains("Thanks, we're on it")
            && refused.message.ends_with("Send yours anyway?"),
        "{}",
        refused.message
    );
    let thread = bob.engine.get_thread(on_bob).await.unwrap();
    assert!(
        !logged(&thread, "reply_queued", &bob_code.member, ""),
        "nothing was queued"
    );

    // Sent anyway (same key): queued, and the log keeps what Bob was told.
    let sent = bob
        .engine
        .send_reply_checked(
            on_bob,
            "Hello! Let me check.".into(),
            bob_key.clone(),
            Some(bob_seen),
            true,
        )
        .await
        .expect("sent anyway");
    assert!(
        logged(&sent, "reply_queued", &bob_code.member, "Ana replied")
            && logged(&sent, "reply_queued", &bob_code.member, "sent anyway"),
        "{:?}",
        sent.history
    );
    // The same reply sent again (a lost answer) stands as it is: no prompt, nothing new.
    let again = bob
        .engine
        .send_reply_checked(
            on_bob,
            "Hello! Let me check.".into(),
            bob_key,
            Some(bob_seen),
            false,
        )
        .await
        .expect("a resend is not a collision");
    let bob_replies = |t: &Thread| {
        t.history
            .iter()
            .filter(|e| e.kind == "reply_queued" && e.by.as_deref() == Some(&*bob_code.member))
            .count()
    };
    assert_eq!(bob_replies(&again), 1, "queued once");
    // Ana's laptop has the warning in its log too.
    eventually(
        Duration::from_secs(10),
        "Bob's sent-anyway reply reaches Ana with its warning",
        || async {
            let thread = ana.engine.get_thread(on_ana).await.unwrap();
            logged(&thread, "reply_queued", &bob_code.member, "sent anyway")
        },
    )
    .await;

    // Having seen everything, Bob is not asked again about Ana's reply — but Ana now
    // holds the conversation (her reply took it): that still needs "send anyway".
    let seen_now = bob.engine.get_thread(on_bob).await.unwrap().version;
    let held = bob
        .engine
        .send_reply_checked(
            on_bob,
            "One more thing.".into(),
            key(),
            Some(seen_now),
            false,
        )
        .await
        .expect_err("Ana holds it");
    assert_eq!(held.code, ErrorCode::Collision);
    assert!(
        held.message
            .starts_with("Ana is working on this conversation"),
        "{}",
        held.message
    );

    for laptop in [&ana, &bob] {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_live_claim_needs_send_anyway() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = db.member_with(team, &person("Ana")).await;
    let bob_code = db.member_with(team, &person("Bob")).await;
    let ana = Laptop::open("ana", &ana_code, None).await;
    let bob = Laptop::open("bob", &bob_code, None).await;
    let (thread, on_ana, on_bob) = mention_on_both(&db, team, &ana, &bob).await;

    ana.engine.claim(on_ana).await.expect("Ana claims it");
    eventually(Duration::from_secs(10), "Bob sees Ana's claim", || async {
        bob.holder(&thread).await.as_deref() == Some(ana_code.member.as_str())
    })
    .await;

    // No version at all (a window that sends none), or one that saw the claim: the live
    // claim is pointed out either way.
    let seen = bob.engine.get_thread(on_bob).await.unwrap().version;
    for seen_version in [None, Some(seen)] {
        let refused = bob
            .engine
            .send_reply_checked(on_bob, "I can help.".into(), key(), seen_version, false)
            .await
            .expect_err("Ana holds it");
        assert_eq!(refused.code, ErrorCode::Collision);
        assert!(
            refused
                .message
                .starts_with("Ana is working on this conversation (claimed")
                && refused.message.ends_with("Send anyway?"),
            "{}",
            refused.message
        );
    }
    let sent = bob
        .engine
        .send_reply_checked(on_bob, "I can help.".into(), key(), None, true)
        .await
        .expect("sent anyway");
    assert!(
        logged(
            &sent,
            "reply_queued",
            &bob_code.member,
            "Ana is working on this conversation"
        ),
        "{:?}",
        sent.history
    );

    // Ana's own reply under her claim is no collision (once she saw Bob's).
    eventually(
        Duration::from_secs(10),
        "Bob's reply reaches Ana",
        || async {
            let thread = ana.engine.get_thread(on_ana).await.unwrap();
            logged(&thread, "reply_queued", &bob_code.member, "")
        },
    )
    .await;
    let seen = ana.engine.get_thread(on_ana).await.unwrap().version;
    ana.engine
        .send_reply_checked(on_ana, "On it.".into(), key(), Some(seen), false)
        .await
        .expect("her own claim does not hold her back");

    for laptop in [&ana, &bob] {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainee_sending_anyway_has_the_warning_kept_with_the_reply_awaiting_approval() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let ana_code = db.member_with(team, &person("Ana")).await;
    let tina_code = db
        .member_with(
            team,
            &NewMember {
                trainee: true,
                ..person("Tina")
            },
        )
        .await;
    let ana = Laptop::open("ana", &ana_code, None).await;
    let tina = Laptop::open("tina", &tina_code, None).await;
    let (thread, on_ana, on_tina) = mention_on_both(&db, team, &ana, &tina).await;
    ana.engine.claim(on_ana).await.expect("Ana claims it");
    eventually(Duration::from_secs(10), "Tina sees Ana's claim", || async {
        tina.holder(&thread).await.as_deref() == Some(ana_code.member.as_str())
    })
    .await;

    let refused = tina
        .engine
        .send_reply_checked(on_tina, "Can I help?".into(), key(), None, false)
        .await
        .expect_err("Ana holds it");
    assert_eq!(refused.code, ErrorCode::Collision);
    let sent = tina
        .engine
        .send_reply_checked(on_tina, "Can I help?".into(), key(), None, true)
        .await
        .expect("sent anyway, to a lead");
    assert!(
        logged(
            &sent,
            "reply_awaiting_approval",
            &tina_code.member,
            "Ana is working on this conversation"
        ),
        "{:?}",
        sent.history
    );

    for laptop in [&ana, &tina] {
        laptop.engine.shutdown().await;
    }
}
