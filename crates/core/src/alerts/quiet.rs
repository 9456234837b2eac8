//! Quiet hours: a daily window of local time in a person's time zone.

use std::fmt;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone, TimeZoneDatabase};
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// A daily quiet window, `[start, end)` in local civil time of an IANA time zone. When
/// `end` is earlier than `start` the window spans midnight (`18:00`–`08:00` is quiet from
/// 18:00 one day to 08:00 the next); an `end` of `00:00` means midnight at the end of the
/// day.
///
/// Local times become instants by the rule the business calendars use: **the first instant
/// at which the local clock reads that time or later**. A time skipped by a spring-forward
/// change resolves to the instant of the change; a time that occurs twice (fall-back)
/// resolves to its earlier occurrence. So each local date gives exactly one quiet interval
/// of real time, and the windows of a night across a DST change are one hour shorter or
/// longer in real time.
///
/// Serialized as `{"start": "18:00", "end": "08:00", "time_zone": "Europe/Berlin"}`;
/// deserializing validates like [`QuietHours::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawQuietHours", into = "RawQuietHours")]
pub struct QuietHours {
    start: Time,
    end: Time,
    time_zone: String,
    tz: TimeZone,
}

/// Why [`QuietHours::new`] refused a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuietHoursError {
    /// Not an IANA time zone name the bundled database knows.
    UnknownTimeZone(String),
    /// `start` and `end` are the same time, so the window is empty (or the whole day:
    /// use a pause for that).
    StartEqualsEnd,
    /// A time in the serialized form is not `HH:MM` or `HH:MM:SS`.
    BadTime(String),
}

impl fmt::Display for QuietHoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuietHoursError::UnknownTimeZone(name) => write!(
                f,
                "unknown time zone \"{name}\": use an IANA time zone name such as \"Europe/London\""
            ),
            QuietHoursError::StartEqualsEnd => {
                f.write_str("quiet hours must end at a different time than they start")
            }
            QuietHoursError::BadTime(text) => write!(
                f,
                "\"{text}\" is not a time of day: write it as HH:MM, e.g. \"18:00\""
            ),
        }
    }
}

impl std::error::Error for QuietHoursError {}

impl QuietHours {
    /// Quiet from `start` to `end` every day in `time_zone` (an IANA name such as
    /// `Europe/Berlin`; `UTC` works too). Errors: an unknown time zone, `start == end`.
    pub fn new(start: Time, end: Time, time_zone: &str) -> Result<Self, QuietHoursError> {
        let tz = TimeZoneDatabase::bundled()
            .get(time_zone.trim())
            .map_err(|_| QuietHoursError::UnknownTimeZone(time_zone.to_owned()))?;
        if start == end {
            return Err(QuietHoursError::StartEqualsEnd);
        }
        let time_zone = tz.iana_name().unwrap_or(time_zone.trim()).to_owned();
        Ok(QuietHours {
            start,
            end,
            time_zone,
            tz,
        })
    }

    /// [`QuietHours::new`] from text as a settings screen has it: `HH:MM` or `HH:MM:SS`
    /// (`24:00` for midnight at the end of the day), e.g. `parse("18:00", "08:00",
    /// "Europe/Berlin")`.
    pub fn parse(start: &str, end: &str, time_zone: &str) -> Result<Self, QuietHoursError> {
        QuietHours::new(parse_time(start)?, parse_time(end)?, time_zone)
    }

    /// The local time quiet hours begin.
    pub fn start(&self) -> Time {
        self.start
    }

    /// The local time quiet hours end (`00:00` is midnight at the end of the day).
    pub fn end(&self) -> Time {
        self.end
    }

    /// The IANA name of the time zone.
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// Whether `at` is inside a quiet window (start included, end excluded).
    pub fn contains(&self, at: Timestamp) -> bool {
        self.window_at(at).is_some()
    }

    /// The quiet window `[start, end)` that contains `at`, as instants.
    pub fn window_at(&self, at: Timestamp) -> Option<(Timestamp, Timestamp)> {
        let today = self.local_date(at.0)?;
        (-2..=0)
            .filter_map(|offset| add_days(today, offset))
            .filter_map(|date| self.window_on(date))
            .find(|(a, b)| *a <= at.0 && at.0 < *b)
            .map(|(a, b)| (Timestamp(a), Timestamp(b)))
    }

    /// The first instant after `at` at which a quiet window begins.
    pub fn next_start_after(&self, at: Timestamp) -> Option<Timestamp> {
        let today = self.local_date(at.0)?;
        (-1..=2)
            .filter_map(|offset| add_days(today, offset))
            .filter_map(|date| self.window_on(date))
            .map(|(a, _)| a)
            .filter(|a| *a > at.0)
            .min()
            .map(Timestamp)
    }

    /// Whether some quiet window overlaps `[from, to)`.
    pub(crate) fn overlaps(&self, from: Timestamp, to: Timestamp) -> bool {
        from < to && (self.contains(from) || self.next_start_after(from).is_some_and(|s| s < to))
    }

    /// The quiet interval that begins on local date `date`, in milliseconds; `None` when
    /// it is empty (both ends in one DST gap) or out of range.
    fn window_on(&self, date: Date) -> Option<(i64, i64)> {
        let a = local_instant(&self.tz, date.to_datetime(self.start))?;
        let end_date = if self.start < self.end {
            date
        } else {
            add_days(date, 1)?
        };
        let b = local_instant(&self.tz, end_date.to_datetime(self.end))?;
        (b > a).then_some((a, b))
    }

    fn local_date(&self, ms: i64) -> Option<Date> {
        let ts = jiff::Timestamp::from_millisecond(ms).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }
}

/// The serialized form.
#[derive(Serialize, Deserialize)]
struct RawQuietHours {
    start: String,
    end: String,
    time_zone: String,
}

impl TryFrom<RawQuietHours> for QuietHours {
    type Error = QuietHoursError;

    fn try_from(raw: RawQuietHours) -> Result<Self, Self::Error> {
        QuietHours::new(
            parse_time(&raw.start)?,
            parse_time(&raw.end)?,
            &raw.time_zone,
        )
    }
}

impl From<QuietHours> for RawQuietHours {
    fn from(q: QuietHours) -> Self {
        RawQuietHours {
            start: format_time(q.start),
            end: format_time(q.end),
            time_zone: q.time_zone,
        }
    }
}

fn parse_time(text: &str) -> Result<Time, QuietHoursError> {
    let trimmed = text.trim();
    if trimmed == "24:00" {
        return Ok(Time::midnight());
    }
    trimmed
        .parse::<Time>()
        .map_err(|_| QuietHoursError::BadTime(text.to_owned()))
}

fn format_time(t: Time) -> String {
    if t.second() == 0 && t.subsec_nanosecond() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(SignedDuration::from_hours(days.checked_mul(24)?))
        .ok()
}

/// The first instant at which the local clock reads `dt` or later, in milliseconds (the
/// same rule as the business calendars).
fn local_instant(tz: &TimeZone, dt: DateTime) -> Option<i64> {
    let ts = match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(dt).ok()?,
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(dt).ok()?,
        AmbiguousOffset::Gap { after, .. } => {
            let before_gap = after.to_timestamp(dt).ok()?;
            tz.following(before_gap).next()?.timestamp()
        }
    };
    Some(ts.as_millisecond())
}
