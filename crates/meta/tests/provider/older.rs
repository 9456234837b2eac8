//! Comments on older posts and media (past the newest ones read every fetch) are found
//! by the sweep within its bound, once (see `crate::sync` of switchboard-meta).

use std::time::Duration;

use switchboard_core::Item;
use switchboard_meta::testing::FakeGraph;
use switchboard_meta::{MetaProvider, ScanLimits};

use crate::support::{customer, facebook, instagram, options, page_media, page_post, Stream};

const HOUR: Duration = Duration::from_secs(3600);

/// Fetches up to `fetches` times; returns the fetch (1-based) in which `id` arrived and
/// every item seen over all of them.
async fn fetch_until(
    stream: &mut Stream,
    provider: &MetaProvider,
    id: &str,
    fetches: usize,
) -> (Option<usize>, Vec<Item>) {
    let mut arrived = None;
    let mut all = Vec::new();
    for n in 1..=fetches {
        let items = stream.fetch(provider).await.expect("a fetch");
        if arrived.is_none() && items.iter().any(|i| i.native_id == id) {
            arrived = Some(n);
        }
        all.extend(items);
    }
    (arrived, all)
}

fn count(items: &[Item], id: &str) -> usize {
    items.iter().filter(|i| i.native_id == id).count()
}

#[tokio::test]
async fn a_comment_on_the_40th_newest_post_arrives_within_the_sweeps_bound_once() {
    let fake = FakeGraph::start().await;
    // The default limits: the newest 30 posts every fetch, one sweep page of 10 more.
    let provider = facebook(&fake, options());
    let mut posts = Vec::new();
    for n in 1..=44u32 {
        posts.push(page_post(&fake, &format!("post {n}"), HOUR * n).await);
    }
    // With the seeded post (two days old): 45 posts, newest first.
    let mut incoming = Stream::default();
    let mut brand = Stream::brand();
    incoming.drain(&provider).await;
    brand.drain(&provider).await;

    let fortieth = &posts[39];
    let ana = customer("5501", "Ana");
    let asked = fake
        .customer_comment(fortieth, &ana, "Still waiting on this one", None)
        .await;
    let answer = fake.page_comment_elsewhere(&asked, "On it!").await;
    // Past the newest 30: 15 posts, a round of two sweep pages; wherever the round
    // stands, the post is swept within a round.
    let bound = 15usize.div_ceil(10);
    let (arrived, items) = fetch_until(&mut incoming, &provider, &asked, bound).await;
    let arrived = arrived.unwrap_or_else(|| panic!("not found within {bound} fetches"));
    assert!(arrived <= bound);
    let (brand_arrived, brand_items) = fetch_until(&mut brand, &provider, &answer, bound).await;
    assert!(
        brand_arrived.is_some(),
        "the answer made elsewhere is found too"
    );

    // Nothing doubled over further rounds.
    let (_, later) = fetch_until(&mut incoming, &provider, &asked, 2 * bound).await;
    let (_, brand_later) = fetch_until(&mut brand, &provider, &answer, 2 * bound).await;
    assert_eq!(count(&items, &asked) + count(&later, &asked), 1);
    assert_eq!(
        count(&brand_items, &answer) + count(&brand_later, &answer),
        1
    );

    // A comment on a post found by the sweep before (known now) arrives the same way.
    let again = fake
        .customer_comment(&posts[42], &ana, "And this one", None)
        .await;
    let (arrived, _) = fetch_until(&mut incoming, &provider, &again, bound).await;
    assert!(arrived.is_some(), "not found within {bound} fetches");
}

#[tokio::test]
async fn a_comment_on_an_older_media_arrives_within_the_sweeps_bound_once() {
    let fake = FakeGraph::start().await;
    // Small pages: the newest 20 media every fetch, one sweep page of 10 more, a round
    // of at most 20 media past the newest.
    let limits = ScanLimits {
        parents_per_page: 10,
        parent_pages: 2,
        sweep_parents: 20,
        ..ScanLimits::default()
    };
    let provider = instagram(&fake, options()).with_limits(limits);
    let mut media = Vec::new();
    for n in 1..=44u32 {
        media.push(page_media(&fake, &format!("media {n}"), HOUR * n).await);
    }
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;

    let cara = customer("17841400000001", "cara.codes");
    let asked = fake
        .customer_comment(&media[35], &cara, "Is the 36th still for sale?", None)
        .await;
    let beyond = fake
        .customer_comment(&media[43], &cara, "And the 44th?", None)
        .await;
    // A round of two sweep pages (the bound of 20 past the newest).
    let bound = 20usize.div_ceil(10);
    let (arrived, items) = fetch_until(&mut incoming, &provider, &asked, bound).await;
    assert!(arrived.is_some(), "not found within {bound} fetches");
    let (_, later) = fetch_until(&mut incoming, &provider, &asked, 2 * bound).await;
    assert_eq!(count(&items, &asked) + count(&later, &asked), 1);
    assert_eq!(
        count(&items, &beyond) + count(&later, &beyond),
        0,
        "the 44th media is past the newest 20 + 20: not watched (the stated limit)"
    );
}

#[tokio::test]
async fn the_sweep_stops_at_its_horizon() {
    let fake = FakeGraph::start().await;
    let provider = facebook(&fake, options()).with_limits(ScanLimits {
        parents_per_page: 5,
        parent_pages: 1,
        ..ScanLimits::default()
    });
    let mut posts = Vec::new();
    for days in [1u32, 2, 3, 4, 5, 60, 89, 91, 120] {
        posts.push(page_post(&fake, &format!("{days} days old"), HOUR * 24 * days).await);
    }
    let mut incoming = Stream::default();
    incoming.drain(&provider).await;
    let ana = customer("5501", "Ana");
    let within = fake
        .customer_comment(&posts[6], &ana, "on the 89-day-old post", None)
        .await;
    let beyond = fake
        .customer_comment(&posts[8], &ana, "on the 120-day-old post", None)
        .await;
    let (arrived, items) = fetch_until(&mut incoming, &provider, &within, 6).await;
    assert!(arrived.is_some(), "a post within 90 days is swept");
    assert_eq!(
        count(&items, &beyond),
        0,
        "the round ends at the 91-day-old post: the 120-day-old one is past the horizon"
    );
    let requests_before = fake.requests("/feed").await;
    incoming.fetch(&provider).await.unwrap();
    let per_fetch = fake.requests("/feed").await - requests_before;
    assert!(
        per_fetch <= 2,
        "the newest page and one sweep page a fetch: {per_fetch}"
    );
}

#[tokio::test]
async fn the_sweep_waits_on_its_page_for_the_per_fetch_bound() {
    let fake = FakeGraph::start().await;
    // One parent read a fetch: three changed posts on one sweep page take three fetches.
    let provider = facebook(&fake, options()).with_limits(ScanLimits {
        parents_per_page: 5,
        parent_pages: 1,
        parent_reads_per_fetch: 1,
        ..ScanLimits::default()
    });
    let mut posts = Vec::new();
    for n in 1..=14u32 {
        posts.push(page_post(&fake, &format!("post {n}"), HOUR * n).await);
    }
    let mut incoming = Stream::default();
    for _ in 0..20 {
        incoming.fetch(&provider).await.unwrap();
    }
    let ana = customer("5501", "Ana");
    let mut asked = Vec::new();
    for post in &posts[5..8] {
        asked.push(fake.customer_comment(post, &ana, "hello?", None).await);
    }
    let mut all = Vec::new();
    for _ in 0..8 {
        all.extend(incoming.fetch(&provider).await.unwrap());
    }
    for id in &asked {
        assert_eq!(count(&all, id), 1, "{id} arrives once");
    }
}
