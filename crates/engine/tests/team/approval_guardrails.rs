//! The guardrails on a lead's approval of a trainee's reply (the team of `approval`:
//! Tina, a trainee, and the leads Lea and Priya, on a real `mastodon_mock` brand account).
//! - Tina confirms a phone-number warning; Lea approves it as written without being asked
//!   again: the queued reply's log entry carries Tina's confirmation, on every laptop.
//! - Lea edits a new finding into Tina's reply (keeping Tina's phone number): the approval
//!   is refused with `guardrail` naming only the new finding, until Lea confirms it; the
//!   queued reply then logs both — Lea's and Tina's.
//! - A rule the team's policy blocks refuses the approval whatever is confirmed, and
//!   nothing is decided: the reply still waits and can be approved as Tina wrote it.

use std::time::Duration;

use switchboard_core::{ErrorCode, GuardrailAction, ReplyState};

use super::approval::{approvals_on, posted_replies, team, Team};
use crate::laptops::{eventually, Laptop};

const PHONE: &str = "Sorry for the wait! Our desk is on +44 20 7946 0958 until six.";

/// Tina writes `text` to `thread` through the guardrails, confirming `confirmed`; returns
/// the approval id once every laptop shows it waiting.
async fn trainee_writes_guarded(
    team: &Team,
    thread: &str,
    text: &str,
    confirmed: &[&str],
) -> String {
    let id = team.tina.conversation(thread).await.unwrap();
    let key = Some(uuid::Uuid::now_v7().to_string());
    let written = team
        .tina
        .engine
        .send_reply_guarded(
            id,
            text.into(),
            key,
            None,
            false,
            confirmed.iter().map(|r| (*r).to_owned()).collect(),
        )
        .await
        .expect("Tina's confirmed reply is taken");
    let approval = written
        .outgoing
        .iter()
        .find(|r| r.state == ReplyState::AwaitingApproval)
        .and_then(|r| r.approval.clone())
        .expect("awaiting approval");
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!("{} shows Tina's reply awaiting approval", laptop.name),
            || async {
                approvals_on(laptop, thread)
                    .await
                    .iter()
                    .any(|r| r.approval.as_deref() == Some(approval.as_str()))
            },
        )
        .await;
    }
    approval
}

/// The detail of the `reply_queued` entries in `thread`'s history on `laptop`.
async fn queued_entries(laptop: &Laptop, thread: &str) -> Vec<(Option<String>, String)> {
    let id = laptop.conversation(thread).await.unwrap();
    laptop
        .engine
        .get_thread(id)
        .await
        .unwrap()
        .history
        .into_iter()
        .filter(|e| e.kind == "reply_queued")
        .map(|e| (e.by, e.detail))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trainees_confirmations_go_with_the_approved_reply_and_a_leads_edit_is_checked() {
    let team = team().await;
    let lea = &team.codes[1].member;

    // Tina confirms the phone-number warning; Lea approves as written, asked nothing.
    let thread = team.question(1).await;
    let on_tina = team.tina.conversation(&thread).await.unwrap();
    let unconfirmed = team
        .tina
        .engine
        .send_reply_guarded(on_tina, PHONE.into(), None, None, false, vec![])
        .await
        .expect_err("the trainee is asked too");
    assert_eq!(unconfirmed.code, ErrorCode::Guardrail);
    let approval = trainee_writes_guarded(&team, &thread, PHONE, &["phone_number"]).await;
    let on_lea = team.lea.conversation(&thread).await.unwrap();
    team.lea
        .engine
        .approve_reply(on_lea, approval, None, vec![])
        .await
        .expect("Tina confirmed the phone number for these very words");
    let expected =
        format!("Reply written (the trainee confirmed guardrail warnings: phone_number): {PHONE}");
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!(
                "{} logs Tina's confirmation with the queued reply",
                laptop.name
            ),
            || async {
                queued_entries(laptop, &thread)
                    .await
                    .contains(&(Some(lea.clone()), expected.clone()))
            },
        )
        .await;
    }
    eventually(Duration::from_secs(20), "the reply is posted", || async {
        posted_replies(&team.brand, &thread).await.len() == 1
    })
    .await;

    // Lea edits in an invitation to text her: asked about that (not the phone number).
    let thread = team.question(2).await;
    let approval = trainee_writes_guarded(&team, &thread, PHONE, &["phone_number"]).await;
    let on_lea = team.lea.conversation(&thread).await.unwrap();
    let edited = format!("{PHONE} Or text me.");
    let refused = team
        .lea
        .engine
        .approve_reply(on_lea, approval.clone(), Some(edited.clone()), vec![])
        .await
        .expect_err("the edit's new finding is the lead's to confirm");
    assert_eq!(refused.code, ErrorCode::Guardrail);
    assert_eq!(
        refused.message,
        "This reply invites the customer to a messaging app (“text me”). Send it anyway?"
    );
    assert!(
        approvals_on(&team.lea, &thread)
            .await
            .iter()
            .all(|r| r.state == ReplyState::AwaitingApproval),
        "nothing decided"
    );
    // Confirming another rule is not enough.
    let still = team
        .lea
        .engine
        .approve_reply(
            on_lea,
            approval.clone(),
            Some(edited.clone()),
            vec!["phone_number".into()],
        )
        .await
        .expect_err("messaging_app is not confirmed");
    assert_eq!(still.code, ErrorCode::Guardrail);
    team.lea
        .engine
        .approve_reply(
            on_lea,
            approval,
            Some(edited.clone()),
            vec!["messaging_app".into()],
        )
        .await
        .expect("confirmed by the lead");
    let expected = format!(
        "Reply written (guardrail warnings confirmed: messaging_app; the trainee confirmed \
         guardrail warnings: phone_number): {edited}"
    );
    for laptop in team.laptops() {
        eventually(
            Duration::from_secs(10),
            &format!("{} logs both confirmations", laptop.name),
            || async {
                queued_entries(laptop, &thread)
                    .await
                    .contains(&(Some(lea.clone()), expected.clone()))
            },
        )
        .await;
    }

    for laptop in team.laptops() {
        laptop.engine.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_rule_refuses_the_approval_and_nothing_is_decided() {
    let team = team().await;
    // Lea's policy blocks links to personal chats (published to the team).
    let path = std::path::PathBuf::from(team.lea.engine.workspace_info().policy_path);
    let mut policy = std::fs::read_to_string(&path).unwrap();
    policy.push_str("\n[guardrails]\nblock = [\"messaging_link\"]\n");
    std::fs::write(&path, policy).unwrap();
    let thread = team.question(1).await;
    let on_lea = team.lea.conversation(&thread).await.unwrap();
    let link = "Chat with us at wa.me/442079460958";
    eventually(
        Duration::from_secs(15),
        "the blocking policy is in force on Lea's laptop",
        || async {
            team.lea
                .engine
                .check_reply(on_lea, link)
                .await
                .unwrap()
                .iter()
                .any(|f| f.rule == "messaging_link" && f.action == GuardrailAction::Block)
        },
    )
    .await;

    let written = "Thanks for your patience, we are looking into it.";
    let approval = trainee_writes_guarded(&team, &thread, written, &[]).await;
    let refused = team
        .lea
        .engine
        .approve_reply(
            on_lea,
            approval.clone(),
            Some(format!("{written} {link}")),
            vec!["messaging_link".into()],
        )
        .await
        .expect_err("blocked whatever is confirmed");
    assert_eq!(refused.code, ErrorCode::Guardrail);
    assert!(
        refused.message.contains("does not allow"),
        "{}",
        refused.message
    );
    assert!(queued_entries(&team.lea, &thread).await.is_empty());
    // Nothing was decided: Priya approves it as Tina wrote it.
    let on_priya = team.priya.conversation(&thread).await.unwrap();
    team.priya
        .engine
        .approve_reply(on_priya, approval, None, vec![])
        .await
        .expect("still undecided");
    eventually(
        Duration::from_secs(20),
        "Tina's words are posted",
        || async {
            posted_replies(&team.brand, &thread)
                .await
                .iter()
                .any(|p| p.contains("Thanks for your patience"))
        },
    )
    .await;

    for laptop in team.laptops() {
        laptop.engine.shutdown().await;
    }
}
