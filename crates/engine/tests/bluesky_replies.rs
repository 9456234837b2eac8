//! Bluesky's real reply limit through the engine, on a real local Bluesky network
//! (`@atproto/dev-env`): 300 graphemes, counted as people see them (a thumbs-up with a
//! skin tone is two characters and one grapheme). One more is refused in plain words
//! before anything is queued; exactly 300 is queued, and Bluesky takes it.

mod bluesky_brand;
mod common;
#[path = "../../bluesky/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use bluesky_brand::indexed;
use support::actors::Actor;
use switchboard_core::{ErrorCode, SignInOutcome};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bluesky_reply_over_300_graphemes_is_refused_before_it_is_queued() {
    let brand = Actor::create("lb").await;
    let customer = Actor::create("lc").await;
    let data = tempfile::tempdir().unwrap();
    let namespace = format!("app.switchboard.test.bsky-limit.{}", std::process::id());
    let (console, _, outcome) = bluesky_brand::with_brand(&data, &namespace, &brand).await;
    let engine = console.engine().await.unwrap();
    assert!(
        matches!(outcome, SignInOutcome::Added { .. }),
        "{outcome:?}"
    );

    customer
        .post("How long can an answer be? ", Some(&brand), None)
        .await;
    indexed().await;
    let id = common::find_conversation(&engine, Duration::from_secs(60), |_| true)
        .await
        .expect("the mention in a queue within a minute");

    let thumbs = "👍🏽";
    let refused = engine.send_reply(id, thumbs.repeat(301)).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    assert!(
        refused.message.contains("301 characters")
            && refused.message.contains("at most 300")
            && refused.message.contains("Bluesky"),
        "{}",
        refused.message
    );
    let thread = engine.get_thread(id).await.unwrap();
    assert!(thread.outgoing.is_empty(), "nothing queued");
    assert!(thread.history.iter().all(|h| h.kind != "reply_queued"));

    engine.send_reply(id, thumbs.repeat(300)).await.unwrap();
    common::wait_until(
        Duration::from_secs(60),
        "the 300-grapheme reply sent",
        || {
            let engine = Arc::clone(&engine);
            async move {
                let thread = engine.get_thread(id).await.unwrap();
                thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none()
            }
        },
    )
    .await;
    console.shutdown().await;
}
