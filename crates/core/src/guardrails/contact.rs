//! Personal contact leaks: what would take a conversation out of the brand's channels —
//! a phone number, an e-mail address outside the brand's domains, an invitation to a
//! messaging app ("WhatsApp me", "add me on Telegram"), a chat link (`wa.me/…`,
//! `t.me/…`) or a personal account or profile ("my Insta", "DM my personal account",
//! `linkedin.com/in/…`). In English, German, Spanish and French.
//!
//! Phone numbers are found in code rather than by a pattern alone, because digits are
//! everywhere in customer service: a run of 7 to 15 digits (with spaces, dots, dashes,
//! slashes or brackets between them) counts when it starts with `+` or `00`, with a
//! bracket or a `0` (a national number), or is grouped like one (`555-123-4567`); not
//! when it is glued to letters or `#` (`#NW-70506`, `DE89 3704…`), follows an order,
//! ticket or tracking word, is a date (`25.12.2026`), an amount grouped in thousands
//! (`1.250.000`), or one of the brand's own numbers.

use std::sync::OnceLock;

use regex::Regex;

use super::rules::{Builtin, Special};
use crate::GuardrailKind::ContactLeak;

/// The contact-leak rules of the starter set.
pub(crate) const RULES: &[Builtin] = &[
    Builtin {
        id: "phone_number",
        kind: ContactLeak,
        message: "A phone number: customers should not be sent to a personal line. Keep the \
                  conversation on the brand's channels (or use the brand's official number).",
        summary: "has a phone number",
        patterns: &[],
        special: Some(Special::Phone),
    },
    Builtin {
        id: "personal_email",
        kind: ContactLeak,
        message: "An e-mail address outside the brand's domains: the conversation would leave \
                  the brand's inbox, where nobody else can see whether it still needs work.",
        summary: "has an e-mail address outside the brand's domains",
        patterns: &[],
        special: Some(Special::ForeignEmail),
    },
    Builtin {
        id: "messaging_app",
        kind: ContactLeak,
        message: "An invitation to a messaging app: the conversation would move to a personal \
                  channel nobody else can see. Keep it here.",
        summary: "invites the customer to a messaging app",
        patterns: &[
            (
                r"\b(?:whats\s?app|telegram|signal|viber|wechat|snapchat|snap|kik|imessage)\s+me\b",
                "",
            ),
            (
                r"\b(?:text|call|ring|message|msg|ping|reach|add|find|contact|hit|dm)\s+me\s+(?:up\s+|back\s+|directly\s+|privately\s+)?(?:on|via|over|through|at|in)\s+(?:whats\s?app|telegram|signal|viber|wechat|snapchat|snap|insta(?:gram)?|facebook|messenger|tiktok|discord|line|my\s+(?:cell|mobile|personal|private|own)\b)",
                "",
            ),
            (r"\b(?:text|sms)\s+me\b", ""),
            (
                r"\b(?:schreib(?:e|en\s+Sie|t)?|kontaktier(?:e|en\s+Sie)?|ruf(?:en\s+Sie)?|meld(?:e|en\s+Sie)|adde|addet|füg(?:en\s+Sie)?)\s+(?:mir|mich|sich)?\s*(?:gerne\s+|gern\s+|einfach\s+|doch\s+|direkt\s+|kurz\s+)*(?:auf|über|per|bei|via|in)\s+(?:whats\s?app|telegram|signal|insta(?:gram)?|snapchat|threema)\b",
                "",
            ),
            (
                r"\b(?:per|über|auf)\s+(?:whats\s?app|telegram|signal|threema)\s+(?:an|schreiben|melden|kontaktieren)\b",
                "",
            ),
            (
                r"\b(?:escr[ií]b[ae]me|escr[ií]beme|ll[aá]m[ae]me|cont[aá]ct[ae]me|agr[eé]g[ua]?e?me|a[nñ][aá]d[ae]me|h[aá]bl[ae]me|m[aá]nd[ae]me\s+un\s+(?:mensaje|whats\s?app|privado))\s+(?:por|a|en|al|v[ií]a)\s+(?:whats\s?app|telegram|signal|insta(?:gram)?|mi\s+(?:n[uú]mero|m[oó]vil|celular|cuenta|perfil))\b",
                "",
            ),
            (
                r"\b(?:écrivez-moi|écris-moi|appelez-moi|appelle-moi|contactez-moi|contacte-moi|ajoutez-moi|ajoute-moi|envoyez-moi\s+un\s+(?:message|texto|sms)|envoie-moi\s+un\s+(?:message|texto|sms))\s+(?:sur|via|par|au|à)\s+(?:whats\s?app|telegram|signal|insta(?:gram)?|snap(?:chat)?|mon\s+(?:num[eé]ro|portable|compte))\b",
                "",
            ),
            (r"\b(?:envoyez-moi|envoie-moi)\s+un\s+(?:texto|sms)\b", ""),
        ],
        special: None,
    },
    Builtin {
        id: "messaging_link",
        kind: ContactLeak,
        message: "A link to a personal chat: the conversation would move to a messaging app \
                  nobody else can see. Keep it here.",
        summary: "links to a messaging chat",
        patterns: &[(
            r"(?:\bhttps?://)?\b(?:(?:t\.me|telegram\.me|wa\.me|m\.me|signal\.me|chat\.whatsapp\.com|line\.me/ti/p)/[\w#+?=&%./-]*[\w/]|api\.whatsapp\.com/send\?[\w=&%+-]*\w)",
            "",
        )],
        special: None,
    },
    Builtin {
        id: "personal_account",
        kind: ContactLeak,
        message: "A personal account or profile: customers should reach the brand, not a \
                  member of staff privately.",
        summary: "points to a personal account",
        patterns: &[
            (
                r"\bmy\s+(?:personal\s+|private\s+|own\s+)?(?:whats\s?app|telegram|signal|insta(?:gram)?|ig|snap(?:chat)?|tiktok|facebook|fb|twitter|discord|linkedin)\b",
                "",
            ),
            (
                r"\bmy\s+own\s+(?:account|profile|page|number|phone|handle|inbox|line)\b",
                "",
            ),
            (
                r"\bmy\s+(?:own\s+)?(?:personal|private)\s+(?:account|profile|page|number|phone|mobile|cell|e-?mail|address|handle|inbox|line)\b",
                "",
            ),
            (
                r"\b(?:dm|message|follow|add)\s+(?:me\s+)?(?:on\s+|at\s+)?my\s+(?:own\s+)?(?:account|profile|page)\b",
                "",
            ),
            (
                r"\bmein(?:e|em|en|er)?\s+(?:privates?|private[nrm]?|persönliche[snmr]?|eigene[snmr]?)\s+(?:Konto|Profil|Account|Handy|Handynummer|Nummer|Telefon|Insta\w*|E-?Mail(?:-Adresse)?|Postfach)\b",
                "",
            ),
            (
                r"\bmein(?:e|em|en)?\s+(?:WhatsApp|Telegram|Insta(?:gram)?|Handynummer|Privatnummer|Threema)\b",
                "",
            ),
            (
                r"\bmis?\s+(?:whats\s?app|telegram|insta(?:gram)?|n[uú]mero\s+(?:personal|privado)|cuenta\s+(?:personal|privada)|perfil\s+(?:personal|privado)|m[oó]vil\s+(?:personal|privado)|correo\s+(?:personal|privado)|celular)\b",
                "",
            ),
            (
                r"\b(?:mon|ma)\s+(?:whats\s?app|telegram|insta(?:gram)?|num[eé]ro\s+(?:perso(?:nnel)?|priv[eé])|compte\s+(?:perso(?:nnel)?|priv[eé])|profil\s+(?:perso(?:nnel)?|priv[eé])|portable(?:\s+perso(?:nnel)?)?|adresse\s+perso(?:nnelle)?|messagerie\s+perso(?:nnelle)?)\b",
                "",
            ),
            (
                r"(?:\bhttps?://)?(?:www\.)?\blinkedin\.com/in/[\w%-]+/?",
                "",
            ),
            (
                r"(?:\bhttps?://)?(?:www\.)?\bfacebook\.com/profile\.php\?id=\d+",
                "",
            ),
        ],
        special: None,
    },
];

/// Words after which a number is an order, ticket, tracking or account number.
const NUMBER_WORDS: &[&str] = &[
    "order",
    "bestell",
    "auftrag",
    "pedido",
    "commande",
    "ticket",
    "case",
    "tracking",
    "sendung",
    "seguimiento",
    "suivi",
    "ref",
    "invoice",
    "rechnung",
    "factura",
    "facture",
    "iban",
    "account",
    "konto",
    "kunden",
    "customer",
    "cliente",
    "client",
    "n°",
    "nº",
    "no.",
    "nr.",
    "nummer",
    "número",
    "numéro",
    "code",
    "sku",
    "serial",
    "serie",
    "série",
    "art.",
    "artikel",
    "article",
    "artículo",
    "voucher",
    "gutschein",
    "bon",
    "cupón",
    "coupon",
];

/// The spans of phone numbers in `text` (see the module docs), except `brand_phones`
/// (digits only).
pub(crate) fn phone_numbers<'a>(
    text: &'a str,
    brand_phones: &'a [String],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    static CANDIDATE: OnceLock<Regex> = OnceLock::new();
    let candidate = CANDIDATE.get_or_init(|| {
        Regex::new(r"(?:\+|\()?\d(?:[ \u{A0}.\-/()]{0,2}\d){6,14}").expect("valid pattern")
    });
    candidate
        .find_iter(text)
        .filter(move |m| is_phone(text, m.start(), m.end(), brand_phones))
        .map(|m| (m.start(), m.end()))
}

fn is_phone(text: &str, start: usize, end: usize, brand_phones: &[String]) -> bool {
    let found = &text[start..end];
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    if before.is_some_and(|c| c.is_alphanumeric() || "#-/.,_€$£¥@&=+*".contains(c)) {
        return false;
    }
    if after.is_some_and(|c| c.is_alphanumeric() || "%€$£@_".contains(c)) {
        return false;
    }
    // "12.500,00": a decimal part glued on.
    if text[end..].starts_with([',', '.'])
        && text[end + 1..].starts_with(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    let digits: String = found.chars().filter(char::is_ascii_digit).collect();
    if brand_phones.iter().any(|own| same_number(own, &digits)) {
        return false;
    }
    let international = found.starts_with('+') || found.starts_with("00");
    if is_date(found) || (!international && is_thousands(found)) {
        return false;
    }
    if !international && follows_number_word(&text[..start]) {
        return false;
    }
    if international {
        return true;
    }
    let separated = found.chars().any(|c| !c.is_ascii_digit());
    if separated {
        found.starts_with(['0', '(']) || digits.len() >= 10 || is_grouped_like_a_phone(found)
    } else {
        found.starts_with('0') && (10..=11).contains(&digits.len())
    }
}

/// Whether `own` (a brand number, digits) and `digits` are the same number, whatever the
/// country prefix (their last nine digits agree).
fn same_number(own: &str, digits: &str) -> bool {
    let tail = |s: &str| s.chars().rev().take(9).collect::<String>();
    own.len() >= 7 && tail(own) == tail(digits)
}

/// `25.12.2026`, `2026-12-25`, `12/25/26`.
fn is_date(found: &str) -> bool {
    let parts: Vec<&str> = found.split(['.', '-', '/']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && ((parts[0].len() <= 2 && parts[1].len() <= 2 && matches!(parts[2].len(), 2 | 4))
            || (parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2))
}

/// `1.250.000`, `2 500 000`: an amount in thousands.
fn is_thousands(found: &str) -> bool {
    let parts: Vec<&str> = found.split(['.', ',', ' ', '\u{A0}']).collect();
    parts.len() >= 2
        && (1..=3).contains(&parts[0].len())
        && !parts[0].starts_with('0')
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
}

/// `555-1234`, `555 123 4567`, `555.123.4567`.
fn is_grouped_like_a_phone(found: &str) -> bool {
    let groups: Vec<usize> = found
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    matches!(
        groups.as_slice(),
        [3, 4] | [3, 3, 4] | [3, 3, 3] | [2, 3, 2, 2]
    )
}

/// Whether the words just before a number name it an order, ticket or similar number.
fn follows_number_word(before: &str) -> bool {
    let mut from = before.len().saturating_sub(28);
    while !before.is_char_boundary(from) {
        from -= 1;
    }
    let near = before[from..].to_lowercase();
    // Only the last two words count.
    let words: Vec<&str> = near.split_whitespace().rev().take(2).collect();
    words
        .iter()
        .any(|w| NUMBER_WORDS.iter().any(|n| w.contains(n)) || w.ends_with('#'))
}

/// The spans of e-mail addresses in `text` whose domain is not one of `brand_domains`
/// (lowercase; their subdomains count as theirs). Handles such as `@ana@mastodon.social`
/// are not addresses.
pub(crate) fn foreign_emails(text: &str, brand_domains: &[String]) -> Vec<(usize, usize)> {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    let email = EMAIL.get_or_init(|| {
        Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
            .expect("valid pattern")
    });
    if !text.contains('@') {
        return Vec::new();
    }
    email
        .find_iter(text)
        .filter(|m| {
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c == '@' || c.is_alphanumeric()) {
                return false;
            }
            let found = m.as_str().trim_end_matches(['.', '-']);
            let domain = found.rsplit('@').next().unwrap_or("").to_lowercase();
            !brand_domains
                .iter()
                .any(|own| domain == *own || domain.ends_with(&format!(".{own}")))
        })
        .map(|m| {
            (
                m.start(),
                m.start() + m.as_str().trim_end_matches(['.', '-']).len(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> Vec<&str> {
        phone_numbers(text, &[]).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn phone_numbers_in_many_formats() {
        assert_eq!(phones("call +44 20 7946 0958 now"), ["+44 20 7946 0958"]);
        assert_eq!(phones("ring (555) 123-4567."), ["(555) 123-4567"]);
        assert_eq!(phones("0171 1234567"), ["0171 1234567"]);
        assert_eq!(phones("+49 151 23456789"), ["+49 151 23456789"]);
        assert_eq!(phones("555-123-4567"), ["555-123-4567"]);
        assert_eq!(phones("06 12 34 56 78"), ["06 12 34 56 78"]);
        assert_eq!(phones("0034 612 345 678"), ["0034 612 345 678"]);
    }

    #[test]
    fn numbers_that_are_not_phones() {
        assert!(phones("Order #NW-70506 shipped").is_empty());
        assert!(phones("order 12345678 is on its way").is_empty());
        assert!(phones("Bestellnummer 4711-2231-9981").is_empty());
        assert!(phones("on 25.12.2026 at 10:30").is_empty());
        assert!(phones("on 2026-12-25").is_empty());
        assert!(phones("a total of 1.250.000 points").is_empty());
        assert!(phones("IBAN DE89 3704 0044 0532 0130 00").is_empty());
        assert!(phones("tracking 00340434161094042557").is_empty());
        assert!(phones("€1 299 999").is_empty());
    }

    #[test]
    fn brand_numbers_and_domains_are_the_brands() {
        let own = vec!["442079460000".to_owned()];
        assert_eq!(phone_numbers("+44 20 7946 0000", &own).count(), 0);
        let domains = vec!["northwind.example".to_owned()];
        let text =
            "write to help@northwind.example or help@eu.northwind.example, not jo@gmail.com.";
        let found: Vec<&str> = foreign_emails(text, &domains)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(found, ["jo@gmail.com"]);
        assert!(foreign_emails("@ana@mastodon.social thanks!", &domains).is_empty());
    }
}
