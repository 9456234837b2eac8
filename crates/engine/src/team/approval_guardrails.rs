//! The guardrails on a lead's approval of a trainee's reply.
//!
//! - The trainee's **confirmations** are the warned rules they confirmed when writing
//!   (logged with their `reply_awaiting_approval`). They are logged again with the
//!   queued reply, as the trainee's.
//! - A finding in the approved text is **covered** when the trainee confirmed its rule for
//!   the same words: the rule is among their confirmations and the trainee's text had a
//!   finding of that rule on the same words (a lead's edit elsewhere in the reply does not
//!   ask again about the phone number the trainee confirmed; a new one does).
//! - Every other finding needs the approving lead's confirmation (`confirmed_rules`;
//!   refused with `guardrail` until then) and is logged as the lead's. A blocked rule
//!   refuses the approval, whatever anyone confirmed.

use switchboard_core::guardrails::refusal;
use switchboard_core::{ApiError, ErrorCode, GuardrailAction, GuardrailFinding};
use switchboard_store::ApprovalRequest;

use crate::guardrails::findings;
use crate::Shared;

/// Who confirmed which guardrail rule for an approved reply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Confirmations {
    /// The trainee's, as logged with their request.
    pub trainee: Vec<String>,
    /// The approving lead's: the rules of the findings the trainee's do not cover.
    pub lead: Vec<String>,
}

/// Checks `text`, the reply about to be approved for `request` in conversation `id`,
/// with the lead's `confirmed_rules`: refuses with `guardrail` when a finding is blocked,
/// or neither covered by the trainee's confirmations nor confirmed by the lead. Answers
/// who confirmed what.
pub(crate) async fn check(
    shared: &Shared,
    id: i64,
    request: &ApprovalRequest,
    text: &str,
    confirmed_rules: &[String],
) -> Result<Confirmations, ApiError> {
    let found = findings(shared, id, text).await?;
    let confirmations = confirmations(shared, id, request, text, &found).await?;
    // Each finding the trainee's confirmations do not cover must be the lead's: asked
    // with only those left unconfirmed (refusal() names the rules still to confirm).
    // A blocked finding refuses whoever confirmed it.
    let unconfirmed: Vec<GuardrailFinding> = found
        .iter()
        .filter(|f| f.action == GuardrailAction::Block || confirmations.lead.contains(&f.rule))
        .cloned()
        .collect();
    let policy = shared.policy();
    if let Some(refused) = refusal(
        policy.guardrails.guardrails(),
        text,
        &unconfirmed,
        confirmed_rules,
    ) {
        tracing::info!(
            conversation = id,
            rules = ?refused.rules,
            blocked = refused.blocked,
            "approval held by the guardrails"
        );
        return Err(ApiError::new(ErrorCode::Guardrail, refused.message));
    }
    Ok(confirmations)
}

/// Who confirmed what for `text`, approved for `request` in conversation `id` (the
/// checks passed when it was approved): the lead confirmed whatever the trainee's
/// confirmations do not cover.
pub(crate) async fn confirmed(
    shared: &Shared,
    id: i64,
    request: &ApprovalRequest,
    text: &str,
) -> Result<Confirmations, ApiError> {
    let found = findings(shared, id, text).await?;
    confirmations(shared, id, request, text, &found).await
}

/// The trainee's confirmations, and the rules of the findings of `text` they do not cover
/// (the lead's).
async fn confirmations(
    shared: &Shared,
    id: i64,
    request: &ApprovalRequest,
    text: &str,
    found: &[GuardrailFinding],
) -> Result<Confirmations, ApiError> {
    // The words the trainee confirmed, rule by rule.
    let mut confirmed_words: Vec<(String, String)> = Vec::new();
    if !request.guardrail_overrides.is_empty() {
        for finding in findings(shared, id, &request.text).await? {
            if request.guardrail_overrides.contains(&finding.rule) {
                confirmed_words.push((finding.rule.clone(), words(&request.text, &finding)));
            }
        }
    }
    let mut lead: Vec<String> = Vec::new();
    for finding in found {
        let covered = confirmed_words
            .iter()
            .any(|(rule, said)| *rule == finding.rule && *said == words(text, finding));
        if !covered && !lead.contains(&finding.rule) {
            lead.push(finding.rule.clone());
        }
    }
    Ok(Confirmations {
        trainee: request.guardrail_overrides.clone(),
        lead,
    })
}

/// The words of `text` that `finding` is on (its span is in UTF-16 units).
fn words(text: &str, finding: &GuardrailFinding) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let start = (finding.start as usize).min(units.len());
    let end = (finding.end as usize).clamp(start, units.len());
    String::from_utf16_lossy(&units[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::GuardrailKind;

    #[test]
    fn a_findings_words_are_cut_by_utf16_units() {
        let text = "🙂 call +44 20 7946 0958";
        let finding = GuardrailFinding {
            rule: "phone_number".into(),
            kind: GuardrailKind::ContactLeak,
            start: 8,
            end: 24,
            message: String::new(),
            action: GuardrailAction::Warn,
        };
        assert_eq!(words(text, &finding), "+44 20 7946 0958");
    }
}
