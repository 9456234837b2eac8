//! Events: every change of a conversation's state, as appended to the append-only log.
//!
//! The log *is* the audit trail: nothing is ever deleted from it, and a conversation's
//! history is read from it. One reducer ([`crate::ConversationState::apply`]) turns events
//! into the conversation projection.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Item, QueueId, ThreadKey, Timestamp};

/// Why a conversation was marked done without (or besides) a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DoneReason {
    /// Someone answered it on the platform or in another tool.
    AnsweredElsewhere,
    /// Nothing to answer (a thank-you, an emoji).
    NoReplyNeeded,
    /// Spam or abuse.
    Spam,
}

/// What happened to a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A customer item arrived. `queue` is where routing sends a conversation it starts.
    /// The event holds the whole item: the log is where items are stored.
    ItemIngested {
        /// The item.
        item: Item,
        /// The routed queue (used only when the item starts the conversation).
        queue: QueueId,
    },
    /// An item by the brand was seen — sent from Switchboard or anywhere else.
    BrandReplyObserved {
        /// The item.
        item: Item,
        /// The routed queue (used only when the item starts the conversation).
        queue: QueueId,
    },
    /// Someone took the conversation on.
    Claimed,
    /// Its owner let it go.
    Released,
    /// Moved to another queue with a note for the next person.
    HandedOff {
        /// The new queue.
        to: QueueId,
        /// What the next person should know first.
        note: String,
        /// The teammate it is handed to (their id), when handed to a person as well as a
        /// queue; they are notified on their own laptop.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_member: Option<String>,
    },
    /// An internal note (never sent to the customer).
    NoteAdded {
        /// The note.
        note: String,
    },
    /// Taken out of the queue until the customer writes again.
    MarkedDone {
        /// Why.
        reason: DoneReason,
    },
    /// Put back into the queue by hand.
    Reopened,
    /// The response clock pauses until `until`.
    Snoozed {
        /// When the clock resumes.
        until: Timestamp,
    },
    /// A reply was written in Switchboard and is on its way to the platform. Whoever
    /// writes it takes the conversation on, if nobody had.
    ReplyQueued {
        /// The outgoing reply's id.
        reply: i64,
        /// What was written.
        text: String,
        /// Set when the writer was told of a teammate's reply or claim and sent anyway:
        /// what they were told, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sent_anyway: Option<String>,
        /// The guardrail rules the writer was warned of and confirmed (logged: who
        /// overrode what).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        guardrail_overrides: Vec<String>,
        /// A trainee's reply a lead approved (the lead writes it): the guardrail rules the
        /// trainee was warned of and confirmed when writing it. `guardrail_overrides` then
        /// holds the lead's own confirmations (findings in text the lead edited in).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        trainee_overrides: Vec<String>,
    },
    /// A trainee wrote a reply: it waits for a lead's approval and is not posted before.
    ReplyAwaitingApproval {
        /// The team-wide id of the reply (the event id minted for it).
        approval: String,
        /// What was written.
        text: String,
        /// Set when the trainee was told of a teammate's reply or claim and sent anyway:
        /// what they were told, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sent_anyway: Option<String>,
        /// The guardrail rules the trainee was warned of and confirmed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        guardrail_overrides: Vec<String>,
    },
    /// A lead approved a trainee's reply (`by` is the lead); the lead's laptop posts it,
    /// once, as `text` (which the lead may have edited).
    ReplyApproved {
        /// The approval request this answers.
        approval: String,
        /// What is posted.
        text: String,
    },
    /// A lead rejected a trainee's reply: it is never posted.
    ReplyRejected {
        /// The approval request this answers.
        approval: String,
        /// Why, for the trainee.
        reason: String,
    },
    /// The platform accepted the reply (its own id given). The conversation counts as
    /// answered when the posted item is seen, like any brand reply.
    ReplySent {
        /// The outgoing reply's id.
        reply: i64,
        /// The platform's id of the posted item.
        native_id: String,
    },
    /// The platform refused the reply or could not be reached.
    ReplyFailed {
        /// The outgoing reply's id.
        reply: i64,
        /// Why, in plain words.
        error: String,
    },
    /// The workspace policy no longer has the conversation's queue (it was removed or
    /// renamed): the conversation moved to the fallback queue. Its claim and hand-off note
    /// stay. Recorded by `policy`.
    QueueRemoved {
        /// The queue that is gone.
        from: QueueId,
        /// Where the conversation went (the policy's fallback, Triage).
        to: QueueId,
    },
    /// A lead hid one of the conversation's items from the public on its platform
    /// (`hidden`), or showed it again. Nothing is deleted: the item stays in the log and
    /// in the thread, marked hidden.
    ItemHidden {
        /// The platform's id of the item (the same on every laptop of a team).
        item: String,
        /// Hidden from the public (`true`) or shown again (`false`).
        hidden: bool,
        /// Why, in the lead's words (may be empty when showing again).
        reason: String,
    },
}

impl EventKind {
    /// The stable name stored in the log's `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ItemIngested { .. } => "item_ingested",
            EventKind::BrandReplyObserved { .. } => "brand_reply_observed",
            EventKind::Claimed => "claimed",
            EventKind::Released => "released",
            EventKind::HandedOff { .. } => "handed_off",
            EventKind::NoteAdded { .. } => "note_added",
            EventKind::MarkedDone { .. } => "marked_done",
            EventKind::Reopened => "reopened",
            EventKind::Snoozed { .. } => "snoozed",
            EventKind::ReplyQueued { .. } => "reply_queued",
            EventKind::ReplyAwaitingApproval { .. } => "reply_awaiting_approval",
            EventKind::ReplyApproved { .. } => "reply_approved",
            EventKind::ReplyRejected { .. } => "reply_rejected",
            EventKind::ReplySent { .. } => "reply_sent",
            EventKind::ReplyFailed { .. } => "reply_failed",
            EventKind::QueueRemoved { .. } => "queue_removed",
            EventKind::ItemHidden { .. } => "item_hidden",
        }
    }
}

/// One entry of the log about one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The conversation.
    pub thread: ThreadKey,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who did it: a person's id, or `None` for the platforms (items arriving).
    pub by: Option<String>,
    /// What happened.
    pub kind: EventKind,
}
