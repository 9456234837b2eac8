//! What the window shows of the tools around a reply: **guardrails** (checks of a reply
//! for personal contact details, a defensive or unsafe tone, and private details in a
//! public answer), **saved replies** (a workspace's reusable answers with variables and
//! placeholders) and **spikes** (a queue receiving far more than usual).
//!
//! Terms:
//! - a **finding** is one span of a reply that a guardrail rule flags, with the rule, the
//!   reason in plain words and whether it only warns or blocks the send;
//! - a **saved reply** has a title, a text with **variables** filled from the
//!   conversation and the person (`{customer}`, `{queue}`, `{me.first_name}`, `{brand}`)
//!   and **placeholders** asked while inserting (`{{order number}}`);
//! - a **spike** is a queue's incoming rate far above its usual rate (its **baseline**,
//!   learned from the workspace's own history), from a minimum count on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Platform, QueueId, Timestamp};

/// What a guardrail rule looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GuardrailKind {
    /// A personal phone number, e-mail address, messaging handle or profile: the
    /// conversation would leave the brand's channels.
    ContactLeak,
    /// Blame, shouting, sarcasm, doubting the customer, a promise the policy forbids.
    Tone,
    /// Order numbers, addresses or e-mails in a public reply: better in a direct message.
    PublicPrivate,
}

/// What a finding does to the send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum GuardrailAction {
    /// Sending needs the person's explicit confirmation (logged).
    Warn,
    /// The policy forbids sending it.
    Block,
}

/// One flagged span of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GuardrailFinding {
    /// The rule's id, e.g. `phone_number` (what a confirmation names).
    pub rule: String,
    /// What kind of rule.
    pub kind: GuardrailKind,
    /// Where the span starts, in UTF-16 code units of the reply (a JavaScript string
    /// index).
    pub start: u32,
    /// Where it ends (exclusive), in UTF-16 code units.
    pub end: u32,
    /// Why, in plain words ("A phone number: customers should not be sent to a personal
    /// line.").
    pub message: String,
    /// Warn or block.
    pub action: GuardrailAction,
}

/// A saved reply of the workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedReply {
    /// Stable id.
    pub id: String,
    /// What the person searches for.
    pub title: String,
    /// The text, with `{variables}` and `{{placeholders}}`.
    pub text: String,
    /// A category ("Orders", "Apologies").
    pub category: String,
    /// The queues it suits (empty: any).
    pub queues: Vec<QueueId>,
    /// The platforms it fits (empty: any).
    pub platforms: Vec<Platform>,
    /// The placeholders its text asks for, in order (`order number`).
    pub placeholders: Vec<String>,
    /// Archived ones are kept (the log keeps everything) but not offered.
    pub archived: bool,
    /// Who last changed it.
    pub updated_by: String,
    /// When.
    pub updated_at: Timestamp,
}

/// A saved reply as the panel writes it (no id: a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedReplyDraft {
    /// The saved reply to change, or `None` for a new one.
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Its text.
    pub text: String,
    /// Its category.
    pub category: String,
    /// The queues it suits.
    pub queues: Vec<QueueId>,
    /// The platforms it fits.
    pub platforms: Vec<Platform>,
}

/// A saved reply filled in for one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FilledReply {
    /// The text with the variables and the answered placeholders filled in.
    pub text: String,
    /// The placeholders still to ask, in order.
    pub missing: Vec<String>,
}

/// A placeholder's answer when filling a saved reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlaceholderAnswer {
    /// The placeholder (`order number`).
    pub name: String,
    /// What the person typed.
    pub value: String,
}

/// A spike on a queue, while it lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpikeView {
    /// Since when.
    pub since: Timestamp,
    /// Items counted in the window.
    pub count: u32,
    /// The window, in minutes.
    pub window_minutes: u32,
    /// How many times the usual rate.
    pub factor: f64,
    /// The words that stand out ("outage", "login").
    pub top_words: Vec<String>,
    /// The keyword of the policy it is about, when it is a keyword's spike.
    pub keyword: Option<String>,
}
