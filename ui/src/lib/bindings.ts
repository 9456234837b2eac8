// Generated from the Rust types in crates/core by `typescript_bindings()`.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p switchboard-core bindings`.

export type Timestamp = number;

export type Platform = "mastodon" | "bluesky" | "x" | "facebook" | "instagram" | "linked_in" | "you_tube";

export type ItemKind = "mention" | "reply" | "quote" | "comment" | "direct_message";

export type Author = { 
/**
 * The platform handle, e.g. `@ana@mastodon.social` or `ana.bsky.social`.
 */
handle: string, 
/**
 * The name the author shows.
 */
display_name: string, };

export type QueueId = string;

export type Queue = { 
/**
 * Stable id.
 */
id: QueueId, 
/**
 * What people see: "Support", "Sales"…
 */
label: string, 
/**
 * The label colour as a CSS hex colour, e.g. `#2f80ed`.
 */
color: string, };

export type WorkspaceInfo = { 
/**
 * Stable id; also the database file's name.
 */
id: string, 
/**
 * What people see, e.g. "Demo — Northwind Coffee".
 */
name: string, 
/**
 * Whether this is the built-in simulated workspace.
 */
is_demo: boolean, };

export type QueueSummary = { 
/**
 * The queue.
 */
queue: Queue, 
/**
 * Conversations in the queue waiting for the brand.
 */
waiting_count: number, 
/**
 * All conversations in the queue, waiting or answered.
 */
conversation_count: number, };

export type ConversationSummary = { 
/**
 * Stable id of the conversation in this workspace.
 */
id: number, 
/**
 * The queue it is in.
 */
queue: QueueId, 
/**
 * The platform it is on.
 */
platform: Platform, 
/**
 * The kind of the item that started it (mention, DM…).
 */
kind: ItemKind, 
/**
 * The customer who started it.
 */
customer: Author, 
/**
 * First line of the customer's latest item.
 */
preview: string, 
/**
 * When anyone last wrote in it.
 */
last_activity_at: Timestamp, 
/**
 * When the customer's unanswered run began; `None` when answered.
 */
waiting_since: Timestamp | null, 
/**
 * Items in the conversation.
 */
item_count: number, };

export type ThreadItem = { 
/**
 * Stable id of the item in this workspace.
 */
id: number, 
/**
 * Who wrote it.
 */
author: Author, 
/**
 * Whether the brand wrote it.
 */
from_brand: boolean, 
/**
 * Mention, reply, DM…
 */
kind: ItemKind, 
/**
 * The text, exactly as received (untrusted: the UI renders it as text).
 */
text: string, 
/**
 * Language tag, when known.
 */
lang: string | null, 
/**
 * When it was written.
 */
created_at: Timestamp, };

export type Thread = { 
/**
 * The conversation.
 */
conversation: ConversationSummary, 
/**
 * Its items, oldest first.
 */
items: Array<ThreadItem>, };

export type ErrorCode = "not_found" | "invalid_input" | "storage" | "internal";

export type ApiError = { 
/**
 * What kind of failure.
 */
code: ErrorCode, 
/**
 * Plain words for a person: what happened and what to do.
 */
message: string, };
