//! Routing: which queue an incoming item belongs in.
//!
//! A [`Router`] holds ordered [`RoutingRule`]s. Each rule has optional conditions on the
//! platform, the brand account, the item kind, the language, keywords and a regular
//! expression ([`TextPattern`]) on the text; a rule matches when every condition it sets
//! holds. The first matching rule names the queue; if none match, the item goes to Triage.

use std::fmt;

use regex::{Regex, RegexBuilder};

use crate::{Item, ItemKind, Platform, QueueId};

/// Largest compiled size of a [`TextPattern`], in bytes. Matching is linear in the text
/// whatever the pattern (the `regex` crate never backtracks), but a pattern such as
/// `\w{1000}{1000}` would compile to a huge automaton; such patterns are refused.
pub const TEXT_PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// A regular expression an item's text must match (anywhere in the text, not the whole
/// text), in the syntax of the `regex` crate.
///
/// Case-insensitive by default, like keywords: `refund` matches "REFUND". Turn that off
/// with the inline flag `(?-i)` for the rest of the pattern (`(?-i)\bSKU-[0-9]+`) or
/// `(?-i:…)` for one part (`(?-i:\bVIP\b)|gold member`). Two patterns are equal when
/// they are written the same.
#[derive(Clone)]
pub struct TextPattern {
    regex: Regex,
}

/// Why a text pattern was refused: the `regex` crate's explanation, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct TextPatternError {
    /// What is wrong with the pattern, e.g. "unclosed group".
    pub reason: String,
}

impl TextPattern {
    /// Compiles `pattern`, case-insensitively where it does not say `(?-i)`.
    pub fn new(pattern: &str) -> Result<TextPattern, TextPatternError> {
        RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(TEXT_PATTERN_SIZE_LIMIT)
            .build()
            .map(|regex| TextPattern { regex })
            .map_err(|e| TextPatternError {
                reason: regex_error_reason(&e),
            })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }

    /// Whether the pattern occurs in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

impl fmt::Debug for TextPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TextPattern").field(&self.as_str()).finish()
    }
}

impl PartialEq for TextPattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for TextPattern {}

/// The one line of a `regex` error that says what is wrong. Syntax errors come as
/// several lines (the pattern, a caret under the spot, then `error: …`).
fn regex_error_reason(error: &regex::Error) -> String {
    match error {
        regex::Error::Syntax(text) => text
            .lines()
            .rev()
            .find_map(|line| line.trim().strip_prefix("error: "))
            .unwrap_or_else(|| text.lines().last().unwrap_or("invalid pattern"))
            .trim()
            .to_owned(),
        regex::Error::CompiledTooBig(_) => format!(
            "the pattern is too big once compiled (over {} KiB): simplify it or split repetitions",
            TEXT_PATTERN_SIZE_LIMIT / 1024
        ),
        other => other.to_string(),
    }
}

/// One routing rule. Empty condition lists mean "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRule {
    /// The queue an item matching this rule goes to.
    pub queue: QueueId,
    /// The item is on one of these platforms.
    pub platforms: Vec<Platform>,
    /// The item was fetched for one of these brand accounts (the item's `account`, as the
    /// provider names it, compared exactly).
    pub accounts: Vec<String>,
    /// The item is of one of these kinds.
    pub kinds: Vec<ItemKind>,
    /// The item's language tag starts with one of these (e.g. `de` matches `de-AT`).
    pub languages: Vec<String>,
    /// The item's text contains one of these words or phrases (case-insensitive, at word
    /// boundaries, so `order` does not match `border`).
    pub keywords: Vec<String>,
    /// The item's text matches this regular expression.
    pub pattern: Option<TextPattern>,
}

impl RoutingRule {
    /// A rule sending items that contain any of `keywords` to `queue`.
    pub fn keywords(queue: &str, keywords: &[&str]) -> Self {
        RoutingRule {
            queue: QueueId::from(queue),
            platforms: Vec::new(),
            accounts: Vec::new(),
            kinds: Vec::new(),
            languages: Vec::new(),
            keywords: keywords.iter().map(|k| k.to_lowercase()).collect(),
            pattern: None,
        }
    }

    /// This rule, restricted to items of `kinds`.
    pub fn only_kinds(mut self, kinds: &[ItemKind]) -> Self {
        self.kinds = kinds.to_vec();
        self
    }

    /// Whether `item` satisfies every condition of this rule. The cheap conditions are
    /// checked first; the text is searched only when they all hold.
    pub fn matches(&self, item: &Item) -> bool {
        let platform_ok = self.platforms.is_empty() || self.platforms.contains(&item.platform);
        let account_ok = self.accounts.is_empty() || self.accounts.contains(&item.account);
        let kind_ok = self.kinds.is_empty() || self.kinds.contains(&item.kind);
        let lang_ok = || {
            self.languages.is_empty()
                || item.lang.as_deref().is_some_and(|lang| {
                    self.languages
                        .iter()
                        .any(|wanted| language_matches(lang, wanted))
                })
        };
        let keyword_ok = || {
            self.keywords.is_empty() || {
                let text = item.text.to_lowercase();
                self.keywords.iter().any(|k| contains_word(&text, k))
            }
        };
        let pattern_ok = || {
            self.pattern
                .as_ref()
                .is_none_or(|pattern| pattern.is_match(&item.text))
        };
        platform_ok && account_ok && kind_ok && lang_ok() && keyword_ok() && pattern_ok()
    }
}

/// `lang` is `wanted` or a subtag of it (`de-AT` for `de`), case-insensitively.
fn language_matches(lang: &str, wanted: &str) -> bool {
    let lang = lang.to_ascii_lowercase();
    let wanted = wanted.to_ascii_lowercase();
    lang == wanted || lang.starts_with(&format!("{wanted}-"))
}

/// `haystack` contains `needle` with no letter or digit right before or after it.
fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Ordered routing rules with Triage as the fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Router {
    rules: Vec<RoutingRule>,
}

impl Router {
    /// A router trying `rules` in order.
    pub fn new(rules: Vec<RoutingRule>) -> Self {
        Router { rules }
    }

    /// The queue for `item`: the first matching rule's, or Triage.
    pub fn route(&self, item: &Item) -> QueueId {
        self.rules
            .iter()
            .find(|rule| rule.matches(item))
            .map(|rule| rule.queue.clone())
            .unwrap_or_else(QueueId::triage)
    }

    /// The rules a new workspace starts with: order problems and complaints to Support,
    /// buying questions to Sales, praise and press to Marketing (in English, German,
    /// Spanish and French).
    pub fn defaults() -> Self {
        Router::new(vec![
            RoutingRule::keywords(
                "support",
                &[
                    "order",
                    "refund",
                    "broken",
                    "late",
                    "never arrived",
                    "missing",
                    "wrong",
                    "damaged",
                    "charged",
                    "cancel",
                    "help",
                    "problem",
                    "issue",
                    "bestellung",
                    "kaputt",
                    "pedido",
                    "reembolso",
                    "commande",
                    "remboursement",
                ],
            ),
            RoutingRule::keywords(
                "sales",
                &[
                    "price",
                    "pricing",
                    "wholesale",
                    "bulk",
                    "quote",
                    "discount",
                    "buy",
                    "subscription",
                    "catering",
                    "office",
                    "invoice",
                    "preis",
                    "precio",
                    "prix",
                    "tarif",
                ],
            ),
            RoutingRule::keywords(
                "marketing",
                &[
                    "love",
                    "best",
                    "amazing",
                    "thank",
                    "thanks",
                    "great",
                    "collab",
                    "partnership",
                    "press",
                    "feature",
                    "influencer",
                    "lecker",
                    "delicioso",
                    "génial",
                ],
            )
            .only_kinds(&[
                ItemKind::Mention,
                ItemKind::Quote,
                ItemKind::Comment,
                ItemKind::Reply,
            ]),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Author, ThreadKey, Timestamp};

    fn item(kind: ItemKind, text: &str, lang: Option<&str>) -> Item {
        Item {
            platform: Platform::Mastodon,
            account: "brand".into(),
            native_id: "1".into(),
            thread: ThreadKey::new(Platform::Mastodon, "brand", "1"),
            kind,
            author: Author {
                handle: "@ana@example.social".into(),
                display_name: "Ana".into(),
            },
            from_brand: false,
            text: text.into(),
            lang: lang.map(str::to_owned),
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn first_matching_rule_wins() {
        let router = Router::defaults();
        // "order" (support) comes before "price" (sales) in rule order.
        let it = item(ItemKind::Mention, "What is the price of my order?", None);
        assert_eq!(router.route(&it), QueueId::from("support"));
        let it = item(ItemKind::Mention, "Do you do wholesale pricing?", None);
        assert_eq!(router.route(&it), QueueId::from("sales"));
    }

    #[test]
    fn unmatched_items_fall_back_to_triage() {
        let router = Router::defaults();
        let it = item(ItemKind::Mention, "Are you open on Sundays?", None);
        assert_eq!(router.route(&it), QueueId::triage());
        assert_eq!(
            Router::default().route(&it),
            QueueId::triage(),
            "no rules at all"
        );
    }

    #[test]
    fn keywords_match_whole_words_case_insensitively() {
        let rule = RoutingRule::keywords("support", &["Order"]);
        assert!(rule.matches(&item(ItemKind::Mention, "ORDER #42 is late", None)));
        assert!(rule.matches(&item(ItemKind::Mention, "my order.", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "the border is closed", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "reorders", None)));
        let phrase = RoutingRule::keywords("support", &["never arrived"]);
        assert!(phrase.matches(&item(ItemKind::Reply, "It never arrived!", None)));
    }

    #[test]
    fn kind_condition_restricts_a_rule() {
        let router = Router::defaults();
        // Praise in a DM is not a marketing item: the marketing rule excludes DMs.
        let dm = item(ItemKind::DirectMessage, "I love your beans", None);
        assert_eq!(router.route(&dm), QueueId::triage());
        let mention = item(ItemKind::Mention, "I love your beans", None);
        assert_eq!(router.route(&mention), QueueId::from("marketing"));
    }

    #[test]
    fn language_condition_matches_subtags() {
        let mut rule = RoutingRule::keywords("support", &[]);
        rule.languages = vec!["de".into()];
        assert!(rule.matches(&item(ItemKind::Mention, "Hallo", Some("de-AT"))));
        assert!(rule.matches(&item(ItemKind::Mention, "Hallo", Some("DE"))));
        assert!(!rule.matches(&item(ItemKind::Mention, "Hello", Some("en"))));
        assert!(!rule.matches(&item(ItemKind::Mention, "Hello", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "Hallo", Some("dev"))));
    }

    #[test]
    fn platform_condition_restricts_a_rule() {
        let mut rule = RoutingRule::keywords("sales", &[]);
        rule.platforms = vec![Platform::Bluesky];
        assert!(!rule.matches(&item(ItemKind::Mention, "hi", None)));
    }

    #[test]
    fn account_condition_compares_the_brand_account_exactly() {
        let mut rule = RoutingRule::keywords("sales", &[]);
        rule.accounts = vec!["brand".into()];
        assert!(rule.matches(&item(ItemKind::Mention, "hi", None)));
        rule.accounts = vec!["Brand".into(), "other".into()];
        assert!(
            !rule.matches(&item(ItemKind::Mention, "hi", None)),
            "account names are compared as the provider writes them"
        );
    }

    #[test]
    fn a_pattern_is_searched_case_insensitively_unless_it_says_otherwise() {
        let mut rule = RoutingRule::keywords("support", &[]);
        rule.pattern = Some(TextPattern::new(r"order\s*#\d+").unwrap());
        assert!(rule.matches(&item(ItemKind::Mention, "Where is ORDER #42?", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "where is my order?", None)));
        rule.pattern = Some(TextPattern::new(r"(?-i)\bSKU-\d+").unwrap());
        assert!(rule.matches(&item(ItemKind::Mention, "is SKU-12 back?", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "is sku-12 back?", None)));
    }

    #[test]
    fn every_condition_of_a_rule_must_hold() {
        let mut rule = RoutingRule::keywords("support", &["refund"]);
        rule.pattern = Some(TextPattern::new("#[0-9]+").unwrap());
        assert!(rule.matches(&item(ItemKind::Mention, "refund for #12", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "refund please", None)));
        assert!(!rule.matches(&item(ItemKind::Mention, "order #12", None)));
    }

    #[test]
    fn bad_patterns_are_refused_with_a_one_line_reason() {
        let err = TextPattern::new("(order").unwrap_err();
        assert_eq!(
            err.reason, "unclosed group",
            "the regex crate's reason, one line"
        );
        let err = TextPattern::new(r"\w{1000}{1000}").unwrap_err();
        assert!(err.reason.contains("too big"), "{err}");
    }

    #[test]
    fn patterns_compare_by_their_text() {
        assert_eq!(
            TextPattern::new("a+").unwrap(),
            TextPattern::new("a+").unwrap()
        );
        assert_ne!(
            TextPattern::new("a+").unwrap(),
            TextPattern::new("a*").unwrap()
        );
        assert_eq!(
            format!("{:?}", TextPattern::new("a+").unwrap()),
            "TextPattern(\"a+\")"
        );
    }

    #[test]
    fn non_latin_keywords_match() {
        let rule = RoutingRule::keywords("support", &["pedido"]);
        assert!(rule.matches(&item(
            ItemKind::Mention,
            "¿Dónde está mi pedido?",
            Some("es")
        )));
    }
}
