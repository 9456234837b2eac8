//! The policy's `[guardrails]` section: the brand's own e-mail domains (and phone
//! numbers), which built-in rules block rather than warn or are off, and the workspace's
//! own rules besides the built-in starter set ([`crate::guardrails`]).
//!
//! ```toml
//! [guardrails]
//! brand_domains = ["northwind.example"]
//! brand_phones = ["+44 20 7946 0000"]
//! block = ["phone_number"]
//! off = ["sarcasm"]
//!
//! [[guardrails.rule]]
//! id = "refund_promise"
//! pattern = '\bguaranteed?\s+(?:a\s+)?(?:full\s+)?refund'
//! languages = ["en"]
//! message = "Only a lead can promise a refund."
//! action = "block"           # or "warn" (the default)
//! kind = "tone"              # contact_leak, tone (the default) or public_private
//! ```

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::spans::Ctx;
use super::PolicyError;
use crate::guardrails::{
    GuardrailRule, GuardrailSettings, Guardrails, ReplyContext, BUILTIN_RULES,
};
use crate::{GuardrailAction, GuardrailFinding, GuardrailKind};

/// `[guardrails]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGuardrails {
    #[serde(default)]
    brand_domains: Vec<Spanned<String>>,
    #[serde(default)]
    brand_phones: Vec<Spanned<String>>,
    #[serde(default)]
    block: Vec<Spanned<String>>,
    #[serde(default)]
    off: Vec<Spanned<String>>,
    #[serde(default)]
    rule: Vec<Spanned<RawGuardrailRule>>,
}

/// `[[guardrails.rule]]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuardrailRule {
    id: Option<Spanned<String>>,
    pattern: Option<Spanned<String>>,
    #[serde(default)]
    languages: Vec<Spanned<String>>,
    message: Option<Spanned<String>>,
    action: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
}

/// What the policy says about checking replies before they go: the settings as written
/// and the rules compiled from them (once per policy).
#[derive(Debug, Clone)]
pub struct GuardrailPolicy {
    /// The settings: brand domains and phones, blocked and disabled built-in rules, the
    /// workspace's own rules.
    pub settings: GuardrailSettings,
    compiled: Arc<Guardrails>,
}

impl GuardrailPolicy {
    /// The policy for `settings`. Fails when one of its rules' patterns does not compile.
    pub fn new(settings: GuardrailSettings) -> Result<Self, crate::TextPatternError> {
        let compiled = Arc::new(Guardrails::new(&settings)?);
        Ok(GuardrailPolicy { settings, compiled })
    }

    /// The compiled rules.
    pub fn guardrails(&self) -> &Guardrails {
        &self.compiled
    }

    /// What the rules find in reply `text` going where `context` says.
    pub fn check(&self, text: &str, context: &ReplyContext<'_>) -> Vec<GuardrailFinding> {
        self.compiled.check(text, context)
    }
}

impl Default for GuardrailPolicy {
    fn default() -> Self {
        GuardrailPolicy::new(GuardrailSettings::default()).expect("the starter set compiles")
    }
}

impl PartialEq for GuardrailPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.settings == other.settings
    }
}

impl Ctx<'_> {
    /// Checks and builds the `[guardrails]` section (absent: the defaults).
    pub(super) fn guardrails(
        &self,
        raw: Option<RawGuardrails>,
    ) -> Result<GuardrailPolicy, PolicyError> {
        // Not spanned: `[[guardrails.rule]]` without a `[guardrails]` header makes the table
        // implicitly, which toml cannot give a span.
        let Some(raw) = raw else {
            return Ok(GuardrailPolicy::default());
        };
        let mut settings = GuardrailSettings::default();
        for domain in &raw.brand_domains {
            let d = domain
                .get_ref()
                .trim()
                .trim_start_matches('@')
                .to_lowercase();
            let valid = d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && d.chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
            if !valid {
                return Err(self.error(
                    domain.span(),
                    format!(
                        "\"{}\" is not an e-mail domain: write the part after the @, such as \"northwind.example\"",
                        domain.get_ref()
                    ),
                ));
            }
            if !settings.brand_domains.contains(&d) {
                settings.brand_domains.push(d);
            }
        }
        for phone in &raw.brand_phones {
            let digits: String = phone
                .get_ref()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let written_as_phone = phone
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_digit() || " +-./()".contains(c));
            if !written_as_phone || !(7..=15).contains(&digits.len()) {
                return Err(self.error(
                    phone.span(),
                    format!(
                        "\"{}\" is not a phone number: write the brand's number with 7 to 15 digits, such as \"+44 20 7946 0000\"",
                        phone.get_ref()
                    ),
                ));
            }
            settings.brand_phones.push(digits);
        }
        for raw_rule in raw.rule {
            let rule = self.guardrail_rule(raw_rule, &settings.rules)?;
            settings.rules.push(rule);
        }
        for (list, field) in [(&raw.block, "block"), (&raw.off, "off")] {
            for id in list {
                let name = id.get_ref().trim();
                if !BUILTIN_RULES.contains(&name) {
                    return Err(self.error(
                        id.span(),
                        format!(
                            "unknown built-in rule \"{}\" in {field}: use one of {}",
                            id.get_ref(),
                            BUILTIN_RULES.join(", ")
                        ),
                    ));
                }
                let target = if field == "block" {
                    &mut settings.block
                } else {
                    &mut settings.off
                };
                if !target.iter().any(|t| t == name) {
                    target.push(name.to_owned());
                }
            }
        }
        GuardrailPolicy::new(settings).map_err(|e| self.error(0..0, e.reason))
    }

    fn guardrail_rule(
        &self,
        raw: Spanned<RawGuardrailRule>,
        earlier: &[GuardrailRule],
    ) -> Result<GuardrailRule, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let raw_id = self.required(
            &raw.id,
            &table,
            "this [[guardrails.rule]] has no id: add one such as id = \"refund_promise\" (what a confirmation names)",
        )?;
        let id = raw_id.get_ref().trim();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(self.error(
                raw_id.span(),
                format!(
                    "the rule id \"{}\" must be lowercase letters, digits and _, such as \"refund_promise\"",
                    raw_id.get_ref()
                ),
            ));
        }
        if earlier.iter().any(|r| r.id == id) {
            return Err(self.error(
                raw_id.span(),
                format!(
                    "a [[guardrails.rule]] with id \"{id}\" is already defined: ids must be unique"
                ),
            ));
        }
        let raw_pattern = self.required(
            &raw.pattern,
            &table,
            "this [[guardrails.rule]] has no pattern: add the regex it looks for, e.g. pattern = '\\bguaranteed refund'",
        )?;
        let pattern = raw_pattern.get_ref();
        if pattern.trim().is_empty() {
            return Err(self.error(
                raw_pattern.span(),
                "the pattern is empty: write the regex the rule looks for",
            ));
        }
        if let Err(e) = crate::guardrails::compile(pattern) {
            return Err(self.error(
                raw_pattern.span(),
                format!(
                    "the pattern \"{pattern}\" is not valid: {}; write it in the syntax of the Rust regex crate (matching ignores case unless it starts with (?-i))",
                    e.reason
                ),
            ));
        }
        if crate::guardrails::compile(pattern).is_ok_and(|r| r.is_match("")) {
            return Err(self.error(
                raw_pattern.span(),
                format!("the pattern \"{pattern}\" matches an empty reply, so it would flag every reply: make it look for some text"),
            ));
        }
        let raw_message = self.required(
            &raw.message,
            &table,
            "this [[guardrails.rule]] has no message: add the reason the person is shown, e.g. message = \"Only a lead can promise a refund.\"",
        )?;
        let message = raw_message.get_ref().trim();
        if message.is_empty() {
            return Err(self.error(
                raw_message.span(),
                "the message is empty: write the reason the person is shown",
            ));
        }
        let action = match &raw.action {
            None => GuardrailAction::Warn,
            Some(a) => match a.get_ref().trim() {
                "warn" => GuardrailAction::Warn,
                "block" => GuardrailAction::Block,
                other => {
                    return Err(self.error(
                        a.span(),
                        format!("unknown action \"{other}\": use \"warn\" (ask before sending) or \"block\" (never send)"),
                    ))
                }
            },
        };
        let kind = match &raw.kind {
            None => GuardrailKind::Tone,
            Some(k) => match k.get_ref().trim() {
                "contact_leak" => GuardrailKind::ContactLeak,
                "tone" => GuardrailKind::Tone,
                "public_private" => GuardrailKind::PublicPrivate,
                other => {
                    return Err(self.error(
                        k.span(),
                        format!(
                            "unknown kind \"{other}\": use contact_leak, tone or public_private"
                        ),
                    ))
                }
            },
        };
        let mut languages = Vec::new();
        for l in &raw.languages {
            let tag = l.get_ref().trim();
            if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(self.error(
                    l.span(),
                    format!(
                        "\"{}\" is not a language tag: write one such as \"en\", \"de\" or \"pt-BR\"",
                        l.get_ref()
                    ),
                ));
            }
            languages.push(tag.to_owned());
        }
        Ok(GuardrailRule {
            id: id.to_owned(),
            pattern: pattern.to_owned(),
            languages,
            message: message.to_owned(),
            action,
            kind,
        })
    }
}
