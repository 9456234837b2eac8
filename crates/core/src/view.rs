//! Read models: what the UI shows, in the shapes it receives them. These types are the
//! IPC contract; `typescript_bindings()` renders them for the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    Author, ConversationTeam, DoneReason, ItemKind, OutgoingReply, Platform, Queue, QueueId,
    ReplyWindow, SlaState, SpikeView, Timestamp,
};

/// The workspace the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkspaceInfo {
    /// Stable id; also the database file's name.
    pub id: String,
    /// What people see, e.g. "Demo — Northwind Coffee".
    pub name: String,
    /// Whether this is the built-in simulated workspace.
    pub is_demo: bool,
    /// The workspace's policy file (queues, SLA targets, calendars, routing, allowlist).
    pub policy_path: String,
    /// Why the policy file on disk is not in force (file:line:column: message); the last
    /// good policy stays in force meanwhile.
    pub policy_error: Option<String>,
    /// What the last policy change did that people should know, in plain words
    /// ("Queue “Billing” was removed: 12 conversations moved to Triage.").
    pub policy_notice: Option<String>,
    /// Whether it is shared with a team (`team_view` says more).
    pub is_team: bool,
}

/// A queue with its counts, for the sidebar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QueueSummary {
    /// The queue.
    pub queue: Queue,
    /// Conversations in the queue waiting for the brand.
    pub waiting_count: u32,
    /// All conversations in the queue, waiting or answered (not those marked done).
    pub conversation_count: u32,
    /// Waiting conversations past the at-risk threshold but not yet breached.
    pub at_risk_count: u32,
    /// Waiting conversations past their target (breached or escalated).
    pub breached_count: u32,
    /// The queue's incoming rate is far above its usual rate: a spike, while it lasts.
    pub spike: Option<SpikeView>,
}

/// Where a waiting conversation stands against its response target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SlaView {
    /// On track, at risk, breached or escalated — at the moment of the read.
    pub state: SlaState,
    /// When it becomes at risk.
    pub at_risk_at: Timestamp,
    /// When the target is missed (the due time).
    pub due_at: Timestamp,
    /// When it escalates to the queue's leads.
    pub escalated_at: Timestamp,
    /// First response (the brand never answered) or next response.
    pub first_response: bool,
}

/// A note left for the next person, shown before the thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HandoffNote {
    /// Who wrote it.
    pub by: Option<String>,
    /// The note.
    pub text: String,
    /// When.
    pub at: Timestamp,
    /// The teammate it was handed to (their id), when handed to a person.
    pub to_member: Option<String>,
}

/// One row of a queue's conversation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationSummary {
    /// Stable id of the conversation in this workspace.
    #[ts(type = "number")]
    pub id: i64,
    /// The queue it is in.
    pub queue: QueueId,
    /// The platform it is on.
    pub platform: Platform,
    /// The kind of the item that started it (mention, DM…).
    pub kind: ItemKind,
    /// The customer who started it.
    pub customer: Author,
    /// First line of the customer's latest item.
    pub preview: String,
    /// When anyone last wrote in it.
    pub last_activity_at: Timestamp,
    /// When the customer's unanswered run began; `None` when answered.
    pub waiting_since: Option<Timestamp>,
    /// Items in the conversation.
    pub item_count: u32,
    /// The response clock, while waiting.
    pub sla: Option<SlaView>,
    /// Who is on it.
    pub claimed_by: Option<String>,
    /// Set while marked done.
    pub done_reason: Option<DoneReason>,
    /// The clock is paused until then.
    pub snoozed_until: Option<Timestamp>,
    /// The latest hand-off note.
    pub handoff_note: Option<HandoffNote>,
    /// Internal notes on it.
    pub note_count: u32,
    /// In a team workspace: who has it and which teammates are on it now.
    pub team: Option<ConversationTeam>,
    /// A Messenger / Instagram message conversation: until when it may be answered.
    pub reply_window: Option<ReplyWindow>,
}

/// One line of a conversation's history, read from the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryEntry {
    /// Position in the log.
    #[ts(type = "number")]
    pub seq: i64,
    /// When it was recorded.
    pub at: Timestamp,
    /// The event's name: `item_ingested`, `claimed`, `handed_off`, …
    pub kind: String,
    /// Who did it (`None` for items arriving from the platform).
    pub by: Option<String>,
    /// What happened, in words (a note, a reason, the new queue…).
    pub detail: String,
}

/// One message in a thread view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ThreadItem {
    /// Stable id of the item in this workspace.
    #[ts(type = "number")]
    pub id: i64,
    /// Who wrote it.
    pub author: Author,
    /// Whether the brand wrote it.
    pub from_brand: bool,
    /// Mention, reply, DM…
    pub kind: ItemKind,
    /// The text, exactly as received (untrusted: the UI renders it as text).
    pub text: String,
    /// Language tag, when known.
    pub lang: Option<String>,
    /// When it was written.
    pub created_at: Timestamp,
    /// Hidden from the public on its platform by a lead (the brand still sees it; it can
    /// be shown again). Nothing is ever deleted.
    #[serde(default)]
    pub hidden: bool,
    /// Who hid it (their id), while hidden.
    #[serde(default)]
    pub hidden_by: Option<String>,
    /// Why it was hidden, while hidden.
    #[serde(default)]
    pub hidden_reason: Option<String>,
}

/// A conversation with all its items, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Thread {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// Its items, oldest first.
    pub items: Vec<ThreadItem>,
    /// Its history from the event log, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Replies written in Switchboard that are still sending or failed, oldest first
    /// (sent ones appear among the items once the platform has them).
    pub outgoing: Vec<OutgoingReply>,
    /// The position in the log of the conversation's latest event: the reply box sends it
    /// back (`seen_version`) so a teammate's reply or claim since then is pointed out.
    #[ts(type = "number")]
    pub version: i64,
    /// The longest reply the conversation's platform takes, when the engine knows it
    /// (Bluesky: 300 graphemes; Mastodon: the instance's
    /// `configuration.statuses.max_characters`).
    pub reply_limit: Option<ReplyLimit>,
}

/// The longest reply a platform takes and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyLimit {
    /// The most units a reply may have.
    pub max: u32,
    /// What is counted.
    pub unit: LimitUnit,
}

/// What a [`ReplyLimit`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    /// Characters as the server counts them (Mastodon: user-perceived characters, a link
    /// as 23).
    Characters,
    /// Grapheme clusters (user-perceived characters; Bluesky).
    Graphemes,
}

/// What the UI branches on when a call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The request itself was wrong.
    InvalidInput,
    /// The local database could not be read or written.
    Storage,
    /// Something unexpected; the log has details.
    Internal,
    /// No workspace is open (all were removed): create one.
    NoWorkspace,
    /// The OS keychain is missing or locked; the message says what to start.
    Keychain,
    /// The account is not one of the workspace's brand accounts.
    NotAllowed,
    /// The platform refused, failed or could not be reached; the message says which.
    Platform,
    /// The person must sign in to the account again.
    SignInAgain,
    /// The call named a workspace that is not the open one (it was switched while the
    /// call was on its way): nothing was done.
    WorkspaceChanged,
    /// A teammate replied, queued a reply or claimed the conversation since the person
    /// opened it (or holds it now): nothing was sent; the message says who and what. Send
    /// again with `send_anyway` to go ahead (logged).
    Collision,
    /// The reply has guardrail findings the person has not confirmed (send again naming
    /// their rules in `confirmed_rules`, logged), or one the policy blocks: nothing was
    /// sent; the message says which.
    Guardrail,
    /// A Messenger / Instagram message conversation can no longer be answered: Meta's
    /// messaging window (24 h after the customer's latest message, 7 days with the
    /// human-agent tag where allowed) has closed.
    WindowClosed,
}

/// The one error shape the UI receives: branch on `code`, show `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// Plain words for a person: what happened and what to do.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

/// Quiet hours as the settings screen shows them: local times of this laptop's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuietHoursView {
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM` (may be earlier than the start: the window spans midnight).
    pub end: String,
}

/// The person's notification settings in this workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AlertPreferences {
    /// Who they are (read-only here: `SWITCHBOARD_USER` or the OS user); matched against
    /// the policy's queue leads for escalations.
    pub person: String,
    /// The queues they work in; empty means every queue.
    pub queues: Vec<QueueId>,
    /// The queues they lead (from the policy; read-only): escalations come to them.
    pub lead_of: Vec<QueueId>,
    /// Quiet hours, if any.
    pub quiet_hours: Option<QuietHoursView>,
    /// The time zone quiet hours are read in (this laptop's; read-only).
    pub time_zone: String,
    /// After a notification, others wait this long and arrive grouped (seconds).
    pub cooldown_seconds: u32,
    /// Notifications are paused until then.
    pub paused_until: Option<Timestamp>,
    /// Whether escalations are shown during quiet hours.
    pub escalations_pierce_quiet_hours: bool,
}
