//! Saved replies through the team: one made on Ana's laptop appears on Bob's, Bob's
//! archiving it reaches Ana's (kept, marked archived), and filling it on Bob's laptop
//! signs with Bob's name from the team membership.

use std::time::Duration;

use switchboard_core::{PlaceholderAnswer, QueueId, SavedReplyDraft};
use switchboard_team::admin::NewMember;
use switchboard_team::testing;

use crate::laptops::{eventually, mention_on_both, Laptop};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_reply_made_on_one_laptop_appears_on_the_other() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let named = |name: &str| NewMember {
        name: name.into(),
        email: format!(
            "{}@example.com",
            name.split(' ').next().unwrap().to_lowercase()
        ),
        queues: vec!["support".into()],
        lead: false,
        trainee: false,
    };
    let ana_code = db.member_with(team, &named("Ana Pereira")).await;
    let bob_code = db.member_with(team, &named("Bob Lee")).await;
    let ana = Laptop::open("ana", &ana_code, None).await;
    let bob = Laptop::open("bob", &bob_code, None).await;

    let made = ana
        .engine
        .save_saved_reply(SavedReplyDraft {
            id: None,
            title: "Order delayed — apology".into(),
            text: "Hi {customer}, order {{order number}} is late, sorry! — {me.first_name}".into(),
            category: "Orders".into(),
            queues: vec![QueueId("support".into())],
            platforms: Vec::new(),
        })
        .await
        .unwrap();
    eventually(
        Duration::from_secs(10),
        "Ana's saved reply reaches Bob",
        || async {
            bob.engine
                .list_saved_replies()
                .await
                .unwrap()
                .iter()
                .any(|r| r.id == made.id && r.title == made.title && !r.archived)
        },
    )
    .await;

    // Bob fills it in a conversation both have: signed with his name.
    let (_, _, on_bob) = mention_on_both(&db, team, &ana, &bob).await;
    let filled = bob
        .engine
        .fill_saved_reply(
            on_bob,
            &made.id,
            vec![PlaceholderAnswer {
                name: "order number".into(),
                value: "A-7".into(),
            }],
        )
        .await
        .unwrap();
    assert!(filled.missing.is_empty());
    assert!(
        filled.text.ends_with("order A-7 is late, sorry! — Bob"),
        "{}",
        filled.text
    );

    // Bob archives it; Ana sees it archived — kept, not gone.
    bob.engine
        .archive_saved_reply(&made.id, true)
        .await
        .unwrap();
    eventually(
        Duration::from_secs(10),
        "Bob's archiving reaches Ana",
        || async {
            ana.engine
                .list_saved_replies()
                .await
                .unwrap()
                .iter()
                .any(|r| r.id == made.id && r.archived)
        },
    )
    .await;
    eventually(
        Duration::from_secs(10),
        "both laptops show the same saved replies, Bob's name on the change",
        || async {
            let on_ana = ana.engine.list_saved_replies().await.unwrap();
            let on_bob = bob.engine.list_saved_replies().await.unwrap();
            on_ana == on_bob && on_ana[0].updated_by == "Bob Lee"
        },
    )
    .await;

    for laptop in [&ana, &bob] {
        laptop.engine.shutdown().await;
    }
}
