//! What the person is told at send: the findings they have not confirmed, in one plain
//! question ("This reply has a phone number (“+44 20 7946 0958”) and sounds defensive
//! (“you should have”). Send it anyway?"), or, when a rule blocks, why it cannot go.

use super::Guardrails;
use crate::{GuardrailAction, GuardrailFinding};

/// Why a reply may not go as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// A rule the policy makes block matched: confirming does not help.
    pub blocked: bool,
    /// The rules to confirm (or that block), in the order found.
    pub rules: Vec<String>,
    /// The whole message, in plain words.
    pub message: String,
}

/// Whether `findings` in reply `text` stop the send when the person confirmed
/// `confirmed` rules: any blocking finding does, and so do warnings of rules not
/// confirmed. `None`: the reply may go.
pub fn refusal(
    guardrails: &Guardrails,
    text: &str,
    findings: &[GuardrailFinding],
    confirmed: &[String],
) -> Option<Refusal> {
    let blocking: Vec<&GuardrailFinding> = findings
        .iter()
        .filter(|f| f.action == GuardrailAction::Block)
        .collect();
    if !blocking.is_empty() {
        let (rules, clauses) = clauses(guardrails, text, &blocking);
        return Some(Refusal {
            blocked: true,
            rules,
            message: format!(
                "This reply cannot go: the workspace policy does not allow sending it: it {}. \
                 Change the reply to send it.",
                clauses
            ),
        });
    }
    let unconfirmed: Vec<&GuardrailFinding> = findings
        .iter()
        .filter(|f| !confirmed.contains(&f.rule))
        .collect();
    if unconfirmed.is_empty() {
        return None;
    }
    let (rules, clauses) = clauses(guardrails, text, &unconfirmed);
    Some(Refusal {
        blocked: false,
        rules,
        message: format!("This reply {clauses}. Send it anyway?"),
    })
}

/// The rules of `findings` (first appearance order) and "has a phone number (“…”) and
/// sounds defensive (“…”)".
fn clauses(
    guardrails: &Guardrails,
    text: &str,
    findings: &[&GuardrailFinding],
) -> (Vec<String>, String) {
    let mut rules: Vec<String> = Vec::new();
    for f in findings {
        if !rules.contains(&f.rule) {
            rules.push(f.rule.clone());
        }
    }
    let parts: Vec<String> = rules
        .iter()
        .map(|rule| {
            let quotes: Vec<String> = findings
                .iter()
                .filter(|f| &f.rule == rule)
                .map(|f| format!("“{}”", span_text(text, f.start, f.end)))
                .collect();
            let what = guardrails
                .summary(rule)
                .map_or_else(|| format!("breaks the rule “{rule}”"), str::to_owned);
            format!("{what} ({})", quotes.join(", "))
        })
        .collect();
    let sentence = match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    (rules, sentence)
}

/// The text between UTF-16 offsets `start` and `end` of `text`.
pub(crate) fn span_text(text: &str, start: u32, end: u32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let start = (start as usize).min(units.len());
    let end = (end as usize).clamp(start, units.len());
    String::from_utf16_lossy(&units[start..end])
}
