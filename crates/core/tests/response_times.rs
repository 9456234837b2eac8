//! Response times: which replies are responses, how long they took in business time,
//! whether they met the SLA, and the per-queue, per-day report a lead reads.

use jiff::tz::TimeZone;
use switchboard_core::{
    responses, Author, DoneReason, Event, EventKind, Item, ItemKind, Platform, Policy, QueueId,
    Response, ResponseTimesReport, ThreadKey, Timestamp,
};

/// Support answers within 30 min (first) / 15 min (next) of Mon–Fri 9–17 UTC; Triage has
/// no SLA.
const POLICY: &str = r##"
[calendar.office]
time_zone = "UTC"
hours.weekdays = ["09:00-17:00"]

[[queue]]
id = "triage"
label = "Triage"
color = "#888888"

[[queue]]
id = "support"
label = "Support"
color = "#2f80ed"

[queue.sla]
calendar = "office"
first_response = "30m"
next_response = "15m"
"##;

const MINUTE: i64 = 60_000;

fn policy() -> Policy {
    Policy::parse("p.toml", POLICY).unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

fn item(when: &str, from_brand: bool) -> Item {
    let who = if from_brand { "brand" } else { "ana" };
    Item {
        platform: Platform::Mastodon,
        account: "brand".into(),
        native_id: format!("{who}-{when}"),
        thread: ThreadKey::new(Platform::Mastodon, "brand", "root"),
        kind: ItemKind::Mention,
        author: Author {
            handle: format!("@{who}"),
            display_name: who.into(),
        },
        from_brand,
        text: "hello".into(),
        lang: None,
        created_at: at(when),
    }
}

fn event(logged: &str, kind: EventKind) -> Event {
    Event {
        thread: ThreadKey::new(Platform::Mastodon, "brand", "root"),
        at: at(logged),
        by: Some("maya".into()),
        kind,
    }
}

fn customer(when: &str) -> Event {
    event(
        when,
        EventKind::ItemIngested {
            item: item(when, false),
            queue: QueueId::from("support"),
        },
    )
}

fn brand(when: &str) -> Event {
    event(
        when,
        EventKind::BrandReplyObserved {
            item: item(when, true),
            queue: QueueId::from("support"),
        },
    )
}

/// (first, waiting since, answered at) of each response.
fn timed(events: &[Event]) -> Vec<(bool, Timestamp, Timestamp)> {
    responses(events)
        .into_iter()
        .map(|r| (r.first, r.waiting_since, r.answered_at))
        .collect()
}

#[test]
fn a_reply_to_a_waiting_conversation_is_its_first_response() {
    let found = responses(&[
        customer("2026-11-27T16:45:00Z"),
        brand("2026-11-30T09:10:00Z"),
    ]);
    assert_eq!(
        found,
        vec![Response {
            queue: QueueId::from("support"),
            kind: ItemKind::Mention,
            first: true,
            waiting_since: at("2026-11-27T16:45:00Z"),
            answered_at: at("2026-11-30T09:10:00Z"),
            pauses: Vec::new(),
        }]
    );
}

#[test]
fn only_replies_that_end_a_wait_are_responses_and_later_runs_are_next_responses() {
    let found = timed(&[
        brand("2026-11-30T09:00:00Z"),    // the brand's own post: nobody waits
        customer("2026-11-30T10:00:00Z"), // starts the clock
        customer("2026-11-30T10:02:00Z"), // same run
        brand("2026-11-30T10:05:00Z"),    // answers it
        brand("2026-11-30T10:06:00Z"),    // nobody waits
        customer("2026-11-30T11:00:00Z"),
        brand("2026-11-30T11:20:00Z"),
    ]);
    assert_eq!(
        found,
        vec![
            (
                false,
                at("2026-11-30T10:00:00Z"),
                at("2026-11-30T10:05:00Z")
            ),
            (
                false,
                at("2026-11-30T11:00:00Z"),
                at("2026-11-30T11:20:00Z")
            ),
        ],
        "the brand wrote first, so even the first answer is a next response"
    );
    let first = timed(&[
        customer("2026-11-30T10:00:00Z"),
        brand("2026-11-30T10:05:00Z"),
        customer("2026-11-30T11:00:00Z"),
        brand("2026-11-30T11:20:00Z"),
    ]);
    assert_eq!(first.iter().map(|r| r.0).collect::<Vec<_>>(), [true, false]);
}

#[test]
fn marking_done_is_not_a_response_and_a_reply_after_it_answers_nobody() {
    let found = timed(&[
        customer("2026-11-30T10:00:00Z"),
        event(
            "2026-11-30T10:01:00Z",
            EventKind::MarkedDone {
                reason: DoneReason::NoReplyNeeded,
            },
        ),
        brand("2026-11-30T10:30:00Z"),
    ]);
    assert_eq!(found, []);
}

#[test]
fn a_reply_fetched_before_the_item_it_answers_is_timed_from_that_item() {
    let found = timed(&[
        brand("2026-11-30T10:05:00Z"),
        customer("2026-11-30T10:00:00Z"),
    ]);
    assert_eq!(
        found,
        [(true, at("2026-11-30T10:00:00Z"), at("2026-11-30T10:05:00Z"))]
    );
}

#[test]
fn the_same_item_twice_is_one_response() {
    let found = timed(&[
        customer("2026-11-30T10:00:00Z"),
        brand("2026-11-30T10:05:00Z"),
        brand("2026-11-30T10:05:00Z"),
    ]);
    assert_eq!(found.len(), 1);
}

#[test]
fn a_handed_off_conversation_counts_for_the_queue_that_answered_it() {
    let found = responses(&[
        customer("2026-11-30T10:00:00Z"),
        event(
            "2026-11-30T10:01:00Z",
            EventKind::HandedOff {
                to: QueueId::from("triage"),
                note: "billing".into(),
                to_member: None,
            },
        ),
        brand("2026-11-30T10:05:00Z"),
    ]);
    assert_eq!(found[0].queue, QueueId::from("triage"));
}

fn response(queue: &str, first: bool, since: &str, answered: &str) -> Response {
    Response {
        queue: QueueId::from(queue),
        kind: ItemKind::Mention,
        first,
        waiting_since: at(since),
        answered_at: at(answered),
        pauses: Vec::new(),
    }
}

#[test]
fn the_report_gives_each_queue_its_counts_median_p90_and_targets_per_day() {
    let now = at("2026-12-02T12:00:00Z"); // a Wednesday
    let responses = [
        // Before the period: left out.
        response(
            "support",
            true,
            "2026-11-27T10:00:00Z",
            "2026-11-27T10:10:00Z",
        ),
        // Fri 16:45 → Mon 09:10: 25 business minutes, within 30.
        response(
            "support",
            true,
            "2026-11-27T16:45:00Z",
            "2026-11-30T09:10:00Z",
        ),
        // Mon: 40 min, past the first-response target.
        response(
            "support",
            true,
            "2026-11-30T10:00:00Z",
            "2026-11-30T10:40:00Z",
        ),
        // Tue: next responses of 5 and 20 min (the latter past its 15).
        response(
            "support",
            false,
            "2026-12-01T10:00:00Z",
            "2026-12-01T10:05:00Z",
        ),
        response(
            "support",
            false,
            "2026-12-01T11:00:00Z",
            "2026-12-01T11:20:00Z",
        ),
        // Triage has no SLA: always-open calendar, no target.
        response(
            "triage",
            true,
            "2026-12-02T01:00:00Z",
            "2026-12-02T03:00:00Z",
        ),
    ];
    let report = ResponseTimesReport::build(&responses, &policy(), &TimeZone::UTC, 3, now);

    assert_eq!(report.from, at("2026-11-30T00:00:00Z"));
    assert_eq!(report.to, now);
    assert_eq!(report.days, ["2026-11-30", "2026-12-01", "2026-12-02"]);
    let [triage, support] = &report.queues[..] else {
        panic!("two queues: {:?}", report.queues);
    };

    assert_eq!(support.queue.id, QueueId::from("support"));
    assert_eq!((support.responses, support.first_responses), (4, 2));
    // Times 25, 40, 5, 20 min: the median by nearest rank is the 2nd (20), p90 the 4th.
    assert_eq!(support.median_millis, Some(20 * MINUTE));
    assert_eq!(support.p90_millis, Some(40 * MINUTE));
    assert_eq!(support.within_target, Some(2));
    let per_day: Vec<(u32, Option<i64>)> = support
        .per_day
        .iter()
        .map(|d| (d.responses, d.median_millis))
        .collect();
    assert_eq!(
        per_day,
        [(2, Some(25 * MINUTE)), (2, Some(5 * MINUTE)), (0, None)]
    );

    assert_eq!(triage.responses, 1);
    assert_eq!(triage.median_millis, Some(120 * MINUTE));
    assert_eq!(triage.within_target, None, "no SLA, no target");
}

#[test]
fn a_snooze_extends_the_target_as_it_pauses_the_clock() {
    let mut snoozed = response(
        "support",
        true,
        "2026-11-30T10:00:00Z",
        "2026-11-30T10:40:00Z",
    );
    snoozed.pauses = vec![(at("2026-11-30T10:05:00Z"), at("2026-11-30T10:35:00Z"))];
    let report = ResponseTimesReport::build(
        &[snoozed],
        &policy(),
        &TimeZone::UTC,
        1,
        at("2026-11-30T12:00:00Z"),
    );
    let support = &report.queues[1];
    assert_eq!(support.within_target, Some(1));
    assert_eq!(
        support.median_millis,
        Some(40 * MINUTE),
        "the time is what the customer waited in business hours"
    );
}

#[test]
fn a_report_without_responses_lists_every_queue_empty() {
    let report = ResponseTimesReport::build(
        &[],
        &policy(),
        &TimeZone::UTC,
        7,
        at("2026-12-02T12:00:00Z"),
    );
    assert_eq!(report.days.len(), 7);
    for queue in &report.queues {
        assert_eq!(queue.responses, 0);
        assert_eq!((queue.median_millis, queue.p90_millis), (None, None));
        assert_eq!(queue.per_day.len(), 7);
    }
    assert_eq!(report.queues[1].within_target, Some(0));
}

#[test]
fn days_are_local_days_across_a_daylight_saving_change() {
    let new_york = TimeZone::get("America/New_York").unwrap();
    // Clocks went back on Sunday 2026-11-01: that day has 25 hours.
    let report =
        ResponseTimesReport::build(&[], &policy(), &new_york, 3, at("2026-11-02T17:00:00Z"));
    assert_eq!(report.days, ["2026-10-31", "2026-11-01", "2026-11-02"]);
    assert_eq!(report.from, at("2026-10-31T04:00:00Z"), "midnight EDT");
    assert_eq!(
        ResponseTimesReport::period_start(&new_york, 3, at("2026-11-02T17:00:00Z")),
        report.from
    );
    let late_sunday = response(
        "support",
        true,
        "2026-11-02T04:20:00Z",
        "2026-11-02T04:30:00Z",
    );
    let report = ResponseTimesReport::build(
        &[late_sunday],
        &policy(),
        &new_york,
        3,
        at("2026-11-02T17:00:00Z"),
    );
    let per_day: Vec<u32> = report.queues[1]
        .per_day
        .iter()
        .map(|d| d.responses)
        .collect();
    assert_eq!(per_day, [0, 1, 0], "23:30 EST on Sunday is still Sunday");
}

#[test]
fn the_period_is_clamped_to_one_to_ninety_days() {
    let now = at("2026-12-02T12:00:00Z");
    let build = |days| ResponseTimesReport::build(&[], &policy(), &TimeZone::UTC, days, now);
    assert_eq!(build(0).days, ["2026-12-02"]);
    assert_eq!(build(1_000).days.len(), 90);
}
