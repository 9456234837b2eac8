//! People's names as Switchboard shows them, in the window and in notifications alike.
//!
//! A platform display name is untrusted text. Its **shown name** ([`shown_name`]) is the
//! display name with:
//!
//! - line breaks, tabs and other whitespace runs turned into one space (a name written on
//!   two lines keeps both words), control characters dropped, trimmed;
//! - **invisible characters** dropped: zero-width space (U+200B), word joiner (U+2060) and
//!   the other invisible operators (U+2061–U+2064), the byte-order mark (U+FEFF), the soft
//!   hyphen (U+00AD), the Mongolian vowel separator (U+180E), and the bidirectional
//!   controls (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), which could reorder
//!   the text around the name. The zero-width (non-)joiners U+200C and U+200D stay where
//!   they join something (emoji sequences, Persian and Indic scripts need them);
//! - **overlong grapheme clusters** cut: at most [`MAX_MARKS`] combining marks in a row
//!   and at most [`MAX_JOINS`] zero-width joiners in one emoji sequence, so hundreds of
//!   marks or emoji joined into one cluster cannot overflow what shows them.
//!
//! When nothing visible is left (no display name, or one made only of invisible
//! characters and spaces), the shown name is the handle, cleaned the same way.
//! [`crate::Author`]s are read (deserialized) with their display name already shown this
//! way, so every reader — the conversation list, the thread, History, notifications —
//! shows the same name.

/// Most combining marks kept in a row on one base character.
pub const MAX_MARKS: usize = 4;

/// Most zero-width joiners kept in one sequence (the longest emoji sequences use 3).
pub const MAX_JOINS: usize = 4;

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// The name to show for a person with `display_name` and `handle` (see the module docs).
pub fn shown_name(display_name: &str, handle: &str) -> String {
    let name = clean_name(display_name);
    if has_visible(&name) {
        name
    } else {
        clean_name(handle)
    }
}

/// `text` with overlong grapheme clusters cut (see the module docs), nothing else changed.
pub fn cap_clusters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut marks = 0;
    let mut joins = 0;
    for c in text.chars() {
        if is_combining_mark(c) {
            marks += 1;
            if marks > MAX_MARKS {
                continue;
            }
        } else if c == ZWJ {
            joins += 1;
            if joins > MAX_JOINS {
                continue;
            }
        } else {
            marks = 0;
            if !is_emoji_part(c) {
                joins = 0;
            }
        }
        out.push(c);
    }
    out
}

fn clean_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in cap_clusters(text).chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c.is_control() || is_invisible(c) {
            continue;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    trim_joiners(&out)
}

/// Drops zero-width (non-)joiners that join nothing: at either end and next to a space.
fn trim_joiners(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let joiner = |c: char| c == ZWJ || c == ZWNJ;
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if joiner(c) {
            let before = chars[..i].iter().rev().find(|c| !joiner(**c));
            let after = chars[i + 1..].iter().find(|c| !joiner(**c));
            if before.is_none_or(|c| *c == ' ') || after.is_none_or(|c| *c == ' ') {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn has_visible(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_whitespace() && c != ZWJ && c != ZWNJ && !is_combining_mark(c))
}

/// Invisible format characters that a name never needs (the joiners are kept).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// The combining-mark blocks that stacked "zalgo" text is made of.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Variation selectors and skin-tone modifiers: parts of an emoji sequence, not a new one.
fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
        || (c as u32) >= 0x1F000
        || matches!(c, '\u{2600}'..='\u{27BF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_of_invisible_characters_only_falls_back_to_the_handle() {
        for invisible in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}",
            "\u{2060}\u{FEFF}",
            "\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}",
            " \u{200B} \t\n",
            "",
        ] {
            assert_eq!(
                shown_name(invisible, "@ana@mastodon.social"),
                "@ana@mastodon.social",
                "{invisible:?}"
            );
        }
        assert_eq!(
            shown_name("\u{200B}", "\u{200B}ana.bsky.social\n"),
            "ana.bsky.social",
            "the handle is cleaned the same way"
        );
    }

    #[test]
    fn line_breaks_keep_the_words() {
        assert_eq!(shown_name("Ana\nSouza", "@ana"), "Ana Souza");
        assert_eq!(
            shown_name(" Ana\r\n\r\n Souza\t(Support) ", "@ana"),
            "Ana Souza (Support)"
        );
        assert_eq!(shown_name("Ana\u{2028}Souza", "@ana"), "Ana Souza");
    }

    #[test]
    fn invisible_characters_inside_a_name_are_dropped_and_joiners_that_join_stay() {
        assert_eq!(shown_name("A\u{200B}na \u{202E}Souza", "@ana"), "Ana Souza");
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(
            shown_name(&format!("Ana {family}"), "@ana"),
            format!("Ana {family}")
        );
        assert_eq!(shown_name("\u{200D}Ana\u{200D}", "@ana"), "Ana");
        assert_eq!(shown_name("می\u{200C}خواهم", "@x"), "می\u{200C}خواهم");
        assert_eq!(shown_name("Chloé Martin", "@c"), "Chloé Martin");
    }

    #[test]
    fn authors_are_read_with_their_shown_name() {
        let author: crate::Author = serde_json::from_str(
            r#"{"handle":"@ana@mastodon.social","display_name":"\u200b\u2060\ufeff"}"#,
        )
        .unwrap();
        assert_eq!(author.display_name, "@ana@mastodon.social");
        let author: crate::Author =
            serde_json::from_str(r#"{"handle":"@ana","display_name":"Ana\nSouza"}"#).unwrap();
        assert_eq!(author.display_name, "Ana Souza");
    }

    #[test]
    fn overlong_clusters_are_cut() {
        let zalgo = format!("Z{}algo", "\u{0301}\u{0316}".repeat(200));
        let shown = shown_name(&zalgo, "@z");
        assert_eq!(shown, format!("Z{}algo", "\u{0301}\u{0316}".repeat(2)));
        assert_eq!(
            shown_name(&"\u{0301}".repeat(300), "@z"),
            "@z",
            "marks on nothing are not a name"
        );

        let joined = vec!["😀"; 300].join("\u{200D}");
        let capped = cap_clusters(&joined);
        assert_eq!(capped.matches('\u{200D}').count(), MAX_JOINS);
        assert_eq!(
            capped.matches('😀').count(),
            300,
            "every emoji is still there"
        );
        assert_eq!(cap_clusters("e\u{0301} café"), "e\u{0301} café");
    }
}
