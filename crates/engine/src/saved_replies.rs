//! Saved replies: the workspace's reusable answers, kept behind the event log (nothing is
//! deleted: archived ones stay; see `switchboard_store`'s saved-reply log), shared
//! through the team in a team workspace (the team outbox and the replication loop carry
//! their changes like any action), filled in for a conversation.
//!
//! - **Saving** checks the title and text are there, the text reads (every `{variable}`
//!   known, braces closed: see `switchboard_core::parse_template`), the queues exist in
//!   the policy; the platforms are the app's own. The change is recorded under the
//!   person (`me`; in a team, the member's login role, shown by name).
//! - **Filling** takes the variables from the conversation — `{customer}` and
//!   `{customer.handle}` its customer, `{queue}` its queue's label, `{brand}` the brand
//!   account's display name (the demo's: the workspace's brand) — and from the person:
//!   `{me.name}` / `{me.first_name}` the team member's name in a team, the person's
//!   name otherwise.
//! - The **demo** workspace comes with a handful of saved replies (English, German,
//!   Spanish, French), made the first time its saved replies are read while the log has
//!   none — so once: archiving or editing them later is kept.
//! - A thread's **reply limit** (what the window counts against) comes from the
//!   platform: the brand account's provider when it knows it (Mastodon: the instance's
//!   `configuration.statuses.max_characters`), else Bluesky's 300 graphemes.

use std::time::{Duration, Instant};

use switchboard_core::{
    fill, parse_template, ApiError, ConversationSummary, ErrorCode, FillContext, FilledReply,
    LimitUnit, PlaceholderAnswer, Platform, QueueId, ReplyLimit, SavedReply, SavedReplyDraft,
};
use switchboard_platforms::Counting;
use switchboard_store::{SavedReplyBody, SavedReplyChange};

use crate::api::to_api;
use crate::{Engine, Shared};

/// Longest title, in characters.
const MAX_TITLE: usize = 120;
/// Longest category, in characters.
const MAX_CATEGORY: usize = 60;
/// Longest text, in characters (longer than any platform takes: snippets combine).
const MAX_TEXT: usize = 5_000;
/// How long a thread waits for its platform's limit (a Mastodon instance is asked once,
/// then remembered).
const LIMIT_LOOKUP: Duration = Duration::from_millis(800);
/// How long an account whose limit did not come in time is not asked again (a thread
/// opened meanwhile shows the window's default count instead of waiting).
const SLOW_PAUSE: Duration = Duration::from_secs(60);
/// Bluesky's limit, in graphemes, when no provider says.
const BLUESKY_GRAPHEMES: u32 = 300;

/// The demo's saved replies: id, title, category, queues, text.
const DEMO_REPLIES: [(&str, &str, &str, &[&str], &str); 6] = [
    (
        "demo-order-delayed",
        "Order delayed — apology",
        "Orders",
        &["support"],
        "Hi {customer}, I'm sorry your order {{order number}} is late. I've checked with \
         our warehouse: it leaves us {{new date}}, and I'll keep an eye on it for you. \
         — {me.first_name}, {brand}",
    ),
    (
        "demo-refund-started",
        "Refund started",
        "Payments",
        &["support"],
        "Thanks for your patience, {customer}. The refund for order {{order number}} is on \
         its way and shows on your statement within 5 working days. — {me.first_name}",
    ),
    (
        "demo-move-to-dm",
        "Let's continue in a direct message",
        "Privacy",
        &[],
        "Hi {customer}, so we don't share your details in public, could you send us a \
         direct message with your order number? We'll pick it up there right away. \
         — {brand} {queue}",
    ),
    (
        "demo-wholesale",
        "Wholesale enquiry — next steps",
        "Sales",
        &["sales"],
        "Hi {customer}, thanks for your interest in stocking {brand}! I'll send our \
         wholesale price list for {{number of cafés}} locations today. — {me.name}",
    ),
    (
        "demo-de-verspaetung",
        "Bestellung verspätet — Entschuldigung (DE)",
        "Orders",
        &["support"],
        "Hallo {customer}, es tut mir leid, dass Ihre Bestellung {{order number}} \
         verspätet ist. Sie verlässt unser Lager am {{new date}}. Viele Grüße, \
         {me.first_name} von {brand}",
    ),
    (
        "demo-es-fr-gracias",
        "Merci / Gracias — thanks for the kind words (FR, ES)",
        "Thanks",
        &[],
        "Merci beaucoup, {customer} ! Gracias, {customer}! It means a lot to the whole \
         {brand} team. — {me.first_name}",
    ),
];

/// Accounts whose limit did not come within [`LIMIT_LOOKUP`], and when.
static SLOW_LIMITS: std::sync::Mutex<Vec<(String, Instant)>> = std::sync::Mutex::new(Vec::new());

/// Whether `account`'s limit was too slow to come within the last [`SLOW_PAUSE`].
fn slow_lately(account: &str) -> bool {
    let mut slow = SLOW_LIMITS.lock().unwrap_or_else(|p| p.into_inner());
    slow.retain(|(_, at)| at.elapsed() < SLOW_PAUSE);
    slow.iter().any(|(a, _)| a == account)
}

/// Notes that `account`'s limit did not come in time.
fn note_slow(account: &str) {
    let mut slow = SLOW_LIMITS.lock().unwrap_or_else(|p| p.into_inner());
    slow.push((account.to_owned(), Instant::now()));
}

/// One saving or seeding at a time, so the demo's saved replies are made once.
static SEEDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "That saved reply does not exist. Pick another from the list.",
    )
}

impl Engine {
    /// The workspace's saved replies, archived ones included (marked), by category then
    /// title.
    pub async fn list_saved_replies(&self) -> Result<Vec<SavedReply>, ApiError> {
        self.shared.saved_replies().await
    }

    /// Creates (`draft.id` is `None`) or changes a saved reply; refused in plain words
    /// when the title or text is missing, a variable is unknown or a queue does not
    /// exist.
    pub async fn save_saved_reply(&self, draft: SavedReplyDraft) -> Result<SavedReply, ApiError> {
        let shared = &self.shared;
        let body = checked(shared, &draft)?;
        let _one = SEEDING.lock().await;
        let (id, change) = match draft.id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => {
                if shared
                    .store
                    .saved_reply(id)
                    .await
                    .map_err(to_api)?
                    .is_none()
                {
                    return Err(not_found());
                }
                (id.to_owned(), SavedReplyChange::Edited(body))
            }
            _ => (
                uuid::Uuid::now_v7().to_string(),
                SavedReplyChange::Created(body),
            ),
        };
        let saved = shared
            .store
            .record_saved_reply(&id, change, &shared.me, shared.now())
            .await
            .map_err(to_api)?;
        shared.recorded(Vec::new());
        Ok(shared.named(saved))
    }

    /// Archives (or, with `archived` false, restores) saved reply `id`; answers with the
    /// whole list. Asking for the state it is in already changes nothing.
    pub async fn archive_saved_reply(
        &self,
        id: &str,
        archived: bool,
    ) -> Result<Vec<SavedReply>, ApiError> {
        let shared = &self.shared;
        let current = shared
            .store
            .saved_reply(id)
            .await
            .map_err(to_api)?
            .ok_or_else(not_found)?;
        if current.archived != archived {
            let change = if archived {
                SavedReplyChange::Archived
            } else {
                SavedReplyChange::Restored
            };
            shared
                .store
                .record_saved_reply(id, change, &shared.me, shared.now())
                .await
                .map_err(to_api)?;
            shared.recorded(Vec::new());
        }
        shared.saved_replies().await
    }

    /// Saved reply `id` filled in for conversation `conversation_id`: its variables from
    /// the conversation and the person, its placeholders from `answers`; the ones still
    /// unanswered are listed in `missing`.
    pub async fn fill_saved_reply(
        &self,
        conversation_id: i64,
        id: &str,
        answers: Vec<PlaceholderAnswer>,
    ) -> Result<FilledReply, ApiError> {
        let shared = &self.shared;
        let reply = shared
            .store
            .saved_reply(id)
            .await
            .map_err(to_api)?
            .ok_or_else(not_found)?;
        let conversation = shared
            .store
            .conversation(conversation_id, shared.now())
            .await
            .map_err(to_api)?;
        let context = shared.fill_context(&conversation).await?;
        fill(&reply.text, &context, &answers).map_err(|e| invalid(e.to_string()))
    }
}

/// `draft` checked and tidied (see the module docs).
fn checked(shared: &Shared, draft: &SavedReplyDraft) -> Result<SavedReplyBody, ApiError> {
    let title = draft.title.trim();
    if title.is_empty() {
        return Err(invalid(
            "Give the saved reply a title: it is what people search for.",
        ));
    }
    if title.chars().count() > MAX_TITLE {
        return Err(invalid(format!(
            "The title is too long: keep it under {MAX_TITLE} characters."
        )));
    }
    let text = draft.text.trim();
    if text.is_empty() {
        return Err(invalid("Write the saved reply's text first."));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(invalid(format!(
            "The text is too long: keep it under {MAX_TEXT} characters."
        )));
    }
    parse_template(text).map_err(|e| invalid(e.to_string()))?;
    let category = draft.category.trim();
    if category.chars().count() > MAX_CATEGORY {
        return Err(invalid(format!(
            "The category is too long: keep it under {MAX_CATEGORY} characters."
        )));
    }
    let policy = shared.policy();
    let mut queues: Vec<QueueId> = Vec::new();
    for queue in &draft.queues {
        if policy.queue(queue).is_none() {
            let known: Vec<String> = policy.queues.iter().map(|q| q.label.clone()).collect();
            return Err(invalid(format!(
                "There is no queue `{}` in this workspace's policy (its queues: {}).",
                queue.0,
                known.join(", ")
            )));
        }
        if !queues.contains(queue) {
            queues.push(queue.clone());
        }
    }
    let mut platforms: Vec<Platform> = Vec::new();
    for platform in &draft.platforms {
        if !platforms.contains(platform) {
            platforms.push(*platform);
        }
    }
    Ok(SavedReplyBody {
        title: title.to_owned(),
        text: text.to_owned(),
        category: if category.is_empty() {
            "General".to_owned()
        } else {
            category.to_owned()
        },
        queues,
        platforms,
    })
}

impl Shared {
    /// Every saved reply, who last changed each by name; the demo's seeded first.
    async fn saved_replies(&self) -> Result<Vec<SavedReply>, ApiError> {
        self.seed_demo_saved_replies().await?;
        let replies = self.store.saved_replies().await.map_err(to_api)?;
        Ok(replies.into_iter().map(|r| self.named(r)).collect())
    }

    /// `reply` with its author's name instead of their login role (in a team).
    fn named(&self, mut reply: SavedReply) -> SavedReply {
        if let Some(live) = self.team_live() {
            reply.updated_by = live.name_of(&reply.updated_by);
        }
        reply
    }

    /// Makes the demo's saved replies when the demo workspace's log has none.
    async fn seed_demo_saved_replies(&self) -> Result<(), ApiError> {
        let is_demo = self
            .workspace
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .is_demo;
        if !is_demo {
            return Ok(());
        }
        let _one = SEEDING.lock().await;
        if self.store.saved_reply_log_len().await.map_err(to_api)? > 0 {
            return Ok(());
        }
        let policy = self.policy();
        for (id, title, category, queues, text) in DEMO_REPLIES {
            let body = SavedReplyBody {
                title: title.into(),
                text: text.into(),
                category: category.into(),
                queues: queues
                    .iter()
                    .map(|q| QueueId((*q).into()))
                    .filter(|q| policy.queue(q).is_some())
                    .collect(),
                platforms: Vec::new(),
            };
            self.store
                .record_saved_reply(id, SavedReplyChange::Created(body), &self.me, self.now())
                .await
                .map_err(to_api)?;
        }
        Ok(())
    }

    /// What a saved reply is filled with in `conversation`.
    async fn fill_context(
        &self,
        conversation: &ConversationSummary,
    ) -> Result<FillContext, ApiError> {
        let queue = self
            .policy()
            .queue(&conversation.queue)
            .map_or_else(|| conversation.queue.0.clone(), |q| q.label.clone());
        Ok(FillContext {
            customer: conversation.customer.display_name.clone(),
            customer_handle: conversation.customer.handle.clone(),
            queue,
            me: self.my_name().await,
            brand: self.brand_name(conversation.id).await?,
        })
    }

    /// The person's name: the team member's in a team, else the person's.
    async fn my_name(&self) -> String {
        if let Some(replica) = &self.team {
            if let Some(me) = replica.membership.me(replica).await {
                return me.name;
            }
        }
        match self.team_live() {
            Some(live) => live.name_of(&self.me),
            None => self.me.clone(),
        }
    }

    /// The display name of the brand account conversation `id` is on; the workspace's
    /// name (without "Demo — ") when the account has none.
    async fn brand_name(&self, id: i64) -> Result<String, ApiError> {
        let answered = self.store.reply_would_answer(id).await.map_err(to_api)?;
        let account_name = answered
            .and_then(|item| self.accounts.for_account(&item.account))
            .and_then(|source| source.record.as_ref().map(|r| r.display_name.clone()))
            .filter(|name| !name.trim().is_empty());
        Ok(account_name.unwrap_or_else(|| {
            let workspace = self.workspace.read().unwrap_or_else(|p| p.into_inner());
            workspace
                .name
                .strip_prefix("Demo — ")
                .unwrap_or(&workspace.name)
                .to_owned()
        }))
    }

    /// The longest reply conversation `conversation` takes, when known (see the module
    /// docs).
    pub(crate) async fn reply_limit_of(
        &self,
        conversation: &ConversationSummary,
    ) -> Option<ReplyLimit> {
        let known = async {
            let answered = self
                .store
                .reply_would_answer(conversation.id)
                .await
                .ok()??;
            let source = self.accounts.for_account(&answered.account)?;
            if slow_lately(&answered.account) {
                return None;
            }
            let asked = tokio::time::timeout(LIMIT_LOOKUP, source.provider.reply_limit()).await;
            if asked.is_err() {
                note_slow(&answered.account);
            }
            asked.ok()?
        }
        .await;
        match known {
            Some(limit) => Some(ReplyLimit {
                max: u32::try_from(limit.max).unwrap_or(u32::MAX),
                unit: match limit.counting {
                    Counting::Graphemes => LimitUnit::Graphemes,
                    Counting::Mastodon { .. } => LimitUnit::Characters,
                },
            }),
            None if conversation.platform == Platform::Bluesky => Some(ReplyLimit {
                max: BLUESKY_GRAPHEMES,
                unit: LimitUnit::Graphemes,
            }),
            None => None,
        }
    }
}
