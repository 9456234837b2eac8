//! The workspace policy file: queues, business calendars, SLA targets, routing rules and
//! the brand accounts Switchboard may work for, in one TOML file a person writes by hand.
//!
//! The format is described on [`Policy`]; [`DEMO_POLICY_TOML`] is a complete, commented
//! example.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use jiff::civil::{Date, Time, Weekday};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::weekday_name;
use crate::sla::ThresholdsError;
use crate::{
    BusinessCalendar, Deadlines, ItemKind, Platform, Queue, QueueId, Router, RoutingRule,
    SlaPolicy, SlaTarget, SlaThresholds, TextPattern, Timestamp,
};

/// The demo workspace's policy file, as shipped (`crates/core/policies/demo.toml`).
/// Parsing it gives [`Policy::demo`].
pub const DEMO_POLICY_TOML: &str = include_str!("../policies/demo.toml");

/// A queue as the policy configures it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueConfig {
    /// Stable id, e.g. `support`.
    pub id: QueueId,
    /// What people see, e.g. "Support".
    pub label: String,
    /// CSS hex colour, `#rrggbb` or `#rgb`, lowercase.
    pub color: String,
    /// The people who lead the queue (person ids or email addresses).
    pub leads: Vec<String>,
    /// The queue's SLA; `None` when conversations in it have no response clock.
    pub sla: Option<SlaPolicy>,
}

impl QueueConfig {
    /// The queue as the rest of the app sees it.
    pub fn queue(&self) -> Queue {
        Queue {
            id: self.id.clone(),
            label: self.label.clone(),
            color: self.color.clone(),
        }
    }
}

/// A brand account Switchboard may read and answer for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AllowedAccount {
    /// The platform it is on.
    pub platform: Platform,
    /// The account's id or handle, as the platform's provider names it (the `account` of
    /// the items fetched for it).
    pub account: String,
}

/// A workspace's policy. Build one with [`Policy::parse`] or [`Policy::demo`].
///
/// # The file
///
/// [`DEMO_POLICY_TOML`] is a complete, commented example (the demo workspace). Every
/// feature in brief:
///
#[doc = concat!("```toml\n", include_str!("../policies/example.toml"), "```")]
///
/// Durations are a number and a unit, largest unit first: `"45m"`, `"1h"`, `"2h30m"`,
/// `"1d"`; units are `d` (24 hours), `h`, `m` and `s`. SLA targets count business time, so
/// `"1d"` is 24 hours of open time, not one working day.
///
/// Every mistake is reported as `file:line:column: message`, pointing at the offending
/// value ([`PolicyError`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The queues, in display order. One of them has the id `triage`.
    pub queues: Vec<QueueConfig>,
    /// When waiting conversations turn at risk, breached and escalated.
    pub thresholds: SlaThresholds,
    /// The business calendars by name.
    pub calendars: BTreeMap<String, Arc<BusinessCalendar>>,
    /// The routing rules, in order.
    pub routing: Router,
    /// The brand accounts the workspace works for.
    pub allowlist: Vec<AllowedAccount>,
}

/// A mistake in a policy file, with where it is. Displays as
/// `{file}:{line}:{column}: {message}`; line and column count from 1, the column in
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PolicyError {
    /// The file name given to [`Policy::parse`].
    pub file: String,
    /// The line of the offending value, from 1.
    pub line: usize,
    /// The column of the offending value's first character, from 1.
    pub column: usize,
    /// What is wrong and how to fix it, in plain words.
    pub message: String,
}

impl Policy {
    /// Reads a policy file. `file_name` only labels errors.
    pub fn parse(file_name: &str, text: &str) -> Result<Policy, PolicyError> {
        let ctx = Ctx {
            file: file_name,
            text,
        };
        let raw: RawPolicy = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ctx.error(span, syntax_message(e.message()))
        })?;
        ctx.build(raw)
    }

    /// The demo workspace's policy (Northwind Coffee), parsed from [`DEMO_POLICY_TOML`]:
    /// the queues of [`Queue::defaults`], the rules of [`Router::defaults`], a support desk
    /// open around the clock for Triage (20m) and Support (30m, 15m for direct messages),
    /// and a London office open Monday to Friday 09:00–12:30 and 13:30–17:30 with UK bank
    /// holidays for Sales (4h) and Marketing (1d).
    pub fn demo() -> Policy {
        Policy::parse("demo.toml", DEMO_POLICY_TOML).expect("the built-in demo policy is valid")
    }

    /// The queues, in display order, as the rest of the app sees them.
    pub fn queues(&self) -> Vec<Queue> {
        self.queues.iter().map(QueueConfig::queue).collect()
    }

    /// The configuration of queue `id`.
    pub fn queue(&self, id: &QueueId) -> Option<&QueueConfig> {
        self.queues.iter().find(|q| q.id == *id)
    }

    /// The SLA of `queue`; `None` for an unknown queue or one without an SLA.
    pub fn sla_for(&self, queue: &QueueId) -> Option<&SlaPolicy> {
        self.queue(queue)?.sla.as_ref()
    }

    /// The calendar `queue`'s clock runs on; [`BusinessCalendar::always_open`] when the
    /// queue is unknown or has no SLA.
    pub fn calendar_for(&self, queue: &QueueId) -> &BusinessCalendar {
        match self.sla_for(queue) {
            Some(sla) => &sla.calendar,
            None => always_open(),
        }
    }

    /// The deadlines of a conversation in `queue` started by an item of `kind`,
    /// waiting since `waiting_since` for a first (`first_response`) or next response, with
    /// the policy's thresholds; `None` when the queue has no SLA.
    pub fn deadlines(
        &self,
        queue: &QueueId,
        kind: ItemKind,
        first_response: bool,
        waiting_since: Timestamp,
        pauses: &[(Timestamp, Timestamp)],
    ) -> Option<Deadlines> {
        let sla = self.sla_for(queue)?;
        Some(sla.deadlines(
            kind,
            first_response,
            waiting_since,
            &self.thresholds,
            pauses,
        ))
    }

    /// Whether `account` on `platform` is one of the workspace's brand accounts.
    pub fn is_allowed(&self, platform: Platform, account: &str) -> bool {
        self.allowlist
            .iter()
            .any(|a| a.platform == platform && a.account == account)
    }
}

fn always_open() -> &'static BusinessCalendar {
    static CALENDAR: OnceLock<BusinessCalendar> = OnceLock::new();
    CALENDAR.get_or_init(BusinessCalendar::always_open)
}

/// Parses a duration such as `"30m"`, `"1h"`, `"2h30m"`, `"1d"` or `"90s"` into
/// milliseconds: numbers each followed by a unit (`d` = 24 hours, `h`, `m`, `s`), largest
/// unit first, each unit at most once, spaces between the parts allowed. Zero is refused.
/// The error is a sentence for a person.
pub fn parse_duration_millis(text: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "\"{text}\" is not a duration: write a number and a unit (d, h, m or s), largest unit first, e.g. \"30m\", \"1h\", \"2h30m\" or \"1d\""
        )
    };
    const UNITS: [(char, i64); 4] = [
        ('d', 86_400_000),
        ('h', 3_600_000),
        ('m', 60_000),
        ('s', 1_000),
    ];
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: i64 = 0;
    let mut next_unit = 0; // index into UNITS of the largest unit still allowed
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let number: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit = rest.chars().next().ok_or_else(bad)?;
        let index = UNITS[next_unit..]
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(bad)?
            + next_unit;
        next_unit = index + 1;
        rest = rest[unit.len_utf8()..].trim_start();
        let part = number.checked_mul(UNITS[index].1).ok_or_else(bad)?;
        total = total.checked_add(part).ok_or_else(bad)?;
        if next_unit == UNITS.len() && !rest.is_empty() {
            return Err(bad());
        }
    }
    if total == 0 {
        return Err(format!(
            "\"{text}\" is zero: a response target must be longer than that"
        ));
    }
    Ok(total)
}

/// Writes milliseconds the way [`parse_duration_millis`] reads them, e.g. `2h30m`; `0s`
/// for zero or less. Milliseconds below a second are dropped.
pub fn format_duration_millis(millis: i64) -> String {
    if millis < 1_000 {
        return "0s".to_owned();
    }
    let mut rest = millis / 1_000;
    let mut out = String::new();
    for (unit, secs) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        if rest >= secs {
            out.push_str(&format!("{}{unit}", rest / secs));
            rest %= secs;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The file as written.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    thresholds: Option<RawThresholds>,
    #[serde(default)]
    calendar: BTreeMap<Spanned<String>, Spanned<RawCalendar>>,
    #[serde(default)]
    queue: Vec<Spanned<RawQueue>>,
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    brand_account: Vec<Spanned<RawAccount>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    at_risk: Option<Spanned<Percent>>,
    breached: Option<Spanned<Percent>>,
    escalated: Option<Spanned<Percent>>,
}

/// A number of percent, integer or not.
struct Percent(f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PercentVisitor;
        impl Visitor<'_> for PercentVisitor {
            type Value = Percent;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of percent without quotes or %, such as 75")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Percent, E> {
                Ok(Percent(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Percent, E> {
                Ok(Percent(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Percent, E> {
                Ok(Percent(v))
            }
        }
        deserializer.deserialize_any(PercentVisitor)
    }
}

/// A duration as written, e.g. `"2h30m"`; checked by [`parse_duration_millis`].
struct DurationText(String);

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;
        impl Visitor<'_> for DurationVisitor {
            type Value = DurationText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration in quotes, such as \"30m\", \"1h\" or \"2h30m\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationText, E> {
                Ok(DurationText(v.to_owned()))
            }
        }
        deserializer.deserialize_any(DurationVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    time_zone: Option<Spanned<String>>,
    hours: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    #[serde(default)]
    holidays: Vec<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQueue {
    id: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    #[serde(default)]
    leads: Vec<Spanned<String>>,
    sla: Option<Spanned<RawSla>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSla {
    calendar: Option<Spanned<String>>,
    first_response: Option<Spanned<DurationText>>,
    next_response: Option<Spanned<DurationText>>,
    mention: Option<Spanned<RawKindTarget>>,
    reply: Option<Spanned<RawKindTarget>>,
    quote: Option<Spanned<RawKindTarget>>,
    comment: Option<Spanned<RawKindTarget>>,
    direct_message: Option<Spanned<RawKindTarget>>,
}

/// A per-kind override: `"30m"` (first and next) or `{ first_response = …, next_response = … }`.
enum RawKindTarget {
    Both(String),
    Split {
        first: Option<Spanned<DurationText>>,
        next: Option<Spanned<DurationText>>,
    },
}

impl<'de> Deserialize<'de> for RawKindTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindTargetVisitor;
        impl<'de> Visitor<'de> for KindTargetVisitor {
            type Value = RawKindTarget;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a duration such as \"30m\", or { first_response = \"30m\", next_response = \"15m\" }",
                )
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawKindTarget, E> {
                Ok(RawKindTarget::Both(v.to_owned()))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawKindTarget, A::Error> {
                const FIELDS: &[&str] = &["first_response", "next_response"];
                let mut first = None;
                let mut next = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "first_response" => first = Some(map.next_value()?),
                        "next_response" => next = Some(map.next_value()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(RawKindTarget::Split { first, next })
            }
        }
        deserializer.deserialize_any(KindTargetVisitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    queue: Option<Spanned<String>>,
    #[serde(default)]
    platforms: Vec<Spanned<String>>,
    #[serde(default)]
    accounts: Vec<Spanned<String>>,
    #[serde(default)]
    kinds: Vec<Spanned<String>>,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    regex: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    platform: Option<Spanned<String>>,
    account: Option<Spanned<String>>,
}

// ---------------------------------------------------------------------------------------
// Checking and building.

/// A shift of a calendar as written, for one weekday.
struct WrittenShift {
    start_ms: i64,
    end_ms: i64,
    start: Time,
    /// `Time::midnight()` for 24:00.
    end: Time,
    span: Range<usize>,
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    /// An error at the start of `span`.
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> PolicyError {
        let offset = span.start.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        PolicyError {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// `value`, or an error at `table` saying the field is missing.
    fn required<'v, T>(
        &self,
        value: &'v Option<Spanned<T>>,
        table: &Range<usize>,
        message: &str,
    ) -> Result<&'v Spanned<T>, PolicyError> {
        value
            .as_ref()
            .ok_or_else(|| self.error(table.clone(), message))
    }

    fn build(&self, raw: RawPolicy) -> Result<Policy, PolicyError> {
        let thresholds = self.thresholds(raw.thresholds)?;
        let mut calendars = BTreeMap::new();
        for (name, calendar) in raw.calendar {
            let built = self.calendar(&name, calendar)?;
            calendars.insert(name.into_inner(), Arc::new(built));
        }

        let mut queues: Vec<QueueConfig> = Vec::new();
        let mut first_id_span: Option<Range<usize>> = None;
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        for raw_queue in raw.queue {
            let table = raw_queue.span();
            let raw_queue = raw_queue.into_inner();
            let raw_id = self.required(
                &raw_queue.id,
                &table,
                "this [[queue]] has no id: add one such as id = \"support\"",
            )?;
            let id_span = raw_id.span();
            first_id_span.get_or_insert(id_span.clone());
            let id = raw_id.get_ref().trim().to_owned();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                return Err(self.error(
                    id_span,
                    format!(
                        "queue id \"{}\" may only use lowercase letters, digits, - and _ (e.g. \"support\")",
                        raw_id.get_ref()
                    ),
                ));
            }
            if let Some(first) = seen.get(&id) {
                let first_line = self.error(first.clone(), "").line;
                return Err(self.error(
                    id_span,
                    format!(
                        "duplicate queue id \"{id}\": it is already used on line {first_line}; give each queue its own id"
                    ),
                ));
            }
            seen.insert(id.clone(), id_span);
            let raw_label = self.required(
                &raw_queue.label,
                &table,
                &format!("queue \"{id}\" has no label: add the name people see, e.g. label = \"Support\""),
            )?;
            let label = raw_label.get_ref().trim().to_owned();
            if label.is_empty() {
                return Err(self.error(
                    raw_label.span(),
                    format!("queue \"{id}\" has an empty label: write the name people see, e.g. \"Support\""),
                ));
            }
            let color = self.color(self.required(
                &raw_queue.color,
                &table,
                &format!("queue \"{id}\" has no colour: add one such as color = \"#2f80ed\""),
            )?)?;
            let mut leads = Vec::new();
            for lead in raw_queue.leads {
                let text = lead.get_ref().trim();
                if text.is_empty() {
                    return Err(self.error(
                        lead.span(),
                        "a lead is empty: write a person's id or email address",
                    ));
                }
                leads.push(text.to_owned());
            }
            let sla = match raw_queue.sla {
                Some(raw_sla) => Some(self.sla(raw_sla, &calendars)?),
                None => None,
            };
            queues.push(QueueConfig {
                id: QueueId(id),
                label,
                color,
                leads,
                sla,
            });
        }
        if !seen.contains_key("triage") {
            return Err(self.error(
                first_id_span.unwrap_or(0..0),
                "no queue has the id \"triage\": add a [[queue]] with id = \"triage\" — items that no rule claims go there",
            ));
        }

        let mut allowlist = Vec::new();
        for raw_account in raw.brand_account {
            let table = raw_account.span();
            let raw_account = raw_account.into_inner();
            let platform = self.platform(self.required(
                &raw_account.platform,
                &table,
                "this [[brand_account]] has no platform: add one such as platform = \"mastodon\"",
            )?)?;
            let raw_name = self.required(
                &raw_account.account,
                &table,
                "this [[brand_account]] has no account: add the account's id or handle, e.g. account = \"northwind\"",
            )?;
            let account = raw_name.get_ref().trim();
            if account.is_empty() {
                return Err(self.error(
                    raw_name.span(),
                    "the account is empty: write the account's id or handle on the platform",
                ));
            }
            let entry = AllowedAccount {
                platform,
                account: account.to_owned(),
            };
            if !allowlist.contains(&entry) {
                allowlist.push(entry);
            }
        }

        let mut rules = Vec::new();
        for raw_rule in raw.rule {
            rules.push(self.rule(raw_rule, &seen, &allowlist)?);
        }

        Ok(Policy {
            queues,
            thresholds,
            calendars,
            routing: Router::new(rules),
            allowlist,
        })
    }

    fn thresholds(&self, raw: Option<RawThresholds>) -> Result<SlaThresholds, PolicyError> {
        let Some(raw) = raw else {
            return Ok(SlaThresholds::default());
        };
        let defaults = SlaThresholds::default();
        let value = |v: &Option<Spanned<Percent>>, default: f64| {
            v.as_ref().map_or(default, |s| s.get_ref().0 / 100.0)
        };
        let thresholds = SlaThresholds {
            at_risk: value(&raw.at_risk, defaults.at_risk),
            breached: value(&raw.breached, defaults.breached),
            escalated: value(&raw.escalated, defaults.escalated),
        };
        let percent = |t: f64| format_percent(t * 100.0);
        match thresholds.validate() {
            Ok(()) => Ok(thresholds),
            Err(ThresholdsError::AtRiskNotPositive) => Err(self.error(
                span_of(&raw.at_risk),
                format!(
                    "at_risk = {} must be a percentage above 0, e.g. 75",
                    percent(thresholds.at_risk)
                ),
            )),
            Err(ThresholdsError::BreachedNotAboveAtRisk) => Err(self.error(
                if raw.breached.is_some() { span_of(&raw.breached) } else { span_of(&raw.at_risk) },
                format!(
                    "breached = {} must be above at_risk = {}: the thresholds go at_risk < breached < escalated, in percent of the target",
                    percent(thresholds.breached),
                    percent(thresholds.at_risk)
                ),
            )),
            Err(ThresholdsError::EscalatedNotAboveBreached) => Err(self.error(
                if raw.escalated.is_some() { span_of(&raw.escalated) } else { span_of(&raw.breached) },
                format!(
                    "escalated = {} must be above breached = {}: the thresholds go at_risk < breached < escalated, in percent of the target",
                    percent(thresholds.escalated),
                    percent(thresholds.breached)
                ),
            )),
        }
    }

    fn calendar(
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

    fn sla(
        &self,
        raw: Spanned<RawSla>,
        calendars: &BTreeMap<String, Arc<BusinessCalendar>>,
    ) -> Result<SlaPolicy, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let raw_calendar = self.required(
            &raw.calendar,
            &table,
            "this SLA has no calendar: add the name of one, e.g. calendar = \"office\"",
        )?;
        let calendar_name = raw_calendar.get_ref().trim();
        let calendar = calendars.get(calendar_name).ok_or_else(|| {
            let known = if calendars.is_empty() {
                "the file defines none: add a [calendar.NAME] table".to_owned()
            } else {
                format!(
                    "the file defines {}",
                    calendars
                        .keys()
                        .map(|k| format!("\"{k}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(
                raw_calendar.span(),
                format!("unknown calendar \"{}\": {known}", raw_calendar.get_ref()),
            )
        })?;
        let first = self.duration(self.required(
            &raw.first_response,
            &table,
            "this SLA has no first_response target: add one such as first_response = \"1h\"",
        )?)?;
        let next = match &raw.next_response {
            Some(next) => self.duration(next)?,
            None => first,
        };
        let default = SlaTarget {
            first_response_millis: first,
            next_response_millis: next,
        };
        let mut per_kind = Vec::new();
        for (kind, value) in [
            (ItemKind::Mention, &raw.mention),
            (ItemKind::Reply, &raw.reply),
            (ItemKind::Quote, &raw.quote),
            (ItemKind::Comment, &raw.comment),
            (ItemKind::DirectMessage, &raw.direct_message),
        ] {
            let Some(value) = value else { continue };
            let target = match value.get_ref() {
                RawKindTarget::Both(text) => SlaTarget::both(
                    self.duration(&Spanned::new(value.span(), DurationText(text.clone())))?,
                ),
                RawKindTarget::Split { first, next } => SlaTarget {
                    first_response_millis: match first {
                        Some(f) => self.duration(f)?,
                        None => default.first_response_millis,
                    },
                    next_response_millis: match next {
                        Some(n) => self.duration(n)?,
                        None => default.next_response_millis,
                    },
                },
            };
            per_kind.push((kind, target));
        }
        Ok(SlaPolicy {
            default,
            per_kind,
            calendar_name: calendar_name.to_owned(),
            calendar: Arc::clone(calendar),
        })
    }

    fn duration(&self, value: &Spanned<DurationText>) -> Result<i64, PolicyError> {
        parse_duration_millis(&value.get_ref().0)
            .map_err(|message| self.error(value.span(), message))
    }

    fn color(&self, value: &Spanned<String>) -> Result<String, PolicyError> {
        let text = value.get_ref().trim();
        let hex = text.strip_prefix('#').unwrap_or("");
        if (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(text.to_ascii_lowercase())
        } else {
            Err(self.error(
                value.span(),
                format!(
                    "\"{}\" is not a colour: write a hex colour such as \"#2f80ed\"",
                    value.get_ref()
                ),
            ))
        }
    }

    fn platform(&self, value: &Spanned<String>) -> Result<Platform, PolicyError> {
        parse_platform(value.get_ref()).ok_or_else(|| {
            self.error(
                value.span(),
                format!(
                    "unknown platform \"{}\": use one of {}",
                    value.get_ref(),
                    Platform::ALL.map(|p| p.as_str()).join(", ")
                ),
            )
        })
    }

    fn rule(
        &self,
        raw: Spanned<RawRule>,
        queues: &HashMap<String, Range<usize>>,
        allowlist: &[AllowedAccount],
    ) -> Result<RoutingRule, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let raw_queue = self.required(
            &raw.queue,
            &table,
            "this [[rule]] names no queue: add the queue its items go to, e.g. queue = \"support\"",
        )?;
        let queue = raw_queue.get_ref().trim();
        if !queues.contains_key(queue) {
            let mut known: Vec<&str> = queues.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(self.error(
                raw_queue.span(),
                format!(
                    "unknown queue \"{}\": a rule must name a queue defined with [[queue]] ({})",
                    raw_queue.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        let mut platforms = Vec::new();
        for p in &raw.platforms {
            platforms.push(self.platform(p)?);
        }
        let mut accounts = Vec::new();
        for a in &raw.accounts {
            let account = a.get_ref().trim();
            if !allowlist.iter().any(|allowed| allowed.account == account) {
                let mut known: Vec<&str> = allowlist.iter().map(|b| b.account.as_str()).collect();
                known.sort_unstable();
                known.dedup();
                let listed = if known.is_empty() {
                    "the file lists none".to_owned()
                } else {
                    format!("the file lists {}", known.join(", "))
                };
                return Err(self.error(
                    a.span(),
                    format!(
                        "unknown brand account \"{}\": a rule's accounts must be listed with [[brand_account]] ({listed})",
                        a.get_ref()
                    ),
                ));
            }
            accounts.push(account.to_owned());
        }
        let mut kinds = Vec::new();
        for k in &raw.kinds {
            kinds.push(parse_kind(k.get_ref()).ok_or_else(|| {
                self.error(
                    k.span(),
                    format!(
                        "unknown kind \"{}\": use one of {}",
                        k.get_ref(),
                        ItemKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                )
            })?);
        }
        let mut languages = Vec::new();
        for l in &raw.languages {
            let tag = l.get_ref().trim();
            if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(self.error(
                    l.span(),
                    format!(
                        "\"{}\" is not a language tag: write one such as \"en\", \"de\" or \"pt-BR\"",
                        l.get_ref()
                    ),
                ));
            }
            languages.push(tag.to_owned());
        }
        let mut keywords = Vec::new();
        for k in &raw.keywords {
            let word = k.get_ref().trim();
            if word.is_empty() {
                return Err(self.error(
                    k.span(),
                    "a keyword is empty: remove it or write a word or phrase",
                ));
            }
            keywords.push(word.to_lowercase());
        }
        let pattern = match &raw.regex {
            Some(written) => Some(TextPattern::new(written.get_ref()).map_err(|e| {
                self.error(
                    written.span(),
                    format!(
                        "the regex \"{}\" is not valid: {}; write it in the syntax of the Rust regex crate (matching ignores case unless it starts with (?-i))",
                        written.get_ref(),
                        e.reason
                    ),
                )
            })?),
            None => None,
        };
        Ok(RoutingRule {
            queue: QueueId(queue.to_owned()),
            platforms,
            accounts,
            kinds,
            languages,
            keywords,
            pattern,
        })
    }
}

/// Where `value` was written; the start of the file when it was not (defaults).
fn span_of<T>(value: &Option<Spanned<T>>) -> Range<usize> {
    value.as_ref().map_or(0..0, Spanned::span)
}

/// toml's messages, made to read as a sentence about the file.
fn syntax_message(message: &str) -> String {
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "the file is not valid TOML".to_owned(),
    }
}

fn format_percent(value: f64) -> String {
    let rounded = (value * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
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

/// A platform by its stable name or a friendly spelling: `linked_in`, `linkedin`,
/// `LinkedIn`, `you_tube`, `youtube`, `twitter` (for X).
fn parse_platform(name: &str) -> Option<Platform> {
    let wanted = simplify(name);
    if wanted == "twitter" {
        return Some(Platform::X);
    }
    Platform::ALL
        .into_iter()
        .find(|p| simplify(p.as_str()) == wanted)
}

/// A kind by its stable name or a friendly spelling: `direct_message`, `direct-message`,
/// `DirectMessage`, `dm`.
fn parse_kind(name: &str) -> Option<ItemKind> {
    let wanted = simplify(name);
    if wanted == "dm" {
        return Some(ItemKind::DirectMessage);
    }
    ItemKind::ALL
        .into_iter()
        .find(|k| simplify(k.as_str()) == wanted)
}

fn simplify(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}
