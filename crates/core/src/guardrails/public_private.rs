//! Public versus private: details that belong in a direct message — an order number, a
//! street address, an e-mail address outside the brand's domains — in a reply everyone can
//! read (a mention, reply, quote or comment). These rules never run on a direct message;
//! their reason suggests moving to one where the platform has them.

use super::rules::{Builtin, Special};
use crate::GuardrailKind::PublicPrivate;

/// The public-vs-private rules of the starter set.
pub(crate) const RULES: &[Builtin] = &[
    Builtin {
        id: "order_number_public",
        kind: PublicPrivate,
        message: "An order number in a public reply: everyone can read it.",
        summary: "shows an order number in public",
        patterns: &[
            (r"(?-i)#\s?[A-Za-z]{1,4}-?\d{4,}\b|#\d{5,}\b", ""),
            (
                r"\b(?:order|bestellung|bestellnummer|auftrag|auftragsnummer|pedido|commande)(?:\s+(?:number|no\.?|nr\.?|n[º°o]\.?|nummer|n[uú]mero|num[eé]ro|#))?(?:\s+de\s+(?:pedido|commande))?\s*[:#]?\s*(?P<span>#?(?-i:[A-Z]{0,4})-?\d{5,})\b",
                "",
            ),
        ],
        special: None,
    },
    Builtin {
        id: "address_public",
        kind: PublicPrivate,
        message: "A street address in a public reply: everyone can read it.",
        summary: "shows a street address in public",
        patterns: &[
            (
                r"(?-i)\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Boulevard|Blvd|Close|Court|Way|Place|Square|Terrace|Crescent|Gardens|Grove|Row|Mews)\b",
                "",
            ),
            (
                r"(?-i)\b[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee)\s?\d{1,4}(?:\s?[a-z]\b)?",
                "",
            ),
            (
                r"(?-i)\b[A-ZÄÖÜ][a-zäöüß]+(?:er|en|e)\s+(?:Straße|Strasse|Weg|Allee|Platz|Ring|Damm)\s\d{1,4}(?:\s?[a-z]\b)?",
                "",
            ),
            (
                r"(?-i)\b(?:[Cc]alle|C/|[Aa]venida|Avda\.|[Pp]laza|[Pp]aseo|[Cc]amino|[Rr]onda|[Tt]ravesía)\s*(?:de\s+(?:la\s+|los\s+|las\s+)?|del\s+)?[A-ZÁÉÍÓÚÑ][\p{L}]+(?:\s+(?:de\s+(?:la\s+)?|del\s+)?[A-ZÁÉÍÓÚÑ][\p{L}]+){0,3},?\s+(?:n[º°o]\.?\s*)?\d{1,4}\b",
                "",
            ),
            (
                r"(?-i)\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours)\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?\p{Lu}[\p{L}'’-]+(?:\s+(?:de\s+|du\s+|des\s+)?\p{Lu}[\p{L}'’-]+){0,3}",
                "",
            ),
        ],
        special: None,
    },
    Builtin {
        id: "email_public",
        kind: PublicPrivate,
        message: "An e-mail address in a public reply: everyone can read it.",
        summary: "shows an e-mail address in public",
        patterns: &[],
        special: Some(Special::ForeignEmail),
    },
];
