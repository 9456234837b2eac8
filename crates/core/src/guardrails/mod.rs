//! Guardrails: a reply is checked, as the person types and again at send, for what a lead
//! would not sign — without any network call, deterministically, and with a plain reason
//! on the exact span.
//!
//! Terms:
//! - a **rule** has an id (`phone_number`, `blame`…), a [`GuardrailKind`], an action
//!   ([`GuardrailAction::Warn`] asks the person to confirm, [`GuardrailAction::Block`]
//!   refuses the send), the reason shown to the person and one or more **detectors**
//!   (precompiled regular expressions, some with a check of what they found);
//! - the **starter set** ([`BUILTIN_RULES`]) covers personal contact leaks
//!   ([`contact`]), a defensive or unsafe tone ([`tone`]) and private details in a public
//!   reply ([`public_private`]) in English, German, Spanish and French; the workspace
//!   policy adds its own rules, makes built-in ones block or turns them off;
//! - a reply is **public** when it answers a mention, reply, quote or comment (everyone
//!   can read it), private when it answers a direct message ([`ReplyContext`]);
//! - a **finding** ([`GuardrailFinding`]) is one flagged span, in UTF-16 code units of the
//!   reply (what a JavaScript string index counts).
//!
//! Rules are compiled once per policy ([`Guardrails::new`]); a check is a handful of
//! linear-time regex scans over the reply.

pub mod contact;
mod explain;
pub mod public_private;
mod rules;
pub mod tone;
mod utf16;

use regex::Regex;

pub use explain::{refusal, Refusal};
pub use rules::{GuardrailRule, BUILTIN_RULES};
pub use utf16::utf16_offset;

use crate::{GuardrailAction, GuardrailFinding, GuardrailKind, TextPatternError};

/// Largest compiled size of a rule's pattern, in bytes (like routing patterns).
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Where a reply goes: what decides which rules apply and how they explain themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReplyContext<'a> {
    /// Everyone can read the reply (a mention, reply, quote or comment), rather than only
    /// the customer (a direct message).
    pub public: bool,
    /// The platform lets the brand write to the customer in a direct message (findings in
    /// a public reply then suggest one).
    pub direct_messages: bool,
    /// The conversation's language (`en`, `de-AT`…), when known: rules restricted to
    /// other languages are skipped. Unknown: every rule runs.
    pub language: Option<&'a str>,
}

/// How a detector finds its spans.
#[derive(Debug, Clone)]
pub(crate) enum Detector {
    /// Every match of a pattern (its `span` group when it has one), unless the match and
    /// the few characters after it match `unless`.
    Pattern {
        /// The pattern.
        regex: Regex,
        /// What makes a match harmless ("you should have received").
        unless: Option<Regex>,
    },
    /// Phone numbers ([`contact::phone_numbers`]).
    Phone,
    /// E-mail addresses outside the brand's domains ([`contact::foreign_emails`]).
    ForeignEmail,
    /// Several words in capitals ([`tone::shouting`]).
    Shouting,
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub(crate) id: String,
    pub(crate) kind: GuardrailKind,
    pub(crate) action: GuardrailAction,
    pub(crate) message: String,
    pub(crate) summary: String,
    pub(crate) languages: Vec<String>,
    pub(crate) detectors: Vec<Detector>,
    /// Built in (its message may say how to move to a direct message).
    pub(crate) builtin: bool,
}

/// The rules in force for a workspace, compiled: what [`Guardrails::check`] runs.
#[derive(Debug, Clone)]
pub struct Guardrails {
    rules: Vec<CompiledRule>,
    brand_domains: Vec<String>,
    brand_phones: Vec<String>,
}

/// How a workspace adjusts the starter set (the policy's `[guardrails]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuardrailSettings {
    /// The brand's own e-mail domains (lowercase, subdomains included).
    pub brand_domains: Vec<String>,
    /// The brand's own phone numbers (digits only), which are not flagged.
    pub brand_phones: Vec<String>,
    /// Built-in rules that block instead of warning.
    pub block: Vec<String>,
    /// Built-in rules turned off.
    pub off: Vec<String>,
    /// The workspace's own rules; one with a built-in rule's id replaces it.
    pub rules: Vec<GuardrailRule>,
}

impl Guardrails {
    /// The starter set with no brand domains.
    pub fn starter() -> Guardrails {
        Guardrails::new(&GuardrailSettings::default()).expect("the starter set compiles")
    }

    /// Compiles the starter set adjusted by `settings`. Fails on a workspace rule whose
    /// pattern does not compile (the policy checks them first, with positions).
    pub fn new(settings: &GuardrailSettings) -> Result<Guardrails, TextPatternError> {
        let mut rules: Vec<CompiledRule> = rules::builtin()
            .iter()
            .filter(|r| !settings.off.contains(&r.id))
            .filter(|r| !settings.rules.iter().any(|own| own.id == r.id))
            .cloned()
            .map(|mut r| {
                if settings.block.contains(&r.id) {
                    r.action = GuardrailAction::Block;
                }
                r
            })
            .collect();
        for own in &settings.rules {
            rules.push(own.compile()?);
        }
        Ok(Guardrails {
            rules,
            brand_domains: settings
                .brand_domains
                .iter()
                .map(|d| d.to_lowercase())
                .collect(),
            brand_phones: settings.brand_phones.clone(),
        })
    }

    /// The ids of the rules in force, in the order they run.
    pub fn rule_ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id.as_str()).collect()
    }

    /// What the rules find in `text`, a reply going where `context` says, ordered by
    /// start (the longest first at one start, then in rule order).
    pub fn check(&self, text: &str, context: &ReplyContext<'_>) -> Vec<GuardrailFinding> {
        let mut spans: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, rule index)
        for (index, rule) in self.rules.iter().enumerate() {
            if rule.kind == GuardrailKind::PublicPrivate && !context.public {
                continue;
            }
            if !applies_to(&rule.languages, context.language) {
                continue;
            }
            for detector in &rule.detectors {
                let mut push = |start: usize, end: usize| spans.push((start, end, index));
                match detector {
                    Detector::Pattern { regex, unless } => {
                        pattern_spans(text, regex, unless.as_ref(), &mut push)
                    }
                    Detector::Phone => contact::phone_numbers(text, &self.brand_phones)
                        .for_each(|(s, e)| push(s, e)),
                    Detector::ForeignEmail => contact::foreign_emails(text, &self.brand_domains)
                        .into_iter()
                        .for_each(|(s, e)| push(s, e)),
                    Detector::Shouting => tone::shouting(text)
                        .into_iter()
                        .for_each(|(s, e)| push(s, e)),
                }
            }
        }
        // By start, the longest first (what the overlap pass below keeps).
        spans.sort_by(|a, b| {
            (a.0, std::cmp::Reverse(a.1), a.2).cmp(&(b.0, std::cmp::Reverse(b.1), b.2))
        });
        spans.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
        // Of overlapping spans of one rule, the first (longest at a start) stands.
        let mut kept: Vec<(usize, usize, usize)> = Vec::with_capacity(spans.len());
        for span in spans {
            let overlaps = kept
                .iter()
                .any(|k| k.2 == span.2 && span.0 < k.1 && k.0 < span.1);
            if !overlaps {
                kept.push(span);
            }
        }
        let mut offsets = utf16::Utf16Offsets::new(text);
        kept.into_iter()
            .map(|(start, end, index)| {
                let rule = &self.rules[index];
                GuardrailFinding {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    start: offsets.at(start),
                    end: offsets.at(end),
                    message: message(rule, context),
                    action: rule.action,
                }
            })
            .collect()
    }

    /// The short clause naming what rule `id` found ("has a phone number"), for the
    /// question asked at send.
    pub fn summary(&self, id: &str) -> Option<&str> {
        self.rules
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.summary.as_str())
    }
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails::starter()
    }
}

/// Whether a rule for `languages` (empty: all) runs on a conversation in `language`.
fn applies_to(languages: &[String], language: Option<&str>) -> bool {
    let Some(language) = language else {
        return true;
    };
    if languages.is_empty() {
        return true;
    }
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    languages.iter().any(|l| {
        l.eq_ignore_ascii_case(language)
            || l.split(['-', '_'])
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(primary))
    })
}

/// The reason shown for a finding of `rule`: built-in public-vs-private rules say how to
/// move the conversation out of public.
fn message(rule: &CompiledRule, context: &ReplyContext<'_>) -> String {
    if rule.builtin && rule.kind == GuardrailKind::PublicPrivate {
        let how = if context.direct_messages {
            "Ask the customer to send it in a direct message instead."
        } else {
            "This platform has no direct messages here: leave it out of the public reply."
        };
        return format!("{} {how}", rule.message);
    }
    rule.message.clone()
}

/// The spans of `regex`'s matches in `text` (their `span` group when there is one), minus
/// those that `unless` excuses.
fn pattern_spans(
    text: &str,
    regex: &Regex,
    unless: Option<&Regex>,
    push: &mut impl FnMut(usize, usize),
) {
    let has_group = regex.capture_names().any(|n| n == Some("span"));
    if !has_group && unless.is_none() {
        for m in regex.find_iter(text) {
            if m.start() < m.end() {
                push(m.start(), m.end());
            }
        }
        return;
    }
    for caps in regex.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 is the match");
        if let Some(unless) = unless {
            let mut end = (whole.end() + 48).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if unless.is_match(&text[whole.start()..end]) {
                continue;
            }
        }
        let span = caps.name("span").unwrap_or(whole);
        if span.start() < span.end() {
            push(span.start(), span.end());
        }
    }
}

/// Compiles a rule's pattern: case-insensitive unless it says `(?-i)`, refused when huge.
pub(crate) fn compile(pattern: &str) -> Result<Regex, TextPatternError> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            // The routing patterns' explanation of regex errors, in one line.
            match crate::TextPattern::new(pattern) {
                Err(error) => error,
                Ok(_) => TextPatternError {
                    reason: e.to_string(),
                },
            }
        })
}
