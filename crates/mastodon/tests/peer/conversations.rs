//! Mentions, replies, answers made elsewhere, threads and DMs, end to end: from the
//! OAuth sign-in to the reply.

use switchboard_core::{ItemKind, Platform, ThreadKey};
use switchboard_platforms::{Provider, ReplyTarget};

use switchboard_mastodon::MastodonProvider;

use crate::support::{now, provider_for, sign_in_as, test_options, texts, MockServer};

#[tokio::test]
async fn mentions_replies_and_answers_made_elsewhere_land_in_one_thread() {
    let server = MockServer::start().await;
    // `brand` also gets a token of its own: the "other app" it answers from below.
    let brand = server.create_user("brand").await;
    let ana = server.create_user("ana").await;
    let signed_in = sign_in_as(&server, "brand").await;
    let provider =
        MastodonProvider::new(&signed_in.credential, &signed_in.identity, test_options()).unwrap();
    let host = server.host();
    let account = format!("{}@{host}", brand.id);

    // Nothing yet: an empty first sync still gives a cursor.
    let empty = provider.fetch_since(None, now()).await.unwrap();
    assert!(empty.items.is_empty());

    let question = server
        .post_status(
            &ana,
            "@brand my order **never** arrived &amp; I'm upset",
            None,
            "public",
        )
        .await;
    let question_id = question["id"].as_str().unwrap().to_owned();
    let page = provider
        .fetch_since(Some(&empty.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "the mention arrives: {:?}", page.items);
    let mention = &page.items[0];
    let thread = ThreadKey::new(Platform::Mastodon, &account, &question_id);
    assert_eq!(mention.kind, ItemKind::Mention);
    assert_eq!(mention.thread, thread, "a new post roots its own thread");
    assert_eq!(mention.account, account);
    assert_eq!(mention.native_id, question_id);
    assert_eq!(
        mention.author.handle,
        format!("@ana@{}", server.handle_domain)
    );
    assert!(!mention.from_brand);
    assert_eq!(
        mention.text, "@brand my order never arrived &amp; I'm upset",
        "HTML becomes the text the customer typed"
    );
    assert!(page.poll_after_ms > 0);

    // Nothing new: the cursor stays and the pace slows down.
    let idle = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .unwrap();
    assert!(idle.items.is_empty());
    assert_eq!(
        idle.next_cursor, page.next_cursor,
        "the cursor only moves with items"
    );
    assert!(
        idle.poll_after_ms > page.poll_after_ms,
        "idle polling slows down"
    );

    // The brand answers from Switchboard, twice with the same key: one post.
    let target = ReplyTarget {
        thread: thread.clone(),
        in_reply_to: question_id.clone(),
    };
    let reply = provider
        .reply(
            &target,
            "Sorry to hear that! Checking now.",
            "reply-key-1",
            now(),
        )
        .await
        .unwrap();
    let again = provider
        .reply(
            &target,
            "Sorry to hear that! Checking now.",
            "reply-key-1",
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        reply.native_id, again.native_id,
        "the same key never posts twice"
    );
    assert!(reply.from_brand);
    assert_eq!(reply.kind, ItemKind::Reply);
    assert_eq!(reply.thread, thread);
    assert_eq!(
        reply.text, "@ana Sorry to hear that! Checking now.",
        "the customer is mentioned"
    );
    let brand_posts = server.statuses_of(&brand, &brand.id).await;
    assert_eq!(
        brand_posts.len(),
        1,
        "one status on the server: {brand_posts:?}"
    );
    assert_eq!(
        brand_posts[0]["visibility"], "public",
        "same visibility as the question"
    );
    assert_eq!(brand_posts[0]["in_reply_to_id"], question_id.as_str());

    // The customer answers the brand: a reply in the same thread.
    let follow_up = server
        .post_status(
            &ana,
            "@brand thanks, order 1234",
            Some(&reply.native_id),
            "public",
        )
        .await;
    let page = provider
        .fetch_since(Some(&idle.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(texts(&page), vec!["@brand thanks, order 1234"]);
    assert_eq!(page.items[0].kind, ItemKind::Reply);
    assert_eq!(
        page.items[0].thread, thread,
        "a reply joins its root's thread"
    );

    // The brand answers from another app: the brand stream sees it in that thread.
    let first_brand = provider
        .fetch_brand_replies_since(None, now())
        .await
        .unwrap();
    assert_eq!(
        first_brand.items.len(),
        1,
        "the reply posted from Switchboard"
    );
    let elsewhere = server
        .post_status(
            &brand,
            "@ana found it, shipping today",
            follow_up["id"].as_str(),
            "public",
        )
        .await;
    let brand_page = provider
        .fetch_brand_replies_since(Some(&first_brand.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(brand_page.items.len(), 1, "{:?}", brand_page.items);
    let answered = &brand_page.items[0];
    assert_eq!(answered.native_id, elsewhere["id"].as_str().unwrap());
    assert!(answered.from_brand);
    assert_eq!(
        answered.thread, thread,
        "an answer made elsewhere is in the right thread"
    );
    assert_eq!(
        answered.author.handle,
        format!("@brand@{}", server.handle_domain)
    );

    // The whole thread, oldest first.
    let whole = provider
        .thread(&ReplyTarget {
            thread: thread.clone(),
            in_reply_to: follow_up["id"].as_str().unwrap().to_owned(),
        })
        .await
        .unwrap();
    let authors: Vec<bool> = whole.iter().map(|i| i.from_brand).collect();
    assert_eq!(
        authors,
        vec![false, true, false, true],
        "question, reply, follow-up, answer"
    );
    assert!(whole.iter().all(|i| i.thread == thread));
}

#[tokio::test]
async fn direct_messages_arrive_in_their_conversation_and_replies_stay_private() {
    let server = MockServer::start().await;
    let brand = server.create_user("brand").await;
    let bo = server.create_user("bo").await;
    let provider = provider_for(&server, &brand, test_options()).await;
    let start = provider.fetch_since(None, now()).await.unwrap();

    let dm = server
        .post_status(&bo, "@brand my address is 1 Main St", None, "direct")
        .await;
    let page = provider
        .fetch_since(Some(&start.next_cursor), now())
        .await
        .unwrap();
    assert_eq!(
        page.items.len(),
        1,
        "a DM arrives once, not also as a mention: {:?}",
        page.items
    );
    let message = &page.items[0];
    assert_eq!(message.kind, ItemKind::DirectMessage);
    assert_eq!(message.native_id, dm["id"].as_str().unwrap());
    assert!(!message.from_brand);
    let thread = message.thread.clone();
    assert!(
        thread
            .0
            .starts_with(&format!("mastodon:{}@{}:", brand.id, server.host())),
        "{thread:?}"
    );

    let reply = provider
        .reply(
            &ReplyTarget {
                thread: thread.clone(),
                in_reply_to: message.native_id.clone(),
            },
            "Thanks, noted.",
            "dm-reply-1",
            now(),
        )
        .await
        .unwrap();
    assert_eq!(reply.kind, ItemKind::DirectMessage);
    assert_eq!(reply.thread, thread);
    let posted = server.status(&bo, &reply.native_id).await;
    assert_eq!(posted["visibility"], "direct", "a reply to a DM stays a DM");
    assert_eq!(reply.text, "@bo Thanks, noted.");

    // Two more DMs in a row: both arrive although the conversation lists only its latest.
    let second = server
        .post_status(
            &bo,
            "@brand also, the door code is 42",
            Some(&reply.native_id),
            "direct",
        )
        .await;
    let third = server
        .post_status(
            &bo,
            "@brand and please ring twice",
            Some(second["id"].as_str().unwrap()),
            "direct",
        )
        .await;
    let page = provider
        .fetch_since(Some(&page.next_cursor), now())
        .await
        .unwrap();
    let ids: Vec<&str> = page.items.iter().map(|i| i.native_id.as_str()).collect();
    assert!(ids.contains(&second["id"].as_str().unwrap()), "{ids:?}");
    assert!(ids.contains(&third["id"].as_str().unwrap()), "{ids:?}");
    assert!(page.items.iter().all(|i| i.kind == ItemKind::DirectMessage));
    assert!(
        page.items
            .iter()
            .any(|i| i.from_brand && i.native_id == reply.native_id),
        "the brand's own DM is seen too: {ids:?}"
    );
}
