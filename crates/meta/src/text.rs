//! Customer text as Switchboard keeps it, and Graph's times.
//!
//! Text from Meta is untrusted: it is kept as plain text (Graph sends plain text, never
//! HTML), with control characters other than line breaks and tabs dropped, overlong
//! grapheme clusters cut ([`switchboard_core::cap_clusters`]) and at most
//! [`MAX_TEXT_CHARS`] characters (an ellipsis marks the cut). Other odd Unicode —
//! emoji, right-to-left scripts, joiners — is kept as written.
//!
//! Graph writes times as ISO 8601 with a colon-less offset (`2026-12-06T13:01:31+0000`);
//! [`graph_time`] reads that form and RFC 3339.

use switchboard_core::Timestamp;

/// The most characters kept of one comment, post or message.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// `raw` as kept (see the module docs).
pub fn kept_text(raw: &str) -> String {
    let clean: String = switchboard_core::cap_clusters(raw)
        .chars()
        .filter(|c| matches!(c, '\n' | '\t') || !c.is_control())
        .collect();
    if clean.chars().count() <= MAX_TEXT_CHARS {
        return clean;
    }
    let mut cut: String = clean.chars().take(MAX_TEXT_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A Graph time (`2026-12-06T13:01:31+0000`, or RFC 3339). `None` when it is not one.
pub fn graph_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(at) = Timestamp::parse_rfc3339(text) {
        return Some(at);
    }
    // `+0000` → `+00:00`
    let bytes = text.as_bytes();
    if bytes.len() > 5 {
        let sign = bytes[bytes.len() - 5];
        let digits = &text[text.len() - 4..];
        if (sign == b'+' || sign == b'-') && digits.bytes().all(|b| b.is_ascii_digit()) {
            let fixed = format!(
                "{}{}:{}",
                &text[..text.len() - 4],
                &digits[..2],
                &digits[2..]
            );
            return Timestamp::parse_rfc3339(&fixed);
        }
    }
    None
}

/// `at` in plain words for a message: `2026-12-06 13:01 UTC`.
pub fn plain_time(at: Timestamp) -> String {
    let text = at.to_rfc3339();
    format!("{} {} UTC", &text[..10], &text[11..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_graph_times() {
        let at = graph_time("2026-12-06T13:01:31+0000").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-06T13:01:31.000Z");
        assert_eq!(
            graph_time("2026-12-06T14:01:31+0100"),
            Some(at),
            "offsets are applied"
        );
        assert_eq!(graph_time("2026-12-06T13:01:31Z"), Some(at));
        assert_eq!(graph_time("yesterday"), None);
        assert_eq!(plain_time(at), "2026-12-06 13:01 UTC");
    }

    #[test]
    fn keeps_odd_unicode_but_caps_length_and_controls() {
        assert_eq!(kept_text("שלום 👩‍💻\nok\u{7}"), "שלום 👩‍💻\nok");
        let long = "a".repeat(MAX_TEXT_CHARS + 50);
        let kept = kept_text(&long);
        assert_eq!(kept.chars().count(), MAX_TEXT_CHARS);
        assert!(kept.ends_with('…'));
    }
}
