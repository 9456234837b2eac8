//! Switchboard's pure domain model. No IO, no Tauri, no clock: time comes in as an argument.
//!
//! The words of the domain:
//! - **brand account**: a company account on one platform that the workspace allows.
//! - **item**: one inbound or outbound message on a platform — a mention, reply, quote,
//!   comment or direct message ([`ItemKind`]). Items written by the brand account are
//!   *brand items*; the rest come from customers.
//! - **conversation**: the unit of work — one thread (keyed by its root) or one DM
//!   conversation with a customer. Items group into conversations by their
//!   [`ThreadKey`].
//! - **waiting / answered**: a conversation is *waiting* when a customer item came after
//!   the brand's last item, *answered* otherwise — whoever answered and wherever.
//! - **queue**: a role-labelled list of conversations (Triage, Support, Sales, Marketing…).
//! - **routing**: ordered [`RoutingRule`]s map an item to a queue; first match wins and the
//!   fallback is Triage.

mod bindings;
mod item;
mod queue;
mod routing;
mod time;
mod view;

pub use bindings::typescript_bindings;
pub use item::{Author, Item, ItemKind, Platform, ThreadKey};
pub use queue::{Queue, QueueId};
pub use routing::{Router, RoutingRule};
pub use time::Timestamp;
pub use view::{
    ApiError, ConversationSummary, ErrorCode, QueueSummary, Thread, ThreadItem, WorkspaceInfo,
};
