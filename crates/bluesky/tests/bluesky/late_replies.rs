//! A brand reply posted late: its record key is dated when it was queued (a reply that
//! waited through an outage, a retry, a restart after a crash), so it lands among the
//! brand's older posts, below keys every install has already read. Both the install that
//! read past it and a new one must see it, once.

use std::collections::HashMap;

use switchboard_core::{Platform, ThreadKey, Timestamp};
use switchboard_platforms::{Provider, ReplyTarget};

use crate::support::actors::{record_key_at, uuid_v7_at, Actor};
use crate::{indexed, options};

/// Enough fetches for one sweep cycle over the ~150 brand posts here (one per region of
/// about 90, plus the top and the part below the last region).
const CYCLE: usize = 8;
const HOUR: i64 = 3_600_000;

async fn pull(
    provider: &impl Provider,
    cursor: &mut String,
    times: usize,
    taken: &mut HashMap<String, u32>,
) {
    for _ in 0..times {
        let page = provider
            .fetch_brand_replies_since(Some(cursor), Timestamp::now_from_system())
            .await
            .expect("brand posts");
        for item in page.items {
            assert!(item.from_brand);
            *taken.entry(item.native_id).or_default() += 1;
        }
        *cursor = page.next_cursor;
    }
}

#[tokio::test]
async fn a_reply_posted_late_is_seen_by_the_install_that_read_past_its_key_and_by_a_new_one() {
    let brand = Actor::create("lrb").await;
    let customer = Actor::create("lrc").await;
    let question = customer
        .post("Where is my parcel? ", Some(&brand), None)
        .await;
    indexed().await;
    // The brand's news of the last two hours, keyed when written as the Bluesky app does.
    let now = Timestamp::now_from_system();
    let news: Vec<_> = (0..150u64)
        .map(|n| {
            let at = now.plus_millis(-2 * HOUR + n as i64 * 48_000);
            (
                format!("news {n}"),
                at.to_rfc3339(),
                Some(record_key_at(at.millis(), n)),
            )
        })
        .collect();
    brand.post_batch(&news, None, None).await;

    // Install A reads all of it, then a newer brand reply.
    let (install_a, _) = brand.sign_in_to_switchboard(options()).await;
    let first = install_a
        .fetch_brand_replies_since(None, now)
        .await
        .expect("first sync");
    assert!(first.items.is_empty(), "news answers nobody");
    let mut cursor = first.next_cursor;
    let newer = brand
        .post("Looking into it", None, Some((&question, &question)))
        .await;
    let mut taken = HashMap::new();
    pull(&install_a, &mut cursor, 1, &mut taken).await;
    assert_eq!(taken, HashMap::from([(newer.uri.clone(), 1)]));

    // A teammate's install queued a reply an hour ago and posts it only now: its record
    // key is dated an hour back, below the newer reply and among the news.
    let (install_c, _) = brand.sign_in_to_switchboard(options()).await;
    let target = ReplyTarget {
        thread: ThreadKey::new(Platform::Bluesky, &brand.did, &question.uri),
        in_reply_to: question.uri.clone(),
    };
    let queued_an_hour_ago = uuid_v7_at(now.plus_millis(-HOUR).millis(), 1);
    let late = install_c
        .reply(
            &target,
            "Sorry for the wait: it ships today",
            &queued_an_hour_ago,
            now,
        )
        .await
        .expect("the late reply posts");
    // And one queued three days ago, below every key of the collection.
    let three_days_back = record_key_at(now.plus_millis(-72 * HOUR).millis(), 2);
    let ancient = brand
        .post_dated(
            "Following up",
            None,
            Some((&question, &question)),
            &Timestamp::now_from_system().to_rfc3339(),
            Some(&three_days_back),
        )
        .await;
    assert!(
        late.native_id < newer.uri && ancient.uri < newer.uri,
        "both keys are older than the reply install A has read"
    );

    taken.clear();
    pull(&install_a, &mut cursor, CYCLE, &mut taken).await;
    assert_eq!(
        taken,
        HashMap::from([(late.native_id.clone(), 1), (ancient.uri.clone(), 1)]),
        "install A sees each late reply once"
    );
    taken.clear();
    pull(&install_a, &mut cursor, CYCLE, &mut taken).await;
    assert!(taken.is_empty(), "and nothing again: {taken:?}");

    // A new install sees all three replies.
    let (install_b, _) = brand.sign_in_to_switchboard(options()).await;
    let fresh = install_b
        .fetch_brand_replies_since(None, Timestamp::now_from_system())
        .await
        .expect("first sync");
    let mut ids: Vec<_> = fresh.items.iter().map(|i| i.native_id.clone()).collect();
    ids.sort();
    let mut expected = vec![newer.uri, late.native_id, ancient.uri];
    expected.sort();
    assert_eq!(ids, expected);
}
