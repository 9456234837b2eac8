//! Routing: which queue an incoming item belongs in.
//!
//! A [`Router`] holds ordered [`RoutingRule`]s. Each rule has optional conditions on the
//! platform, the item kind, the language and keywords; a rule matches when every condition
//! it sets holds. The first matching rule names the queue; if none match, the item goes to
//! Triage.

use crate::{Item, ItemKind, Platform, QueueId};

/// One routing rule. Empty condition lists mean "any".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingRule {
    /// The queue an item matching this rule goes to.
    pub queue: QueueId,
    /// The item is on one of these platforms.
    pub platforms: Vec<Platform>,
    /// The item is of one of these kinds.
    pub kinds: Vec<ItemKind>,
    /// The item's language tag starts with one of these (e.g. `de` matches `de-AT`).
    pub languages: Vec<String>,
    /// The item's text contains one of these words or phrases (case-insensitive, at word
    /// boundaries, so `order` does not match `border`).
    pub keywords: Vec<String>,
}

impl RoutingRule {
    /// A rule sending items that contain any of `keywords` to `queue`.
    pub fn keywords(queue: &str, keywords: &[&str]) -> Self {
        RoutingRule {
            queue: QueueId::from(queue),
            platforms: Vec::new(),
            kinds: Vec::new(),
            languages: Vec::new(),
            keywords: keywords.iter().map(|k| k.to_lowercase()).collect(),
        }
    }

    /// This rule, restricted to items of `kinds`.
    pub fn only_kinds(mut self, kinds: &[ItemKind]) -> Self {
        self.kinds = kinds.to_vec();
        self
    }

    /// Whether `item` satisfies every condition of this rule.
    pub fn matches(&self, item: &Item) -> bool {
        let platform_ok = self.platforms.is_empty() || self.platforms.contains(&item.platform);
        let kind_ok = self.kinds.is_empty() || self.kinds.contains(&item.kind);
        let lang_ok = self.languages.is_empty()
            || item.lang.as_deref().is_some_and(|lang| {
                self.languages
                    .iter()
                    .any(|wanted| language_matches(lang, wanted))
            });
        let keyword_ok = self.keywords.is_empty() || {
            let text = item.text.to_lowercase();
            self.keywords.iter().any(|k| contains_word(&text, k))
        };
        platform_ok && kind_ok && lang_ok && keyword_ok
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
    fn non_latin_keywords_match() {
        let rule = RoutingRule::keywords("support", &["pedido"]);
        assert!(rule.matches(&item(
            ItemKind::Mention,
            "¿Dónde está mi pedido?",
            Some("es")
        )));
    }
}
