//! Business calendar arithmetic, with instants built from civil times in named zones.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{TimeZone, TimeZoneDatabase};
use proptest::prelude::*;
use switchboard_core::{BusinessCalendar, CalendarError, Timestamp};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

fn tz(name: &str) -> TimeZone {
    TimeZoneDatabase::bundled().get(name).unwrap()
}

/// An unambiguous local time in `zone`, e.g. `local("Europe/London", "2025-01-10 16:45")`.
fn local(zone: &str, civil: &str) -> Timestamp {
    let dt: DateTime = civil.parse().unwrap();
    let ts = tz(zone).to_ambiguous_timestamp(dt).unambiguous().unwrap();
    Timestamp(ts.as_millisecond())
}

/// An instant written with its UTC offset, e.g. `"2025-11-02T01:30:00-04:00"`.
fn instant(text: &str) -> Timestamp {
    Timestamp(text.parse::<jiff::Timestamp>().unwrap().as_millisecond())
}

fn hm(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::constant(y, m, d)
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];
const EVERY_DAY: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

fn weekly(days: &[Weekday], shifts: &[(Time, Time)]) -> Vec<(Weekday, Vec<(Time, Time)>)> {
    days.iter().map(|d| (*d, shifts.to_vec())).collect()
}

/// Mon–Fri 09:00–17:00.
fn office(zone: &str, holidays: Vec<Date>) -> BusinessCalendar {
    BusinessCalendar::new(zone, weekly(&WEEKDAYS, &[(hm(9, 0), hm(17, 0))]), holidays).unwrap()
}

/// Open all day every day in local time.
fn local_24_7(zone: &str) -> BusinessCalendar {
    BusinessCalendar::new(
        zone,
        weekly(&EVERY_DAY, &[(Time::midnight(), Time::midnight())]),
        Vec::new(),
    )
    .unwrap()
}

// --- Adding business time -------------------------------------------------------------

#[test]
fn friday_evening_target_is_due_monday_morning() {
    let cal = office("Europe/London", Vec::new());
    // 2025-01-10 is a Friday.
    let start = local("Europe/London", "2025-01-10 16:45");
    assert_eq!(
        cal.add_business_millis(start, 30 * MINUTE),
        local("Europe/London", "2025-01-13 09:15")
    );
}

#[test]
fn split_shifts_skip_lunch() {
    let cal = BusinessCalendar::new(
        "Europe/London",
        weekly(&WEEKDAYS, &[(hm(9, 0), hm(12, 0)), (hm(13, 0), hm(17, 0))]),
        Vec::new(),
    )
    .unwrap();
    let start = local("Europe/London", "2025-01-08 11:50");
    assert_eq!(
        cal.add_business_millis(start, 20 * MINUTE),
        local("Europe/London", "2025-01-08 13:10")
    );
    // Started during lunch: the clock starts at 13:00.
    let lunch = local("Europe/London", "2025-01-08 12:15");
    assert_eq!(
        cal.add_business_millis(lunch, 20 * MINUTE),
        local("Europe/London", "2025-01-08 13:20")
    );
}

#[test]
fn a_target_over_a_holiday_monday_is_due_tuesday() {
    // 2025-05-05 is the Early May bank holiday (a Monday).
    let cal = office("Europe/London", vec![date(2025, 5, 5)]);
    let start = local("Europe/London", "2025-05-02 16:45");
    assert_eq!(
        cal.add_business_millis(start, 30 * MINUTE),
        local("Europe/London", "2025-05-06 09:15")
    );
    assert!(!cal.is_open(local("Europe/London", "2025-05-05 11:00")));
}

#[test]
fn a_target_ending_at_closing_time_is_due_at_closing_time() {
    let cal = office("Europe/London", Vec::new());
    let start = local("Europe/London", "2025-01-08 16:30");
    assert_eq!(
        cal.add_business_millis(start, 30 * MINUTE),
        local("Europe/London", "2025-01-08 17:00")
    );
    assert_eq!(
        cal.add_business_millis(start, 30 * MINUTE + 1),
        Timestamp(local("Europe/London", "2025-01-09 09:00").0 + 1)
    );
}

#[test]
fn the_clock_starts_at_opening_when_started_outside_hours() {
    let cal = office("Europe/London", Vec::new());
    let saturday = local("Europe/London", "2025-01-11 10:00");
    assert_eq!(
        cal.add_business_millis(saturday, HOUR),
        local("Europe/London", "2025-01-13 10:00")
    );
    let early = local("Europe/London", "2025-01-08 07:00");
    assert_eq!(
        cal.add_business_millis(early, HOUR),
        local("Europe/London", "2025-01-08 10:00")
    );
    let late = local("Europe/London", "2025-01-08 19:00");
    assert_eq!(
        cal.add_business_millis(late, HOUR),
        local("Europe/London", "2025-01-09 10:00")
    );
}

#[test]
fn zero_or_negative_millis_is_the_start() {
    let cal = office("Europe/London", Vec::new());
    let saturday = local("Europe/London", "2025-01-11 10:00");
    assert_eq!(cal.add_business_millis(saturday, 0), saturday);
    assert_eq!(cal.add_business_millis(saturday, -5), saturday);
}

#[test]
fn long_targets_count_weeks_exactly() {
    // 40 hours a week: 400 business hours from Monday 09:00 are ten weeks, due at the end
    // of the tenth Friday.
    let cal = office("Europe/London", Vec::new());
    let start = local("Europe/London", "2025-01-06 09:00");
    assert_eq!(
        cal.add_business_millis(start, 400 * HOUR),
        local("Europe/London", "2025-03-14 17:00")
    );
    // Across the clock change of 2025-03-30 and Easter 2025 (Good Friday 18 April, Easter
    // Monday 21 April): 20 weeks from 2025-03-03 09:00 plus the two holidays' 16 hours.
    let cal = office("Europe/London", vec![date(2025, 4, 18), date(2025, 4, 21)]);
    let start = local("Europe/London", "2025-03-03 09:00");
    assert_eq!(
        cal.add_business_millis(start, 800 * HOUR),
        local("Europe/London", "2025-07-22 17:00")
    );
}

#[test]
fn targets_beyond_ten_years_are_never() {
    let cal = office("Europe/London", Vec::new());
    let start = local("Europe/London", "2025-01-06 09:00");
    let eleven_years_of_work = 11 * 52 * 40 * HOUR;
    assert_eq!(
        cal.add_business_millis(start, eleven_years_of_work),
        BusinessCalendar::NEVER
    );
    assert_eq!(
        cal.add_business_millis(start, i64::MAX),
        BusinessCalendar::NEVER
    );
    assert_eq!(
        cal.add_business_millis(Timestamp(i64::MAX - 1), HOUR),
        BusinessCalendar::NEVER
    );
}

#[test]
fn always_open_is_real_time() {
    let cal = BusinessCalendar::always_open();
    let t = instant("2025-03-30T00:30:00Z");
    assert_eq!(
        cal.add_business_millis(t, 25 * HOUR),
        Timestamp(t.0 + 25 * HOUR)
    );
    assert_eq!(cal.business_millis_between(t, Timestamp(t.0 + 7)), 7);
    assert!(cal.is_open(t));
    assert_eq!(cal.time_zone_name(), "UTC");
}

// --- Measuring business time ----------------------------------------------------------

#[test]
fn time_outside_hours_does_not_count() {
    let cal = office("Europe/London", Vec::new());
    let at = |civil: &str| local("Europe/London", civil);
    // Within one day.
    assert_eq!(
        cal.business_millis_between(at("2025-01-08 10:00"), at("2025-01-08 11:30")),
        90 * MINUTE
    );
    // Paused overnight, resumed next morning: 16:00–17:00 and 09:00–10:00.
    assert_eq!(
        cal.business_millis_between(at("2025-01-08 16:00"), at("2025-01-09 10:00")),
        2 * HOUR
    );
    // Over a weekend: Friday 16:00 to Monday 10:00.
    assert_eq!(
        cal.business_millis_between(at("2025-01-10 16:00"), at("2025-01-13 10:00")),
        2 * HOUR
    );
    // Starting outside hours.
    assert_eq!(
        cal.business_millis_between(at("2025-01-11 12:00"), at("2025-01-13 09:30")),
        30 * MINUTE
    );
    assert_eq!(
        cal.business_millis_between(at("2025-01-08 06:00"), at("2025-01-08 09:01")),
        MINUTE
    );
    // Entirely closed.
    assert_eq!(
        cal.business_millis_between(at("2025-01-08 17:00"), at("2025-01-09 09:00")),
        0
    );
    // Backwards or empty.
    assert_eq!(
        cal.business_millis_between(at("2025-01-08 11:00"), at("2025-01-08 10:00")),
        0
    );
    // A whole year: 261 weekdays of 8 hours.
    assert_eq!(
        cal.business_millis_between(at("2025-01-01 00:00"), at("2026-01-01 00:00")),
        261 * 8 * HOUR
    );
}

#[test]
fn is_open_includes_the_start_and_excludes_the_end_of_a_shift() {
    let cal = office("Europe/London", vec![date(2025, 1, 9)]);
    let at = |civil: &str| local("Europe/London", civil);
    assert!(cal.is_open(at("2025-01-08 09:00")));
    assert!(cal.is_open(Timestamp(at("2025-01-08 17:00").0 - 1)));
    assert!(!cal.is_open(at("2025-01-08 17:00")));
    assert!(!cal.is_open(Timestamp(at("2025-01-08 09:00").0 - 1)));
    assert!(!cal.is_open(at("2025-01-11 12:00")), "Saturday");
    assert!(!cal.is_open(at("2025-01-09 12:00")), "holiday");
}

// --- Daylight saving time -------------------------------------------------------------

#[test]
fn local_days_are_23_and_25_hours_on_clock_change_days() {
    for (zone, spring, fall) in [
        ("America/New_York", "2025-03-09", "2025-11-02"),
        ("Europe/Berlin", "2025-03-30", "2025-10-26"),
    ] {
        let cal = local_24_7(zone);
        let day = |d: &str| {
            let d: Date = d.parse().unwrap();
            let start = local(zone, &format!("{d} 00:00"));
            let end = local(zone, &format!("{} 00:00", d.tomorrow().unwrap()));
            cal.business_millis_between(start, end)
        };
        assert_eq!(day(spring), 23 * HOUR, "{zone} spring forward");
        assert_eq!(day(fall), 25 * HOUR, "{zone} fall back");
        let before: Date = spring.parse().unwrap();
        assert_eq!(day(&before.yesterday().unwrap().to_string()), 24 * HOUR);
        // A 24-hour target from local midnight on the short day ends at 01:00 the next day.
        let start = local(zone, &format!("{spring} 00:00"));
        let next = before.tomorrow().unwrap();
        assert_eq!(
            cal.add_business_millis(start, 24 * HOUR),
            local(zone, &format!("{next} 01:00"))
        );
    }
}

#[test]
fn a_night_shift_spanning_the_change_counts_real_elapsed_time() {
    for (zone, spring, fall) in [
        ("America/New_York", date(2025, 3, 9), date(2025, 11, 2)),
        ("Europe/Berlin", date(2025, 3, 30), date(2025, 10, 26)),
    ] {
        let cal = BusinessCalendar::new(
            zone,
            weekly(&EVERY_DAY, &[(hm(0, 0), hm(4, 0))]),
            Vec::new(),
        )
        .unwrap();
        let whole_day = |d: Date| {
            cal.business_millis_between(
                local(zone, &format!("{d} 00:00")),
                local(zone, &format!("{} 00:00", d.tomorrow().unwrap())),
            )
        };
        assert_eq!(whole_day(spring), 3 * HOUR, "{zone} spring");
        assert_eq!(whole_day(fall), 5 * HOUR, "{zone} fall");
        assert_eq!(whole_day(spring.tomorrow().unwrap()), 4 * HOUR);
        // Three hours from 00:00 on the spring day end at 04:00, the end of the shift.
        assert_eq!(
            cal.add_business_millis(local(zone, &format!("{spring} 00:00")), 3 * HOUR),
            local(zone, &format!("{spring} 04:00"))
        );
    }
}

#[test]
fn office_hours_are_eight_real_hours_on_clock_change_days() {
    for (zone, days) in [
        ("America/New_York", [date(2025, 3, 10), date(2025, 11, 3)]),
        ("Europe/Berlin", [date(2025, 3, 31), date(2025, 10, 27)]),
    ] {
        let cal = office(zone, Vec::new());
        for monday in days {
            // The week around the change: Friday before to Monday after.
            let friday = monday.checked_sub(jiff::Span::new().days(3)).unwrap();
            let from = local(zone, &format!("{friday} 00:00"));
            let to = local(zone, &format!("{} 00:00", monday.tomorrow().unwrap()));
            assert_eq!(cal.business_millis_between(from, to), 16 * HOUR, "{zone}");
            // Friday 16:30 + 1h is Monday 09:30 local time, whatever the offset became.
            assert_eq!(
                cal.add_business_millis(local(zone, &format!("{friday} 16:30")), HOUR),
                local(zone, &format!("{monday} 09:30"))
            );
        }
    }
}

#[test]
fn a_shift_starting_in_the_spring_gap_opens_at_the_change() {
    // Berlin, 2025-03-30: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 does not exist.
    let cal = BusinessCalendar::new(
        "Europe/Berlin",
        weekly(&EVERY_DAY, &[(hm(2, 30), hm(5, 0))]),
        Vec::new(),
    )
    .unwrap();
    let change = instant("2025-03-30T01:00:00Z");
    assert!(!cal.is_open(Timestamp(change.0 - 1)));
    assert!(cal.is_open(change));
    let day_start = local("Europe/Berlin", "2025-03-30 00:00");
    assert_eq!(
        cal.add_business_millis(day_start, 1),
        Timestamp(change.0 + 1)
    );
    // 03:00–05:00 CEST: two real hours.
    assert_eq!(
        cal.business_millis_between(day_start, local("Europe/Berlin", "2025-03-31 00:00")),
        2 * HOUR
    );
    // A shift entirely inside the gap has no open time that day.
    let gap = BusinessCalendar::new(
        "Europe/Berlin",
        weekly(&EVERY_DAY, &[(hm(2, 10), hm(2, 40))]),
        Vec::new(),
    )
    .unwrap();
    assert_eq!(
        gap.business_millis_between(day_start, local("Europe/Berlin", "2025-03-31 00:00")),
        0
    );
    assert_eq!(
        gap.business_millis_between(
            local("Europe/Berlin", "2025-03-29 00:00"),
            local("Europe/Berlin", "2025-03-30 00:00")
        ),
        30 * MINUTE
    );
}

#[test]
fn a_shift_boundary_in_the_fall_fold_is_the_earlier_instant() {
    // New York, 2025-11-02: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice.
    let cal = BusinessCalendar::new(
        "America/New_York",
        weekly(&EVERY_DAY, &[(hm(1, 30), hm(3, 0))]),
        Vec::new(),
    )
    .unwrap();
    let opens = instant("2025-11-02T01:30:00-04:00");
    let closes = instant("2025-11-02T03:00:00-05:00");
    assert!(!cal.is_open(Timestamp(opens.0 - 1)));
    assert!(cal.is_open(opens));
    assert!(
        cal.is_open(instant("2025-11-02T01:10:00-05:00")),
        "the repeated hour"
    );
    assert!(!cal.is_open(closes));
    assert_eq!(
        cal.business_millis_between(
            local("America/New_York", "2025-11-02 00:00"),
            local("America/New_York", "2025-11-03 00:00")
        ),
        closes.0 - opens.0
    );
    assert_eq!(closes.0 - opens.0, 2 * HOUR + 30 * MINUTE);
}

// --- Construction ---------------------------------------------------------------------

#[test]
fn invalid_calendars_are_refused() {
    let shifts = |s: &[(Time, Time)]| weekly(&[Weekday::Monday], s);
    assert_eq!(
        BusinessCalendar::new("Europe/Lundon", shifts(&[(hm(9, 0), hm(17, 0))]), vec![]),
        Err(CalendarError::UnknownTimeZone("Europe/Lundon".into()))
    );
    assert!(matches!(
        BusinessCalendar::new("UTC", shifts(&[(hm(17, 0), hm(9, 0))]), vec![]),
        Err(CalendarError::EndNotAfterStart { .. })
    ));
    assert!(matches!(
        BusinessCalendar::new("UTC", shifts(&[(hm(9, 0), hm(9, 0))]), vec![]),
        Err(CalendarError::EndNotAfterStart { .. })
    ));
    let overlap = BusinessCalendar::new(
        "UTC",
        shifts(&[(hm(13, 0), hm(17, 0)), (hm(9, 0), hm(13, 30))]),
        vec![],
    );
    assert_eq!(
        overlap,
        Err(CalendarError::Overlapping {
            weekday: Weekday::Monday,
            first: (hm(9, 0), hm(13, 30)),
            second: (hm(13, 0), hm(17, 0)),
        })
    );
    assert_eq!(
        overlap.unwrap_err().to_string(),
        "the Monday shifts 09:00-13:30 and 13:00-17:00 overlap: make them separate or merge them into one"
    );
    assert_eq!(
        BusinessCalendar::new("UTC", vec![], vec![]),
        Err(CalendarError::NoOpenHours)
    );
    assert_eq!(
        BusinessCalendar::new(
            "UTC",
            vec![(Weekday::Monday, vec![])],
            vec![date(2025, 1, 1)]
        ),
        Err(CalendarError::NoOpenHours)
    );
    // Touching shifts are fine, and a shift may end at midnight.
    let ok = BusinessCalendar::new(
        "UTC",
        shifts(&[(hm(9, 0), hm(13, 0)), (hm(13, 0), Time::midnight())]),
        vec![],
    )
    .unwrap();
    assert_eq!(ok.weekly_open_millis(), 15 * HOUR);
    assert_eq!(
        ok.shifts_on(Weekday::Monday),
        vec![(hm(9, 0), hm(13, 0)), (hm(13, 0), Time::midnight())]
    );
    assert!(ok.shifts_on(Weekday::Tuesday).is_empty());
}

// --- Properties -----------------------------------------------------------------------

/// London, Mon–Fri split shifts, Saturday morning, UK bank holidays of 2025–2026.
fn busy_calendar() -> BusinessCalendar {
    let mut week = weekly(
        &WEEKDAYS,
        &[(hm(9, 0), hm(12, 30)), (hm(13, 30), hm(17, 30))],
    );
    week.push((Weekday::Saturday, vec![(hm(10, 0), hm(14, 0))]));
    BusinessCalendar::new(
        "Europe/London",
        week,
        vec![
            date(2025, 4, 18),
            date(2025, 4, 21),
            date(2025, 5, 5),
            date(2025, 5, 26),
            date(2025, 8, 25),
            date(2025, 12, 25),
            date(2025, 12, 26),
            date(2026, 1, 1),
            date(2026, 4, 3),
            date(2026, 4, 6),
        ],
    )
    .unwrap()
}

/// New York, open every night 22:00–24:00 and 00:00–06:00 (the clock changes inside).
fn night_calendar() -> BusinessCalendar {
    BusinessCalendar::new(
        "America/New_York",
        weekly(
            &EVERY_DAY,
            &[(hm(0, 0), hm(6, 0)), (hm(22, 0), Time::midnight())],
        ),
        vec![date(2025, 12, 25)],
    )
    .unwrap()
}

/// The open time in `[from, to)`, computed the slow way: every shift of every local date
/// turned into instants with jiff's `compatible` rule (the same as the calendar's for
/// boundaries outside gaps and folds), no skipping.
fn slow_between(
    zone: &str,
    shifts_of: impl Fn(Date) -> Vec<(Time, Time)>,
    from: Timestamp,
    to: Timestamp,
) -> i64 {
    let tz = tz(zone);
    let to_date = |t: Timestamp| {
        tz.to_datetime(jiff::Timestamp::from_millisecond(t.0).unwrap())
            .date()
    };
    let instant = |d: Date, t: Time, end: bool| {
        let (d, t) = if end && t == Time::midnight() {
            (d.tomorrow().unwrap(), t)
        } else {
            (d, t)
        };
        d.to_datetime(t)
            .to_zoned(tz.clone())
            .unwrap()
            .timestamp()
            .as_millisecond()
    };
    let mut total = 0;
    let mut d = to_date(from).yesterday().unwrap();
    let last = to_date(to).tomorrow().unwrap();
    while d <= last {
        for (s, e) in shifts_of(d) {
            let lo = instant(d, s, false).max(from.0);
            let hi = instant(d, e, true).min(to.0);
            total += (hi - lo).max(0);
        }
        d = d.tomorrow().unwrap();
    }
    total
}

fn busy_shifts(d: Date) -> Vec<(Time, Time)> {
    let cal = busy_calendar();
    if cal.holidays().contains(&d) {
        return vec![];
    }
    cal.shifts_on(d.weekday())
}

fn night_shifts(d: Date) -> Vec<(Time, Time)> {
    if d == date(2025, 12, 25) {
        return vec![];
    }
    vec![(hm(0, 0), hm(6, 0)), (hm(22, 0), Time::midnight())]
}

/// Instants from 2025-01-01 to 2026-12-31 (UTC), at millisecond resolution.
fn any_instant() -> impl Strategy<Value = Timestamp> {
    (1_735_689_600_000i64..1_798_675_200_000).prop_map(Timestamp)
}

/// Instants on whole minutes, so that open/closed edges are hit often.
fn minute_instant() -> impl Strategy<Value = Timestamp> {
    (28_928_160i64..29_977_920).prop_map(|m| Timestamp(m * MINUTE))
}

fn any_millis() -> impl Strategy<Value = i64> {
    prop_oneof![
        0i64..(3 * 24 * HOUR),
        0i64..(90 * 24 * HOUR),
        (0i64..600).prop_map(|m| m * MINUTE)
    ]
}

fn calendars() -> [BusinessCalendar; 3] {
    [
        busy_calendar(),
        night_calendar(),
        office("Europe/Berlin", vec![]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn add_is_strictly_monotonic(s in any_instant(), a in any_millis(), b in any_millis()) {
        for cal in calendars() {
            let (lo, hi) = (a.min(b), a.max(b));
            let (x, y) = (cal.add_business_millis(s, lo), cal.add_business_millis(s, hi));
            prop_assert!(x <= y);
            if lo < hi {
                prop_assert!(x < y);
            }
        }
    }

    #[test]
    fn add_is_additive(s in any_instant(), a in any_millis(), b in any_millis()) {
        for cal in calendars() {
            prop_assert_eq!(
                cal.add_business_millis(cal.add_business_millis(s, a), b),
                cal.add_business_millis(s, a + b)
            );
        }
    }

    #[test]
    fn between_inverts_add_from_any_start(s in any_instant(), m in any_millis()) {
        for cal in calendars() {
            prop_assert_eq!(cal.business_millis_between(s, cal.add_business_millis(s, m)), m);
        }
    }

    #[test]
    fn add_inverts_between_up_to_trailing_closed_time(s in minute_instant(), t in minute_instant()) {
        for cal in calendars() {
            let (s, t) = (s.min(t), s.max(t));
            let back = cal.add_business_millis(s, cal.business_millis_between(s, t));
            prop_assert!(back <= t);
            let exact = t == s || cal.is_open(Timestamp(t.0 - 1));
            prop_assert_eq!(back == t, exact);
        }
    }

    #[test]
    fn between_is_additive(a in any_instant(), b in any_instant(), c in any_instant()) {
        let mut v = [a, b, c];
        v.sort();
        let [a, b, c] = v;
        for cal in calendars() {
            prop_assert_eq!(
                cal.business_millis_between(a, c),
                cal.business_millis_between(a, b) + cal.business_millis_between(b, c)
            );
            prop_assert!(cal.business_millis_between(a, c) <= c.0 - a.0);
        }
    }

    #[test]
    fn between_matches_the_slow_way(a in any_instant(), b in any_instant()) {
        let (a, b) = (a.min(b), a.max(b));
        prop_assert_eq!(
            busy_calendar().business_millis_between(a, b),
            slow_between("Europe/London", busy_shifts, a, b)
        );
        prop_assert_eq!(
            night_calendar().business_millis_between(a, b),
            slow_between("America/New_York", night_shifts, a, b)
        );
    }

    #[test]
    fn is_open_matches_one_millisecond_of_between(t in minute_instant(), nudge in -1i64..=1) {
        let t = Timestamp(t.0 + nudge);
        for cal in calendars() {
            prop_assert_eq!(cal.is_open(t), cal.business_millis_between(t, Timestamp(t.0 + 1)) == 1);
        }
    }
}
