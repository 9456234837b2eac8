//! Incoming: mentions, replies and quotes from notifications, resumed from a stored
//! position, across several pages.

use std::collections::HashSet;

use switchboard_core::{ItemKind, Platform, ThreadKey, Timestamp};
use switchboard_platforms::Provider;

use crate::support::actors::Actor;
use crate::{indexed, options};

#[tokio::test]
async fn a_customers_mention_arrives_as_a_mention_in_its_own_thread() {
    let brand = Actor::create("mb").await;
    let ana = Actor::create("ma").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let now = Timestamp::now_from_system();
    let first = provider.fetch_since(None, now).await.expect("first sync");
    assert!(first.items.is_empty(), "a new account has no notifications");

    let post = ana.post("Hello ", Some(&brand), None).await;
    indexed().await;
    let page = provider
        .fetch_since(Some(&first.next_cursor), now)
        .await
        .expect("fetch");
    assert_eq!(
        page.items.len(),
        1,
        "exactly the new mention: {:?}",
        page.items
    );
    let item = &page.items[0];
    assert_eq!(item.platform, Platform::Bluesky);
    assert_eq!(item.account, brand.did);
    assert_eq!(item.native_id, post.uri);
    assert_eq!(item.kind, ItemKind::Mention);
    assert_eq!(
        item.thread,
        ThreadKey::new(Platform::Bluesky, &brand.did, &post.uri)
    );
    assert_eq!(item.author.handle, ana.handle);
    assert_eq!(item.author.display_name, "ma display");
    assert!(!item.from_brand);
    assert_eq!(item.text, format!("Hello @{} please help", brand.handle));
    assert_eq!(item.lang.as_deref(), Some("en"));
    assert!(page.poll_after_ms > 0, "the pacer suggests a pause");

    // A reply to the brand's answer is a Reply in the same thread.
    let answer = brand.post("On it", None, Some((&post, &post))).await;
    // The AppView notifies a reply's parent author only once it knows the parent.
    indexed().await;
    let follow_up = ana.post("thanks", None, Some((&post, &answer))).await;
    indexed().await;
    let next = provider
        .fetch_since(Some(&page.next_cursor), now)
        .await
        .expect("fetch");
    let kinds: Vec<_> = next
        .items
        .iter()
        .map(|i| (i.native_id.clone(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![(follow_up.uri, ItemKind::Reply)],
        "only the new reply"
    );
    assert_eq!(
        next.items[0].thread, item.thread,
        "the reply joins the mention's thread"
    );
}

#[tokio::test]
async fn resuming_from_the_stored_position_gives_no_duplicates() {
    let brand = Actor::create("rb").await;
    let ben = Actor::create("rc").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let now = Timestamp::now_from_system();
    for n in 0..3 {
        ben.post(&format!("first {n} "), Some(&brand), None).await;
    }
    indexed().await;
    let first = provider.fetch_since(None, now).await.expect("first sync");
    assert_eq!(first.items.len(), 3);
    let again = provider
        .fetch_since(Some(&first.next_cursor), now)
        .await
        .expect("resume");
    assert!(
        again.items.is_empty(),
        "nothing new, nothing repeated: {:?}",
        again.items
    );
    assert_eq!(again.next_cursor, first.next_cursor, "the position stays");

    let newer = ben.post("second ", Some(&brand), None).await;
    indexed().await;
    let resumed = provider
        .fetch_since(Some(&again.next_cursor), now)
        .await
        .expect("resume");
    let ids: Vec<_> = resumed.items.iter().map(|i| i.native_id.as_str()).collect();
    assert_eq!(
        ids,
        vec![newer.uri.as_str()],
        "only the post after the position"
    );
}

#[tokio::test]
async fn several_pages_of_notifications_are_read_in_order_once_each() {
    let brand = Actor::create("pb").await;
    let crowd = Actor::create("pc").await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let now = Timestamp::now_from_system();
    let start = provider.fetch_since(None, now).await.expect("first sync");

    crowd.post_many_mentions(250, &brand).await;
    indexed().await;
    let page = provider
        .fetch_since(Some(&start.next_cursor), now)
        .await
        .expect("fetch across pages");
    assert_eq!(
        page.items.len(),
        250,
        "3 pages of notifications, every item once"
    );
    let unique: HashSet<_> = page.items.iter().map(|i| &i.native_id).collect();
    assert_eq!(unique.len(), 250, "no duplicates across pages");
    assert!(
        page.items
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );
    assert!(page.items.iter().all(|i| i.kind == ItemKind::Mention));

    // A bounded first sync.
    let bounded = switchboard_bluesky::ClientOptions {
        first_sync_limit: 120,
        ..options()
    };
    let (fresh, _) = brand.sign_in_to_switchboard(bounded).await;
    let first = fresh.fetch_since(None, now).await.expect("first sync");
    assert_eq!(first.items.len(), 120, "the first sync is bounded");
    let resumed = fresh
        .fetch_since(Some(&first.next_cursor), now)
        .await
        .expect("resume");
    assert!(resumed.items.is_empty(), "the newest seen is the position");
}
