//! [`super::fetch`] against a list in memory that pages like the servers ("keys strictly
//! below the cursor"), with entries arriving anywhere and leaving. An entry's key is also
//! the time it claims (in milliseconds), as the AppView lists a back-dated post by its
//! claim; the clock of the fetches is injected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};
use switchboard_platforms::ProviderError;

use super::{fetch, Entry, Limits, ListPage, ListSource};
use crate::sync_cursor::{entry_hash, ListPosition, Stream};

/// Keys are zero-padded numbers, so string order is number order; the uri names the entry.
#[derive(Default)]
struct MemoryList {
    entries: Mutex<BTreeMap<String, String>>,
    /// Keys the server reads but leaves out of its pages (other notifications).
    hidden: Mutex<HashSet<String>>,
    page_size: usize,
    pages_read: Mutex<usize>,
}

fn key(n: u64) -> String {
    format!("{n:012}")
}

impl MemoryList {
    fn new(page_size: usize) -> Self {
        MemoryList {
            page_size,
            ..MemoryList::default()
        }
    }

    fn add(&self, n: u64) -> String {
        let uri = format!("at://did:plc:x/app.bsky.feed.post/{n}");
        self.entries.lock().unwrap().insert(key(n), uri.clone());
        uri
    }

    fn remove(&self, n: u64) {
        self.entries.lock().unwrap().remove(&key(n));
    }
}

fn item(uri: &str, claimed: Timestamp) -> Item {
    Item {
        platform: Platform::Bluesky,
        account: "did:plc:brand".into(),
        native_id: uri.to_owned(),
        thread: ThreadKey::new(Platform::Bluesky, "did:plc:brand", uri),
        kind: ItemKind::Mention,
        author: Author {
            handle: "a.test".into(),
            display_name: "A".into(),
        },
        from_brand: false,
        text: String::new(),
        lang: None,
        created_at: claimed,
    }
}

impl ListSource for MemoryList {
    async fn page(&self, cursor: Option<&str>) -> Result<ListPage, ProviderError> {
        *self.pages_read.lock().unwrap() += 1;
        let entries = self.entries.lock().unwrap();
        let below: Vec<_> = entries
            .iter()
            .rev()
            .filter(|(k, _)| cursor.is_none_or(|c| k.as_str() < c))
            .take(self.page_size + 1)
            .collect();
        let more = below.len() > self.page_size;
        let last_read = below
            .get(self.page_size.saturating_sub(1))
            .map(|(k, _)| (*k).clone());
        let hidden = self.hidden.lock().unwrap();
        let page: Vec<Entry> = below
            .into_iter()
            .take(self.page_size)
            .filter(|(k, _)| !hidden.contains(*k))
            .map(|(k, uri)| Entry {
                key: k.clone(),
                hash: entry_hash(uri),
                item: Some(item(uri, Timestamp(k.parse().unwrap()))),
            })
            .collect();
        let cursor = more.then_some(last_read).flatten();
        Ok(ListPage {
            entries: page,
            cursor,
        })
    }
}

/// The fetches of one sweep cycle over `regions` regions: each region and the part below
/// them, taking turns with the newest regions once there are more of them.
fn cycle(regions: usize) -> usize {
    if regions > super::RECENT_REGIONS {
        2 * (regions + 1)
    } else {
        regions + 1
    }
}

const LIMITS: Limits = Limits {
    max_pages: 100,
    first_sync_limit: 200,
};

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Fetches once, through the stored text of the position, as the engine would.
/// The position the incoming cursor `cursor` stands for.
fn position_of(cursor: &Option<String>) -> ListPosition {
    ListPosition::parse(cursor.as_deref().unwrap(), Stream::Incoming, "d").unwrap()
}

async fn pull(list: &MemoryList, cursor: &mut Option<String>, taken: &mut HashMap<String, u32>) {
    pull_with(list, cursor, taken, &LIMITS).await;
}

async fn pull_with(
    list: &MemoryList,
    cursor: &mut Option<String>,
    taken: &mut HashMap<String, u32>,
    limits: &Limits,
) {
    let position = cursor
        .as_deref()
        .map(|c| ListPosition::parse(c, Stream::Incoming, "did:plc:brand").unwrap());
    let fetched = fetch(list, position, limits, Timestamp(1_000_000_000_000))
        .await
        .expect("fetch");
    for item in fetched.items {
        *taken.entry(item.native_id).or_default() += 1;
    }
    *cursor = Some(fetched.position.encode(Stream::Incoming));
}

/// Fetches once at `now`, through the stored text of the position; keeps the time of each
/// item as first taken.
async fn pull_at(
    list: &MemoryList,
    cursor: &mut Option<String>,
    now: Timestamp,
    limits: &Limits,
    times: &mut HashMap<String, Timestamp>,
) {
    let position = cursor
        .as_deref()
        .map(|c| ListPosition::parse(c, Stream::Incoming, "did:plc:brand").unwrap());
    let fetched = fetch(list, position, limits, now).await.expect("fetch");
    for item in fetched.items {
        times.entry(item.native_id).or_insert(item.created_at);
    }
    *cursor = Some(fetched.position.encode(Stream::Incoming));
}

/// A clock for the fetches: one second per fetch, from 1,000,000 ms (above every key of
/// the history in these tests).
struct Clock(i64);

impl Clock {
    fn new() -> Self {
        Clock(1_000_000)
    }

    fn tick(&mut self) -> Timestamp {
        self.0 += 1000;
        Timestamp(self.0)
    }

    fn now(&self) -> Timestamp {
        Timestamp(self.0)
    }
}

#[tokio::test]
async fn entries_arriving_anywhere_are_taken_within_a_cycle_and_history_stays_history() {
    let mut history_total = 0;
    for seed in 0..40 {
        let mut rng = Rng(seed);
        let list = MemoryList::new(1 + rng.below(120) as usize);
        // History: 700 entries at even numbers 1000..2400.
        let history: Vec<String> = (0..700).map(|n| list.add(1000 + 2 * n)).collect();
        let mut cursor = None;
        let mut taken = HashMap::new();
        pull(&list, &mut cursor, &mut taken).await;
        let first: HashSet<String> = taken.keys().cloned().collect();
        assert_eq!(first.len(), 200, "seed {seed}: the first sync is bounded");
        let history_after_first: HashSet<String> = history
            .iter()
            .filter(|h| !first.contains(*h))
            .cloned()
            .collect();
        // The sweep learns the history first (an entry dated into the part not yet learned
        // would count as history: the documented limit).
        let mut learning = 0;
        while !position_of(&cursor).complete {
            pull(&list, &mut cursor, &mut taken).await;
            learning += 1;
            assert!(learning <= 700, "seed {seed}: learning ends");
        }
        assert_eq!(taken.len(), 200, "seed {seed}: learning takes nothing");

        let mut arrived = HashSet::new();
        let mut next_new = 2400;
        for _ in 0..300 {
            match rng.below(10) {
                // New at the top.
                0..=3 => {
                    next_new += 2;
                    arrived.insert(list.add(next_new));
                }
                // Back-dated: anywhere below, even below everything.
                4..=6 => {
                    let n = 1 + 2 * rng.below(next_new / 2);
                    arrived.insert(list.add(n));
                }
                // A history entry leaves.
                7 => list.remove(1000 + 2 * rng.below(700)),
                _ => {}
            }
            pull(&list, &mut cursor, &mut taken).await;
        }
        // One full cycle with nothing changing finds the rest.
        let regions = position_of(&cursor).regions.len();
        for _ in 0..cycle(regions) {
            pull(&list, &mut cursor, &mut taken).await;
        }
        let present: HashSet<String> = list.entries.lock().unwrap().values().cloned().collect();
        for uri in arrived.iter().filter(|uri| present.contains(*uri)) {
            assert!(
                taken.contains_key(uri),
                "seed {seed}: {uri} was never taken"
            );
        }
        // Several changes in one region within one cycle give the region again (at most
        // about REGION_SIZE entries each time); only count it.
        let history_taken = history_after_first
            .iter()
            .filter(|h| taken.contains_key(*h))
            .count();
        history_total += history_taken;
        // Quiet now: a further cycle takes nothing.
        let before = taken.clone();
        for _ in 0..cycle(regions) {
            pull(&list, &mut cursor, &mut taken).await;
        }
        assert_eq!(taken, before, "seed {seed}: nothing new, nothing taken");
    }
    eprintln!("history entries given again over 40 hostile runs: {history_total}");
    assert!(
        history_total < 40 * super::REGION_SIZE,
        "several changes in one region are mostly told apart: {history_total}"
    );
}

#[tokio::test]
async fn one_entry_arriving_in_a_region_is_taken_alone_and_once() {
    let list = MemoryList::new(100);
    for n in 0..1000 {
        list.add(10 * n + 10);
    }
    let mut cursor = None;
    let mut taken = HashMap::new();
    pull(&list, &mut cursor, &mut taken).await;
    // Learn the rest of the history.
    for _ in 0..20 {
        pull(&list, &mut cursor, &mut taken).await;
    }
    let position = position_of(&cursor);
    assert!(position.complete, "the history is learned");
    assert_eq!(taken.len(), 200, "history is not taken");
    taken.clear();

    let late = list.add(5005); // deep in the history
    let ancient = list.add(1); // below everything
    list.remove(2000); // one history entry leaves another region
    let mut fetches = 0;
    while !(taken.contains_key(&late) && taken.contains_key(&ancient)) {
        pull(&list, &mut cursor, &mut taken).await;
        fetches += 1;
        assert!(
            fetches <= cycle(position.regions.len()),
            "found within one cycle"
        );
    }
    for _ in 0..30 {
        pull(&list, &mut cursor, &mut taken).await;
    }
    assert_eq!(taken.len(), 2, "only the two that arrived: {taken:?}");
    assert!(taken.values().all(|&n| n == 1), "each once: {taken:?}");
}

#[tokio::test]
async fn a_fetch_reads_the_top_and_one_region() {
    let list = MemoryList::new(100);
    for n in 0..5000 {
        list.add(n + 1);
    }
    let mut cursor = None;
    let mut taken = HashMap::new();
    for _ in 0..60 {
        pull(&list, &mut cursor, &mut taken).await;
    }
    *list.pages_read.lock().unwrap() = 0;
    for _ in 0..10 {
        pull(&list, &mut cursor, &mut taken).await;
    }
    let pages = *list.pages_read.lock().unwrap();
    assert!(pages <= 10 * 3, "{pages} pages for 10 quiet fetches");
    let size = cursor.as_deref().unwrap().len();
    eprintln!("a position over 5,000 entries: {size} bytes");
    assert!(size < 30_000, "{size} bytes");
}

#[tokio::test]
async fn pages_thinned_by_other_notifications_still_progress_and_find_arrivals() {
    let list = MemoryList::new(100);
    // 6,000 notifications, of which only every 20th is a mention.
    for n in 0..6000 {
        list.add(10 * n + 10);
        if n % 20 != 0 {
            list.hidden.lock().unwrap().insert(key(10 * n + 10));
        }
    }
    let mut cursor = None;
    let mut taken = HashMap::new();
    pull(&list, &mut cursor, &mut taken).await;
    let mut fetches = 0;
    while !position_of(&cursor).complete {
        pull(&list, &mut cursor, &mut taken).await;
        fetches += 1;
        assert!(fetches <= 40, "learning ends");
    }
    assert_eq!(taken.len(), 200, "the first sync's mentions, no more");
    let regions = position_of(&cursor).regions;
    assert!(
        regions.len() <= 5,
        "regions of about 90 mentions: {}",
        regions.len()
    );
    taken.clear();
    let late = list.add(12_345); // among the history not taken
    let regions = position_of(&cursor).regions.len();
    for _ in 0..cycle(regions) {
        pull(&list, &mut cursor, &mut taken).await;
    }
    assert_eq!(taken, HashMap::from([(late, 1)]));
}

#[tokio::test]
async fn more_new_entries_than_one_fetch_reads_follow_in_later_fetches() {
    let list = MemoryList::new(10);
    for n in 0..500 {
        list.add(2 * n + 2);
    }
    let small = Limits {
        max_pages: 3,
        first_sync_limit: 20,
    };
    let mut cursor = None;
    let mut taken = HashMap::new();
    for _ in 0..100 {
        pull_with(&list, &mut cursor, &mut taken, &small).await;
    }
    assert_eq!(taken.len(), 20, "history stays history");
    taken.clear();
    let mut new = HashSet::new();
    for n in 0..400 {
        new.insert(list.add(2000 + 2 * n)); // above everything
        if n % 4 == 0 {
            new.insert(list.add(2 * n + 1)); // among the history
        }
    }
    for _ in 0..200 {
        pull_with(&list, &mut cursor, &mut taken, &small).await;
    }
    let taken_ids: HashSet<String> = taken.keys().cloned().collect();
    assert!(new.is_subset(&taken_ids), "every new entry is taken");
    eprintln!(
        "after a burst past the page limit: {} new, {} taken, {} given again",
        new.len(),
        taken.len(),
        taken.values().filter(|&&n| n > 1).count()
    );
}

#[tokio::test]
async fn an_entry_among_the_newest_regions_is_found_within_a_few_fetches() {
    let list = MemoryList::new(100);
    for n in 0..5000 {
        list.add(10 * n + 10);
    }
    let mut cursor = None;
    let mut taken = HashMap::new();
    for _ in 0..80 {
        pull(&list, &mut cursor, &mut taken).await;
    }
    let position = position_of(&cursor);
    assert!(position.complete && position.regions.len() > 40);
    taken.clear();
    // Just below the top: in the newest region.
    let below_top: u64 = position.top_lower.as_deref().unwrap().parse().unwrap();
    let late = list.add(below_top - 25);
    let mut fetches = 0;
    while !taken.contains_key(&late) {
        pull(&list, &mut cursor, &mut taken).await;
        fetches += 1;
        assert!(
            fetches <= 2 * super::RECENT_REGIONS,
            "found within {} fetches, not a whole cycle ({})",
            2 * super::RECENT_REGIONS,
            cycle(position.regions.len())
        );
    }
}

#[tokio::test]
async fn an_entry_found_late_counts_from_the_last_read_of_its_place_not_from_its_claim() {
    let list = MemoryList::new(100);
    for n in 0..1000 {
        list.add(10 * n + 10); // claims 10..=10_000 ms
    }
    let mut clock = Clock::new();
    let mut cursor = None;
    let mut times = HashMap::new();
    pull_at(&list, &mut cursor, clock.tick(), &LIMITS, &mut times).await;
    assert_eq!(times.len(), 200);
    assert!(
        times
            .iter()
            .all(|(uri, at)| uri.ends_with(&format!("/{}", at.0))),
        "the first sync's items keep their claimed times"
    );
    for _ in 0..20 {
        pull_at(&list, &mut cursor, clock.tick(), &LIMITS, &mut times).await;
    }
    let position = position_of(&cursor);
    assert!(position.complete, "the history is learned");
    times.clear();

    // Written after the last fetch at `last`.
    let last = clock.now();
    let on_time = list.add(last.0 as u64 + 500); // dated as written
    let slow = list.add(last.0 as u64 - 300); // a clock 0.3 s behind the fetches'
    let ahead = list.add(last.0 as u64 + 3_600_000); // a clock an hour ahead
    let deep = list.add(5005); // back-dated into a region
    let ancient = list.add(1); // back-dated below everything
    let mut fetches = 0;
    let mut found_at = HashMap::new();
    while times.len() < 5 {
        let now = clock.tick();
        pull_at(&list, &mut cursor, now, &LIMITS, &mut times).await;
        for uri in times.keys() {
            found_at.entry(uri.clone()).or_insert(now);
        }
        fetches += 1;
        assert!(fetches <= cycle(position.regions.len()), "within one cycle");
    }
    let first_fetch = Timestamp(last.0 + 1000);
    assert_eq!(times[&on_time], Timestamp(last.0 + 500), "kept as claimed");
    assert_eq!(times[&slow], last, "from the fetch that did not list it");
    assert_eq!(
        times[&ahead], first_fetch,
        "not after the fetch that found it"
    );
    for (name, uri) in [("deep", &deep), ("ancient", &ancient)] {
        let at = times[uri];
        assert!(
            at <= last && at.0 >= last.0 - 1000 * cycle(position.regions.len()) as i64,
            "{name}: from a read of its place before it arrived, within a cycle: {at:?}"
        );
        assert_eq!(at.0 % 1000, 0, "{name}: the time of a fetch: {at:?}");
        assert!(at < found_at[uri], "{name}: before the fetch that found it");
    }
}

#[tokio::test]
async fn a_first_sync_keeps_claimed_times_except_ones_after_now() {
    let list = MemoryList::new(100);
    let past = list.add(500);
    let future = list.add(9_000);
    let mut times = HashMap::new();
    pull_at(&list, &mut None, Timestamp(2_000), &LIMITS, &mut times).await;
    assert_eq!(
        times[&past],
        Timestamp(500),
        "history keeps its claimed time"
    );
    assert_eq!(times[&future], Timestamp(2_000), "a claim after now is now");
}

#[tokio::test]
async fn a_position_without_read_times_counts_new_entries_from_the_fetch() {
    let list = MemoryList::new(100);
    for n in 0..400 {
        list.add(10 * n + 10);
    }
    let mut clock = Clock::new();
    let mut cursor = None;
    let mut times = HashMap::new();
    for _ in 0..10 {
        pull_at(&list, &mut cursor, clock.tick(), &LIMITS, &mut times).await;
    }
    // As an older version wrote it: no read times.
    let mut position = position_of(&cursor);
    assert!(position.complete && position.top_read_at.is_some());
    position.top_read_at = None;
    position.below_read_at = None;
    for region in &mut position.regions {
        region.read_at = None;
    }
    let old = position.encode(Stream::Incoming);
    assert!(!old.contains("read_at"), "{old}");
    cursor = Some(old);
    times.clear();
    let top = list.add(5_000);
    let ancient = list.add(1);
    let mut found_at = HashMap::new();
    let mut fetches = 0;
    while times.len() < 2 {
        let now = clock.tick();
        pull_at(&list, &mut cursor, now, &LIMITS, &mut times).await;
        for uri in times.keys() {
            found_at.entry(uri.clone()).or_insert(now);
        }
        fetches += 1;
        assert!(fetches <= 20, "found");
    }
    for uri in [&top, &ancient] {
        assert_eq!(times[uri], found_at[uri], "{uri}: the fetch that found it");
    }
}

#[tokio::test]
async fn entries_past_the_page_limit_count_from_the_read_before_the_burst() {
    let list = MemoryList::new(10);
    for n in 0..500 {
        list.add(2 * n + 2);
    }
    let small = Limits {
        max_pages: 3,
        first_sync_limit: 20,
    };
    let mut clock = Clock::new();
    let mut cursor = None;
    let mut times = HashMap::new();
    for _ in 0..100 {
        pull_at(&list, &mut cursor, clock.tick(), &small, &mut times).await;
    }
    let last = clock.now();
    times.clear();
    // 400 entries above everything, more than one fetch reads, all dated before `last`.
    let burst: Vec<String> = (0..400).map(|n| list.add(2000 + 2 * n)).collect();
    for _ in 0..200 {
        pull_at(&list, &mut cursor, clock.tick(), &small, &mut times).await;
    }
    for uri in &burst {
        assert_eq!(
            times.get(uri),
            Some(&last),
            "{uri}: from the last read of the top before the burst, even when read fetches later"
        );
    }
}
