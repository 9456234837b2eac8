//! Read models: what the UI shows, in the shapes it receives them. These types are the
//! IPC contract; `typescript_bindings()` renders them for the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Author, ItemKind, Platform, Queue, QueueId, Timestamp};

/// The workspace the window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkspaceInfo {
    /// Stable id; also the database file's name.
    pub id: String,
    /// What people see, e.g. "Demo — Northwind Coffee".
    pub name: String,
    /// Whether this is the built-in simulated workspace.
    pub is_demo: bool,
}

/// A queue with its counts, for the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueSummary {
    /// The queue.
    pub queue: Queue,
    /// Conversations in the queue waiting for the brand.
    pub waiting_count: u32,
    /// All conversations in the queue, waiting or answered.
    pub conversation_count: u32,
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
}

/// A conversation with all its items, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Thread {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// Its items, oldest first.
    pub items: Vec<ThreadItem>,
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
