//! `[[rule]]` tables: routing conditions (platforms, brand accounts, kinds, languages,
//! keywords, a regex) checked into [`RoutingRule`]s, and the friendly spellings of
//! platforms and kinds that rules and brand accounts accept.

use toml::Spanned;

use super::queues::QueueIdSpans;
use super::raw::RawRule;
use super::spans::Ctx;
use super::{AllowedAccount, PolicyError};
use crate::{ItemKind, Platform, QueueId, RoutingRule, TextPattern};

impl Ctx<'_> {
    pub(super) fn platform(&self, value: &Spanned<String>) -> Result<Platform, PolicyError> {
        parse_platform(value.get_ref()).ok_or_else(|| {
            self.error(
                value.span(),
                format!(
                    "unknown platform \"{}\": use one of {}",
                    value.get_ref(),
                    Platform::ALL.map(|p| p.as_str()).join(", ")
                ),
            )
        })
    }

    pub(super) fn rule(
        &self,
        raw: Spanned<RawRule>,
        queues: &QueueIdSpans,
        allowlist: &[AllowedAccount],
    ) -> Result<RoutingRule, PolicyError> {
        let table = raw.span();
        let raw = raw.into_inner();
        let raw_queue = self.required(
            &raw.queue,
            &table,
            "this [[rule]] names no queue: add the queue its items go to, e.g. queue = \"support\"",
        )?;
        let queue = raw_queue.get_ref().trim();
        if !queues.contains_key(queue) {
            let mut known: Vec<&str> = queues.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(self.error(
                raw_queue.span(),
                format!(
                    "unknown queue \"{}\": a rule must name a queue defined with [[queue]] ({})",
                    raw_queue.get_ref(),
                    known.join(", ")
                ),
            ));
        }
        let mut platforms = Vec::new();
        for p in &raw.platforms {
            platforms.push(self.platform(p)?);
        }
        let mut accounts = Vec::new();
        for a in &raw.accounts {
            let account = a.get_ref().trim();
            if !allowlist.iter().any(|allowed| allowed.account == account) {
                let mut known: Vec<&str> = allowlist.iter().map(|b| b.account.as_str()).collect();
                known.sort_unstable();
                known.dedup();
                let listed = if known.is_empty() {
                    "the file lists none".to_owned()
                } else {
                    format!("the file lists {}", known.join(", "))
                };
                return Err(self.error(
                    a.span(),
                    format!(
                        "unknown brand account \"{}\": a rule's accounts must be listed with [[brand_account]] ({listed})",
                        a.get_ref()
                    ),
                ));
            }
            accounts.push(account.to_owned());
        }
        let mut kinds = Vec::new();
        for k in &raw.kinds {
            kinds.push(parse_kind(k.get_ref()).ok_or_else(|| {
                self.error(
                    k.span(),
                    format!(
                        "unknown kind \"{}\": use one of {}",
                        k.get_ref(),
                        ItemKind::ALL.map(|k| k.as_str()).join(", ")
                    ),
                )
            })?);
        }
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
        let mut keywords = Vec::new();
        for k in &raw.keywords {
            let word = k.get_ref().trim();
            if word.is_empty() {
                return Err(self.error(
                    k.span(),
                    "a keyword is empty: remove it or write a word or phrase",
                ));
            }
            keywords.push(word.to_lowercase());
        }
        let pattern = match &raw.regex {
            Some(written) => Some(TextPattern::new(written.get_ref()).map_err(|e| {
                self.error(
                    written.span(),
                    format!(
                        "the regex \"{}\" is not valid: {}; write it in the syntax of the Rust regex crate (matching ignores case unless it starts with (?-i))",
                        written.get_ref(),
                        e.reason
                    ),
                )
            })?),
            None => None,
        };
        Ok(RoutingRule {
            queue: QueueId(queue.to_owned()),
            platforms,
            accounts,
            kinds,
            languages,
            keywords,
            pattern,
        })
    }
}

/// A platform by its stable name or a friendly spelling: `linked_in`, `linkedin`,
/// `LinkedIn`, `you_tube`, `youtube`, `twitter` (for X).
fn parse_platform(name: &str) -> Option<Platform> {
    let wanted = simplify(name);
    if wanted == "twitter" {
        return Some(Platform::X);
    }
    Platform::ALL
        .into_iter()
        .find(|p| simplify(p.as_str()) == wanted)
}

/// A kind by its stable name or a friendly spelling: `direct_message`, `direct-message`,
/// `DirectMessage`, `dm`.
fn parse_kind(name: &str) -> Option<ItemKind> {
    let wanted = simplify(name);
    if wanted == "dm" {
        return Some(ItemKind::DirectMessage);
    }
    ItemKind::ALL
        .into_iter()
        .find(|k| simplify(k.as_str()) == wanted)
}

fn simplify(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}
