//! A defensive or unsafe tone: blaming the customer ("you should have read…", "as I
//! already said", "calm down"), shouting (several words in capitals — not acronyms such as
//! UPS, EU, ID or FAQ), sarcasm markers ("/s", "yeah right", "sure, because…") and
//! doubting the customer's honesty ("you are lying", "we don't believe you"). In English,
//! German, Spanish and French. Promises the workspace forbids are its own rules, in the
//! policy file.
//!
//! Phrases that read as blame only in some sentences carry an exception: "you should
//! have" counts when a verb of blame follows ("…read", "…checked"), not in "you should
//! have received an e-mail"; "Sie hätten … sollen", "debería haber", "vous auriez dû"
//! not with receiving.

use super::rules::{Builtin, Special};
use crate::GuardrailKind::Tone;

/// The tone rules of the starter set.
pub(crate) const RULES: &[Builtin] = &[
    Builtin {
        id: "blame",
        kind: Tone,
        message: "Sounds defensive, as if blaming the customer: say what you will do instead.",
        summary: "sounds defensive",
        patterns: &[
            (
                r"\b(?P<span>you\s+(?:really\s+|simply\s+|just\s+)?should(?:\s+have|['’]ve|\s+of))\s+(?:(?:just|simply|really|first|properly|actually)\s+)?(?:read|checked|looked|called|contacted|asked|followed|known|thought|listened|waited|paid|used|kept|noticed|told|informed|tried|cancel+ed|updated|opened|measured|double[- ]checked|been\s+more\s+careful|ordered|selected|chosen|entered|realised|realized)\b",
                "",
            ),
            (
                r"\bas\s+I\s+(?:have\s+|had\s+)?(?:already\s+)?(?:said|told\s+you|mentioned|explained|wrote|written|stated|pointed\s+out)\b",
                r"\b(?:said|mentioned|explained|wrote|written|stated)\s+to\s+(?:my|our|the|a)\b",
            ),
            (
                r"\bas\s+(?:previously|already)\s+(?:stated|mentioned|explained|said)\b",
                "",
            ),
            (r"\blike\s+I\s+(?:already\s+)?(?:said|told\s+you)\b", ""),
            (
                r"\bI['’]ve\s+already\s+(?:told\s+you|explained\s+this|said\s+this)\b",
                "",
            ),
            (r"\bcalm\s+down\b", ""),
            (
                r"\bfor\s+the\s+(?:second|third|fourth|last|hundredth|umpteenth)\s+time\b",
                "",
            ),
            (
                r"\b(?:it['’]s|it\s+is|it\s+was|that['’]s|that\s+is)\s+(?:entirely\s+|clearly\s+|really\s+)?your\s+(?:own\s+)?fault\b",
                "",
            ),
            (r"\bthat['’]s\s+on\s+you\b", ""),
            (
                r"\bif\s+you\s+had\s+(?:bothered\s+to\s+|actually\s+)?(?:read|followed|checked|listened)\b",
                "",
            ),
            (
                r"\byou\s+(?:clearly\s+|obviously\s+)?(?:didn['’]t|did\s+not)\s+(?:bother\s+to\s+)?read\b",
                "",
            ),
            (r"\bnot\s+our\s+(?:problem|fault)\b", ""),
            (
                r"\bSie\s+hätten\b[^.!?\n]{0,60}?\bsollen\b",
                r"erhalten|bekommen|zugestellt|gutgeschrieben|angekommen",
            ),
            (
                r"\b(?:wie|was)\s+(?:ich\s+)?(?:Ihnen\s+|dir\s+)?(?:bereits|schon)\s+(?:gesagt|erwähnt|geschrieben|erklärt|mitgeteilt)\b",
                "",
            ),
            (r"\b(?:beruhigen\s+Sie\s+sich|beruhig\s+dich)\b", ""),
            (
                r"\b(?:ist|war)\s+(?:ganz\s+|allein\s+)?(?:Ihre|deine)\s+(?:eigene\s+)?Schuld\b",
                "",
            ),
            (r"\bnicht\s+unser\s+Problem\b", ""),
            (
                r"\bcomo\s+ya\s+(?:le\s+|te\s+|les\s+)?(?:dije|he\s+dicho|hab[ií]a\s+dicho|coment[eé]|expliqu[eé]|indiqu[eé]|mencion[eé])\b",
                "",
            ),
            (
                r"\b(?:c[aá]lmese|c[aá]lmate|c[aá]lmense|tranquil[ií]cese)\b",
                "",
            ),
            (
                r"\b(?:usted\s+)?deber[ií]as?\s+haber\b",
                r"recibid|llegad|recibir|reembolsad",
            ),
            (r"\bes\s+(?:su|tu)\s+(?:propia\s+)?culpa\b", ""),
            (r"\bno\s+es\s+(?:nuestro|mi)\s+problema\b", ""),
            (
                r"\bcomme\s+je\s+(?:vous\s+|te\s+)?l['’]ai\s+(?:déjà\s+)?(?:dit|expliqué|écrit|précisé|indiqué)\b",
                "",
            ),
            (r"\bcalmez[-\s]vous\b", ""),
            (
                r"\bvous\s+auriez\s+dû\b",
                r"recevoir|reçu|être\s+livré|être\s+rembours",
            ),
            (r"\bc['’]est\s+(?:de\s+)?votre\s+(?:propre\s+)?faute\b", ""),
            (
                r"\bce\s+n['’]est\s+pas\s+notre\s+(?:probl[eè]me|faute)\b",
                "",
            ),
        ],
        special: None,
    },
    Builtin {
        id: "shouting",
        kind: Tone,
        message: "Several words in capitals read as shouting: write them in ordinary case.",
        summary: "shouts in capitals",
        patterns: &[],
        special: Some(Special::Shouting),
    },
    Builtin {
        id: "sarcasm",
        kind: Tone,
        message: "Reads as sarcasm, which customers take badly in writing: say it plainly.",
        summary: "sounds sarcastic",
        patterns: &[
            (r"(?:^|\s)(?P<span>/s)(?:\s|$|[.!?])", ""),
            (r"\byeah,?\s+right\b", ""),
            (r"\bobviously\s+you\b", ""),
            (r"\bsure,?\s+because\b", ""),
            (r"\bthanks\s+for\s+nothing\b", ""),
            (r"\bgood\s+luck\s+with\s+that\b", ""),
            (r"\bwow,?\s+just\s+wow\b", ""),
            (r"\bnice\s+try\b", ""),
            (r"\bwhat\s+a\s+(?:surprise|shock)\b", ""),
            (r"\bcongrat(?:ulation)?s\s+on\s+(?:finally|reading)\b", ""),
            (r"\bja\s+klar,?\s+(?:weil|denn)\b", ""),
            (r"\bwer['’]?s\s+glaubt\b", ""),
            (r"\bna\s+toll\b", ""),
            (r"\bwas\s+für\s+eine\s+Überraschung\b", ""),
            (r"\bs[ií],?\s+claro,?\s+(?:porque|como)\b", ""),
            (r"\bya,?\s+claro\b", ""),
            (r"\bqu[eé]\s+sorpresa\b", ""),
            (r"\bmais\s+bien\s+sûr,?\s+(?:que|parce)\b", ""),
            (r"\bc['’]est\s+ça,?\s+oui\b", ""),
            (r"\bsans\s+blague\b", ""),
            (r"\bquelle\s+surprise\b", ""),
        ],
        special: None,
    },
    Builtin {
        id: "doubting_customer",
        kind: Tone,
        message: "Questions the customer's honesty: never argue about it in writing; ask for \
                  what you need to check instead.",
        summary: "questions the customer's honesty",
        patterns: &[
            (
                r"\byou(?:['’]re|\s+are)\s+(?:clearly\s+|obviously\s+|simply\s+)?(?:lying|not\s+telling\s+(?:us\s+)?the\s+truth|making\s+(?:this|that|it)\s+up)\b",
                "",
            ),
            (
                r"\b(?:we|I)\s+(?:do\s+not|don['’]t)\s+believe\s+(?:you|your\s+story|that\s+you)\b",
                "",
            ),
            (r"\byou\s+made\s+(?:that|this|it)\s+up\b", ""),
            (r"\bwe\s+know\s+you\s+(?:did|didn['’]t|are|were)\b", ""),
            (r"\bSie\s+lügen\b", ""),
            (r"\b(?:glauben|glaube)\s+(?:wir|ich)\s+Ihnen\s+nicht\b", ""),
            (
                r"\b(?:nehmen|kaufen)\s+wir\s+Ihnen\s+(?:das\s+)?nicht\s+ab\b",
                "",
            ),
            (
                r"\b(?:est[aá]s?\s+mintiendo|usted\s+miente|nos\s+miente)\b",
                "",
            ),
            (r"\bno\s+(?:le|te|les)\s+cre(?:emos|o)\b", ""),
            (r"\bvous\s+mentez\b", ""),
            (
                r"\b(?:nous\s+ne\s+vous|on\s+ne\s+vous|je\s+ne\s+vous)\s+cro(?:yons|it|is)\s+pas\b",
                "",
            ),
        ],
        special: None,
    },
];

/// Acronyms that are written in capitals anyway.
const ACRONYMS: &[&str] = &[
    "UPS", "DHL", "DPD", "GLS", "USPS", "EU", "UK", "US", "USA", "ID", "FAQ", "PDF", "URL", "API",
    "SMS", "VAT", "IBAN", "BIC", "PIN", "CEO", "HQ", "OK", "DNI", "NIE", "TVA", "TTC", "HT", "IVA",
    "MWST", "GMBH", "AG", "SA", "SL", "SAS", "SARL", "PLC", "LTD", "CET", "CEST", "GMT", "UTC",
    "BST", "AM", "PM", "IOS", "NFC", "QR", "RMA", "SKU", "ETA", "TBA", "TBC", "AGB", "CGV", "RGPD",
    "GDPR", "DSGVO", "CPU", "USB", "HDMI", "LED", "XL", "XXL", "XS", "NW", "DM", "ASAP", "FYI",
    "PS", "VIP", "TV", "PC", "APP", "WIFI", "CO", "BBQ", "NFT", "EAN", "UPC",
];

/// The spans of shouting in `text`: a run of words in capitals (only spaces and
/// punctuation between them) with at least three that are not acronyms, or two of them
/// with ten letters or more between them.
pub(crate) fn shouting(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    // The current run: its start, end, words counted and their letters.
    let mut run: Option<(usize, usize, usize, usize)> = None;
    let mut close = |run: &mut Option<(usize, usize, usize, usize)>| {
        if let Some((start, end, words, letters)) = run.take() {
            if words >= 3 || (words >= 2 && letters >= 10) {
                found.push((start, end));
            }
        }
    };
    for (start, end) in words(text) {
        let word = &text[start..end];
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        let capitals =
            word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase);
        if !capitals {
            close(&mut run);
            continue;
        }
        // Only spaces and punctuation since the run's last word (no line break).
        if let Some((_, last_end, _, _)) = run {
            let gap = &text[last_end..start];
            if gap.contains('\n') || gap.chars().any(|c| c.is_alphanumeric()) {
                close(&mut run);
            }
        }
        let counts = letters >= 2 && !ACRONYMS.contains(&word.to_uppercase().as_str());
        let entry = run.get_or_insert((start, end, 0, 0));
        entry.1 = end;
        if counts {
            entry.2 += 1;
            entry.3 += letters;
        }
    }
    close(&mut run);
    found
}

/// The words of `text` (letters and apostrophes between letters), as byte spans; digits
/// end a word and count as a word of their own (not in capitals).
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, first) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let digit = first.is_numeric();
        let mut end = start + first.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            let continues = if digit {
                c.is_numeric()
            } else {
                c.is_alphabetic()
                    || ('\u{300}'..='\u{36f}').contains(&c)
                    || ((c == '\'' || c == '’') && {
                        let mut ahead = text[i + c.len_utf8()..].chars();
                        ahead.next().is_some_and(char::is_alphabetic)
                    })
            };
            if !continues {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        Some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shouted(text: &str) -> Vec<&str> {
        shouting(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn runs_of_capitals_shout_but_acronyms_do_not() {
        assert_eq!(
            shouted("Please READ THE EMAIL we sent."),
            ["READ THE EMAIL"]
        );
        assert_eq!(
            shouted("WE ARE NOT RESPONSIBLE!"),
            ["WE ARE NOT RESPONSIBLE"]
        );
        assert_eq!(
            shouted("It ships via UPS from the EU, ID needed, see FAQ."),
            Vec::<&str>::new()
        );
        assert_eq!(shouted("We are NOT able to do that."), Vec::<&str>::new());
        assert_eq!(shouted("DAS IST UNMÖGLICH"), ["DAS IST UNMÖGLICH"]);
        assert_eq!(
            shouted("ABSOLUTELY UNACCEPTABLE"),
            ["ABSOLUTELY UNACCEPTABLE"]
        );
        assert_eq!(shouted("UPS DHL GLS"), Vec::<&str>::new());
    }
}
