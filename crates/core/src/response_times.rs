//! **Response times**: how fast the brand answered, for a lead to see per queue.
//!
//! - A **response** is the brand's reply that answers a waiting conversation: the run of
//!   unanswered customer items it ends started the clock, the reply stopped it. Replies
//!   the brand writes while nobody waits (its own posts, a second reply) are not
//!   responses; neither is marking a conversation done.
//! - A response's **time** is counted in business time on the calendar of the queue the
//!   conversation was in when it was answered, like its SLA clock. It is **within
//!   target** when the reply came before the SLA's breach deadline (snoozes extend it,
//!   as they do the clock); queues without an SLA have no target.
//! - Responses are found by replaying a conversation's events through the reducer
//!   ([`responses`]), so they agree with what the queues showed at the time — replies
//!   from anywhere count, out-of-order arrivals are placed by their platform times.
//! - A report ([`ResponseTimesReport::build`]) covers the responses made in a period, per
//!   queue and per local day, with the median and 90th percentile.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ConversationState, Event, EventKind, ItemKind, Policy, QueueId, Timestamp};

/// One response: a brand reply that answered a waiting conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The queue the conversation was in when answered.
    pub queue: QueueId,
    /// The kind of the item that started the conversation (it picks the SLA target).
    pub kind: ItemKind,
    /// Whether the brand had never answered this conversation before (first response).
    pub first: bool,
    /// When the customer's unanswered run began.
    pub waiting_since: Timestamp,
    /// When the brand replied (the reply's platform time).
    pub answered_at: Timestamp,
    /// Snoozes in force while it waited (they pause the SLA clock).
    pub pauses: Vec<(Timestamp, Timestamp)>,
}

/// The responses in one conversation's `events`. They are replayed in the order things
/// happened — items at their platform time, actions at theirs — so a reply fetched
/// before the item it answers is still timed from that item. Events the reducer refuses
/// are skipped, as they were when they were logged.
pub fn responses(events: &[Event]) -> Vec<Response> {
    let mut timeline: Vec<&Event> = events.iter().collect();
    timeline.sort_by_key(|event| happened_at(event));
    let mut found = Vec::new();
    let mut state: Option<ConversationState> = None;
    for event in timeline {
        let before = state
            .as_ref()
            .and_then(|s| s.waiting_since().map(|since| (s, since)))
            .map(|(s, since)| {
                (
                    s.queue.clone(),
                    s.kind,
                    !s.answered_before(),
                    since,
                    s.pauses.clone(),
                )
            });
        let next = match state.take() {
            Some(mut s) => {
                // A refused event leaves the state as it was.
                let _refused = s.apply_to(event);
                Some(s)
            }
            None => ConversationState::apply(None, event).ok(),
        };
        if let (
            Some((queue, kind, first, waiting_since, pauses)),
            Some(after),
            EventKind::BrandReplyObserved { item, .. },
        ) = (before, next.as_ref(), &event.kind)
        {
            if after.waiting_since() != Some(waiting_since) {
                found.push(Response {
                    queue,
                    kind: kind.unwrap_or(item.kind),
                    first,
                    waiting_since,
                    answered_at: item.created_at,
                    pauses,
                });
            }
        }
        state = next;
    }
    found
}

/// When `event` happened: an item's platform time, an action's logged time.
fn happened_at(event: &Event) -> Timestamp {
    match &event.kind {
        EventKind::ItemIngested { item, .. } | EventKind::BrandReplyObserved { item, .. } => {
            item.created_at
        }
        _ => event.at,
    }
}

/// Response times of the whole workspace over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ResponseTimesReport {
    /// Start of the period (midnight of its first day, local time).
    pub from: Timestamp,
    /// End of the period (the moment of the report).
    pub to: Timestamp,
    /// The days of the period, oldest first, as `YYYY-MM-DD` in local time.
    pub days: Vec<String>,
    /// Every queue of the policy, in display order (those without responses too).
    pub queues: Vec<QueueResponseTimes>,
}

/// How fast one queue's conversations were answered in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueResponseTimes {
    /// The queue.
    pub queue: crate::Queue,
    /// Responses in the period, first and next.
    pub responses: u32,
    /// Of those, first responses (the brand had never answered the conversation).
    pub first_responses: u32,
    /// Median business time to respond (ms); `null` without responses.
    #[ts(type = "number | null")]
    pub median_millis: Option<i64>,
    /// 90th percentile of the business time to respond (ms); `null` without responses.
    #[ts(type = "number | null")]
    pub p90_millis: Option<i64>,
    /// Responses before the SLA's breach deadline; `null` when the queue has no SLA.
    pub within_target: Option<u32>,
    /// One entry per day of the report, oldest first.
    pub per_day: Vec<DayResponseTimes>,
}

/// One queue's responses on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DayResponseTimes {
    /// Responses made that day.
    pub responses: u32,
    /// Their median business time to respond (ms); `null` without responses.
    #[ts(type = "number | null")]
    pub median_millis: Option<i64>,
}

/// Longest period a report covers, in days.
pub const MAX_REPORT_DAYS: u32 = 90;

impl ResponseTimesReport {
    /// Where a report of `days` days up to `now` in `zone` begins: local midnight of its
    /// first day (what [`Self::build`] calls `from`).
    pub fn period_start(zone: &TimeZone, days: u32, now: Timestamp) -> Timestamp {
        day_starts(zone, days.clamp(1, MAX_REPORT_DAYS), now)[0]
    }

    /// The report of the `days` local days up to `now` (today included; 1 to
    /// [`MAX_REPORT_DAYS`]) in `zone`, from `responses` (others are ignored), with
    /// `policy`'s queues, calendars and targets.
    pub fn build(
        responses: &[Response],
        policy: &Policy,
        zone: &TimeZone,
        days: u32,
        now: Timestamp,
    ) -> Self {
        let days = days.clamp(1, MAX_REPORT_DAYS);
        let starts = day_starts(zone, days, now);
        let from = starts[0];
        let labels = starts.iter().map(|&start| day_label(zone, start)).collect();
        let in_period = |r: &&Response| from <= r.answered_at && r.answered_at <= now;
        let queues = policy
            .queues()
            .into_iter()
            .map(|queue| {
                let mine: Vec<&Response> = responses
                    .iter()
                    .filter(in_period)
                    .filter(|r| r.queue == queue.id)
                    .collect();
                let calendar = policy.calendar_for(&queue.id);
                let times: Vec<i64> = mine
                    .iter()
                    .map(|r| calendar.business_millis_between(r.waiting_since, r.answered_at))
                    .collect();
                let within_target = policy.sla_for(&queue.id).map(|_| {
                    count(mine.iter().filter(|r| {
                        policy
                            .deadlines(&r.queue, r.kind, r.first, r.waiting_since, &r.pauses)
                            .is_none_or(|d| r.answered_at < d.breached_at)
                    }))
                });
                let per_day = (0..starts.len())
                    .map(|d| {
                        let end = starts.get(d + 1).copied().unwrap_or(Timestamp(i64::MAX));
                        let day: Vec<i64> = mine
                            .iter()
                            .zip(&times)
                            .filter(|(r, _)| starts[d] <= r.answered_at && r.answered_at < end)
                            .map(|(_, &t)| t)
                            .collect();
                        DayResponseTimes {
                            responses: count(day.iter()),
                            median_millis: percentile(&day, 50),
                        }
                    })
                    .collect();
                QueueResponseTimes {
                    responses: count(mine.iter()),
                    first_responses: count(mine.iter().filter(|r| r.first)),
                    median_millis: percentile(&times, 50),
                    p90_millis: percentile(&times, 90),
                    within_target,
                    per_day,
                    queue,
                }
            })
            .collect();
        ResponseTimesReport {
            from,
            to: now,
            days: labels,
            queues,
        }
    }
}

/// The local midnights starting each of the `days` days that end with `now`'s day.
fn day_starts(zone: &TimeZone, days: u32, now: Timestamp) -> Vec<Timestamp> {
    let today = zoned(zone, now).date();
    (0..days)
        .rev()
        .map(|back| {
            let date = today
                .checked_sub(jiff::Span::new().days(i64::from(back)))
                .unwrap_or(today);
            date.to_zoned(zone.clone())
                .map(|z| Timestamp(z.timestamp().as_millisecond()))
                .unwrap_or(now)
        })
        .collect()
}

fn zoned(zone: &TimeZone, at: Timestamp) -> jiff::Zoned {
    jiff::Timestamp::from_millisecond(at.millis())
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(zone.clone())
}

fn day_label(zone: &TimeZone, start: Timestamp) -> String {
    zoned(zone, start).date().to_string()
}

/// The `p`-th percentile of `values` (nearest rank); `None` when empty.
fn percentile(values: &[i64], p: usize) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}
