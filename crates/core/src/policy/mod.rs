//! The workspace policy file: queues, business calendars, SLA targets, routing rules and
//! the brand accounts Switchboard may work for, in one TOML file a person writes by hand.
//!
//! The format is described on [`Policy`]; [`DEMO_POLICY_TOML`] is a complete, commented
//! example.

mod build;
mod calendars;
mod duration;
mod guardrails;
mod meta;
mod queues;
mod raw;
mod rules;
mod sla;
mod spans;
mod spikes;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub use duration::{format_duration_millis, parse_duration_millis};
pub use guardrails::GuardrailPolicy;
pub use meta::MetaPolicy;
pub use spikes::SpikePolicy;

use crate::{
    BusinessCalendar, Deadlines, ItemKind, Platform, Queue, QueueId, Router, SlaPolicy,
    SlaThresholds, Timestamp,
};
use raw::RawPolicy;
use spans::{syntax_message, Ctx};

/// The demo workspace's policy file, as shipped (`crates/core/policies/demo.toml`).
/// Parsing it gives [`Policy::demo`].
pub const DEMO_POLICY_TOML: &str = include_str!("../../policies/demo.toml");

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
#[doc = concat!("```toml\n", include_str!("../../policies/example.toml"), "```")]
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
    /// How replies are checked before they go (`[guardrails]`).
    pub guardrails: GuardrailPolicy,
    /// When a queue's incoming rate counts as a spike (`[spikes]`).
    pub spikes: SpikePolicy,
    /// The company's Meta app and the human-agent tag (`[meta]`).
    pub meta: MetaPolicy,
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
