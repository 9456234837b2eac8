//! A Bluesky brand account through the engine, on a real local Bluesky network
//! (`@atproto/dev-env`): signed in with an app password under the allowlist, a customer's
//! mention lands in the right queue, an answer written directly on the PDS answers it, a
//! reply from Switchboard appears in the thread on the PDS, and a restart resumes from the
//! stored cursors without duplicates.

mod bluesky_brand;
mod common;
#[path = "../../bluesky/tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use bluesky_brand::{indexed, open};
use support::actors::{xrpc_get, Actor};
use switchboard_core::{QueueId, SignInOutcome};
use switchboard_engine::Engine;

async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    common::wait_until(Duration::from_secs(60), what, check).await
}

async fn support_conversations(engine: &Engine) -> Vec<switchboard_core::ConversationSummary> {
    engine
        .list_conversations(QueueId("support".into()))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bluesky_brand_account_syncs_answers_and_replies_through_the_engine() {
    let brand = Actor::create("eb").await;
    let customer = Actor::create("ec").await;
    let data = tempfile::tempdir().unwrap();
    let namespace = format!("app.switchboard.test.bsky.{}", std::process::id());
    let (console, workspace, outcome) = bluesky_brand::with_brand(&data, &namespace, &brand).await;
    let engine = console.engine().await.unwrap();
    let SignInOutcome::Added { account } = outcome else {
        panic!("the brand account is on the allowlist: {outcome:?}");
    };
    assert_eq!(account.key, format!("bluesky:{}", brand.did));

    // A customer mentions the brand: the conversation appears in Support ("help").
    let mention = customer.post("Order broken ", Some(&brand), None).await;
    indexed().await;
    wait_until("the mention in Support", || {
        let engine = Arc::clone(&engine);
        async move {
            support_conversations(&engine)
                .await
                .iter()
                .any(|c| c.waiting_since.is_some())
        }
    })
    .await;
    let conversation = support_conversations(&engine).await.remove(0);

    // The brand answers directly on the PDS: the conversation becomes answered.
    let answer = brand
        .post(
            "We're on it (sent from the Bluesky app)",
            None,
            Some((&mention, &mention)),
        )
        .await;
    indexed().await;
    wait_until("answered elsewhere", || {
        let engine = Arc::clone(&engine);
        async move {
            engine
                .get_thread(conversation.id)
                .await
                .unwrap()
                .conversation
                .waiting_since
                .is_none()
        }
    })
    .await;

    // The customer answers the brand; a reply from Switchboard appears in the thread on
    // the PDS.
    customer
        .post("Still broken, please help", None, Some((&mention, &answer)))
        .await;
    indexed().await;
    wait_until("the follow-up", || {
        let engine = Arc::clone(&engine);
        async move {
            engine
                .get_thread(conversation.id)
                .await
                .unwrap()
                .conversation
                .waiting_since
                .is_some()
        }
    })
    .await;
    engine
        .send_reply(conversation.id, "A replacement ships today.".into())
        .await
        .unwrap();
    wait_until("the reply sent", || {
        let engine = Arc::clone(&engine);
        async move {
            let thread = engine.get_thread(conversation.id).await.unwrap();
            thread.outgoing.is_empty() && thread.conversation.waiting_since.is_none()
        }
    })
    .await;
    indexed().await;
    let thread = xrpc_get(
        &brand.pds,
        "app.bsky.feed.getPostThread",
        &customer.access_jwt,
        &[("uri", mention.uri.as_str()), ("depth", "10")],
    )
    .await;
    assert!(
        thread.to_string().contains("A replacement ships today."),
        "the reply is in the thread on the PDS: {thread}"
    );
    let items_before = engine
        .get_thread(conversation.id)
        .await
        .unwrap()
        .items
        .len();

    // A restart resumes from the stored cursors: nothing twice.
    drop(engine);
    console.shutdown().await;
    drop(console);
    let console = open(&data, &namespace).await;
    let engine = console.engine().await.unwrap();
    assert_eq!(engine.workspace_info().id, workspace.id);
    wait_until("a pull after the restart", || {
        let engine = Arc::clone(&engine);
        async move { engine.list_accounts().await[0].sync.last_pull_at.is_some() }
    })
    .await;
    let thread = engine.get_thread(conversation.id).await.unwrap();
    assert_eq!(
        thread.items.len(),
        items_before,
        "no duplicates after the restart"
    );
    assert_eq!(support_conversations(&engine).await.len(), 1);

    console.remove_workspace(&workspace.id).await.unwrap();
    console.shutdown().await;
}
