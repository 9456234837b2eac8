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

mod alerts;
mod bindings;
mod calendar;
mod conversation;
mod event;
pub mod guardrails;
mod install_view;
mod item;
mod meta_view;
mod names;
mod policy;
mod queue;
mod reply_tools_view;
mod response_times;
mod routing;
mod saved_replies;
mod sla;
mod spikes;
mod team_view;
mod time;
mod view;
mod workspace_view;

pub use alerts::{
    conversation_key, human_duration, AlertAction, AlertPlanner, AlertSettings, Decision,
    Notification, QuietHours, QuietHoursError, Urgency, WatchedConversation, Watchlist,
    DEFAULT_COOLDOWN_MILLIS, RUN_MEMORY_MILLIS, SUMMARY_KEY,
};
pub use bindings::typescript_bindings;
pub use calendar::{weekday_name, BusinessCalendar, CalendarError, MAX_SEARCH_DAYS};
pub use conversation::{ConversationState, Done, Note, ReduceError};
pub use event::{DoneReason, Event, EventKind};
pub use install_view::{CrashNotice, ManagedView, StartupView, UpdateView};
pub use item::{first_line, Author, Item, ItemKind, Platform, ThreadKey, PREVIEW_CHARS};
pub use meta_view::{
    ChoiceVerdict, MetaAccountChoice, MetaAppSetup, MetaChoices, MetaDeviceCode, ReplyWindow,
};
pub use names::{cap_clusters, shown_name, MAX_MARKS as MAX_COMBINING_MARKS};
pub use policy::{
    format_duration_millis, parse_duration_millis, AllowedAccount, GuardrailPolicy, MetaPolicy,
    Policy, PolicyError, QueueConfig, SpikePolicy, DEMO_POLICY_TOML,
};
pub use queue::{Queue, QueueId};
pub use reply_tools_view::{
    FilledReply, GuardrailAction, GuardrailFinding, GuardrailKind, PlaceholderAnswer, SavedReply,
    SavedReplyDraft, SpikeView,
};
pub use response_times::{
    responses, DayResponseTimes, QueueResponseTimes, Response, ResponseTimesReport, MAX_REPORT_DAYS,
};
pub use routing::{Router, RoutingRule, TextPattern, TextPatternError, TEXT_PATTERN_SIZE_LIMIT};
pub use saved_replies::{
    fill, parse_template, placeholders, reply_length, search_saved_replies, FillContext, Segment,
    TemplateError, VARIABLES,
};
pub use sla::{
    deadlines, next_change_after, state_at, Deadlines, SlaPolicy, SlaState, SlaTarget,
    SlaThresholds, ThresholdsError,
};
pub use spikes::{
    for_each_word, words as spike_words, SpikeChange, SpikeDetector, SpikeSettings,
    TOP_WORDS as SPIKE_TOP_WORDS,
};
pub use team_view::{
    Activity, ClaimState, ClaimView, ConversationTeam, JoinPreview, LinkState, PolicyVersionView,
    PresenceView, TeamLink, TeamMemberView, TeamView,
};
pub use time::Timestamp;
pub use view::{
    AlertPreferences, ApiError, ConversationSummary, ErrorCode, HandoffNote, HistoryEntry,
    LimitUnit, QueueSummary, QuietHoursView, ReplyLimit, SlaView, Thread, ThreadItem,
    WorkspaceInfo,
};
pub use workspace_view::{
    AccountSync, AccountView, OutgoingReply, ReplyState, SignInOutcome, SignInRequest,
    WorkspaceEntry,
};
