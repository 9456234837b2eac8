//! Guardrails in the engine, on the demo workspace (its policy lists the brand's domain
//! and makes `messaging_link` block): `check_reply` finds a phone number on its exact span
//! and an order number only in a public reply; a send with a warning is refused with
//! `guardrail` naming it, then goes when the rule is confirmed, and the override is in the
//! conversation's log; a resend under the same key is not refused; a blocked rule refuses
//! whatever is confirmed.

#[allow(dead_code)] // this file uses only some of the helpers
mod common;

use std::time::Duration;

use switchboard_core::{ErrorCode, GuardrailAction, GuardrailKind, ItemKind};

fn key() -> Option<String> {
    Some(uuid::Uuid::now_v7().to_string())
}

/// The text between UTF-16 offsets `start` and `end` of `text`.
fn span(text: &str, start: u32, end: u32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_are_confirmed_and_logged_blocks_always_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let console = common::open_quiet(common::backlog_config(&dir, 7, "guardrails")).await;
    let engine = console.engine().await.unwrap();
    let public = common::find_conversation(&engine, Duration::from_secs(20), |c| {
        c.waiting_since.is_some() && c.kind != ItemKind::DirectMessage
    })
    .await
    .expect("a public conversation waiting in the demo backlog");
    let private = common::find_conversation(&engine, Duration::from_secs(20), |c| {
        c.kind == ItemKind::DirectMessage
    })
    .await
    .expect("a direct message in the demo backlog");

    // As the person types.
    let text = "Sorry! Call me on +44 20 7946 0958 about order #NW-70506 🙂";
    let findings = engine.check_reply(public, text).await.unwrap();
    let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["phone_number", "order_number_public"],
        "{findings:?}"
    );
    assert_eq!(findings[0].kind, GuardrailKind::ContactLeak);
    assert_eq!(findings[0].action, GuardrailAction::Warn);
    assert_eq!(
        span(text, findings[0].start, findings[0].end),
        "+44 20 7946 0958"
    );
    assert_eq!(span(text, findings[1].start, findings[1].end), "#NW-70506");
    let in_private = engine.check_reply(private, text).await.unwrap();
    let rules: Vec<&str> = in_private.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["phone_number"],
        "a direct message may carry the order number"
    );
    // The brand's own address is not a leak.
    assert!(engine
        .check_reply(private, "Write to help@northwind.example any time.")
        .await
        .unwrap()
        .is_empty());

    // At send: refused until confirmed.
    let text = "Call me on +44 20 7946 0958, you should have checked first.";
    let reply_key = key();
    let refused = engine
        .send_reply_guarded(private, text.into(), reply_key.clone(), None, true, vec![])
        .await
        .expect_err("the warnings ask first");
    assert_eq!(refused.code, ErrorCode::Guardrail);
    assert_eq!(
        refused.message,
        "This reply has a phone number (“+44 20 7946 0958”) and sounds defensive (“you should have”). Send it anyway?"
    );
    let partly = engine
        .send_reply_guarded(
            private,
            text.into(),
            reply_key.clone(),
            None,
            true,
            vec!["phone_number".into()],
        )
        .await
        .expect_err("blame is not confirmed");
    assert!(
        partly.message.starts_with("This reply sounds defensive"),
        "{}",
        partly.message
    );
    let confirmed = vec!["phone_number".to_owned(), "blame".to_owned()];
    let thread = engine
        .send_reply_guarded(
            private,
            text.into(),
            reply_key.clone(),
            None,
            true,
            confirmed,
        )
        .await
        .expect("sent once confirmed");
    let queued: Vec<&str> = thread
        .history
        .iter()
        .filter(|h| h.kind == "reply_queued")
        .map(|h| h.detail.as_str())
        .collect();
    assert_eq!(queued.len(), 1, "{:?}", thread.history);
    assert!(
        queued[0].contains("guardrail warnings confirmed: phone_number, blame"),
        "{}",
        queued[0]
    );
    assert_eq!(
        thread
            .history
            .iter()
            .filter(|h| h.kind == "reply_queued")
            .count(),
        1
    );
    // A resend under the same key (a lost answer) stands, unconfirmed.
    let again = engine
        .send_reply_guarded(private, text.into(), reply_key, None, true, vec![])
        .await
        .expect("a resend of a queued reply is not refused");
    assert_eq!(
        again
            .history
            .iter()
            .filter(|h| h.kind == "reply_queued")
            .count(),
        1
    );

    // Blocked by the demo policy: confirming does not help.
    let blocked = engine
        .send_reply_guarded(
            public,
            "Chat with me: wa.me/447700900123".into(),
            key(),
            None,
            true,
            vec!["messaging_link".into(), "messaging_app".into()],
        )
        .await
        .expect_err("blocked");
    assert_eq!(blocked.code, ErrorCode::Guardrail);
    assert!(
        blocked
            .message
            .contains("the workspace policy does not allow sending it: it links to a messaging chat (“wa.me/447700900123”)"),
        "{}",
        blocked.message
    );
    let thread = engine.get_thread(public).await.unwrap();
    assert!(thread.history.iter().all(|h| h.kind != "reply_queued"));
    console.shutdown().await;
}
