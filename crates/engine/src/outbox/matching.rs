//! Finding a reply that already got through, in the thread as the platform shows it.
//!
//! Before a reply is posted again (after a crash, at resume, on Retry, after a try that
//! timed out), the engine reads the thread: some platforms ignore idempotency keys, and
//! Mastodon keeps them for one hour only. A **posted match** is a brand item placed
//! after the customer item answered (or, if that item is not in the thread, dated at or
//! after the reply was written, less a margin for clock differences) whose text is the
//! **same text** as the reply's.
//!
//! Same text is compared after [`normalised`]: platforms give back what they stored in
//! their own form — Mastodon returns HTML (here already turned into text) with the
//! customer's `@name` put in front and remote mentions shown as `@name`; Bluesky drops
//! control characters. So both sides lose control and direction-override characters,
//! whitespace runs become one space, mentions count by user name (case-insensitive,
//! without `@domain` and trailing punctuation), and the mentions that start the text are
//! dropped.

use switchboard_core::{Item, Timestamp};
use switchboard_store::QueuedReply;

/// How much earlier than the reply was written a found post may be dated (a platform's
/// clock may be behind this laptop's).
const CLOCK_MARGIN_MS: i64 = 10 * 60 * 1000;

/// The brand items in `thread` that may be `queued` already posted, in thread order.
pub(crate) fn posted_matches<'a>(thread: &'a [Item], queued: &QueuedReply) -> Vec<&'a Item> {
    let answered = thread
        .iter()
        .position(|item| item.native_id == queued.in_reply_to);
    let earliest = Timestamp(queued.created_at.millis() - CLOCK_MARGIN_MS);
    let wanted = normalised(&queued.text);
    thread
        .iter()
        .enumerate()
        .filter(|(at, item)| {
            item.from_brand
                && item.native_id != queued.in_reply_to
                && (answered.is_some_and(|answered| *at > answered) || item.created_at >= earliest)
        })
        .map(|(_, item)| item)
        .filter(|item| normalised(&item.text) == wanted)
        .collect()
}

/// `text` in the form compared (see the module docs).
pub(crate) fn normalised(text: &str) -> String {
    let clean: String = text.chars().filter(|c| kept(*c)).collect();
    let words = clean
        .split_whitespace()
        .map(|word| match word.strip_prefix('@') {
            Some(rest) if !rest.is_empty() => {
                let user = rest.split('@').next().unwrap_or(rest);
                let user = user.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
                (true, format!("@{}", user.to_lowercase()))
            }
            _ => (false, word.to_owned()),
        });
    words
        .skip_while(|(mention, _)| *mention)
        .map(|(_, word)| word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `c` survives: not a control character (other than whitespace), not a
/// direction override or isolate, not a zero-width space or byte-order mark.
fn kept(c: char) -> bool {
    let invisible = matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}'
    );
    (c.is_whitespace() || !c.is_control()) && !invisible
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, ItemKind, Platform, ThreadKey};

    fn item(id: &str, brand: bool, text: &str, at: i64) -> Item {
        Item {
            platform: Platform::Mastodon,
            account: "1@m.example".into(),
            native_id: id.into(),
            thread: ThreadKey("mastodon:1@m.example:1".into()),
            kind: ItemKind::Reply,
            author: Author {
                handle: if brand {
                    "@brand@m.example"
                } else {
                    "@ana@m.example"
                }
                .into(),
                display_name: String::new(),
            },
            from_brand: brand,
            text: text.into(),
            lang: None,
            created_at: Timestamp(at),
        }
    }

    fn queued(text: &str, written_at: i64) -> QueuedReply {
        QueuedReply {
            id: 1,
            conversation_id: 1,
            thread: ThreadKey("mastodon:1@m.example:1".into()),
            account: "1@m.example".into(),
            in_reply_to: "10".into(),
            text: text.into(),
            idempotency_key: "k".into(),
            created_at: Timestamp(written_at),
        }
    }

    #[test]
    fn the_platforms_own_form_of_the_text_matches() {
        let sent =
            "Sorry!  A replacement\nships today: https://shop.example/o/1 cc @bob@other.example.";
        for shown in [
            "@ana Sorry! A replacement ships today: https://shop.example/o/1 cc @bob.",
            "@ana@m.example Sorry! A replacement\n\nships today: https://shop.example/o/1 cc @Bob@other.example.",
            "Sorry! A replacement ships\u{202E} today: https://shop.example/o/1 cc @bob",
        ] {
            assert_eq!(normalised(sent), normalised(shown), "{shown}");
        }
        assert_ne!(
            normalised("Sorry! A replacement"),
            normalised("sorry! a replacement")
        );
        assert_ne!(normalised("Thanks"), normalised("Thanks!"));
    }

    #[test]
    fn only_brand_items_after_the_customers_message_count() {
        let reply = queued("Thanks, fixed.", 5_000_000);
        let thread = vec![
            item("9", true, "@ana Thanks, fixed.", 1_000), // an earlier answer, before the question
            item("10", false, "@brand broken again", 2_000),
            item("11", false, "Thanks, fixed.", 3_000), // the customer quoting it
            item("12", true, "@ana Thanks, fixed.", 4_000),
            item("13", true, "@ana Something else", 4_500),
        ];
        let found: Vec<_> = posted_matches(&thread, &reply)
            .iter()
            .map(|i| i.native_id.clone())
            .collect();
        assert_eq!(found, ["12"]);
        // The answered item gone from the thread: anything dated since the reply was
        // written (less the clock margin) counts.
        let without_question: Vec<Item> =
            thread.into_iter().filter(|i| i.native_id != "10").collect();
        let late = queued("Thanks, fixed.", 4_000 + CLOCK_MARGIN_MS);
        let found: Vec<_> = posted_matches(&without_question, &late)
            .iter()
            .map(|i| i.native_id.clone())
            .collect();
        assert_eq!(found, ["12"]);
    }
}
