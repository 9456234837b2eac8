//! Guardrails on replies, in the engine: the policy's rules ([`switchboard_core::guardrails`])
//! run on a reply as the person types (`check_reply`) and again at send
//! (`send_reply_guarded`): a warning needs the person's confirmation (the rules they
//! confirmed are logged with the reply as **overrides**), a blocked rule refuses the send.
//!
//! Whether a reply is public comes from the customer item it answers (the conversation's
//! latest): a direct message is private, a mention, reply, quote or comment public. The
//! confirmed rules go down through the collision checks to the queued reply (or the
//! trainee's reply awaiting approval).

use switchboard_core::guardrails::{refusal, ReplyContext};
use switchboard_core::{ApiError, ErrorCode, GuardrailFinding, ItemKind, Platform, Thread};

use crate::api::to_api;
use crate::outbox::checked_reply;
use crate::reply_keys::{reply_key, ReplyKey};
use crate::{Engine, Shared};

impl Engine {
    /// What the guardrails find in `text`, a reply being written to conversation `id`.
    pub async fn check_reply(
        &self,
        id: i64,
        text: &str,
    ) -> Result<Vec<GuardrailFinding>, ApiError> {
        findings(&self.shared, id, text).await
    }

    /// [`Engine::send_reply_checked`] after the guardrails: findings whose rules are not
    /// in `confirmed_rules` refuse the send with `guardrail`; blocked ones always do. The
    /// confirmed rules that matched are logged with the reply. A resend of a reply already
    /// queued (or awaiting approval) under its key stands as it is, unchecked.
    pub async fn send_reply_guarded(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        seen_version: Option<i64>,
        send_anyway: bool,
        confirmed_rules: Vec<String>,
    ) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let text = checked_reply(text)?;
        let key = match reply_key(shared, id, idempotency_key, shared.now()).await? {
            ReplyKey::Fresh(key) => key,
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        if crate::team::approval::requested(shared, id, &key).await? {
            return shared.thread(id).await;
        }
        let findings = self.check_reply(id, &text).await?;
        let policy = shared.policy();
        if let Some(refused) = refusal(
            policy.guardrails.guardrails(),
            &text,
            &findings,
            &confirmed_rules,
        ) {
            tracing::info!(
                conversation = id,
                rules = ?refused.rules,
                blocked = refused.blocked,
                "reply held by the guardrails"
            );
            return Err(ApiError::new(ErrorCode::Guardrail, refused.message));
        }
        let mut overrides: Vec<String> = Vec::new();
        for finding in &findings {
            if !overrides.contains(&finding.rule) {
                overrides.push(finding.rule.clone());
            }
        }
        if !overrides.is_empty() {
            tracing::info!(conversation = id, rules = ?overrides, "guardrail warnings confirmed");
        }
        self.send_reply_checked_with(id, text, Some(key), seen_version, send_anyway, overrides)
            .await
    }
}

/// What the guardrails find in `text`, a reply being written to conversation `id`.
pub(crate) async fn findings(
    shared: &Shared,
    id: i64,
    text: &str,
) -> Result<Vec<GuardrailFinding>, ApiError> {
    let answered = shared.store.reply_would_answer(id).await.map_err(to_api)?;
    let (public, platform, language) = match &answered {
        Some(item) => (
            item.kind != ItemKind::DirectMessage,
            Some(item.platform),
            item.lang.as_deref(),
        ),
        // Nothing to answer (the send will say so): check as strictly as for public.
        None => (true, None, None),
    };
    let context = ReplyContext {
        public,
        direct_messages: platform.is_none_or(has_direct_messages),
        language,
    };
    Ok(shared.policy().guardrails.check(text, &context))
}

/// Whether the brand can write to a customer privately on `platform` (a LinkedIn page or
/// a YouTube channel cannot start one).
fn has_direct_messages(platform: Platform) -> bool {
    !matches!(platform, Platform::LinkedIn | Platform::YouTube)
}
