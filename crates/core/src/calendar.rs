//! Business calendars: when a team is open, in its own time zone, to the millisecond.
//!
//! A [`BusinessCalendar`] holds a time zone, weekly opening hours (several `[start, end)`
//! shifts per weekday, in local civil time) and holidays (local dates closed all day).
//! It answers three questions exactly: is it open at an instant, how much open time lies
//! between two instants, and at what instant a given amount of open time has passed.
//!
//! How local times become instants around daylight saving time changes is described on
//! [`BusinessCalendar`].
//!
//! The time zone database is the one bundled with `jiff` (IANA tzdb): the calendar reads no
//! files and answers the same on every machine.

use std::fmt;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase};
use jiff::SignedDuration;

use crate::Timestamp;

const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// How far [`BusinessCalendar::add_business_millis`] looks ahead before it gives up and
/// answers [`BusinessCalendar::NEVER`]: 3653 local days, about ten years.
pub const MAX_SEARCH_DAYS: i64 = 3653;

/// Why [`BusinessCalendar::new`] refused a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The time zone is not an IANA time zone name the bundled database knows.
    UnknownTimeZone(String),
    /// A shift does not end after it starts.
    EndNotAfterStart {
        /// The weekday of the shift.
        weekday: Weekday,
        /// Its start.
        start: Time,
        /// Its end (not after `start`).
        end: Time,
    },
    /// Two shifts on the same weekday overlap.
    Overlapping {
        /// The weekday of the shifts.
        weekday: Weekday,
        /// The earlier-starting shift.
        first: (Time, Time),
        /// The shift that starts before `first` ends.
        second: (Time, Time),
    },
    /// No weekday has any open hours, so nothing could ever be due.
    NoOpenHours,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::UnknownTimeZone(name) => write!(
                f,
                "unknown time zone \"{name}\": use an IANA time zone name such as \"Europe/London\" or \"America/New_York\""
            ),
            CalendarError::EndNotAfterStart {
                weekday,
                start,
                end,
            } => write!(
                f,
                "the {} shift {}-{} ends before it starts: write the earlier time first (use 24:00 for midnight at the end of the day)",
                weekday_name(*weekday),
                format_time(*start),
                format_time(*end)
            ),
            CalendarError::Overlapping {
                weekday,
                first,
                second,
            } => write!(
                f,
                "the {} shifts {}-{} and {}-{} overlap: make them separate or merge them into one",
                weekday_name(*weekday),
                format_time(first.0),
                format_end(first.1),
                format_time(second.0),
                format_end(second.1)
            ),
            CalendarError::NoOpenHours => write!(
                f,
                "the calendar has no open hours: give at least one weekday a shift such as 09:00-17:00"
            ),
        }
    }
}

impl std::error::Error for CalendarError {}

/// The English name of a weekday, e.g. `Monday`.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

/// `HH:MM`, or `HH:MM:SS` when there are seconds.
fn format_time(t: Time) -> String {
    if t.second() == 0 && t.subsec_nanosecond() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

/// Like [`format_time`], with midnight as the end of a shift shown as `24:00`.
fn format_end(t: Time) -> String {
    if t == Time::midnight() {
        "24:00".to_owned()
    } else {
        format_time(t)
    }
}

/// One `[start, end)` shift of a weekday, as civil times and as milliseconds of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shift {
    start: Time,
    /// `Time::midnight()` when the shift ends at the end of the day.
    end: Time,
    start_ms: i64,
    /// Up to [`DAY_MS`].
    end_ms: i64,
}

/// A team's opening hours in its time zone, with holidays.
///
/// # Local times and daylight saving time
///
/// Every shift boundary is a local civil time on a local date. It becomes an instant by
/// one rule: **the first instant at which the local clock reads that time or later.**
/// So:
/// - a time that does not exist (it falls in a spring-forward gap) resolves forward, to
///   the instant of the change: on 2025-03-30 in `Europe/Berlin` a shift starting at 02:30
///   opens at 03:00 CEST;
/// - a time that occurs twice (it falls in a fall-back fold) resolves to the earlier
///   instant: on 2025-11-02 in `America/New_York` 01:30 means 01:30 EDT;
/// - open time is real elapsed time: a 09:00–17:00 shift is 8 hours even on a day whose
///   clock change happened at night, and a 00:00–04:00 shift on a spring-forward day is 3
///   hours (5 on a fall-back day). A 24/7 calendar in a zone with DST has 23- and
///   25-hour days.
///
/// The rule never reorders boundaries, so shifts never overlap and the answers are
/// consistent with each other (see the properties on
/// [`BusinessCalendar::add_business_millis`]).
///
/// Shift boundaries are kept to the millisecond (a sub-millisecond part of a
/// [`jiff::civil::Time`] is dropped). A shift ending at `00:00` ends at midnight at the
/// *end* of its day; a shift past midnight is written as two shifts, one on each day.
/// Instants outside the years -9999..=9999 count as closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    tz: TimeZone,
    tz_name: String,
    /// Shifts per weekday, Monday first; sorted and non-overlapping.
    week: [Vec<Shift>; 7],
    /// Sorted, without duplicates.
    holidays: Vec<Date>,
    /// Open milliseconds in a week without holidays or clock changes.
    week_ms: i64,
    /// Every day open 00:00–24:00 and no holidays: every instant is open.
    always_open: bool,
}

impl BusinessCalendar {
    /// The instant [`BusinessCalendar::add_business_millis`] answers when the open time is
    /// not reached within [`MAX_SEARCH_DAYS`]: read it as "never".
    pub const NEVER: Timestamp = Timestamp(i64::MAX);

    /// A calendar in `time_zone` (an IANA name such as `Europe/London`), open during the
    /// `weekly` shifts (`[start, end)` local times per weekday; an end of `00:00` means
    /// midnight at the end of the day; a weekday listed twice gets both lists; weekdays
    /// not listed are closed) and closed all day on the local dates in `holidays`.
    ///
    /// Errors: an unknown time zone, a shift whose end is not after its start, two
    /// overlapping shifts on one weekday (shifts that only touch are fine), and a calendar
    /// with no open hours at all.
    pub fn new(
        time_zone: &str,
        weekly: Vec<(Weekday, Vec<(Time, Time)>)>,
        holidays: Vec<Date>,
    ) -> Result<Self, CalendarError> {
        let tz = TimeZoneDatabase::bundled()
            .get(time_zone)
            .map_err(|_| CalendarError::UnknownTimeZone(time_zone.to_owned()))?;
        let tz_name = tz.iana_name().unwrap_or(time_zone).to_owned();
        let mut week: [Vec<Shift>; 7] = Default::default();
        for (weekday, shifts) in weekly {
            for (start, end) in shifts {
                let start = truncate_to_millis(start);
                let end = truncate_to_millis(end);
                let start_ms = millis_of_day(start);
                let end_ms = if end == Time::midnight() {
                    DAY_MS
                } else {
                    millis_of_day(end)
                };
                if end_ms <= start_ms {
                    return Err(CalendarError::EndNotAfterStart {
                        weekday,
                        start,
                        end,
                    });
                }
                week[weekday_index(weekday)].push(Shift {
                    start,
                    end,
                    start_ms,
                    end_ms,
                });
            }
        }
        for (index, shifts) in week.iter_mut().enumerate() {
            shifts.sort_by_key(|s| (s.start_ms, s.end_ms));
            for pair in shifts.windows(2) {
                if pair[1].start_ms < pair[0].end_ms {
                    return Err(CalendarError::Overlapping {
                        weekday: weekday_from_index(index),
                        first: (pair[0].start, pair[0].end),
                        second: (pair[1].start, pair[1].end),
                    });
                }
            }
        }
        let week_ms: i64 = week.iter().flatten().map(|s| s.end_ms - s.start_ms).sum();
        if week_ms == 0 {
            return Err(CalendarError::NoOpenHours);
        }
        let mut holidays = holidays;
        holidays.sort();
        holidays.dedup();
        let always_open = holidays.is_empty() && week_ms == WEEK_MS;
        Ok(BusinessCalendar {
            tz,
            tz_name,
            week,
            holidays,
            week_ms,
            always_open,
        })
    }

    /// Open every hour of every day, in UTC, without holidays: business time is real time.
    pub fn always_open() -> Self {
        let all_day = vec![(Time::midnight(), Time::midnight())];
        let weekly = (0..7)
            .map(|i| (weekday_from_index(i), all_day.clone()))
            .collect();
        BusinessCalendar::new("UTC", weekly, Vec::new()).expect("a 24/7 UTC calendar is valid")
    }

    /// The IANA name of the calendar's time zone, e.g. `Europe/London`.
    pub fn time_zone_name(&self) -> &str {
        &self.tz_name
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The shifts of `weekday`, earliest first, as `[start, end)` local times; an end of
    /// `00:00` means midnight at the end of the day.
    pub fn shifts_on(&self, weekday: Weekday) -> Vec<(Time, Time)> {
        self.week[weekday_index(weekday)]
            .iter()
            .map(|s| (s.start, s.end))
            .collect()
    }

    /// The holidays, earliest first, without duplicates.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// Open milliseconds in a week without holidays or clock changes.
    pub fn weekly_open_millis(&self) -> i64 {
        self.week_ms
    }

    /// Whether the calendar is open at `at`, i.e. during the millisecond `[at, at + 1)`.
    /// A shift's start is open, its end is not.
    pub fn is_open(&self, at: Timestamp) -> bool {
        self.business_millis_between(at, at.plus_millis(1)) == 1
    }

    /// How many milliseconds of open time lie in `[from, to)`; 0 when `to <= from`.
    ///
    /// Additive: for `a <= b <= c`, `between(a, c) == between(a, b) + between(b, c)`.
    pub fn business_millis_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        if self.always_open {
            return to.0.saturating_sub(from.0);
        }
        let (min, max) = jiff_range_millis();
        let from = from.0.max(min);
        let to = to.0.min(max);
        if to <= from {
            return 0;
        }
        let Some(mut date) = self.wall_date(from) else {
            return 0;
        };
        let mut total = 0i64;
        // The start of `date` (its local midnight), once the walk is past the first day.
        let mut day_start: Option<i64> = None;
        loop {
            if let Some(start) = day_start {
                if start >= from && to - start > 2 * WEEK_MS {
                    if let Some(weeks) = self.whole_weeks_from(date, start, (to - start) / WEEK_MS)
                    {
                        total += weeks * self.week_ms;
                        let Some(next) = add_days(date, 7 * weeks) else {
                            return total;
                        };
                        date = next;
                        day_start = Some(start + weeks * WEEK_MS);
                        continue;
                    }
                }
            }
            for shift in self.shifts_of(date) {
                let (Some(a), Some(b)) =
                    (self.shift_start(date, shift), self.shift_end(date, shift))
                else {
                    return total;
                };
                if a >= to {
                    return total;
                }
                let lo = a.max(from);
                let hi = b.min(to);
                if hi > lo {
                    total += hi - lo;
                }
            }
            let Some(next) = add_days(date, 1) else {
                return total;
            };
            let Some(next_start) = self.local_instant(next.to_datetime(Time::midnight())) else {
                return total;
            };
            if next_start >= to {
                return total;
            }
            date = next;
            day_start = Some(next_start);
        }
    }

    /// The instant at which `millis` of open time have passed since `start`; `start` itself
    /// when `millis <= 0`. When the open time runs out exactly at the end of a shift, the
    /// answer is that end (17:00), not the next opening.
    ///
    /// Gives [`BusinessCalendar::NEVER`] when the open time is not reached within
    /// [`MAX_SEARCH_DAYS`] local days of `start` (or past the year 9999).
    ///
    /// Properties (for `a, b, m >= 0` short of `NEVER`; tested with proptest):
    /// - `add(s, a) < add(s, b)` when `a < b` (strictly monotonic);
    /// - `add(add(s, a), b) == add(s, a + b)`;
    /// - `between(s, add(s, m)) == m`, whether or not `s` is open;
    /// - `add(s, between(s, t)) <= t`, with equality exactly when `t == s` or the
    ///   millisecond before `t` is open (`is_open(t - 1)`): the answer is the *earliest*
    ///   instant with that much open time, so closed time at the end is not included.
    ///
    /// Cost: shift by shift through the first and last days, and whole weeks at a time in
    /// between (weeks without holidays or clock changes), so a target of days costs a few
    /// microseconds and one of months not much more.
    pub fn add_business_millis(&self, start: Timestamp, millis: i64) -> Timestamp {
        if millis <= 0 {
            return start;
        }
        if self.always_open {
            return start.plus_millis(millis);
        }
        let (min, max) = jiff_range_millis();
        if start.0 >= max {
            return Self::NEVER;
        }
        let from = start.0.max(min);
        let Some(mut date) = self.wall_date(from) else {
            return Self::NEVER;
        };
        let Some(limit) = add_days(date, MAX_SEARCH_DAYS) else {
            return Self::NEVER;
        };
        let mut remaining = millis;
        let mut first_day = true;
        loop {
            if !first_day && remaining > 2 * self.week_ms {
                if let Some(day_start) = self.local_instant(date.to_datetime(Time::midnight())) {
                    let days_left = days_between(date, limit);
                    let max_weeks = ((remaining - 1) / self.week_ms).min(days_left / 7);
                    if day_start >= from {
                        if let Some(weeks) = self.whole_weeks_from(date, day_start, max_weeks) {
                            remaining -= weeks * self.week_ms;
                            let Some(next) = add_days(date, 7 * weeks) else {
                                return Self::NEVER;
                            };
                            date = next;
                            continue;
                        }
                    }
                }
            }
            first_day = false;
            for shift in self.shifts_of(date) {
                let (Some(a), Some(b)) =
                    (self.shift_start(date, shift), self.shift_end(date, shift))
                else {
                    return Self::NEVER;
                };
                let a = a.max(from);
                if b > a {
                    let open = b - a;
                    if remaining <= open {
                        return Timestamp(a + remaining);
                    }
                    remaining -= open;
                }
            }
            if date >= limit {
                return Self::NEVER;
            }
            let Some(next) = add_days(date, 1) else {
                return Self::NEVER;
            };
            date = next;
        }
    }

    /// The shifts of local date `date`: none on a holiday.
    fn shifts_of(&self, date: Date) -> &[Shift] {
        if self.holidays.binary_search(&date).is_ok() {
            &[]
        } else {
            &self.week[weekday_index(date.weekday())]
        }
    }

    fn shift_start(&self, date: Date, shift: &Shift) -> Option<i64> {
        self.local_instant(date.to_datetime(shift.start))
    }

    fn shift_end(&self, date: Date, shift: &Shift) -> Option<i64> {
        if shift.end_ms == DAY_MS {
            self.local_instant(add_days(date, 1)?.to_datetime(Time::midnight()))
        } else {
            self.local_instant(date.to_datetime(shift.end))
        }
    }

    /// The local date on the wall clock at instant `ms`.
    fn wall_date(&self, ms: i64) -> Option<Date> {
        let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }

    /// The first instant at which the local clock reads `dt` or later, in milliseconds:
    /// `dt` itself when it exists once, its earlier occurrence in a fold, the end of the
    /// gap (the instant of the change) when it falls in a gap.
    fn local_instant(&self, dt: DateTime) -> Option<i64> {
        let ts = match self.tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok()?,
            AmbiguousOffset::Fold { before, .. } => before.to_timestamp(dt).ok()?,
            AmbiguousOffset::Gap { after, .. } => {
                // Read with the later offset, `dt` lands before the change; the change is
                // the first transition after that instant.
                let before_gap = after.to_timestamp(dt).ok()?;
                self.tz.following(before_gap).next()?.timestamp()
            }
        };
        Some(ts.as_millisecond())
    }

    /// How many whole weeks (at most `max_weeks`, at least one) starting at local midnight
    /// of `date` (the instant `start`) hold exactly the nominal weekly open time: no
    /// holiday and no change of UTC offset in them. `None` when not even one.
    fn whole_weeks_from(&self, date: Date, start: i64, max_weeks: i64) -> Option<i64> {
        let mut weeks = max_weeks;
        if weeks <= 0 {
            return None;
        }
        let ts = jiff::Timestamp::from_millisecond(start).ok()?;
        // The day must begin at 00:00 on the wall clock (not at the end of a gap).
        if self.tz.to_datetime(ts) != date.to_datetime(Time::midnight()) {
            return None;
        }
        if let Some(change) = self.tz.following(ts).next() {
            // The offset holds on [start, change); the skipped weeks must end strictly
            // before the change so the next day also begins where the arithmetic says.
            let room = change.timestamp().as_millisecond() - start;
            weeks = weeks.min((room - 1) / WEEK_MS);
        }
        let next_holiday = self.holidays.partition_point(|h| *h < date);
        if let Some(holiday) = self.holidays.get(next_holiday) {
            weeks = weeks.min(days_between(date, *holiday) / 7);
        }
        (weeks > 0).then_some(weeks)
    }
}

/// Milliseconds since the epoch of jiff's first and last representable instants.
fn jiff_range_millis() -> (i64, i64) {
    (
        jiff::Timestamp::MIN.as_millisecond(),
        jiff::Timestamp::MAX.as_millisecond(),
    )
}

fn weekday_index(weekday: Weekday) -> usize {
    weekday.to_monday_zero_offset() as usize
}

fn weekday_from_index(index: usize) -> Weekday {
    Weekday::Monday.wrapping_add(index as i64)
}

fn millis_of_day(t: Time) -> i64 {
    i64::from(t.hour()) * 3_600_000
        + i64::from(t.minute()) * 60_000
        + i64::from(t.second()) * 1_000
        + i64::from(t.subsec_nanosecond()) / 1_000_000
}

fn truncate_to_millis(t: Time) -> Time {
    let nanos = t.subsec_nanosecond() / 1_000_000 * 1_000_000;
    t.with().subsec_nanosecond(nanos).build().unwrap_or(t)
}

/// `date` plus `days` days, or `None` past jiff's range.
fn add_days(date: Date, days: i64) -> Option<Date> {
    if days == 1 {
        return date.tomorrow().ok();
    }
    let hours = days.checked_mul(24)?;
    date.checked_add(SignedDuration::from_hours(hours)).ok()
}

/// Days from `a` to `b` (negative when `b` is earlier).
fn days_between(a: Date, b: Date) -> i64 {
    b.duration_since(a).as_secs() / 86_400
}
