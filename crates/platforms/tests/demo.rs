//! The demo network: deterministic, resumable, and a realistic mix.

use std::collections::{HashMap, HashSet};

use switchboard_core::{Item, ItemKind, Timestamp};
use switchboard_platforms::demo::{
    DemoNetwork, BACKLOG_ITEMS, BURST_ITEMS, BURST_START, HISTORY_DAYS,
};
use switchboard_platforms::{Provider, ProviderError};

const NOW: Timestamp = Timestamp(1_790_000_000_000);

/// Fetches `pages` pages from a fresh network, one second apart.
async fn play(seed: u64, pages: usize) -> (Vec<Item>, String) {
    let network = DemoNetwork::new(seed, 1.0);
    let mut cursor: Option<String> = None;
    let mut items = Vec::new();
    for page in 0..pages {
        let at = NOW.plus_millis(page as i64 * 1_000);
        let fetched = network.fetch_since(cursor.as_deref(), at).await.unwrap();
        items.extend(fetched.items);
        cursor = Some(fetched.next_cursor);
    }
    (items, cursor.unwrap())
}

#[tokio::test]
async fn the_same_seed_plays_the_same_crowd() {
    let (a, _) = play(42, 200).await;
    let (b, _) = play(42, 200).await;
    assert_eq!(a, b, "same seed, same items");
    let (c, _) = play(43, 200).await;
    assert_ne!(a, c, "another seed, another crowd");
}

#[tokio::test]
async fn the_first_fetch_is_the_last_week_and_a_backlog_in_the_past() {
    let network = DemoNetwork::new(7, 1.0);
    let page = network.fetch_since(None, NOW).await.unwrap();
    let backlog = &page.items[page.items.len() - BACKLOG_ITEMS as usize..];
    assert!(
        backlog.iter().all(|i| !i.native_id.starts_with("week-")),
        "the backlog comes last"
    );
    assert!(
        backlog[0].created_at.millis() >= NOW.millis() - 2 * 3_600_000,
        "the backlog is the last two hours"
    );
    assert_eq!(
        page.next_cursor,
        BACKLOG_ITEMS.to_string(),
        "the week does not move the crowd's cursor"
    );
    assert!(
        page.items.iter().all(|i| i.created_at < NOW),
        "all of it lies in the past"
    );
    assert!(
        page.items
            .windows(2)
            .all(|w| w[0].created_at <= w[1].created_at),
        "all of it in time order"
    );
    assert!(
        backlog
            .windows(2)
            .all(|w| w[0].created_at < w[1].created_at),
        "the backlog one item at a time"
    );
    assert!(
        (2_000..=6_000).contains(&page.poll_after_ms),
        "next item in a few seconds"
    );
}

#[tokio::test]
async fn the_last_week_spreads_over_six_days_and_ends_answered() {
    const DAY: i64 = 86_400_000;
    let page = DemoNetwork::new(7, 1.0)
        .fetch_since(None, NOW)
        .await
        .unwrap();
    let week: Vec<&Item> = page
        .items
        .iter()
        .filter(|i| i.thread.0.ends_with("-week"))
        .collect();
    let today = NOW.millis().div_euclid(DAY);
    let days: HashSet<i64> = week
        .iter()
        .map(|i| today - i.created_at.millis().div_euclid(DAY))
        .collect();
    assert_eq!(days, (1..=HISTORY_DAYS).collect(), "one to six days ago");

    let mut last: HashMap<_, &Item> = HashMap::new();
    for item in &week {
        last.insert(&item.thread, item);
    }
    assert!(last.len() > 20, "many conversations: {}", last.len());
    assert!(
        last.values().all(|i| i.from_brand),
        "every conversation of the week ends with the brand's answer"
    );
    let live: HashSet<_> = page
        .items
        .iter()
        .filter(|i| !i.thread.0.ends_with("-week"))
        .map(|i| &i.native_id)
        .collect();
    assert!(
        week.iter().all(|i| !live.contains(&i.native_id)),
        "the week's ids are its own"
    );
    let keys: HashSet<_> = page
        .items
        .iter()
        .map(|i| (i.platform, &i.native_id))
        .collect();
    assert_eq!(keys.len(), page.items.len(), "no item is stored twice");
    let answers = week.iter().filter(|i| i.from_brand).count();
    assert!(
        answers > week.len() / 3,
        "the brand answers each run: {answers} of {}",
        week.len()
    );
}

#[tokio::test]
async fn whatever_the_seed_no_key_repeats_and_last_week_ends_answered() {
    // A repeated key would be stored once: the answer it carried would be lost and its
    // conversation would wait from last week.
    for seed in 0..200 {
        let page = DemoNetwork::new(seed, 1.0)
            .fetch_since(None, NOW)
            .await
            .unwrap();
        let keys: HashSet<_> = page
            .items
            .iter()
            .map(|i| (i.platform, &i.native_id))
            .collect();
        assert_eq!(keys.len(), page.items.len(), "seed {seed}: a key repeats");
        let mut last: HashMap<_, &Item> = HashMap::new();
        for item in page.items.iter().filter(|i| i.thread.0.ends_with("-week")) {
            last.insert(&item.thread, item);
        }
        assert!(
            last.values().all(|i| i.from_brand),
            "seed {seed}: a conversation of last week still waits"
        );
    }
}

#[tokio::test]
async fn a_restarted_network_continues_from_the_cursor() {
    let (all, _) = play(9, 60).await;
    let (first, cursor) = play(9, 30).await;
    let resumed = DemoNetwork::new(9, 1.0);
    let page = resumed
        .fetch_since(Some(&cursor), NOW.plus_millis(30_000))
        .await
        .unwrap();
    assert_eq!(
        page.items[0],
        all[first.len()],
        "the item after the cursor, exactly"
    );
}

#[tokio::test]
async fn the_mix_is_realistic() {
    let (items, _) = play(1, 500).await;
    let ids: HashSet<_> = items.iter().map(|i| (&i.thread, &i.native_id)).collect();
    assert_eq!(ids.len(), items.len(), "no native id repeats");

    let kinds: HashSet<ItemKind> = items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds.len(),
        ItemKind::ALL.len(),
        "every kind appears: {kinds:?}"
    );

    let brand = items.iter().filter(|i| i.from_brand).count();
    let share = brand as f64 / items.len() as f64;
    assert!(
        (0.1..0.4).contains(&share),
        "brand answers some, not all: {share}"
    );

    let langs: HashSet<_> = items.iter().filter_map(|i| i.lang.as_deref()).collect();
    for lang in ["en", "de", "es", "fr"] {
        assert!(langs.contains(lang), "{lang} appears");
    }

    let mut customer_items_per_thread: HashMap<_, usize> = HashMap::new();
    for item in items.iter().filter(|i| !i.from_brand) {
        *customer_items_per_thread.entry(&item.thread).or_default() += 1;
    }
    assert!(
        customer_items_per_thread.values().any(|&n| n > 1),
        "customers follow up in existing threads"
    );
    let topics = ["order", "price", "love", "refund"];
    for word in topics {
        assert!(
            items.iter().any(|i| i.text.to_lowercase().contains(word)),
            "someone talks about {word}"
        );
    }
    assert!(
        items.iter().all(|i| !i.text.contains('{')),
        "templates fully filled"
    );
}

#[tokio::test]
async fn speed_scales_the_pace_and_zero_pauses() {
    let fast = DemoNetwork::new(3, 10.0);
    let page = fast.fetch_since(None, NOW).await.unwrap();
    assert!(
        (200..=600).contains(&page.poll_after_ms),
        "10× faster: {}",
        page.poll_after_ms
    );

    let paused = DemoNetwork::new(3, 0.0);
    let page = paused.fetch_since(Some("18"), NOW).await.unwrap();
    assert!(page.items.is_empty(), "paused: nothing new");
    assert_eq!(page.next_cursor, "18", "and the cursor stays");
}

#[tokio::test]
async fn a_foreign_cursor_is_a_clear_error() {
    let network = DemoNetwork::new(3, 1.0);
    let err = network.fetch_since(Some("abc"), NOW).await.unwrap_err();
    assert_eq!(err, ProviderError::BadCursor("abc".into()));
    assert!(err.to_string().contains("will be reset"));
}

#[tokio::test]
async fn a_reply_is_a_brand_item_in_the_thread_and_the_same_key_gives_the_same_item() {
    let network = DemoNetwork::new(3, 1.0);
    let page = network.fetch_since(None, NOW).await.unwrap();
    let customer = page.items.iter().find(|i| !i.from_brand).unwrap();
    let target = switchboard_platforms::ReplyTarget {
        thread: customer.thread.clone(),
        in_reply_to: customer.native_id.clone(),
    };
    let sent = network.reply(&target, "On it!", "k1", NOW).await.unwrap();
    assert!(sent.from_brand);
    assert_eq!(sent.thread, customer.thread);
    assert_eq!(sent.platform, customer.platform);
    assert_eq!(sent.text, "On it!");
    let again = network.reply(&target, "On it!", "k1", NOW).await.unwrap();
    assert_eq!(again.native_id, sent.native_id, "idempotent by key");
}

#[tokio::test]
async fn a_few_minutes_in_the_crowd_plays_an_app_outage() {
    let (items, _) = play(2026, (BURST_START + BURST_ITEMS + 20) as usize).await;
    // The first page holds the last week and the backlog; then one item a page.
    let pages = (BURST_START + BURST_ITEMS + 20) as usize;
    let first_live = items.len() - (pages - 1);
    let burst_from = first_live + (BURST_START - BACKLOG_ITEMS) as usize;
    let burst = &items[burst_from..burst_from + BURST_ITEMS as usize];
    assert!(burst
        .iter()
        .all(|i| !i.from_brand && i.native_id.starts_with("outage-")));
    let policy = switchboard_core::Policy::demo();
    let support = burst
        .iter()
        .filter(|i| policy.routing.route(i).0 == "support")
        .count();
    assert!(
        support * 10 >= BURST_ITEMS as usize * 8,
        "mostly Support: {support}"
    );
    assert!(burst.iter().all(|i| i.text.to_lowercase().contains("app")));
    let login = burst
        .iter()
        .filter(|i| i.text.to_lowercase().contains("login"))
        .count();
    assert!(
        login * 10 >= BURST_ITEMS as usize * 7,
        "most cannot log in: {login}"
    );
    let langs: HashSet<_> = burst.iter().filter_map(|i| i.lang.as_deref()).collect();
    assert_eq!(langs.len(), 4, "{langs:?}");
    assert!(!items[burst_from - 1].native_id.starts_with("outage-"));
    assert!(!items[burst_from + BURST_ITEMS as usize]
        .native_id
        .starts_with("outage-"));
    // Faster than the crowd.
    let network = DemoNetwork::new(2026, 1.0);
    let calm = network
        .fetch_since(Some("100"), NOW)
        .await
        .unwrap()
        .poll_after_ms;
    let busy = network
        .fetch_since(Some(&BURST_START.to_string()), NOW)
        .await
        .unwrap()
        .poll_after_ms;
    assert!(busy * 2 < calm.max(2_000), "{busy} vs {calm}");
}
