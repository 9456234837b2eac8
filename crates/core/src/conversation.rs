//! The conversation projection and the one reducer that builds it from events.
//!
//! A conversation is **waiting** when a customer item came after the brand's last item
//! (and it is not marked done); the response clock runs from the first customer item of
//! that unanswered run. The reducer is pure and order-tolerant: items may arrive out of
//! order (a brand reply fetched before the customer item it answers) and it still lands
//! on the same state as in-order arrival.

use serde::{Deserialize, Serialize};

use crate::{
    Author, DoneReason, Event, EventKind, Item, ItemKind, Platform, QueueId, ThreadKey, Timestamp,
    PREVIEW_CHARS,
};

/// A note someone left on a conversation (hand-off notes are shown first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Who wrote it.
    pub by: Option<String>,
    /// The note.
    pub text: String,
    /// When.
    pub at: Timestamp,
    /// The teammate it was handed to, when handed to a person (their id).
    #[serde(default)]
    pub to_member: Option<String>,
}

/// A conversation marked done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// Why.
    pub reason: DoneReason,
    /// Who.
    pub by: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// Everything the product knows about one conversation, as the reducer keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationState {
    /// The conversation's key.
    pub thread: ThreadKey,
    /// Its platform.
    pub platform: Platform,
    /// The queue it is in.
    pub queue: QueueId,
    /// Kind of the earliest customer item (`None` while only brand items are known).
    pub kind: Option<ItemKind>,
    /// Author of the earliest customer item.
    pub customer: Option<Author>,
    /// When the earliest customer item was written (orders `kind`/`customer`).
    pub first_customer_at: Option<Timestamp>,
    /// First line of the latest customer item.
    pub preview: String,
    /// When the latest customer item was written (orders `preview`).
    pub last_customer_at: Option<Timestamp>,
    /// Items seen.
    pub item_count: u32,
    /// When anyone last wrote.
    pub last_activity_at: Timestamp,
    /// When the brand last wrote, if ever.
    pub last_brand_at: Option<Timestamp>,
    /// Times of the customer items after the brand's last item, oldest first.
    pub unanswered: Vec<Timestamp>,
    /// Who is on it.
    pub claimed_by: Option<String>,
    /// The latest hand-off note, shown first to the next person.
    pub handoff_note: Option<Note>,
    /// Set while marked done.
    pub done: Option<Done>,
    /// Pauses of the response clock (snoozes) during the current unanswered run.
    pub pauses: Vec<(Timestamp, Timestamp)>,
    /// Internal notes added.
    pub note_count: u32,
}

/// Why an event cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReduceError {
    /// Actions need an existing conversation; only items start one.
    #[error("there is no conversation {0:?} to act on")]
    NoConversation(String),
    /// A snooze must end in the future.
    #[error("a snooze must end after it starts")]
    SnoozeInPast,
}

impl ConversationState {
    /// The instant the response clock started, if the conversation is waiting.
    pub fn waiting_since(&self) -> Option<Timestamp> {
        if self.done.is_some() {
            return None;
        }
        self.unanswered.first().copied()
    }

    /// Whether the brand had answered before the current run (next-response target) or
    /// never (first-response target).
    pub fn answered_before(&self) -> bool {
        self.last_brand_at.is_some()
    }

    /// The snooze in force at `now`, if any.
    pub fn snoozed_until(&self, now: Timestamp) -> Option<Timestamp> {
        self.pauses
            .iter()
            .filter(|(from, until)| *from <= now && now < *until)
            .map(|(_, until)| *until)
            .max()
    }

    /// The state after `event`, from `state` (`None`: the conversation is new).
    pub fn apply(state: Option<Self>, event: &Event) -> Result<Self, ReduceError> {
        let mut s = match (state, &event.kind) {
            (Some(s), _) => s,
            (
                None,
                EventKind::ItemIngested { item, queue }
                | EventKind::BrandReplyObserved { item, queue },
            ) => Self::new(event, item, queue),
            (None, _) => return Err(ReduceError::NoConversation(event.thread.0.clone())),
        };
        s.apply_to(event)?;
        Ok(s)
    }

    /// Applies `event` to this (existing) state in place — what [`Self::apply`] does with
    /// `Some(state)`, without moving the state. On an error the state is unchanged.
    pub fn apply_to(&mut self, event: &Event) -> Result<(), ReduceError> {
        match &event.kind {
            EventKind::ItemIngested { item, .. } => self.customer_item(item),
            EventKind::BrandReplyObserved { item, .. } => self.brand_item(item),
            action => self.action(action, event)?,
        }
        Ok(())
    }

    fn new(event: &Event, item: &Item, queue: &QueueId) -> Self {
        ConversationState {
            thread: event.thread.clone(),
            platform: item.platform,
            queue: queue.clone(),
            kind: None,
            customer: None,
            first_customer_at: None,
            preview: String::new(),
            last_customer_at: None,
            item_count: 0,
            last_activity_at: item.created_at,
            last_brand_at: None,
            unanswered: Vec::new(),
            claimed_by: None,
            handoff_note: None,
            done: None,
            pauses: Vec::new(),
            note_count: 0,
        }
    }

    fn customer_item(&mut self, item: &Item) {
        let t = item.created_at;
        self.item_count += 1;
        self.last_activity_at = self.last_activity_at.max(t);
        if self.first_customer_at.is_none_or(|first| t < first) {
            self.first_customer_at = Some(t);
            self.kind = Some(item.kind);
            self.customer = Some(item.author.clone());
        }
        if self.last_customer_at.is_none_or(|last| t >= last) {
            self.last_customer_at = Some(t);
            self.preview = item.first_line(PREVIEW_CHARS);
        }
        if self.last_brand_at.is_some_and(|brand| t <= brand) {
            return; // already answered by a later brand item
        }
        let at = self.unanswered.partition_point(|&u| u <= t);
        self.unanswered.insert(at, t);
        // The customer writing again ends a snooze and a "done".
        for pause in &mut self.pauses {
            if pause.0 <= t && t < pause.1 {
                pause.1 = t;
            }
        }
        if self.done.as_ref().is_some_and(|done| t > done.at) {
            self.done = None;
        }
    }

    fn brand_item(&mut self, item: &Item) {
        let t = item.created_at;
        self.item_count += 1;
        self.last_activity_at = self.last_activity_at.max(t);
        if self.last_brand_at.is_some_and(|brand| t <= brand) {
            return; // an older brand item: the later one already counts
        }
        self.last_brand_at = Some(t);
        let before = self.unanswered.len();
        self.unanswered.retain(|&u| u > t);
        if self.unanswered.len() < before {
            // The run was answered (or restarts later): its snoozes no longer apply.
            match self.unanswered.first() {
                None => self.pauses.clear(),
                Some(&start) => self.pauses.retain(|&(_, until)| until > start),
            }
        }
    }

    fn action(&mut self, action: &EventKind, event: &Event) -> Result<(), ReduceError> {
        let by = event.by.clone();
        match action {
            EventKind::Claimed => self.claimed_by = by,
            EventKind::Released => self.claimed_by = None,
            EventKind::HandedOff {
                to,
                note,
                to_member,
            } => {
                self.queue = to.clone();
                self.claimed_by = None;
                self.handoff_note = Some(Note {
                    by,
                    text: note.clone(),
                    at: event.at,
                    to_member: to_member.clone(),
                });
            }
            EventKind::NoteAdded { .. } => self.note_count += 1,
            EventKind::MarkedDone { reason } => {
                self.done = Some(Done {
                    reason: *reason,
                    by,
                    at: event.at,
                });
            }
            EventKind::Reopened => self.done = None,
            EventKind::Snoozed { until } => {
                if *until <= event.at {
                    return Err(ReduceError::SnoozeInPast);
                }
                self.pauses.push((event.at, *until));
            }
            EventKind::ReplyQueued { .. } | EventKind::ReplyAwaitingApproval { .. } => {
                if self.claimed_by.is_none() {
                    self.claimed_by = by;
                }
            }
            EventKind::ReplySent { .. }
            | EventKind::ReplyFailed { .. }
            | EventKind::ReplyApproved { .. }
            | EventKind::ReplyRejected { .. }
            | EventKind::ItemHidden { .. } => {}
            EventKind::QueueRemoved { from, to } => {
                if self.queue == *from {
                    self.queue = to.clone();
                }
            }
            EventKind::ItemIngested { .. } | EventKind::BrandReplyObserved { .. } => {
                unreachable!("items are applied above")
            }
        }
        Ok(())
    }
}
