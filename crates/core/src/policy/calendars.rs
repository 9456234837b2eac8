//! `[calendar.NAME]` tables: time zone, weekly shifts per day and holidays, checked into
//! a [`BusinessCalendar`].

use std::ops::Range;

use jiff::civil::{Date, Time, Weekday};
use toml::Spanned;

use super::raw::RawCalendar;
use super::spans::Ctx;
use super::PolicyError;
use crate::calendar::weekday_name;
use crate::BusinessCalendar;

/// A shift of a calendar as written, for one weekday.
struct WrittenShift {
    start_ms: i64,
    end_ms: i64,
    start: Time,
    /// `Time::midnight()` for 24:00.
    end: Time,
    span: Range<usize>,
}

impl Ctx<'_> {
    pub(super) fn calendar(
        &self,
        name: &Spanned<String>,
        raw: Spanned<RawCalendar>,
    ) -> Result<BusinessCalendar, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let time_zone = self.required(
            &raw.time_zone,
            &table,
            &format!(
                "calendar \"{}\" has no time zone: add one such as time_zone = \"Europe/London\"",
                name.get_ref()
            ),
        )?;
        let zone = time_zone.get_ref().trim();
        if jiff::tz::TimeZoneDatabase::bundled().get(zone).is_err() {
            return Err(self.error(
                time_zone.span(),
                format!(
                    "unknown time zone \"{}\": use an IANA time zone name such as \"Europe/London\" or \"America/New_York\"",
                    time_zone.get_ref()
                ),
            ));
        }
        let hours = raw.hours.as_ref().ok_or_else(|| {
            self.error(
                table.clone(),
                format!(
                    "calendar \"{}\" has no opening hours: add shifts such as hours.mon-fri = [\"09:00-17:00\"]",
                    name.get_ref()
                ),
            )
        })?;
        // Shifts per weekday, Monday first, with where each was written.
        let mut days: [Vec<WrittenShift>; 7] = Default::default();
        for (key, shifts) in hours {
            let weekdays = parse_days(key.get_ref()).ok_or_else(|| {
                self.error(
                    key.span(),
                    format!(
                        "\"{}\" is not a day: use monday … sunday (or mon … sun), a range such as mon-fri, weekdays, weekend or daily",
                        key.get_ref()
                    ),
                )
            })?;
            for shift in shifts {
                let (start, end) = parse_shift(shift.get_ref())
                    .map_err(|message| self.error(shift.span(), message))?;
                let start_ms = millis_of_day(start);
                let end_ms = if end == Time::midnight() {
                    86_400_000
                } else {
                    millis_of_day(end)
                };
                if end_ms <= start_ms {
                    return Err(self.error(
                        shift.span(),
                        format!(
                            "the shift \"{}\" ends before it starts: write the earlier time first; a shift past midnight is two shifts, e.g. \"22:00-24:00\" and \"00:00-06:00\" the next day",
                            shift.get_ref()
                        ),
                    ));
                }
                for weekday in &weekdays {
                    days[weekday.to_monday_zero_offset() as usize].push(WrittenShift {
                        start_ms,
                        end_ms,
                        start,
                        end,
                        span: shift.span(),
                    });
                }
            }
        }
        for (index, shifts) in days.iter_mut().enumerate() {
            shifts.sort_by_key(|s| (s.start_ms, s.end_ms));
            for pair in shifts.windows(2) {
                if pair[1].start_ms < pair[0].end_ms {
                    // Point at whichever of the two was written later in the file.
                    let (later, other) = if pair[1].span.start >= pair[0].span.start {
                        (&pair[1], &pair[0])
                    } else {
                        (&pair[0], &pair[1])
                    };
                    return Err(self.error(
                        later.span.clone(),
                        format!(
                            "on {} this shift overlaps {}-{}: shifts of one day must not overlap",
                            weekday_name(Weekday::Monday.wrapping_add(index as i64)),
                            format_hhmm(other.start, false),
                            format_hhmm(other.end, true)
                        ),
                    ));
                }
            }
        }
        let mut holidays = Vec::new();
        for holiday in &raw.holidays {
            holidays.push(self.holiday(holiday)?);
        }
        let weekly = days
            .iter()
            .enumerate()
            .map(|(index, shifts)| {
                (
                    Weekday::Monday.wrapping_add(index as i64),
                    shifts.iter().map(|s| (s.start, s.end)).collect(),
                )
            })
            .collect();
        BusinessCalendar::new(zone, weekly, holidays).map_err(|e| {
            let span = match e {
                crate::CalendarError::NoOpenHours => name.span(),
                _ => time_zone.span(),
            };
            let message = match e {
                crate::CalendarError::NoOpenHours => format!(
                    "calendar \"{}\" has no open hours: add shifts, e.g. hours.mon-fri = [\"09:00-17:00\"]",
                    name.get_ref()
                ),
                other => other.to_string(),
            };
            self.error(span, message)
        })
    }

    fn holiday(&self, value: &Spanned<toml::Value>) -> Result<Date, PolicyError> {
        let bad = || {
            let shown = match value.get_ref() {
                toml::Value::Datetime(dt) => dt.to_string(),
                other => other.to_string(),
            };
            self.error(
                value.span(),
                format!("{shown} is not a holiday date: write a date such as 2026-12-25"),
            )
        };
        match value.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    Date::new(d.year as i16, d.month as i8, d.day as i8).map_err(|_| bad())
                }
                _ => Err(bad()),
            },
            toml::Value::String(s) => s.trim().parse::<Date>().map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

fn millis_of_day(t: Time) -> i64 {
    i64::from(t.hour()) * 3_600_000 + i64::from(t.minute()) * 60_000 + i64::from(t.second()) * 1_000
}

fn format_hhmm(t: Time, is_end: bool) -> String {
    if is_end && t == Time::midnight() {
        "24:00".to_owned()
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

/// The weekdays a key of `hours` names: `monday`/`mon`, ranges `mon-fri` (wrapping, so
/// `fri-mon` is Friday to Monday), `weekdays`, `weekend`, `daily`. Case-insensitive.
fn parse_days(key: &str) -> Option<Vec<Weekday>> {
    let key = key.trim().to_ascii_lowercase();
    let span = |from: Weekday, to: Weekday| {
        let mut days = vec![from];
        let mut day = from;
        while day != to {
            day = day.wrapping_add(1);
            days.push(day);
        }
        days
    };
    match key.as_str() {
        "weekdays" => return Some(span(Weekday::Monday, Weekday::Friday)),
        "weekend" | "weekends" => return Some(span(Weekday::Saturday, Weekday::Sunday)),
        "daily" | "every-day" | "everyday" => return Some(span(Weekday::Monday, Weekday::Sunday)),
        _ => {}
    }
    match key.split_once('-') {
        Some((from, to)) => Some(span(parse_day(from)?, parse_day(to)?)),
        None => Some(vec![parse_day(&key)?]),
    }
}

fn parse_day(name: &str) -> Option<Weekday> {
    let day = match name.trim() {
        "mon" | "monday" => Weekday::Monday,
        "tue" | "tues" | "tuesday" => Weekday::Tuesday,
        "wed" | "wednesday" => Weekday::Wednesday,
        "thu" | "thurs" | "thursday" => Weekday::Thursday,
        "fri" | "friday" => Weekday::Friday,
        "sat" | "saturday" => Weekday::Saturday,
        "sun" | "sunday" => Weekday::Sunday,
        _ => return None,
    };
    Some(day)
}

/// `"09:00-17:30"` → (09:00, 17:30). An end of `24:00` (or `00:00`) is midnight at the end
/// of the day and comes back as `Time::midnight()`.
fn parse_shift(text: &str) -> Result<(Time, Time), String> {
    let bad = || {
        format!(
            "\"{text}\" is not a shift: write the start and end as HH:MM-HH:MM, e.g. \"09:00-17:30\" (24:00 for midnight at the end of the day)"
        )
    };
    let (start, end) = text
        .split_once('-')
        .or_else(|| text.split_once('–'))
        .ok_or_else(bad)?;
    let start = parse_clock(start.trim(), false).ok_or_else(bad)?;
    let end = parse_clock(end.trim(), true).ok_or_else(bad)?;
    Ok((start, end))
}

/// `HH:MM` or `HH:MM:SS`; `24:00` only when `end`.
fn parse_clock(text: &str, end: bool) -> Option<Time> {
    let mut parts = text.split(':');
    let mut number = |max: i64| -> Option<Option<i64>> {
        match parts.next() {
            None => Some(None),
            Some(p) if !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let n: i64 = p.parse().ok()?;
                (n <= max).then_some(Some(n))
            }
            Some(_) => None,
        }
    };
    let hour = number(24)??;
    let minute = number(59)??;
    let second = number(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    if hour == 24 {
        return (end && minute == 0 && second == 0).then(Time::midnight);
    }
    Time::new(hour as i8, minute as i8, second as i8, 0).ok()
}
