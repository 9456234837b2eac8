//! Status HTML to **safe plain text**.
//!
//! Mastodon sends a status's `content` as HTML (`<p>`, `<br>`, links, mention spans). The
//! console shows text only, so this turns it into plain text:
//!
//! - tags are dropped; `<script>`, `<style>` and the other raw-text elements are dropped
//!   **with their content**, comments too;
//! - `<br>` becomes a newline and the end of a paragraph (`</p>`) a blank line;
//! - character references (`&amp;`, `&#39;`, `&#x1F600;`) are decoded; invalid ones become
//!   U+FFFD;
//! - runs of source whitespace collapse to one space, as a browser shows them;
//! - control characters and the bidirectional overrides and isolates (which can make text
//!   read backwards) are removed;
//! - the result is cut at [`MAX_TEXT_CHARS`] characters (an ellipsis marks the cut).
//!
//! The scan is one pass over the input, so hostile input costs linear time.

/// The longest text kept, in characters; Mastodon's default limit is 500 and large
/// instances allow a few thousand.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Elements whose content is not text and is dropped whole.
const RAW_TEXT_ELEMENTS: [&str; 8] = [
    "script", "style", "template", "noscript", "iframe", "object", "textarea", "title",
];

/// Elements that start and end on their own line.
const BLOCK_ELEMENTS: [&str; 14] = [
    "div",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "hr",
];

/// Turns status HTML into plain text (see the module docs).
pub fn html_to_text(html: &str) -> String {
    let mut out = TextBuilder::default();
    let mut at = 0;
    while at < html.len() && !out.full() {
        let rest = &html[at..];
        if rest.starts_with('<') {
            if let Some(markup) = parse_markup(html, at) {
                at = markup.end;
                if let Markup::Tag { name, closing } = markup.kind {
                    if !closing && RAW_TEXT_ELEMENTS.contains(&name.as_str()) {
                        at = skip_raw_text(html, at, &name);
                    } else {
                        out.tag(&name, closing);
                    }
                }
                continue;
            }
            // A `<` that starts no tag is text.
            out.push_str("<");
            at += 1;
            continue;
        }
        let end = rest.find('<').map_or(html.len(), |i| at + i);
        decode_entities(&html[at..end], &mut out);
        at = end;
    }
    out.finish()
}

enum Markup {
    /// A start or end tag, its name lowercased.
    Tag { name: String, closing: bool },
    /// A comment, doctype or processing instruction.
    Ignored,
}

struct ParsedMarkup {
    kind: Markup,
    /// The byte index after the markup.
    end: usize,
}

/// Parses the markup starting with the `<` at `start`, or `None` when that `<` is text.
fn parse_markup(html: &str, start: usize) -> Option<ParsedMarkup> {
    let after = &html[start + 1..];
    if let Some(comment) = after.strip_prefix("!--") {
        let end = comment
            .find("-->")
            .map_or(html.len(), |i| start + 4 + i + 3);
        return Some(ParsedMarkup {
            kind: Markup::Ignored,
            end,
        });
    }
    let first = *after.as_bytes().first()?;
    if first == b'!' || first == b'?' {
        let end = after.find('>').map_or(html.len(), |i| start + 1 + i + 1);
        return Some(ParsedMarkup {
            kind: Markup::Ignored,
            end,
        });
    }
    let (closing, name_start) = if first == b'/' { (true, 1) } else { (false, 0) };
    let name_bytes = &after.as_bytes()[name_start..];
    if !name_bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = name_bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    let name = after[name_start..name_start + name_len].to_ascii_lowercase();
    let end = tag_end(html, start + 1 + name_start + name_len);
    Some(ParsedMarkup {
        kind: Markup::Tag { name, closing },
        end,
    })
}

/// The byte index after the `>` that closes a tag, skipping quoted attribute values; the
/// end of the input when the tag is never closed (browsers drop such a tag).
fn tag_end(html: &str, from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, *b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*b),
            (None, b'>') => return from + i + 1,
            (None, _) => {}
        }
    }
    html.len()
}

/// The byte index after the end tag of raw-text element `name` (matched without regard
/// to case), or the end of the input.
fn skip_raw_text(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut search = from;
    while let Some(i) = html[search..].find("</") {
        let name_at = search + i + 2;
        let name_end = name_at + name.len();
        if name_end <= bytes.len()
            && bytes[name_at..name_end].eq_ignore_ascii_case(name.as_bytes())
            && !bytes
                .get(name_end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            return tag_end(html, name_end);
        }
        search = search + i + 2;
    }
    html.len()
}

/// Decodes character references in a run of text into `out`.
fn decode_entities(text: &str, out: &mut TextBuilder) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').filter(|&semi| semi <= 32) {
            Some(semi) => match decode_reference(&after[..semi]) {
                Some(decoded) => {
                    out.push_char(decoded);
                    rest = &after[semi + 1..];
                }
                None => {
                    out.push_str("&");
                    rest = after;
                }
            },
            None => {
                out.push_str("&");
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference (`amp`, `#39`, `#x1F600`) stands for; `None` for an unknown
/// name. Numeric references to invalid code points give U+FFFD.
fn decode_reference(reference: &str) -> Option<char> {
    if let Some(number) = reference.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse::<u32>().ok(),
        };
        return Some(
            value
                .filter(|v| *v != 0)
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}'),
        );
    }
    let named = match reference {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        _ => return None,
    };
    Some(named)
}

/// Builds the text: collapses whitespace, limits blank lines, filters unsafe characters
/// and stops at [`MAX_TEXT_CHARS`].
#[derive(Default)]
struct TextBuilder {
    text: String,
    chars: usize,
    pending_space: bool,
    truncated: bool,
}

impl TextBuilder {
    fn full(&self) -> bool {
        self.truncated
    }

    fn tag(&mut self, name: &str, closing: bool) {
        match name {
            "br" => self.newlines(1),
            "p" if closing => self.newlines(2),
            "p" => self.newlines(if self.text.is_empty() { 0 } else { 2 }),
            _ if BLOCK_ELEMENTS.contains(&name) => self.newlines(1),
            _ => {}
        }
    }

    fn push_str(&mut self, text: &str) {
        for c in text.chars() {
            self.push_char(c);
        }
    }

    fn push_char(&mut self, c: char) {
        match c {
            ' ' | '\t' | '\n' | '\r' | '\u{0C}' => self.pending_space = true,
            '\u{2028}' | '\u{2029}' => self.newlines(1),
            '\u{A0}' => self.emit(' '),
            // Controls, and the bidirectional embeddings, overrides and isolates.
            c if c.is_control() => {}
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c => {
                if self.pending_space && !self.text.is_empty() && !self.text.ends_with('\n') {
                    self.emit(' ');
                }
                self.pending_space = false;
                self.emit(c);
            }
        }
    }

    /// Ends the line so that at least `count` newlines (at most two) stand here.
    fn newlines(&mut self, count: usize) {
        self.pending_space = false;
        if self.text.is_empty() {
            return;
        }
        let trailing = self.text.chars().rev().take_while(|c| *c == '\n').count();
        for _ in trailing..count.min(2) {
            self.emit('\n');
        }
    }

    fn emit(&mut self, c: char) {
        if self.truncated {
            return;
        }
        if self.chars + 1 >= MAX_TEXT_CHARS {
            self.text.push('…');
            self.truncated = true;
            return;
        }
        self.text.push(c);
        self.chars += 1;
    }

    fn finish(self) -> String {
        let trimmed = self.text.trim_end_matches([' ', '\n']);
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_line_breaks_become_newlines() {
        let html = "<p>Hello <span class=\"h-card\"><a href=\"https://x\">@<span>brand</span></a></span>,</p>\
                    <p>line one<br>line two<br />three</p>";
        assert_eq!(
            html_to_text(html),
            "Hello @brand,\n\nline one\nline two\nthree"
        );
    }

    #[test]
    fn scripts_styles_and_comments_vanish_with_their_content() {
        let html = "<p>a<script>alert('x')</script>b<STYLE>p{color:red}</Style>c<!-- hidden -->d\
                    <script type=\"text/javascript\">if (1 < 2) { document.write('</scr' + 'ipt>') }</script>e</p>";
        assert_eq!(html_to_text(html), "abcde");
        assert_eq!(html_to_text("<p>x<script>never closed"), "x");
        assert_eq!(html_to_text("<p>x<img src=x onerror=alert(1)>y</p>"), "xy");
        assert_eq!(
            html_to_text("<p>x<a title='>' href=\"a>b\">link</a></p>"),
            "xlink"
        );
    }

    #[test]
    fn entities_decode_once_and_stay_text() {
        assert_eq!(
            html_to_text("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#39;q&#39; &#x1F600; &#0; &#xD800; &bogus; AT&T</p>"),
            "<script>alert(1)</script> &amp; 'q' 😀 \u{FFFD} \u{FFFD} &bogus; AT&T"
        );
        assert_eq!(html_to_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
    }

    #[test]
    fn odd_unicode_is_kept_but_controls_and_bidi_overrides_are_not() {
        let html = "<p>ñandú 👩\u{200D}👩\u{200D}👧 \u{202E}evil\u{202C} \u{0007}bell \u{2066}iso\u{2069}</p>";
        assert_eq!(
            html_to_text(html),
            "ñandú 👩\u{200D}👩\u{200D}👧 evil bell iso"
        );
        assert_eq!(html_to_text("a\n\n   b\tc"), "a b c");
    }

    #[test]
    fn huge_input_is_cut_in_linear_time() {
        let huge = "<p>".to_owned() + &"word &amp; ".repeat(200_000) + "</p>";
        let text = html_to_text(&huge);
        assert_eq!(text.chars().count(), MAX_TEXT_CHARS);
        assert!(text.ends_with('…'));
        let nested = "<b>".repeat(100_000) + "deep";
        assert_eq!(html_to_text(&nested), "deep");
        let unclosed = "<".repeat(100_000);
        assert_eq!(html_to_text(&unclosed).chars().count(), MAX_TEXT_CHARS);
    }
}
