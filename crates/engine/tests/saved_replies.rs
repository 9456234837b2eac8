//! Saved replies in a workspace: the demo's seeded ones (made once), filling one for a
//! conversation (variables from the conversation and the person, placeholders asked),
//! the thread's reply limit, and creating, editing, archiving and restoring — with the
//! refusals in plain words; on a Mastodon brand account (a real `mastodon_mock`), the
//! thread's limit is the instance's and `{brand}` the account's display name (needs a
//! keychain: run under `dbus-run-session` with gnome-keyring unlocked).

mod brand_console;
#[allow(dead_code)] // this file uses some of the shared helpers
mod common;
mod keyless_proxy;
#[path = "../../mastodon/tests/support/mod.rs"]
mod support;

use std::time::Duration;

use switchboard_core::{
    ErrorCode, LimitUnit, PlaceholderAnswer, Platform, QueueId, ReplyLimit, SavedReplyDraft,
};

fn draft(title: &str, text: &str) -> SavedReplyDraft {
    SavedReplyDraft {
        id: None,
        title: title.into(),
        text: text.into(),
        category: "Orders".into(),
        queues: vec![QueueId("support".into())],
        platforms: vec![Platform::Mastodon],
    }
}

fn answer(name: &str, value: &str) -> PlaceholderAnswer {
    PlaceholderAnswer {
        name: name.into(),
        value: value.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_comes_with_saved_replies_made_once_and_fills_them_for_a_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let console = common::open_quiet(common::backlog_config(&dir, 7, "saved-demo")).await;
    let engine = console.engine().await.unwrap();

    let seeded = engine.list_saved_replies().await.unwrap();
    assert!(seeded.len() >= 5, "{seeded:?}");
    let delayed = seeded
        .iter()
        .find(|r| r.title == "Order delayed — apology")
        .expect("the order-delayed apology");
    assert_eq!(delayed.placeholders, vec!["order number", "new date"]);
    assert!(seeded.iter().any(|r| r.title.contains("(DE)")));
    assert!(seeded.iter().any(|r| r.title.contains("FR")));
    assert!(seeded.iter().all(|r| !r.archived));
    // Read again: not made twice.
    assert_eq!(
        engine.list_saved_replies().await.unwrap().len(),
        seeded.len()
    );

    // Fill it for a Bluesky conversation of the demo.
    let id = common::find_conversation(&engine, Duration::from_secs(30), |c| {
        c.platform == Platform::Bluesky
    })
    .await
    .expect("a Bluesky conversation in the demo");
    let thread = engine.get_thread(id).await.unwrap();
    assert_eq!(
        thread.reply_limit,
        Some(ReplyLimit {
            max: 300,
            unit: LimitUnit::Graphemes
        })
    );
    let customer = thread.conversation.customer.display_name.clone();
    let asked = engine
        .fill_saved_reply(id, &delayed.id, Vec::new())
        .await
        .unwrap();
    assert_eq!(asked.missing, vec!["order number", "new date"]);
    assert!(
        asked.text.starts_with(&format!("Hi {customer}, ")),
        "{}",
        asked.text
    );
    assert!(asked.text.contains("{{order number}}"));
    assert!(
        asked.text.ends_with("— maya, Northwind Coffee"),
        "{}",
        asked.text
    );
    let filled = engine
        .fill_saved_reply(
            id,
            &delayed.id,
            vec![
                answer("order number", "NW-1042"),
                answer("new date", "Monday"),
            ],
        )
        .await
        .unwrap();
    assert!(filled.missing.is_empty());
    assert!(filled.text.contains("order NW-1042 is late") && filled.text.contains("us Monday"));

    // Archived stays archived across a restart, and nothing is seeded again.
    engine.archive_saved_reply(&delayed.id, true).await.unwrap();
    console.shutdown().await;
    drop(engine);
    let console = common::open_quiet(common::backlog_config(&dir, 7, "saved-demo")).await;
    let engine = console.engine().await.unwrap();
    let again = engine.list_saved_replies().await.unwrap();
    assert_eq!(again.len(), seeded.len());
    assert!(again.iter().find(|r| r.id == delayed.id).unwrap().archived);
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_replies_are_created_edited_archived_and_restored_with_plain_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let console = common::open_quiet(common::backlog_config(&dir, 3, "saved-crud")).await;
    let shop = console.create_workspace("Shop").await.unwrap();
    console.switch_workspace(&shop.id).await.unwrap();
    let engine = console.engine().await.unwrap();
    assert!(
        engine.list_saved_replies().await.unwrap().is_empty(),
        "only the demo is seeded"
    );

    let refused = |title: &str, text: &str| draft(title, text);
    for (bad, words) in [
        (refused("", "Hi"), "title"),
        (refused("Hello", "   "), "text"),
        (
            refused("Hello", "Hi {custmer}"),
            "`{custmer}` is not a variable: did you mean {customer}?",
        ),
        (refused("Hello", "Order {{order number"), "never closed"),
        (
            SavedReplyDraft {
                queues: vec![QueueId("billing".into())],
                ..draft("Hello", "Hi")
            },
            "no queue `billing`",
        ),
    ] {
        let error = engine.save_saved_reply(bad).await.unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert!(error.message.contains(words), "{}", error.message);
    }
    assert!(engine.list_saved_replies().await.unwrap().is_empty());

    let made = engine
        .save_saved_reply(draft(
            "  Where is my order ",
            "Hi {customer}, {{order number}} ships soon. \\{not a variable\\}",
        ))
        .await
        .unwrap();
    assert_eq!(made.title, "Where is my order");
    assert_eq!(made.placeholders, vec!["order number"]);
    assert_eq!(made.updated_by, "maya");
    assert_eq!(made.queues, vec![QueueId("support".into())]);

    let edited = engine
        .save_saved_reply(SavedReplyDraft {
            id: Some(made.id.clone()),
            category: String::new(),
            queues: Vec::new(),
            ..draft("Where is my order?", "Hi {customer}, it ships {{date}}.")
        })
        .await
        .unwrap();
    assert_eq!(edited.id, made.id);
    assert_eq!(edited.placeholders, vec!["date"]);
    assert_eq!(edited.category, "General");
    assert!(edited.queues.is_empty());

    let missing = engine
        .save_saved_reply(SavedReplyDraft {
            id: Some("nope".into()),
            ..draft("x", "y")
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);

    let listed = engine.archive_saved_reply(&made.id, true).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].archived, "archived is kept and marked");
    let listed = engine.archive_saved_reply(&made.id, false).await.unwrap();
    assert!(!listed[0].archived);
    assert_eq!(
        engine
            .archive_saved_reply("nope", true)
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    console.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_thread_counts_against_the_instance_and_fills_the_brand_accounts_name() {
    let server = support::MockServer::start().await;
    let data = tempfile::tempdir().unwrap();
    let _brand = server.create_user("brand").await;
    let customer = server.create_user("customer").await;
    let proxy = keyless_proxy::KeylessProxy::start(&server.url).await;
    let namespace = format!("app.switchboard.test.saved-masto.{}", std::process::id());
    let (console, _) =
        brand_console::with_brand_signed_in(&data, &namespace, &proxy.url, &proxy.host()).await;
    let engine = console.engine().await.unwrap();
    server
        .post_status(&customer, "@brand where is my parcel?", None, "public")
        .await;
    let id = common::find_conversation(&engine, Duration::from_secs(60), |c| {
        c.preview.contains("where is my parcel")
    })
    .await
    .expect("the mention arrives");
    let thread = engine.get_thread(id).await.unwrap();
    assert_eq!(
        thread.reply_limit,
        Some(ReplyLimit {
            max: 500,
            unit: LimitUnit::Characters
        }),
        "the instance's configuration.statuses.max_characters"
    );
    let made = engine
        .save_saved_reply(SavedReplyDraft {
            queues: Vec::new(),
            ..draft("Signed", "{brand} here, {customer.handle}.")
        })
        .await
        .unwrap();
    let filled = engine
        .fill_saved_reply(id, &made.id, Vec::new())
        .await
        .unwrap();
    let account = engine
        .list_accounts()
        .await
        .into_iter()
        .next()
        .expect("the brand account");
    assert!(
        !account.display_name.is_empty(),
        "the account has a display name"
    );
    assert_eq!(
        filled.text,
        format!(
            "{} here, {}.",
            account.display_name, thread.conversation.customer.handle
        )
    );
    console.shutdown().await;
}
