//! The rules: the starter set every workspace gets (compiled once per process) and the
//! workspace's own rules as the policy writes them ([`GuardrailRule`]).

use std::sync::OnceLock;

use super::{compile, contact, public_private, tone, CompiledRule, Detector};
use crate::{GuardrailAction, GuardrailKind, TextPatternError};

/// The ids of the built-in rules, in the order they run.
pub const BUILTIN_RULES: [&str; 12] = [
    "phone_number",
    "personal_email",
    "messaging_app",
    "messaging_link",
    "personal_account",
    "blame",
    "shouting",
    "sarcasm",
    "doubting_customer",
    "order_number_public",
    "address_public",
    "email_public",
];

/// A built-in rule as written in code: its detectors' patterns and what it says.
pub(crate) struct Builtin {
    pub(crate) id: &'static str,
    pub(crate) kind: GuardrailKind,
    /// The reason shown on the span.
    pub(crate) message: &'static str,
    /// What it found, as a clause of the question at send ("has a phone number").
    pub(crate) summary: &'static str,
    /// Patterns, each with what excuses a match (or "").
    pub(crate) patterns: &'static [(&'static str, &'static str)],
    /// A detector written in code, besides the patterns.
    pub(crate) special: Option<Special>,
}

/// Detectors written in code.
#[derive(Clone, Copy)]
pub(crate) enum Special {
    Phone,
    ForeignEmail,
    Shouting,
}

/// A rule of the workspace's own (`[[guardrails.rule]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardrailRule {
    /// Its id, what a confirmation names (a built-in id replaces that rule).
    pub id: String,
    /// A regular expression (Rust regex syntax, case-insensitive unless `(?-i)`); a group
    /// named `span` narrows what is highlighted.
    pub pattern: String,
    /// The conversation languages it applies to (empty: all).
    pub languages: Vec<String>,
    /// The reason shown on the span.
    pub message: String,
    /// Warn or block.
    pub action: GuardrailAction,
    /// What it is about.
    pub kind: GuardrailKind,
}

impl GuardrailRule {
    pub(crate) fn compile(&self) -> Result<CompiledRule, TextPatternError> {
        Ok(CompiledRule {
            id: self.id.clone(),
            kind: self.kind,
            action: self.action,
            message: self.message.clone(),
            summary: format!("breaks the workspace rule “{}”", self.id),
            languages: self.languages.clone(),
            detectors: vec![Detector::Pattern {
                regex: compile(&self.pattern)?,
                unless: None,
            }],
            builtin: false,
        })
    }
}

/// The starter set, compiled once.
pub(crate) fn builtin() -> &'static [CompiledRule] {
    static RULES: OnceLock<Vec<CompiledRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let all = contact::RULES
            .iter()
            .chain(tone::RULES)
            .chain(public_private::RULES);
        all.map(|b| {
            let mut detectors: Vec<Detector> = b
                .patterns
                .iter()
                .map(|(pattern, unless)| Detector::Pattern {
                    regex: compile(pattern).unwrap_or_else(|e| {
                        panic!("built-in rule {} has a bad pattern: {e}", b.id)
                    }),
                    unless: (!unless.is_empty()).then(|| {
                        compile(unless).unwrap_or_else(|e| {
                            panic!("built-in rule {} has a bad exception: {e}", b.id)
                        })
                    }),
                })
                .collect();
            match b.special {
                Some(Special::Phone) => detectors.push(Detector::Phone),
                Some(Special::ForeignEmail) => detectors.push(Detector::ForeignEmail),
                Some(Special::Shouting) => detectors.push(Detector::Shouting),
                None => {}
            }
            CompiledRule {
                id: b.id.to_owned(),
                kind: b.kind,
                action: GuardrailAction::Warn,
                message: b.message.to_owned(),
                summary: b.summary.to_owned(),
                languages: Vec::new(),
                detectors,
                builtin: true,
            }
        })
        .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_set_compiles_in_the_listed_order() {
        let ids: Vec<&str> = builtin().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, BUILTIN_RULES);
    }
}
