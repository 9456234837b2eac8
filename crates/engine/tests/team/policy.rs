//! The team's policy: a lead's edit of the policy file is published as the next version
//! and every laptop puts it in force; anyone else's edit is refused — the file goes back
//! to the team's version, the edit is kept beside it, and the window says why.

use std::time::Duration;

use switchboard_core::QueueId;
use switchboard_team::testing;

use crate::laptops::{eventually, Laptop};

/// The policy file of `laptop` with a queue `id` added.
fn with_queue(laptop: &Laptop, id: &str) -> (std::path::PathBuf, String) {
    let path = std::path::PathBuf::from(laptop.engine.workspace_info().policy_path);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[[queue]]\nid = \"{id}\"\nlabel = \"{id}\"\ncolor = \"#336699\"\n"
    ));
    (path, text)
}

fn has_queue(laptop: &Laptop, id: &str) -> bool {
    laptop
        .engine
        .policy()
        .queues()
        .iter()
        .any(|q| q.id == QueueId(id.into()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leads_edit_reaches_every_laptop_and_a_members_edit_is_refused() {
    let db = testing::database().await;
    let team = db.team("Acme").await;
    let lead = Laptop::open("lena", &db.member_as(team, "lena", true).await, None).await;
    let member = Laptop::open("max", &db.member(team, "max").await, None).await;

    let (path, edited) = with_queue(&lead, "billing");
    std::fs::write(&path, edited).unwrap();
    eventually(
        Duration::from_secs(15),
        "the lead's queue is in force on the other laptop",
        || async { has_queue(&member, "billing") },
    )
    .await;
    // The lead's own laptop puts it in force right after publishing it (the other laptop,
    // woken by the database, may be first).
    eventually(Duration::from_secs(5), "and on the lead's own", || async {
        has_queue(&lead, "billing")
    })
    .await;
    let published: i32 = sqlx::query_scalar("SELECT max(version) FROM switchboard.policy")
        .fetch_one(db.admin.pool())
        .await
        .unwrap();
    assert_eq!(published, 1, "published as the team's first version");

    let (path, edited) = with_queue(&member, "secret_queue");
    std::fs::write(&path, &edited).unwrap();
    eventually(
        Duration::from_secs(15),
        "the member's edit is refused with a message",
        || async {
            member
                .engine
                .workspace_info()
                .policy_notice
                .is_some_and(|notice| notice.contains("only a lead"))
        },
    )
    .await;
    // The message stays while the policy watcher goes round again (every 2 s): putting
    // the file back is not taken for another edit that would clear it.
    let watched = std::time::Instant::now();
    while watched.elapsed() < Duration::from_secs(5) {
        assert!(
            member.engine.workspace_info().policy_notice.is_some(),
            "the refusal is still said after {:?}",
            watched.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !has_queue(&member, "secret_queue"),
        "the edit is not in force"
    );
    let kept = path.with_extension("toml.refused");
    assert_eq!(
        std::fs::read_to_string(&kept).unwrap(),
        edited,
        "the edit is kept beside the file"
    );
    eventually(
        Duration::from_secs(15),
        "the file is the team's version again",
        || async {
            std::fs::read_to_string(&path).is_ok_and(|text| !text.contains("secret_queue"))
        },
    )
    .await;
    let versions: i64 = sqlx::query_scalar("SELECT count(*) FROM switchboard.policy")
        .fetch_one(db.admin.pool())
        .await
        .unwrap();
    assert_eq!(versions, 1, "nothing was published for the member");
    assert!(!has_queue(&lead, "secret_queue"));
    lead.engine.shutdown().await;
    member.engine.shutdown().await;
}
