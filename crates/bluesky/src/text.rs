//! Post text as Switchboard keeps it.
//!
//! Bluesky post text is already plain text (links and mentions are **facets**: byte
//! ranges annotated beside the text), but it is written by strangers: it is kept as text
//! and never interpreted. [`plain_text`] removes what has no business in a message shown
//! in a console: control characters other than line breaks and tabs, and the Unicode
//! direction overrides and isolates that can make text display in a misleading order.

/// `text` with `\r\n` and lone `\r` turned into `\n`, other control characters and
/// bidirectional overrides removed.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            // LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_words_line_breaks_and_emoji_and_drops_controls() {
        assert_eq!(plain_text("hi\r\nthere\rnow\tok"), "hi\nthere\nnow\tok");
        assert_eq!(plain_text("a\u{0}b\u{1b}[31mc\u{7f}"), "ab[31mc");
        assert_eq!(plain_text("pay \u{202E}gnp.exe"), "pay gnp.exe");
        assert_eq!(plain_text("👩‍💻 <b>é</b>"), "👩‍💻 <b>é</b>");
    }
}
