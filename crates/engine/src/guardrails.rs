//! Guardrails on replies, in the engine: the policy's rules run on a reply as the person
//! types (`check_reply`) and again at send (`send_reply_guarded`): a warning needs the
//! person's confirmation (logged as an override), a blocked rule refuses the send.
//! (Contract stub: the guardrails work fills it in.)

use switchboard_core::{ApiError, GuardrailFinding, Thread};

use crate::Engine;

impl Engine {
    /// What the guardrails find in `text`, a reply being written to conversation `id`.
    pub async fn check_reply(
        &self,
        _id: i64,
        _text: &str,
    ) -> Result<Vec<GuardrailFinding>, ApiError> {
        Ok(Vec::new())
    }

    /// [`Engine::send_reply_checked`] after the guardrails: findings whose rules are not
    /// in `confirmed_rules` refuse the send with `guardrail`; blocked ones always do.
    pub async fn send_reply_guarded(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        seen_version: Option<i64>,
        send_anyway: bool,
        _confirmed_rules: Vec<String>,
    ) -> Result<Thread, ApiError> {
        self.send_reply_checked(id, text, idempotency_key, seen_version, send_anyway)
            .await
    }
}
