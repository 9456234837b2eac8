//! SLA deadlines and states on business calendars.

use std::sync::Arc;

use jiff::civil::{DateTime, Time, Weekday};
use jiff::tz::TimeZoneDatabase;
use switchboard_core::{
    deadlines, next_change_after, state_at, BusinessCalendar, Deadlines, ItemKind, SlaPolicy,
    SlaState, SlaTarget, SlaThresholds, ThresholdsError, Timestamp,
};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// An unambiguous local London time, e.g. `london("2025-01-10 16:00")`.
fn london(civil: &str) -> Timestamp {
    let dt: DateTime = civil.parse().unwrap();
    let tz = TimeZoneDatabase::bundled().get("Europe/London").unwrap();
    Timestamp(
        tz.to_ambiguous_timestamp(dt)
            .unambiguous()
            .unwrap()
            .as_millisecond(),
    )
}

/// Mon–Fri 09:00–17:00 in London.
fn office() -> BusinessCalendar {
    let shifts = vec![(Time::constant(9, 0, 0, 0), Time::constant(17, 0, 0, 0))];
    BusinessCalendar::new(
        "Europe/London",
        [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ]
        .iter()
        .map(|d| (*d, shifts.clone()))
        .collect(),
        Vec::new(),
    )
    .unwrap()
}

fn d(at_risk: &str, breached: &str, escalated: &str) -> Deadlines {
    Deadlines {
        at_risk_at: london(at_risk),
        breached_at: london(breached),
        escalated_at: london(escalated),
    }
}

#[test]
fn deadlines_are_shares_of_the_target_in_business_time() {
    // Friday 16:00, one hour: at risk after 45 minutes, breached when the hour has passed
    // (17:00, closing time), escalated after two hours (Monday 10:00).
    let got = deadlines(
        &office(),
        london("2025-01-10 16:00"),
        HOUR,
        &SlaThresholds::default(),
        &[],
    );
    assert_eq!(
        got,
        d("2025-01-10 16:45", "2025-01-10 17:00", "2025-01-13 10:00")
    );
}

#[test]
fn a_conversation_waiting_since_the_weekend_starts_its_clock_on_monday() {
    let got = deadlines(
        &office(),
        london("2025-01-11 20:00"),
        4 * HOUR,
        &SlaThresholds::default(),
        &[],
    );
    assert_eq!(
        got,
        d("2025-01-13 12:00", "2025-01-13 13:00", "2025-01-13 17:00")
    );
}

#[test]
fn thresholds_are_configurable() {
    let thresholds = SlaThresholds::new(0.5, 1.0, 1.5).unwrap();
    let got = deadlines(
        &office(),
        london("2025-01-08 09:00"),
        2 * HOUR,
        &thresholds,
        &[],
    );
    assert_eq!(
        got,
        d("2025-01-08 10:00", "2025-01-08 11:00", "2025-01-08 12:00")
    );
}

#[test]
fn a_pause_shifts_deadlines_by_the_paused_business_time() {
    let cal = office();
    let since = london("2025-01-08 09:00");
    let thresholds = SlaThresholds::default();
    // Snoozed 09:10–09:30: every deadline moves 20 minutes later.
    let pause = [(london("2025-01-08 09:10"), london("2025-01-08 09:30"))];
    assert_eq!(
        deadlines(&cal, since, HOUR, &thresholds, &pause),
        d("2025-01-08 10:05", "2025-01-08 10:20", "2025-01-08 11:20")
    );
    // A deadline that falls inside a pause waits for its end: at risk would be 09:45.
    let pause = [(london("2025-01-08 09:40"), london("2025-01-08 10:00"))];
    assert_eq!(
        deadlines(&cal, since, HOUR, &thresholds, &pause),
        d("2025-01-08 10:05", "2025-01-08 10:20", "2025-01-08 11:20")
    );
    // A pause over the night only takes away the business time it covers: 30 minutes on
    // Wednesday evening and 30 on Thursday morning.
    let pause = [(london("2025-01-08 16:30"), london("2025-01-09 09:30"))];
    let since = london("2025-01-08 16:00");
    assert_eq!(
        deadlines(&cal, since, HOUR, &thresholds, &pause),
        d("2025-01-09 09:45", "2025-01-09 10:00", "2025-01-09 11:00")
    );
}

#[test]
fn pauses_may_overlap_come_unsorted_or_start_before_the_wait() {
    let cal = office();
    let since = london("2025-01-08 09:00");
    let thresholds = SlaThresholds::default();
    let messy = [
        (london("2025-01-08 09:20"), london("2025-01-08 09:30")),
        (london("2025-01-08 08:00"), london("2025-01-08 09:10")),
        (london("2025-01-08 09:15"), london("2025-01-08 09:25")),
        (london("2025-01-08 12:00"), london("2025-01-08 11:00")), // empty: ignored
    ];
    // Paused 09:00–09:10 and 09:15–09:30: 25 minutes.
    assert_eq!(
        deadlines(&cal, since, HOUR, &thresholds, &messy),
        d("2025-01-08 10:10", "2025-01-08 10:25", "2025-01-08 11:25")
    );
}

#[test]
fn shares_round_to_the_nearest_millisecond() {
    let cal = BusinessCalendar::always_open();
    let t = Timestamp(1_000_000);
    let thresholds = SlaThresholds::default();
    // 75 % of 2 ms is 1.5 ms, rounded away from zero to 2 ms.
    let got = deadlines(&cal, t, 2, &thresholds, &[]);
    assert_eq!(
        (got.at_risk_at.0, got.breached_at.0, got.escalated_at.0),
        (t.0 + 2, t.0 + 2, t.0 + 4)
    );
    // 75 % of 1001 ms is 750.75 ms → 751 ms.
    let got = deadlines(&cal, t, 1001, &thresholds, &[]);
    assert_eq!(got.at_risk_at.0, t.0 + 751);
    // A zero target is due at once.
    let got = deadlines(&cal, t, 0, &thresholds, &[]);
    assert_eq!(got.escalated_at, t);
    assert_eq!(state_at(&got, t), SlaState::Escalated);
}

#[test]
fn the_state_changes_at_the_deadline_instant() {
    let dl = d("2025-01-10 16:45", "2025-01-10 17:00", "2025-01-13 10:00");
    let before = |t: Timestamp| Timestamp(t.0 - 1);
    assert_eq!(state_at(&dl, london("2025-01-10 16:00")), SlaState::OnTrack);
    assert_eq!(state_at(&dl, before(dl.at_risk_at)), SlaState::OnTrack);
    assert_eq!(state_at(&dl, dl.at_risk_at), SlaState::AtRisk);
    assert_eq!(state_at(&dl, before(dl.breached_at)), SlaState::AtRisk);
    assert_eq!(state_at(&dl, dl.breached_at), SlaState::Breached);
    assert_eq!(state_at(&dl, before(dl.escalated_at)), SlaState::Breached);
    assert_eq!(state_at(&dl, dl.escalated_at), SlaState::Escalated);
    assert_eq!(
        state_at(&dl, london("2026-01-01 00:00")),
        SlaState::Escalated
    );
}

#[test]
fn next_change_walks_through_the_deadlines() {
    let dl = d("2025-01-10 16:45", "2025-01-10 17:00", "2025-01-13 10:00");
    let mut now = london("2025-01-10 16:00");
    let mut seen = Vec::new();
    while let Some(next) = next_change_after(&dl, now) {
        assert!(next > now);
        assert_ne!(state_at(&dl, next), state_at(&dl, Timestamp(next.0 - 1)));
        seen.push((next, state_at(&dl, next)));
        now = next;
    }
    assert_eq!(
        seen,
        vec![
            (dl.at_risk_at, SlaState::AtRisk),
            (dl.breached_at, SlaState::Breached),
            (dl.escalated_at, SlaState::Escalated),
        ]
    );
    assert_eq!(next_change_after(&dl, dl.escalated_at), None);
    // Equal deadlines change the state once, to the worst.
    let same = Deadlines {
        at_risk_at: Timestamp(10),
        breached_at: Timestamp(10),
        escalated_at: Timestamp(20),
    };
    assert_eq!(next_change_after(&same, Timestamp(0)), Some(Timestamp(10)));
    assert_eq!(state_at(&same, Timestamp(10)), SlaState::Breached);
    // Deadlines too far away to compute are never reached.
    let never = Deadlines {
        at_risk_at: Timestamp(10),
        breached_at: BusinessCalendar::NEVER,
        escalated_at: BusinessCalendar::NEVER,
    };
    assert_eq!(next_change_after(&never, Timestamp(10)), None);
}

#[test]
fn states_order_from_best_to_worst_and_serialize_in_snake_case() {
    assert!(SlaState::OnTrack < SlaState::AtRisk);
    assert!(SlaState::AtRisk < SlaState::Breached);
    assert!(SlaState::Breached < SlaState::Escalated);
    assert_eq!(
        [SlaState::AtRisk, SlaState::Escalated, SlaState::OnTrack]
            .into_iter()
            .max(),
        Some(SlaState::Escalated)
    );
    for state in [
        SlaState::OnTrack,
        SlaState::AtRisk,
        SlaState::Breached,
        SlaState::Escalated,
    ] {
        assert_eq!(
            serde_json::to_string(&state).unwrap(),
            format!("\"{}\"", state.as_str())
        );
    }
    assert_eq!(SlaState::AtRisk.as_str(), "at_risk");
}

#[test]
fn thresholds_must_increase() {
    assert_eq!(
        SlaThresholds::default(),
        SlaThresholds::new(0.75, 1.0, 2.0).unwrap()
    );
    assert_eq!(
        SlaThresholds::new(0.0, 1.0, 2.0),
        Err(ThresholdsError::AtRiskNotPositive)
    );
    assert_eq!(
        SlaThresholds::new(f64::NAN, 1.0, 2.0),
        Err(ThresholdsError::AtRiskNotPositive)
    );
    assert_eq!(
        SlaThresholds::new(1.0, 1.0, 2.0),
        Err(ThresholdsError::BreachedNotAboveAtRisk)
    );
    assert_eq!(
        SlaThresholds::new(0.5, 1.0, 0.9),
        Err(ThresholdsError::EscalatedNotAboveBreached)
    );
    assert_eq!(
        SlaThresholds::new(0.5, 1.0, f64::INFINITY),
        Err(ThresholdsError::EscalatedNotAboveBreached)
    );
}

#[test]
fn per_kind_targets_override_the_default() {
    let policy = SlaPolicy {
        default: SlaTarget {
            first_response_millis: HOUR,
            next_response_millis: 2 * HOUR,
        },
        per_kind: vec![(ItemKind::DirectMessage, SlaTarget::both(30 * MINUTE))],
        calendar_name: "office".into(),
        calendar: Arc::new(office()),
    };
    assert_eq!(policy.target_millis(ItemKind::Mention, true), HOUR);
    assert_eq!(policy.target_millis(ItemKind::Mention, false), 2 * HOUR);
    assert_eq!(
        policy.target_millis(ItemKind::DirectMessage, true),
        30 * MINUTE
    );
    assert_eq!(
        policy.target_millis(ItemKind::DirectMessage, false),
        30 * MINUTE
    );
    assert_eq!(
        policy.deadlines(
            ItemKind::DirectMessage,
            true,
            london("2025-01-08 16:50"),
            &SlaThresholds::default(),
            &[]
        ),
        d(
            "2025-01-09 09:12:30",
            "2025-01-09 09:20",
            "2025-01-09 09:50"
        )
    );
}

/// Business time in `[since, t)` outside every pause, computed from
/// `business_millis_between` over the gaps between the (merged) pauses.
fn clock(
    cal: &BusinessCalendar,
    since: Timestamp,
    t: Timestamp,
    pauses: &[(Timestamp, Timestamp)],
) -> i64 {
    let mut sorted: Vec<(i64, i64)> = pauses
        .iter()
        .map(|(a, b)| (a.0, b.0))
        .filter(|(a, b)| b > a)
        .collect();
    sorted.sort();
    let mut total = 0;
    let mut cursor = since.0;
    for (a, b) in sorted {
        if a > cursor {
            total += cal.business_millis_between(Timestamp(cursor), Timestamp(a.min(t.0)));
        }
        cursor = cursor.max(b);
        if cursor >= t.0 {
            return total;
        }
    }
    total + cal.business_millis_between(Timestamp(cursor), t)
}

proptest::proptest! {
    #[test]
    fn deadlines_are_the_first_instants_with_enough_clock_time(
        since in 1_735_689_600_000i64..1_767_225_600_000,
        target in 1i64..(5 * 24 * HOUR),
        raw_pauses in proptest::collection::vec((0i64..(10 * 24 * HOUR), 0i64..(2 * 24 * HOUR)), 0..4),
    ) {
        let cal = office();
        let since = Timestamp(since);
        let pauses: Vec<(Timestamp, Timestamp)> = raw_pauses
            .iter()
            .map(|(offset, len)| {
                let from = since.0 - 24 * HOUR + offset;
                (Timestamp(from), Timestamp(from + len))
            })
            .collect();
        let thresholds = SlaThresholds::default();
        let dl = deadlines(&cal, since, target, &thresholds, &pauses);
        for (threshold, at) in [
            (thresholds.at_risk, dl.at_risk_at),
            (thresholds.breached, dl.breached_at),
            (thresholds.escalated, dl.escalated_at),
        ] {
            let share = ((target as f64) * threshold).round() as i64;
            proptest::prop_assert_eq!(clock(&cal, since, at, &pauses), share);
            proptest::prop_assert!(at > since);
            proptest::prop_assert!(clock(&cal, since, Timestamp(at.0 - 1), &pauses) < share);
        }
    }
}
