//! Hiding an item from the public, and showing it again — a lead's explicit act, logged,
//! and reversible. Nothing is ever deleted, here or at the platform: a hidden Facebook or
//! Instagram comment stays visible to the brand (and to its author), stays in the thread
//! marked hidden, and can be shown again.
//!
//! Who may: a **lead** of the conversation's queue (the policy's `leads` of the queue,
//! or in a team workspace the team's leads of it — the same leads escalations reach).
//! Hiding needs a **reason** (logged with it); showing again may give one. The platform
//! is asked first; the `item_hidden` event is recorded only once it did it, so the log
//! never says hidden what the platform still shows. In a team the event reaches every
//! laptop like a note.

use switchboard_core::{ApiError, ErrorCode, EventKind, Platform, Thread};
use switchboard_platforms::ProviderError;

use crate::actions::checked_text;
use crate::planner::PolicyPlanner;
use crate::{api::to_api, Engine};

/// Longest reason, in characters.
const MAX_REASON_CHARS: usize = 500;

impl Engine {
    /// Hides item `item` of conversation `id` from the public (`hidden`) or shows it
    /// again, for `reason` (see the module doc). Returns the conversation as it now
    /// stands; an item already as asked is left as it is.
    pub async fn set_item_hidden(
        &self,
        id: i64,
        item: i64,
        hidden: bool,
        reason: String,
    ) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let reason = if hidden {
            checked_text(
                reason,
                MAX_REASON_CHARS,
                "Say why the comment is hidden: the reason is logged with it.",
                "A reason",
            )?
        } else if reason.trim().is_empty() {
            String::new()
        } else {
            checked_text(reason, MAX_REASON_CHARS, "", "A reason")?
        };
        let conversation = shared
            .store
            .conversation(id, shared.now())
            .await
            .map_err(to_api)?;
        let settings = shared.alert_settings().await;
        if !shared.lead_of(&settings).contains(&conversation.queue) {
            let verb = if hidden { "hide" } else { "show again" };
            return Err(ApiError::new(
                ErrorCode::NotAllowed,
                format!(
                    "Only a lead of the {} queue can {verb} a comment. Nothing was changed.",
                    queue_label(self, &conversation.queue)
                ),
            ));
        }
        let (found, is_hidden) = shared.store.thread_item(id, item).await.map_err(to_api)?;
        if is_hidden == hidden {
            return shared.thread(id).await;
        }
        if found.from_brand {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "This is the brand's own comment: it is not hidden from Switchboard.",
            ));
        }
        let source = shared.accounts.for_account(&found.account).ok_or_else(|| {
            ApiError::new(
                ErrorCode::SignInAgain,
                format!(
                    "The {} account {} is not signed in here: sign it in again, then try \
                     again. Nothing was changed.",
                    platform_name(found.platform),
                    found.account
                ),
            )
        })?;
        source
            .provider
            .set_hidden(&found.thread, &found.native_id, hidden)
            .await
            .map_err(|e| refused(e, found.platform, hidden))?;
        let policy = shared.policy();
        let kind = EventKind::ItemHidden {
            item: found.native_id,
            hidden,
            reason,
        };
        shared
            .store
            .record_action(id, &shared.me, kind, shared.now(), &PolicyPlanner(&policy))
            .await
            .map_err(to_api)?;
        shared.recorded(vec![id]);
        shared.thread(id).await
    }
}

/// The label of `queue` in the policy (its id when the policy no longer has it).
fn queue_label(engine: &Engine, queue: &switchboard_core::QueueId) -> String {
    engine
        .shared
        .policy()
        .queue(queue)
        .map_or_else(|| queue.0.clone(), |q| q.label.clone())
}

/// The platform's name in a sentence.
fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Facebook => "Facebook",
        Platform::Instagram => "Instagram",
        Platform::Mastodon => "Mastodon",
        Platform::Bluesky => "Bluesky",
        Platform::X => "X",
        Platform::LinkedIn => "LinkedIn",
        Platform::YouTube => "YouTube",
    }
}

/// The platform's refusal in plain words (nothing was changed).
fn refused(error: ProviderError, platform: Platform, hidden: bool) -> ApiError {
    let verb = if hidden { "hide" } else { "show" };
    match error {
        ProviderError::Unsupported(_) => ApiError::new(
            ErrorCode::InvalidInput,
            format!("Nothing was hidden or shown: {error}."),
        ),
        ProviderError::SignInAgain(_) => ApiError::new(
            ErrorCode::SignInAgain,
            format!(
                "{} did not {verb} the comment: {error}.",
                platform_name(platform)
            ),
        ),
        _ => ApiError::new(
            ErrorCode::Platform,
            format!(
                "{} did not {verb} the comment: {error}. Nothing was changed; try again.",
                platform_name(platform)
            ),
        ),
    }
}
