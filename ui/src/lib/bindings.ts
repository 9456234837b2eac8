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
is_demo: boolean, 
/**
 * The workspace's policy file (queues, SLA targets, calendars, routing, allowlist).
 */
policy_path: string, 
/**
 * Why the policy file on disk is not in force (file:line:column: message); the last
 * good policy stays in force meanwhile.
 */
policy_error: string | null, 
/**
 * What the last policy change did that people should know, in plain words
 * ("Queue “Billing” was removed: 12 conversations moved to Triage.").
 */
policy_notice: string | null, 
/**
 * Whether it is shared with a team (`team_view` says more).
 */
is_team: boolean, };

export type SlaState = "on_track" | "at_risk" | "breached" | "escalated";

export type DoneReason = "answered_elsewhere" | "no_reply_needed" | "spam";

export type SlaView = { 
/**
 * On track, at risk, breached or escalated — at the moment of the read.
 */
state: SlaState, 
/**
 * When it becomes at risk.
 */
at_risk_at: Timestamp, 
/**
 * When the target is missed (the due time).
 */
due_at: Timestamp, 
/**
 * When it escalates to the queue's leads.
 */
escalated_at: Timestamp, 
/**
 * First response (the brand never answered) or next response.
 */
first_response: boolean, };

export type HandoffNote = { 
/**
 * Who wrote it.
 */
by: string | null, 
/**
 * The note.
 */
text: string, 
/**
 * When.
 */
at: Timestamp, 
/**
 * The teammate it was handed to (their id), when handed to a person.
 */
to_member: string | null, };

export type HistoryEntry = { 
/**
 * Position in the log.
 */
seq: number, 
/**
 * When it was recorded.
 */
at: Timestamp, 
/**
 * The event's name: `item_ingested`, `claimed`, `handed_off`, …
 */
kind: string, 
/**
 * Who did it (`None` for items arriving from the platform).
 */
by: string | null, 
/**
 * What happened, in words (a note, a reason, the new queue…).
 */
detail: string, };

export type Activity = "viewing" | "replying";

export type PresenceView = { 
/**
 * Their id (login role).
 */
member: string, 
/**
 * Their name.
 */
name: string, 
/**
 * Viewing or replying.
 */
activity: Activity, };

export type ClaimState = "held" | "pending" | "lost";

export type ClaimView = { 
/**
 * The holder's id (login role), or this person's own for a pending claim.
 */
member: string, 
/**
 * The holder's name.
 */
name: string, 
/**
 * Whether it is this person.
 */
mine: boolean, 
/**
 * Since when.
 */
since: Timestamp, 
/**
 * Held, pending or lost.
 */
state: ClaimState, 
/**
 * Plain words for a lost claim ("Ana claimed this 3 s before you").
 */
explanation: string | null, };

export type ConversationTeam = { 
/**
 * Who has it, if anyone.
 */
claim: ClaimView | null, 
/**
 * Teammates viewing or replying right now.
 */
presence: Array<PresenceView>, };

export type LinkState = "online" | "catching_up" | "offline";

export type TeamLink = { 
/**
 * Online, catching up or offline.
 */
state: LinkState, 
/**
 * Since when the database could not be reached (offline only).
 */
offline_since: Timestamp | null, 
/**
 * Events of the team still to fold in (catching up).
 */
behind: number, 
/**
 * This laptop's actions not yet accepted by the team database.
 */
unsent: number, 
/**
 * The last failure, in plain words (offline only).
 */
error: string | null, };

export type TeamMemberView = { 
/**
 * Their id in the team (login role): what claims, hand-offs and the log name.
 */
id: string, 
/**
 * Their name.
 */
name: string, 
/**
 * The queues they work (their roles).
 */
queues: Array<QueueId>, 
/**
 * Whether they lead (sees every queue, gets escalations, approves trainees).
 */
lead: boolean, 
/**
 * Whether their replies wait for a lead's approval.
 */
trainee: boolean, 
/**
 * Whether one of their laptops is connected now.
 */
online: boolean, 
/**
 * When one of their laptops was last connected.
 */
last_seen: Timestamp | null, };

export type PolicyVersionView = { 
/**
 * Its number (1, 2, …).
 */
version: number, 
/**
 * The name of the lead who published it.
 */
by: string, 
/**
 * When.
 */
at: Timestamp, };

export type TeamView = { 
/**
 * The team's name.
 */
team_name: string, 
/**
 * The person at this laptop.
 */
me: TeamMemberView, 
/**
 * How the link to the team stands.
 */
link: TeamLink, 
/**
 * Every member, by name (this person included).
 */
members: Array<TeamMemberView>, 
/**
 * The team policy in force.
 */
policy: PolicyVersionView | null, 
/**
 * Trainees' replies waiting for a lead's approval (counted for leads only).
 */
awaiting_approval: number, };

export type JoinPreview = { 
/**
 * The team's name.
 */
team_name: string, 
/**
 * The database server (host and port), so the person knows where it connects.
 */
server: string, 
/**
 * The person the code is for.
 */
member_name: string, 
/**
 * Their queues.
 */
queues: Array<QueueId>, 
/**
 * Whether they lead.
 */
lead: boolean, 
/**
 * Whether their replies need a lead's approval.
 */
trainee: boolean, };

export type SpikeView = { 
/**
 * Since when.
 */
since: Timestamp, 
/**
 * Items counted in the window.
 */
count: number, 
/**
 * The window, in minutes.
 */
window_minutes: number, 
/**
 * How many times the usual rate.
 */
factor: number, 
/**
 * The words that stand out ("outage", "login").
 */
top_words: Array<string>, 
/**
 * The keyword of the policy it is about, when it is a keyword's spike.
 */
keyword: string | null, };

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
 * All conversations in the queue, waiting or answered (not those marked done).
 */
conversation_count: number, 
/**
 * Waiting conversations past the at-risk threshold but not yet breached.
 */
at_risk_count: number, 
/**
 * Waiting conversations past their target (breached or escalated).
 */
breached_count: number, 
/**
 * The queue's incoming rate is far above its usual rate: a spike, while it lasts.
 */
spike: SpikeView | null, };

export type QuietHoursView = { 
/**
 * Start, `HH:MM`.
 */
start: string, 
/**
 * End, `HH:MM` (may be earlier than the start: the window spans midnight).
 */
end: string, };

export type DayResponseTimes = { 
/**
 * Responses made that day.
 */
responses: number, 
/**
 * Their median business time to respond (ms); `null` without responses.
 */
median_millis: number | null, };

export type QueueResponseTimes = { 
/**
 * The queue.
 */
queue: Queue, 
/**
 * Responses in the period, first and next.
 */
responses: number, 
/**
 * Of those, first responses (the brand had never answered the conversation).
 */
first_responses: number, 
/**
 * Median business time to respond (ms); `null` without responses.
 */
median_millis: number | null, 
/**
 * 90th percentile of the business time to respond (ms); `null` without responses.
 */
p90_millis: number | null, 
/**
 * Responses before the SLA's breach deadline; `null` when the queue has no SLA.
 */
within_target: number | null, 
/**
 * One entry per day of the report, oldest first.
 */
per_day: Array<DayResponseTimes>, };

export type ResponseTimesReport = { 
/**
 * Start of the period (midnight of its first day, local time).
 */
from: Timestamp, 
/**
 * End of the period (the moment of the report).
 */
to: Timestamp, 
/**
 * The days of the period, oldest first, as `YYYY-MM-DD` in local time.
 */
days: Array<string>, 
/**
 * Every queue of the policy, in display order (those without responses too).
 */
queues: Array<QueueResponseTimes>, };

export type AlertPreferences = { 
/**
 * Who they are (read-only here: `SWITCHBOARD_USER` or the OS user); matched against
 * the policy's queue leads for escalations.
 */
person: string, 
/**
 * The queues they work in; empty means every queue.
 */
queues: Array<QueueId>, 
/**
 * The queues they lead (from the policy; read-only): escalations come to them.
 */
lead_of: Array<QueueId>, 
/**
 * Quiet hours, if any.
 */
quiet_hours: QuietHoursView | null, 
/**
 * The time zone quiet hours are read in (this laptop's; read-only).
 */
time_zone: string, 
/**
 * After a notification, others wait this long and arrive grouped (seconds).
 */
cooldown_seconds: number, 
/**
 * Notifications are paused until then.
 */
paused_until: Timestamp | null, 
/**
 * Whether escalations are shown during quiet hours.
 */
escalations_pierce_quiet_hours: boolean, };

export type ReplyWindow = { 
/**
 * When the standard window closes: 24 h after the customer's latest message.
 */
closes_at: Timestamp, 
/**
 * When the policy allows the human-agent tag: until when a person may still answer
 * with it (7 days after the customer's latest message).
 */
human_agent_until: Timestamp | null, };

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
item_count: number, 
/**
 * The response clock, while waiting.
 */
sla: SlaView | null, 
/**
 * Who is on it.
 */
claimed_by: string | null, 
/**
 * Set while marked done.
 */
done_reason: DoneReason | null, 
/**
 * The clock is paused until then.
 */
snoozed_until: Timestamp | null, 
/**
 * The latest hand-off note.
 */
handoff_note: HandoffNote | null, 
/**
 * Internal notes on it.
 */
note_count: number, 
/**
 * In a team workspace: who has it and which teammates are on it now.
 */
team: ConversationTeam | null, 
/**
 * A Messenger / Instagram message conversation: until when it may be answered.
 */
reply_window: ReplyWindow | null, };

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
created_at: Timestamp, 
/**
 * Hidden from the public on its platform by a lead (the brand still sees it; it can
 * be shown again). Nothing is ever deleted.
 */
hidden: boolean, 
/**
 * Who hid it (their id), while hidden.
 */
hidden_by: string | null, 
/**
 * Why it was hidden, while hidden.
 */
hidden_reason: string | null, };

export type ReplyState = "sending" | "waiting" | "sent" | "failed" | "awaiting_approval" | "rejected";

export type OutgoingReply = { 
/**
 * Stable id (retry with it).
 */
id: number, 
/**
 * What was written.
 */
text: string, 
/**
 * Sending, waiting, sent or failed.
 */
state: ReplyState, 
/**
 * Why it failed, or why it waits, in plain words.
 */
error: string | null, 
/**
 * Who wrote it.
 */
by: string, 
/**
 * When it was written.
 */
created_at: Timestamp, 
/**
 * For a trainee's reply: the approval request a lead answers (`approve_reply`,
 * `reject_reply`).
 */
approval: string | null, };

export type LimitUnit = "characters" | "graphemes";

export type ReplyLimit = { 
/**
 * The most units a reply may have.
 */
max: number, 
/**
 * What is counted.
 */
unit: LimitUnit, };

export type Thread = { 
/**
 * The conversation.
 */
conversation: ConversationSummary, 
/**
 * Its items, oldest first.
 */
items: Array<ThreadItem>, 
/**
 * Its history from the event log, oldest first.
 */
history: Array<HistoryEntry>, 
/**
 * Replies written in Switchboard that are still sending or failed, oldest first
 * (sent ones appear among the items once the platform has them).
 */
outgoing: Array<OutgoingReply>, 
/**
 * The position in the log of the conversation's latest event: the reply box sends it
 * back (`seen_version`) so a teammate's reply or claim since then is pointed out.
 */
version: number, 
/**
 * The longest reply the conversation's platform takes, when the engine knows it
 * (Bluesky: 300 graphemes; Mastodon: the instance's
 * `configuration.statuses.max_characters`).
 */
reply_limit: ReplyLimit | null, };

export type WorkspaceEntry = { 
/**
 * Stable id (also its files' name).
 */
id: string, 
/**
 * What people see.
 */
name: string, 
/**
 * Whether it is the built-in simulated workspace.
 */
is_demo: boolean, 
/**
 * Whether it is the one open now.
 */
is_current: boolean, 
/**
 * Whether it is shared with a team (made by joining one).
 */
is_team: boolean, 
/**
 * Why it could not be opened at launch, in plain words ("the database file is
 * damaged (…)"); `None` once it opens.
 */
open_error: string | null, };

export type AccountSync = { 
/**
 * When the last successful pull finished.
 */
last_pull_at: Timestamp | null, 
/**
 * When the next pull is planned.
 */
next_pull_at: Timestamp | null, 
/**
 * Calls left in the platform's current rate-limit window, when it says.
 */
budget_left: number | null, 
/**
 * The last failure in plain words, until a pull succeeds again.
 */
error: string | null, 
/**
 * The sign-in was revoked or expired: the person must sign in again.
 */
needs_sign_in: boolean, };

export type AccountView = { 
/**
 * Stable key within the workspace, e.g. `mastodon:10923@social.example`.
 */
key: string, 
/**
 * The platform.
 */
platform: Platform, 
/**
 * The handle, e.g. `@brand@social.example` or `brand.bsky.social`.
 */
handle: string, 
/**
 * The name the account shows.
 */
display_name: string, 
/**
 * The server it lives on (Mastodon instance, Bluesky PDS).
 */
service: string, 
/**
 * How syncing goes.
 */
sync: AccountSync, };

export type SignInRequest = { "platform": "mastodon", 
/**
 * The instance, e.g. `https://mastodon.social` or `mastodon.social`.
 */
instance: string, } | { "platform": "bluesky", 
/**
 * The PDS, e.g. `https://bsky.social`.
 */
service: string, 
/**
 * The handle, e.g. `brand.bsky.social`.
 */
handle: string, 
/**
 * An app password from Settings → App passwords. Goes to the keychain only.
 */
app_password: string, };

export type SignInOutcome = { "outcome": "added", 
/**
 * The account.
 */
account: AccountView, } | { "outcome": "needs_confirmation", 
/**
 * Answer with `confirm_account(pending, …)`.
 */
pending: string, 
/**
 * The platform.
 */
platform: Platform, 
/**
 * Who signed in.
 */
handle: string, 
/**
 * Their display name.
 */
display_name: string, };

export type MetaAppSetup = { 
/**
 * The App ID, from the policy's `[meta]` table or typed earlier on this laptop.
 */
app_id: string | null, 
/**
 * Whether a client token is known (it is never sent to the window).
 */
has_client_token: boolean, 
/**
 * Whether the App ID and client token come from the workspace policy (then not editable).
 */
from_policy: boolean, 
/**
 * Whether the policy lets people answer messages 24 h–7 days old with the human-agent tag.
 */
human_agent_tag: boolean, };

export type MetaDeviceCode = { 
/**
 * The code the person types at `verification_uri`.
 */
user_code: string, 
/**
 * Where to type it (facebook.com/device).
 */
verification_uri: string, 
/**
 * When the code stops working.
 */
expires_at: Timestamp, };

export type ChoiceVerdict = { "verdict": "allowed" } | { "verdict": "needs_confirmation" } | { "verdict": "refused", 
/**
 * Why, in plain words.
 */
reason: string, } | { "verdict": "already_added" };

export type MetaAccountChoice = { 
/**
 * Names this choice in `add_meta_accounts`.
 */
choice: string, 
/**
 * Facebook (a Page) or Instagram.
 */
platform: Platform, 
/**
 * The Page id or Instagram user id.
 */
account_id: string, 
/**
 * The Page's username (or name), the Instagram username.
 */
handle: string, 
/**
 * The name shown.
 */
display_name: string, 
/**
 * For an Instagram account: the name of the Page it is linked to.
 */
linked_page: string | null, 
/**
 * What the allowlist says.
 */
verdict: ChoiceVerdict, };

export type MetaChoices = { 
/**
 * The Pages and Instagram accounts the person may add, each Page followed by its
 * Instagram account.
 */
choices: Array<MetaAccountChoice>, 
/**
 * Sentences saying which accounts Meta's answer left out and why (e.g. a permission
 * the sign-in did not grant); empty when nothing was left out.
 */
left_out: Array<string>, };

export type GuardrailKind = "contact_leak" | "tone" | "public_private";

export type GuardrailAction = "warn" | "block";

export type GuardrailFinding = { 
/**
 * The rule's id, e.g. `phone_number` (what a confirmation names).
 */
rule: string, 
/**
 * What kind of rule.
 */
kind: GuardrailKind, 
/**
 * Where the span starts, in UTF-16 code units of the reply (a JavaScript string
 * index).
 */
start: number, 
/**
 * Where it ends (exclusive), in UTF-16 code units.
 */
end: number, 
/**
 * Why, in plain words ("A phone number: customers should not be sent to a personal
 * line.").
 */
message: string, 
/**
 * Warn or block.
 */
action: GuardrailAction, };

export type SavedReply = { 
/**
 * Stable id.
 */
id: string, 
/**
 * What the person searches for.
 */
title: string, 
/**
 * The text, with `{variables}` and `{{placeholders}}`.
 */
text: string, 
/**
 * A category ("Orders", "Apologies").
 */
category: string, 
/**
 * The queues it suits (empty: any).
 */
queues: Array<QueueId>, 
/**
 * The platforms it fits (empty: any).
 */
platforms: Array<Platform>, 
/**
 * The placeholders its text asks for, in order (`order number`).
 */
placeholders: Array<string>, 
/**
 * Archived ones are kept (the log keeps everything) but not offered.
 */
archived: boolean, 
/**
 * Who last changed it.
 */
updated_by: string, 
/**
 * When.
 */
updated_at: Timestamp, };

export type SavedReplyDraft = { 
/**
 * The saved reply to change, or `None` for a new one.
 */
id: string | null, 
/**
 * Its title.
 */
title: string, 
/**
 * Its text.
 */
text: string, 
/**
 * Its category.
 */
category: string, 
/**
 * The queues it suits.
 */
queues: Array<QueueId>, 
/**
 * The platforms it fits.
 */
platforms: Array<Platform>, };

export type PlaceholderAnswer = { 
/**
 * The placeholder (`order number`).
 */
name: string, 
/**
 * What the person typed.
 */
value: string, };

export type FilledReply = { 
/**
 * The text with the variables and the answered placeholders filled in.
 */
text: string, 
/**
 * The placeholders still to ask, in order.
 */
missing: Array<string>, };

export type ManagedView = { 
/**
 * Whether managed settings are in force.
 */
managed: boolean, 
/**
 * Where they come from (the file's path, "configuration profile", the registry key).
 */
source: string | null, 
/**
 * Why the managed settings could not be read (then everything that depends on them
 * is locked down), in plain words.
 */
problem: string | null, 
/**
 * The settings the organisation fixes, by name: `allowed_accounts`,
 * `local_workspaces`, `demo`, `join_servers`, `keychain_namespace`, `log_level`,
 * `update_channel`, `update_url`.
 */
locked: Array<string>, 
/**
 * The brand accounts allowed, `platform:account` (empty when not managed).
 */
allowed_accounts: Array<string>, 
/**
 * Whether local (non-team) workspaces may be created.
 */
local_workspaces_allowed: boolean, 
/**
 * Whether the demo workspace may be used.
 */
demo_allowed: boolean, 
/**
 * The team database servers join codes may point at (empty: any).
 */
join_servers: Array<string>, };

export type StartupView = { 
/**
 * Whether this desktop can start it at login at all.
 */
available: boolean, 
/**
 * Whether it starts at login now.
 */
start_at_login: boolean, 
/**
 * Whether the person was asked once already (the first run asks).
 */
asked: boolean, };

export type CrashNotice = { 
/**
 * When it crashed.
 */
at: Timestamp, 
/**
 * The folder with the crash report (next to the logs).
 */
folder: string, 
/**
 * What happened, in one line (no secrets: the report is redacted).
 */
summary: string, };

export type UpdateView = { 
/**
 * Whether an update address is configured (none by default: no phoning home).
 */
configured: boolean, 
/**
 * The update channel, when managed.
 */
channel: string | null, 
/**
 * The version offered, when one is newer than this one and its signature checks out.
 */
available: string | null, 
/**
 * What happened, in plain words ("Switchboard is up to date.", "The update's
 * signature does not match: nothing was installed.").
 */
message: string | null, };

export type ErrorCode = "not_found" | "invalid_input" | "storage" | "internal" | "no_workspace" | "keychain" | "not_allowed" | "platform" | "sign_in_again" | "workspace_changed" | "collision" | "guardrail" | "window_closed";

export type ApiError = { 
/**
 * What kind of failure.
 */
code: ErrorCode, 
/**
 * Plain words for a person: what happened and what to do.
 */
message: string, };
