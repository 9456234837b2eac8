//! Positions stored by older versions (`n1:` newest notification time, `b1:` newest record
//! key) resume without repeating what they covered, and take what came after.

use switchboard_core::Timestamp;
use switchboard_platforms::Provider;

use crate::support::actors::{xrpc_get, Actor};
use crate::{indexed, options};

#[tokio::test]
async fn positions_of_older_versions_resume_without_repeats() {
    let brand = Actor::create("ub").await;
    let customer = Actor::create("uc").await;
    let question = customer.post("First ", Some(&brand), None).await;
    customer.post("Second ", Some(&brand), None).await;
    let answer = brand
        .post("Answered", None, Some((&question, &question)))
        .await;
    indexed().await;
    // What an older version stored after reading all of that.
    let listed = xrpc_get(
        &brand.pds,
        "app.bsky.notification.listNotifications",
        &brand.access_jwt,
        &[("limit", "1")],
    )
    .await;
    let newest = &listed["notifications"][0];
    let at = Timestamp::parse_rfc3339(newest["indexedAt"].as_str().unwrap()).unwrap();
    let old_incoming = format!("n1:{}:{}", at.millis(), newest["uri"].as_str().unwrap());
    let rkey = answer.uri.rsplit('/').next().unwrap();
    let old_brand = format!("b1:{rkey}");

    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let now = Timestamp::now_from_system();
    let incoming = provider
        .fetch_since(Some(&old_incoming), now)
        .await
        .expect("an old incoming position is read");
    assert!(incoming.items.is_empty(), "{:?}", incoming.items);
    assert!(incoming.next_cursor.starts_with("n2:"), "and migrated");
    let brand_posts = provider
        .fetch_brand_replies_since(Some(&old_brand), now)
        .await
        .expect("an old brand position is read");
    assert!(brand_posts.items.is_empty(), "{:?}", brand_posts.items);
    assert!(brand_posts.next_cursor.starts_with("b2:"));

    let third = customer.post("Third ", Some(&brand), None).await;
    let second_answer = brand
        .post("Answered again", None, Some((&question, &question)))
        .await;
    indexed().await;
    let incoming = provider
        .fetch_since(Some(&incoming.next_cursor), now)
        .await
        .expect("resume");
    let ids: Vec<_> = incoming
        .items
        .iter()
        .map(|i| i.native_id.as_str())
        .collect();
    assert_eq!(ids, vec![third.uri.as_str()]);
    let brand_posts = provider
        .fetch_brand_replies_since(Some(&brand_posts.next_cursor), now)
        .await
        .expect("resume");
    let ids: Vec<_> = brand_posts
        .items
        .iter()
        .map(|i| i.native_id.as_str())
        .collect();
    assert_eq!(ids, vec![second_answer.uri.as_str()]);
}
