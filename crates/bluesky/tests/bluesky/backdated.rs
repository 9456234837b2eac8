//! Posts that land below entries already read: a customer whose clock is 30 s slow, one
//! back-dated by an hour, one dated in the year 1026. The AppView lists notifications by
//! the earlier of the claimed and the real time, so each lands among (or below) the
//! mentions pulled before it was written. Each must be taken exactly once, and its time
//! is when it can first have arrived (after the last pull that did not list it), not the
//! claimed one, while a post dated as it is written keeps its time.

use std::collections::HashMap;

use switchboard_core::{ItemKind, Timestamp};
use switchboard_platforms::Provider;

use crate::support::actors::{Actor, PostRef};
use crate::{indexed, options};

/// Enough fetches for one sweep cycle over the ~150 notifications of these tests (one per
/// region of about 90, plus the top and the part below the last region).
const CYCLE: usize = 8;

/// Fetches `times` times from `cursor`; counts each item taken.
async fn pull(
    provider: &impl Provider,
    cursor: &mut String,
    times: usize,
    taken: &mut HashMap<String, (u32, ItemKind, Timestamp)>,
) {
    for _ in 0..times {
        let page = provider
            .fetch_since(Some(cursor), Timestamp::now_from_system())
            .await
            .expect("fetch");
        for item in page.items {
            let entry = taken
                .entry(item.native_id)
                .or_insert((0, item.kind, item.created_at));
            entry.0 += 1;
        }
        *cursor = page.next_cursor;
    }
}

/// Customer posts mentioning the brand, or replying to the brand's `root`.
async fn backdated_posts_are_taken_once(prefix: &str, kind: ItemKind) {
    let brand = Actor::create(&format!("{prefix}b")).await;
    let customer = Actor::create(&format!("{prefix}c")).await;
    let (provider, _) = brand.sign_in_to_switchboard(options()).await;
    let first_synced = Timestamp::now_from_system();
    let first = provider
        .fetch_since(None, first_synced)
        .await
        .expect("first sync");
    assert!(first.items.is_empty());
    let mut cursor = first.next_cursor;

    let root: Option<PostRef> = match kind {
        ItemKind::Reply => {
            let root = brand.post("We're here to help", None, None).await;
            // The AppView notifies a reply's parent author only once it knows the parent.
            indexed().await;
            Some(root)
        }
        _ => None,
    };
    let mentioned = root.is_none().then_some(&brand);
    let reply_to = root.as_ref().map(|root| (root, root));

    // 150 posts over the last two hours, then two now: all pulled.
    let now = Timestamp::now_from_system();
    let earlier: Vec<_> = (0..150)
        .map(|n| {
            let at = now.plus_millis(-2 * 3_600_000 + n * 48_000);
            (format!("earlier {n} "), at.to_rfc3339(), None)
        })
        .collect();
    customer.post_batch(&earlier, mentioned, reply_to).await;
    let mut on_time = Vec::new();
    for label in ["now 1 ", "now 2 "] {
        let at = Timestamp::now_from_system().to_rfc3339();
        let post = customer
            .post_dated(label, mentioned, reply_to, &at, None)
            .await;
        on_time.push((post.uri, at));
    }
    indexed().await;
    let mut taken = HashMap::new();
    let pulled = Timestamp::now_from_system();
    pull(&provider, &mut cursor, 1, &mut taken).await;
    assert_eq!(taken.len(), 152, "everything posted so far, in one fetch");
    for (uri, created_at) in &on_time {
        assert_eq!(
            Some(taken[uri].2),
            Timestamp::parse_rfc3339(created_at),
            "a post dated as it is written keeps its time"
        );
    }
    // The earlier ones were written after the first sync, which did not list them.
    for (_, _, at) in taken.values() {
        assert!(
            (first_synced..=pulled).contains(at),
            "a post written after the first sync counts from then at the earliest: {at:?}"
        );
    }

    // Written after those were pulled, dated before them (and one dated as it is written).
    let written = Timestamp::now_from_system();
    let mut late = Vec::new();
    for (label, created_at) in [
        ("30 s slow", written.plus_millis(-30_000).to_rfc3339()),
        ("an hour back", written.plus_millis(-3_600_000).to_rfc3339()),
        ("year 1026", String::from("1026-06-01T12:00:00.000Z")),
        ("on time", Timestamp::now_from_system().to_rfc3339()),
    ] {
        let post = customer
            .post_dated(&format!("{label} "), mentioned, reply_to, &created_at, None)
            .await;
        late.push((label, post.uri, created_at));
    }
    indexed().await;
    taken.clear();
    pull(&provider, &mut cursor, CYCLE, &mut taken).await;
    for (label, uri, created_at) in &late {
        let (times, item_kind, at) = taken
            .get(uri)
            .unwrap_or_else(|| panic!("the post dated {label} was never taken: {taken:?}"));
        assert_eq!(*times, 1, "the post dated {label} was taken {times} times");
        assert_eq!(*item_kind, kind);
        if *label == "on time" {
            assert_eq!(Some(*at), Timestamp::parse_rfc3339(created_at), "{label}");
        } else {
            // The previous pull did not list it: it arrived after that pull began.
            assert!(
                (pulled..=written).contains(at),
                "the post dated {label} counts from the pull before it was written \
                 ({pulled:?}..={written:?}), not from its claimed time: {at:?}"
            );
        }
    }
    assert_eq!(taken.len(), 4, "only the late posts: {taken:?}");

    // Pulling on takes nothing again.
    taken.clear();
    pull(&provider, &mut cursor, CYCLE, &mut taken).await;
    assert!(taken.is_empty(), "nothing twice: {taken:?}");
}

#[tokio::test]
async fn backdated_mentions_written_after_newer_ones_were_pulled_are_taken_once() {
    backdated_posts_are_taken_once("bm", ItemKind::Mention).await;
}

#[tokio::test]
async fn backdated_replies_written_after_newer_ones_were_pulled_are_taken_once() {
    backdated_posts_are_taken_once("br", ItemKind::Reply).await;
}
