//! Reading a newest-first list so that no entry is ever skipped, wherever it appears.
//!
//! Terms ([`ListPosition`], key, top, region, digest, sweep, complete) are defined in
//! [`crate::sync_cursor`]. One fetch does two things:
//!
//! 1. **Top read**: pages from the newest entry down to `top_lower`. An entry there whose
//!    hash is not in the top's set is new. When the top holds more than [`TOP_MAX`]
//!    entries, all but the newest [`TOP_KEEP`] are sealed into regions.
//! 2. **One sweep step**: re-reads the next region (or, below the last one, the rest of the
//!    list) and compares the digest of what it holds with the stored one, which tells the
//!    entries that arrived from those that left ([`crate::digest`]). When too many changed
//!    at once to tell apart, every entry of the region is given again (about
//!    [`REGION_SIZE`]; the store drops those it has). Below the last region, anything found
//!    once the position is complete arrived since: all of it is new.
//!
//! Once there are more than [`RECENT_REGIONS`] regions, every other sweep step checks one
//! of the newest instead, in turn: entries dated a little back land there.
//!
//! **Why nothing is missed**: every key lies in the top, in a region, or below the last
//! region; each of these is read again within one sweep cycle (the number of regions + 1
//! fetches, twice that with the turns), and an entry that was not there before changes the
//! digest of where it lands (barring a coincidence of 64- and 32-bit hashes). There is no
//! bound on how far back an entry may be dated; the bound is on the delay: the next fetch
//! in the top (the newest 50–90 entries), 2 × [`RECENT_REGIONS`] fetches in the newest
//! regions (about 360 entries more), one cycle anywhere else. Two limits: until the first
//! sweep has learned the whole list (after the first sync or after a position of an older
//! version), an entry dated before the oldest one read is taken for history; and the
//! servers page with "keys strictly below", so entries sharing one key across a page
//! boundary are skipped by the server itself.
//!
//! **Time of an entry found late**: what an entry claims (`createdAt`) says nothing about
//! when it arrived: a post back-dated to 1026 is listed with that time. Each place — the
//! top, each region, the part below the last region — keeps its **read time**, when it
//! was last read whole (by the `now` the caller passes). An entry found new in a place
//! arrived after that place's read time, so its item's `created_at` is the later of the
//! claimed time and the read time: the earliest instant it can have arrived. A post dated
//! as it is written arrived after the last read and keeps its time; one from a phone 30 s
//! slow or back-dated by a thousand years counts from the last read that did not list it.
//! That is never later than the real arrival as the caller's clock tells it (a customer's
//! wait never looks shorter than it was), and at most the time between two reads of its
//! place earlier: one fetch in the top, 2 × [`RECENT_REGIONS`] fetches in the newest
//! regions, one sweep cycle elsewhere. A time later than `now` (a clock ahead) is `now`.
//! The items of the first sync are history, dated as they claim (no later than `now`). A
//! place without a read time (a position of an older version) counts as read at `now`.
//! When a region is given whole again (too many changes to tell apart), the entries
//! already taken get the same bound; the store drops them as duplicates.
//!
//! **Cost**: a fetch usually reads two pages (the top, one region) where reading down to a
//! newest-seen mark read one; the position grows by about 425 bytes per region of ~90
//! entries (23 kB for 5,000, read times included).

use std::collections::HashSet;

use switchboard_core::{Item, Timestamp};
use switchboard_platforms::ProviderError;

use crate::digest::Digest;
use crate::sync_cursor::{ListPosition, Region};

/// The newest entries kept in the top when it is sealed.
pub(crate) const TOP_KEEP: usize = 50;
/// The most entries the top holds before its older part is sealed into regions.
pub(crate) const TOP_MAX: usize = 90;
/// About how many entries a region holds (cut where the key changes).
pub(crate) const REGION_SIZE: usize = 90;
/// How many regions of history one fetch learns at most.
const LEARN_REGIONS: usize = 5;
/// The newest regions, checked on every other fetch.
pub(crate) const RECENT_REGIONS: usize = 4;

/// One entry of a list.
pub(crate) struct Entry {
    /// Its place in the list.
    pub key: String,
    /// Its hash ([`crate::sync_cursor::entry_hash`]).
    pub hash: u64,
    /// The item it becomes; `None`: not one Switchboard takes (a post that answers nobody).
    pub item: Option<Item>,
}

/// One page of a list, newest first.
pub(crate) struct ListPage {
    pub entries: Vec<Entry>,
    /// Where the next (older) page starts; `None` at the end of the list.
    pub cursor: Option<String>,
}

/// A list read page by page: `cursor` is either a key (the page then holds the entries
/// strictly below it) or the cursor of the page before.
pub(crate) trait ListSource {
    async fn page(&self, cursor: Option<&str>) -> Result<ListPage, ProviderError>;
}

/// What one fetch found.
pub(crate) struct Fetched {
    /// The new items, newest first as found.
    pub items: Vec<Item>,
    pub position: ListPosition,
}

/// Limits of one fetch.
pub(crate) struct Limits {
    /// At most this many pages per read.
    pub max_pages: usize,
    /// The first sync takes the items among this many newest entries.
    pub first_sync_limit: usize,
}

/// Entries read from one place down.
struct Range {
    /// The entries with a key at or above the floor, newest first.
    entries: Vec<Entry>,
    /// The end of the list was reached.
    ended: bool,
    /// The page limit stopped the read before the floor or the end.
    exhausted: bool,
    /// Where the read stopped when exhausted: the cursor of the next page.
    next: Option<String>,
}

impl Range {
    /// The lowest key the read covered: its last entry's, or where an empty read stopped.
    fn reached(&self) -> Option<String> {
        self.entries
            .last()
            .map(|entry| entry.key.clone())
            .or_else(|| self.next.clone())
    }
}

/// Reads from `start` (a key, or the top) down to `floor` (inclusive; `None`: the end of
/// the list), at most `max_pages` pages, or until `enough` entries are read. A page may
/// hold fewer entries than asked, even none (the AppView drops the notifications of other
/// reasons after reading them); its cursor still says how far the server has looked.
async fn read_range(
    source: &impl ListSource,
    start: Option<&str>,
    floor: Option<&str>,
    max_pages: usize,
    enough: usize,
) -> Result<Range, ProviderError> {
    let below_floor = |key: &str| floor.is_some_and(|floor| key < floor);
    let mut range = Range {
        entries: Vec::new(),
        ended: false,
        exhausted: false,
        next: None,
    };
    let mut cursor = start.map(str::to_owned);
    let mut pages = 0;
    loop {
        let page = source.page(cursor.as_deref()).await?;
        pages += 1;
        for entry in page.entries {
            if below_floor(&entry.key) {
                return Ok(range);
            }
            range.entries.push(entry);
        }
        let Some(next) = page.cursor else {
            range.ended = true;
            return Ok(range);
        };
        if below_floor(&next) {
            return Ok(range);
        }
        if range.entries.len() >= enough || pages >= max_pages.max(1) {
            range.exhausted = true;
            range.next = Some(next);
            return Ok(range);
        }
        cursor = Some(next);
    }
}

/// One fetch of `source` from `position` (`None`: the first sync) at `now`.
pub(crate) async fn fetch(
    source: &impl ListSource,
    position: Option<ListPosition>,
    limits: &Limits,
    now: Timestamp,
) -> Result<Fetched, ProviderError> {
    let Some(mut position) = position else {
        return first_sync(source, limits, now).await;
    };
    let mut items = top_read(source, &mut position, limits, now).await?;
    items.extend(sweep_step(source, &mut position, limits, now).await?);
    Ok(Fetched { items, position })
}

/// The item of `entry` found new in a place last read at `read_at` (`None`: not known,
/// taken as `now`): dated no earlier than that and no later than `now`.
fn arrived(entry: &Entry, read_at: Option<Timestamp>, now: Timestamp) -> Option<Item> {
    let mut item = entry.item.clone()?;
    item.created_at = item.created_at.max(read_at.unwrap_or(now)).min(now);
    Some(item)
}

/// The first sync: the items among the newest `first_sync_limit` entries, as they claim;
/// everything older is history, learned by the sweep.
async fn first_sync(
    source: &impl ListSource,
    limits: &Limits,
    now: Timestamp,
) -> Result<Fetched, ProviderError> {
    let range = read_range(
        source,
        None,
        None,
        limits.max_pages,
        limits.first_sync_limit,
    )
    .await?;
    let items = range
        .entries
        .iter()
        .take(limits.first_sync_limit)
        .filter_map(|entry| arrived(entry, Some(Timestamp(i64::MIN)), now))
        .collect();
    let mut position = ListPosition {
        top_lower: if range.ended { None } else { range.reached() },
        complete: range.ended,
        top_read_at: Some(now),
        below_read_at: range.ended.then_some(now),
        ..ListPosition::default()
    };
    seal_top(&mut position, range.entries, now);
    Ok(Fetched { items, position })
}

/// Reads the top; returns the entries not seen there before.
async fn top_read(
    source: &impl ListSource,
    position: &mut ListPosition,
    limits: &Limits,
    now: Timestamp,
) -> Result<Vec<Item>, ProviderError> {
    let range = read_range(
        source,
        None,
        position.top_lower.as_deref(),
        limits.max_pages,
        usize::MAX,
    )
    .await?;
    let seen: HashSet<u64> = position.top.iter().copied().collect();
    let items = range
        .entries
        .iter()
        .filter(|entry| !seen.contains(&entry.hash))
        .filter_map(|entry| arrived(entry, position.top_read_at, now))
        .collect();
    if range.exhausted {
        // What lies between the last entry read and the old top is not known: a region
        // whose digest matches nothing, so the sweep gives all of it.
        tracing::warn!(
            pages = limits.max_pages,
            "more new Bluesky entries than one fetch reads; the rest follow in later fetches"
        );
        if let Some(reached) = range.reached() {
            // Its new entries arrived after the top's last read, not after this one.
            let gap = Region {
                lower: position.top_lower.clone().unwrap_or_default(),
                read_at: position.top_read_at,
                ..Region::default()
            };
            position.regions.insert(0, gap);
            position.top_lower = Some(reached);
        }
    }
    position.top_read_at = Some(now);
    if range.ended {
        position.below_read_at = Some(now);
    }
    seal_top(position, range.entries, now);
    Ok(items)
}

/// Makes `entries` (everything at or above `top_lower`, read at `now`) the top, sealing
/// its older part into regions when it holds more than [`TOP_MAX`].
fn seal_top(position: &mut ListPosition, mut entries: Vec<Entry>, now: Timestamp) {
    entries.sort_by(|a, b| b.key.cmp(&a.key));
    let mut cut = TOP_KEEP.min(entries.len());
    while cut < entries.len() && cut > 0 && entries[cut].key == entries[cut - 1].key {
        cut += 1;
    }
    if entries.len() > TOP_MAX && cut > 0 && cut < entries.len() {
        let sealed = entries.split_off(cut);
        let regions = chunk(&sealed, position.top_lower.clone(), now);
        position.regions.splice(0..0, regions);
        position.top_lower = Some(entries[cut - 1].key.clone());
    }
    position.top = entries
        .iter()
        .filter(|entry| entry.item.is_some())
        .map(|entry| entry.hash)
        .collect();
}

/// Cuts `entries` (newest first, read at `read_at`) into regions of about
/// [`REGION_SIZE`], where the key changes; the last one reaches down to `bottom` when given.
fn chunk(entries: &[Entry], bottom: Option<String>, read_at: Timestamp) -> Vec<Region> {
    let mut regions = Vec::new();
    let mut start = 0;
    for (n, entry) in entries.iter().enumerate() {
        let next_differs = entries.get(n + 1).is_none_or(|next| next.key != entry.key);
        let size = n + 1 - start;
        if next_differs && (size >= REGION_SIZE || n + 1 == entries.len()) {
            let part = &entries[start..=n];
            regions.push(Region {
                lower: entry.key.clone(),
                digest: Digest::of(item_hashes(part)),
                read_at: Some(read_at),
            });
            start = n + 1;
        }
    }
    if let (Some(bottom), Some(last)) = (bottom, regions.last_mut()) {
        last.lower = bottom;
    }
    regions
}

/// The hashes of the entries that are items.
fn item_hashes(entries: &[Entry]) -> impl Iterator<Item = u64> + '_ {
    entries
        .iter()
        .filter(|entry| entry.item.is_some())
        .map(|entry| entry.hash)
}

/// Checks the next region, or the list below the last one; returns what arrived. Every
/// other fetch checks one of the newest [`RECENT_REGIONS`] regions instead, where entries
/// dated a little back (a slow clock, a reply that waited hours) land.
async fn sweep_step(
    source: &impl ListSource,
    position: &mut ListPosition,
    limits: &Limits,
    now: Timestamp,
) -> Result<Vec<Item>, ProviderError> {
    let after = |after: &Option<String>, region: &Region| {
        after
            .as_deref()
            .is_none_or(|after| region.lower.as_str() < after)
    };
    let take_turns = position.regions.len() > RECENT_REGIONS;
    if take_turns {
        position.turn = position.turn.wrapping_add(1);
    }
    if take_turns && position.turn.is_multiple_of(2) {
        let index = position.regions[..RECENT_REGIONS]
            .iter()
            .position(|region| after(&position.recent_after, region))
            .unwrap_or(0);
        let (items, checked) = check_region(source, position, index, limits, now).await?;
        position.recent_after = Some(checked);
        return Ok(items);
    }
    let next = position
        .regions
        .iter()
        .position(|region| after(&position.sweep_after, region));
    match next {
        Some(index) => {
            let (items, checked) = check_region(source, position, index, limits, now).await?;
            position.sweep_after = Some(checked);
            Ok(items)
        }
        None => below_regions(source, position, limits, now).await,
    }
}

/// Re-reads region `index` and compares its digest; returns what arrived and the lower key
/// of what was checked.
async fn check_region(
    source: &impl ListSource,
    position: &mut ListPosition,
    index: usize,
    limits: &Limits,
    now: Timestamp,
) -> Result<(Vec<Item>, String), ProviderError> {
    let upper = if index == 0 {
        position.top_lower.clone()
    } else {
        Some(position.regions[index - 1].lower.clone())
    };
    let stored = position.regions[index].clone();
    let floor = Some(stored.lower.as_str()).filter(|lower| !lower.is_empty());
    // A region was read within the page limit; one more page shows where it ends.
    let range = read_range(
        source,
        upper.as_deref(),
        floor,
        limits.max_pages + 1,
        usize::MAX,
    )
    .await?;
    let mut items: Vec<Item> = Vec::new();
    let found = |entry: &Entry| arrived(entry, stored.read_at, now);
    let everything = |items: &mut Vec<Item>| {
        items.extend(range.entries.iter().filter_map(&found));
    };
    if range.exhausted {
        tracing::warn!(
            pages = limits.max_pages,
            "a Bluesky list region grew past one fetch; its entries are all given again"
        );
        everything(&mut items);
    } else {
        let present: HashSet<u64> = item_hashes(&range.entries).collect();
        let changes = Digest::of(present.iter().copied()).changes_since(&stored.digest);
        match changes {
            // Exactly what arrived (what left needs nothing), when it adds up.
            Some(changes)
                if changes.arrived.iter().all(|h| present.contains(h))
                    && changes.left.iter().all(|h| !present.contains(h)) =>
            {
                let arrived: HashSet<u64> = changes.arrived.into_iter().collect();
                items.extend(
                    range
                        .entries
                        .iter()
                        .filter(|entry| arrived.contains(&entry.hash))
                        .filter_map(&found),
                );
            }
            // Too many changes at once to tell apart: all of the region.
            _ => everything(&mut items),
        }
    }
    let last_read = range.entries.last().map(|entry| entry.key.clone());
    let checked = match (range.exhausted, last_read) {
        (true, Some(last_read)) => {
            // The part not read is unknown: given in full when next checked, as arrived
            // since the region was last read.
            let mut replacement = chunk(&range.entries, Some(last_read.clone()), now);
            replacement.push(Region {
                lower: stored.lower.clone(),
                read_at: stored.read_at,
                ..Region::default()
            });
            position.regions.splice(index..=index, replacement);
            last_read
        }
        (true, None) => stored.lower,
        (false, _) => {
            let mut replacement = chunk(&range.entries, Some(stored.lower.clone()), now);
            if replacement.is_empty() {
                replacement.push(Region {
                    lower: stored.lower.clone(),
                    read_at: Some(now),
                    ..Region::default()
                });
            }
            position.regions.splice(index..=index, replacement);
            stored.lower
        }
    };
    if range.ended {
        position.below_read_at = Some(now);
    }
    Ok((items, checked))
}

/// Reads below the last region (or the top): while learning, a few regions of history;
/// once complete, whatever arrived there.
async fn below_regions(
    source: &impl ListSource,
    position: &mut ListPosition,
    limits: &Limits,
    now: Timestamp,
) -> Result<Vec<Item>, ProviderError> {
    let start = match position.regions.last() {
        Some(region) => Some(region.lower.clone()),
        None => position.top_lower.clone(),
    };
    let Some(start) = start.filter(|start| !start.is_empty()) else {
        // The top or the last region reaches the end of the list.
        position.complete = true;
        position.sweep_after = None;
        return Ok(Vec::new());
    };
    // While learning, a few regions per fetch: until the history is learned, an entry
    // dated into the part not yet learned would be taken for history.
    let enough = if position.complete {
        usize::MAX
    } else {
        LEARN_REGIONS * REGION_SIZE
    };
    let range = read_range(source, Some(&start), None, limits.max_pages, enough).await?;
    let items = if position.complete {
        range
            .entries
            .iter()
            .filter_map(|entry| arrived(entry, position.below_read_at, now))
            .collect()
    } else {
        Vec::new()
    };
    let mut learned = chunk(&range.entries, None, now);
    if !position.complete && !range.ended && learned.len() > 1 {
        // A short last region would stay short: its entries are read again next time.
        learned.pop();
    }
    if let (true, Some(next)) = (learned.is_empty(), range.next) {
        // Nothing but other notifications down to `next`: the last region reaches there.
        match position.regions.last_mut() {
            Some(last) => last.lower = next,
            None => position.regions.push(Region {
                lower: next,
                read_at: Some(now),
                ..Region::default()
            }),
        }
    }
    position.regions.extend(learned);
    if range.ended {
        position.complete = true;
        position.below_read_at = Some(now);
    }
    position.sweep_after = if position.complete && !range.exhausted {
        None
    } else {
        position.regions.last().map(|region| region.lower.clone())
    };
    Ok(items)
}

#[cfg(test)]
#[path = "list_sync_tests.rs"]
mod tests;
