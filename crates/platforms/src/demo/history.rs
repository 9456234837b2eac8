//! The demo's **last week**: what the crowd wrote, and how fast the brand answered, on the
//! six days before the workspace was created, so that a new user's response-time report
//! has days to show. Every conversation of that week ends answered: nothing from it waits,
//! breaches or notifies.
//!
//! The crowd writes its customer items (new conversations and follow-ups) through the
//! working day; the brand answers each run of unanswered items after a delay — mostly
//! minutes, sometimes an hour or more — so some answers beat their targets and some miss
//! them. Deterministic from the seed and the first fetch's time. Its items and threads are
//! kept apart from the live crowd's (`week-` ids, `-week` thread roots), and it does not
//! move the crowd's cursor.

use std::collections::HashMap;

use switchboard_core::{Item, ThreadKey, Timestamp};

use super::crowd::{brand_item, Crowd};
use super::rng::SplitMix64;
use super::script::BRAND_REPLIES;

/// Days of history before the day of the first fetch.
pub const HISTORY_DAYS: i64 = 6;
/// Items the crowd writes on each day of the week.
const ITEMS_PER_DAY: i64 = 16;
/// The day's first item, after midnight UTC (08:30).
const FIRST_ITEM_MS: i64 = 8 * HOUR_MS + 30 * MINUTE_MS;
/// Time between two items of a day (so a day's items run 08:30–16:00).
const SPACING_MS: i64 = 30 * MINUTE_MS;
const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Sets the week's crowd apart from the live one (the same seed would replay it).
const WEEK_SEED: u64 = 0x5745_454b;

/// The items of the six days before `now`'s day, in time order, every conversation
/// answered by the end.
pub fn last_week(seed: u64, now: Timestamp) -> Vec<Item> {
    let mut crowd = Crowd::new(seed ^ WEEK_SEED);
    let mut rng = SplitMix64::new(seed ^ WEEK_SEED.rotate_left(32));
    let today = now.millis().div_euclid(DAY_MS) * DAY_MS;
    let mut customer_items = Vec::new();
    for day in (1..=HISTORY_DAYS).rev() {
        let first = today - day * DAY_MS + FIRST_ITEM_MS;
        for n in 0..ITEMS_PER_DAY {
            let item = crowd.next_item(Timestamp(first + n * SPACING_MS));
            if !item.from_brand {
                customer_items.push(of_last_week(item));
            }
        }
    }
    let mut items = answered(customer_items, &mut rng);
    items.sort_by_key(|item| item.created_at);
    items
}

/// `customer_items` (in time order) with the brand's answer to each run of them.
fn answered(customer_items: Vec<Item>, rng: &mut SplitMix64) -> Vec<Item> {
    // Per thread: when the brand will answer the run that waits now.
    let mut answer_at: HashMap<ThreadKey, (Timestamp, String)> = HashMap::new();
    let mut items = Vec::new();
    for item in customer_items {
        match answer_at.get(&item.thread) {
            // The customer wrote again before the answer: the same run.
            Some((at, _)) if item.created_at < *at => {}
            waiting => {
                if let Some((at, name)) = waiting.cloned() {
                    items.push(answer(&item.thread, &name, at, rng));
                }
                let delay = answer_delay(rng);
                let name = first_name(&item);
                answer_at.insert(
                    item.thread.clone(),
                    (item.created_at.plus_millis(delay), name),
                );
            }
        }
        items.push(item);
    }
    let mut last: Vec<(ThreadKey, (Timestamp, String))> = answer_at.into_iter().collect();
    last.sort_by_key(|(_, (at, _))| *at);
    for (thread, (at, name)) in last {
        items.push(answer(&thread, &name, at, rng));
    }
    items
}

/// How long the brand took: mostly minutes, sometimes an hour or two, now and then most
/// of an afternoon.
fn answer_delay(rng: &mut SplitMix64) -> i64 {
    let minutes = match rng.weighted(&[70, 22, 8]) {
        0 => rng.between(2, 30),
        1 => rng.between(30, 120),
        _ => rng.between(120, 300),
    };
    minutes as i64 * MINUTE_MS
}

fn answer(thread: &ThreadKey, name: &str, at: Timestamp, rng: &mut SplitMix64) -> Item {
    let text = rng.pick(BRAND_REPLIES).replace("{name}", name);
    // Two threads can be answered in the same millisecond: the id names the thread too.
    let native_id = format!("week-answer-{}-{}", at.millis(), thread.0);
    brand_item(thread, native_id, &text, at)
}

fn first_name(item: &Item) -> String {
    let name = item
        .author
        .display_name
        .split(' ')
        .next()
        .unwrap_or_default();
    name.to_owned()
}

/// `item`, moved out of the live crowd's ids and threads.
fn of_last_week(mut item: Item) -> Item {
    item.native_id = format!("week-{}", item.native_id);
    item.thread = ThreadKey(format!("{}-week", item.thread.0));
    item
}
