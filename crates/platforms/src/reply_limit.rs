//! How long a reply may be, counted the way each platform counts.
//!
//! A **reply limit** is the platform's real maximum and its way of counting, so that a
//! reply too long is refused in plain words before it is queued (instead of ending as
//! "not sent" later). Two ways of counting exist:
//!
//! - [`Counting::Graphemes`]: user-perceived characters (**grapheme clusters**: `é`, `👩‍💻`
//!   and a flag each count one), as Bluesky counts its 300.
//! - [`Counting::Mastodon`]: graphemes too, but every link counts as a fixed number of
//!   characters (23 on Mastodon, whatever its real length) and a mention of a remote
//!   account counts its user name only (`@ana@example.social` counts as `@ana`). This
//!   approximates Mastodon's own count: links are recognised by `http://` or `https://`
//!   at the start of a word, mentions by `@name@domain` words.
//!
//! Mastodon puts the customer's `@name` in front of a reply that does not name them;
//! [`ReplyLimit::length`] counts that too when told whom the reply answers.

use unicode_segmentation::UnicodeSegmentation;

/// How a platform counts a reply's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Grapheme clusters.
    Graphemes,
    /// Grapheme clusters, each link counted as `url_chars`, remote mentions by their user
    /// name, and the answered author's `@name ` in front unless the text names them.
    Mastodon {
        /// What one link counts as (`configuration.statuses.characters_reserved_per_url`).
        url_chars: usize,
    },
}

/// The longest reply a platform accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyLimit {
    /// The most characters, counted with `counting`.
    pub max: usize,
    /// How they are counted.
    pub counting: Counting,
    /// Where the limit comes from, for the message: "Bluesky", "mastodon.example".
    pub service: String,
}

impl ReplyLimit {
    /// The length of `text` as the platform counts it, when posted as a reply to
    /// `answering` (the handle of the author answered, e.g. `@ana@example.social`).
    pub fn length(&self, text: &str, answering: Option<&str>) -> usize {
        match self.counting {
            Counting::Graphemes => text.graphemes(true).count(),
            Counting::Mastodon { url_chars } => {
                let mention = answering
                    .map(|handle| {
                        let user = handle.trim_start_matches('@');
                        user.split('@').next().unwrap_or(user).to_owned()
                    })
                    .filter(|user| !user.is_empty() && !names(text, user));
                let prefix = mention.map_or(0, |user| 1 + user.graphemes(true).count() + 1);
                prefix + mastodon_length(text, url_chars)
            }
        }
    }

    /// `Ok` when `text` fits; otherwise a plain-words reason that says by how much it is
    /// too long.
    pub fn check(&self, text: &str, answering: Option<&str>) -> Result<(), String> {
        let length = self.length(text, answering);
        if length <= self.max {
            return Ok(());
        }
        let over = length - self.max;
        Err(format!(
            "This reply is {length} characters long as {} counts them; it takes at most {}. \
             Shorten it by {over} character{}.",
            self.service,
            self.max,
            if over == 1 { "" } else { "s" }
        ))
    }
}

/// Whether `text` mentions `@user` (alone, or as `@user@domain`).
fn names(text: &str, user: &str) -> bool {
    let wanted = format!("@{}", user.to_lowercase());
    text.split_whitespace().any(|word| {
        let word = word.to_lowercase();
        let word = word.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
        word == wanted || word.starts_with(&format!("{wanted}@"))
    })
}

/// Mastodon's count of `text` (see the module docs).
fn mastodon_length(text: &str, url_chars: usize) -> usize {
    let mut length = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        length += space.graphemes(true).count();
        if word.starts_with("https://") || word.starts_with("http://") {
            length += url_chars;
        } else if let Some(rest) = word.strip_prefix('@').filter(|r| r.contains('@')) {
            let (user, domain) = rest.split_once('@').unwrap_or((rest, ""));
            let after =
                domain.trim_start_matches(|c: char| c.is_alphanumeric() || c == '.' || c == '-');
            // A domain's last dot is punctuation after it ("@ana@x.example.").
            let after = if domain.ends_with('.') && after.is_empty() {
                "."
            } else {
                after
            };
            length += 1 + user.graphemes(true).count() + after.graphemes(true).count();
        } else {
            length += word.graphemes(true).count();
        }
    }
    length
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mastodon(max: usize) -> ReplyLimit {
        ReplyLimit {
            max,
            counting: Counting::Mastodon { url_chars: 23 },
            service: "mastodon.example".into(),
        }
    }

    #[test]
    fn graphemes_count_what_people_see() {
        let bluesky = ReplyLimit {
            max: 300,
            counting: Counting::Graphemes,
            service: "Bluesky".into(),
        };
        assert_eq!(bluesky.length("é👩‍💻🇫🇷 ok", None), 6);
        assert!(bluesky.check(&"a".repeat(300), None).is_ok());
        let refused = bluesky.check(&"👍".repeat(301), None).unwrap_err();
        assert!(
            refused.contains("301 characters") && refused.contains("by 1 "),
            "{refused}"
        );
    }

    #[test]
    fn mastodon_counts_links_as_23_remote_mentions_by_name_and_the_mention_it_adds() {
        let limit = mastodon(500);
        let link = format!("see https://example.com/{}", "x".repeat(200));
        assert_eq!(limit.length(&link, None), 4 + 23);
        assert_eq!(limit.length("hi @bob@other.example!", None), 3 + 4 + 1);
        assert_eq!(limit.length("ok @bob@other.example.", None), 3 + 4 + 1);
        // "@ana " is put in front unless the reply names Ana.
        assert_eq!(limit.length("Thanks", Some("@ana@example.social")), 5 + 6);
        assert_eq!(limit.length("@Ana thanks", Some("@ana@example.social")), 11);
        assert_eq!(
            limit.length("thanks @ana@example.social", Some("@ana@example.social")),
            7 + 4
        );
        assert_eq!(limit.length("a\n\nb", None), 4);
        assert!(limit.check(&"a".repeat(495), Some("@ana")).is_ok());
        assert!(limit.check(&"a".repeat(496), Some("@ana")).is_err());
    }
}
