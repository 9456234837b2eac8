//! Items: single messages fetched from (or observed on) a platform.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Timestamp;

/// A social platform a brand account lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Mastodon and compatible servers.
    Mastodon,
    /// Bluesky (AT Protocol).
    Bluesky,
    /// X (formerly Twitter).
    X,
    /// A Facebook Page.
    Facebook,
    /// An Instagram professional account.
    Instagram,
    /// A LinkedIn organisation page.
    LinkedIn,
    /// A YouTube channel.
    YouTube,
}

impl Platform {
    /// Every platform, in display order.
    pub const ALL: [Platform; 7] = [
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::X,
        Platform::Facebook,
        Platform::Instagram,
        Platform::LinkedIn,
        Platform::YouTube,
    ];

    /// The stable name stored in the database and sent to the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::X => "x",
            Platform::Facebook => "facebook",
            Platform::Instagram => "instagram",
            Platform::LinkedIn => "linked_in",
            Platform::YouTube => "you_tube",
        }
    }

    /// Parses [`Platform::as_str`]'s output.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// What kind of message an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A public post that names the brand account.
    Mention,
    /// A reply in a thread the brand takes part in.
    Reply,
    /// A quote of a brand post.
    Quote,
    /// A comment under a brand post (Facebook, Instagram, YouTube, LinkedIn).
    Comment,
    /// A private direct message.
    DirectMessage,
}

impl ItemKind {
    /// Every kind.
    pub const ALL: [ItemKind; 5] = [
        ItemKind::Mention,
        ItemKind::Reply,
        ItemKind::Quote,
        ItemKind::Comment,
        ItemKind::DirectMessage,
    ];

    /// The stable name stored in the database and sent to the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Mention => "mention",
            ItemKind::Reply => "reply",
            ItemKind::Quote => "quote",
            ItemKind::Comment => "comment",
            ItemKind::DirectMessage => "direct_message",
        }
    }

    /// Parses [`ItemKind::as_str`]'s output.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// Who wrote an item.
///
/// Read (deserialized) with its display name as Switchboard shows it
/// ([`crate::shown_name`]: invisible characters dropped, line breaks made spaces, the handle
/// when nothing visible is left), so every reader shows the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Author {
    /// The platform handle, e.g. `@ana@mastodon.social` or `ana.bsky.social`.
    pub handle: String,
    /// The name the author shows.
    pub display_name: String,
}

/// An [`Author`] as written: its display name as the platform gave it.
#[derive(Deserialize)]
struct AuthorAsStored {
    handle: String,
    display_name: String,
}

impl<'de> Deserialize<'de> for Author {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = AuthorAsStored::deserialize(deserializer)?;
        Ok(Author {
            display_name: crate::shown_name(&stored.display_name, &stored.handle),
            handle: stored.handle,
        })
    }
}

/// Identifies the conversation an item belongs to: the thread root of a public thread, or
/// the DM conversation id, scoped by platform and brand account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ThreadKey(pub String);

impl ThreadKey {
    /// The key of thread `root` (or DM conversation `root`) on `account` of `platform`.
    pub fn new(platform: Platform, account: &str, root: &str) -> Self {
        ThreadKey(format!("{}:{account}:{root}", platform.as_str()))
    }
}

/// One message as a platform delivered it. Stored whole in the event that ingested it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The platform the item lives on.
    pub platform: Platform,
    /// The brand account this item was fetched for.
    pub account: String,
    /// The platform's own id of the item; unique per platform and account.
    pub native_id: String,
    /// The conversation the item belongs to.
    pub thread: ThreadKey,
    /// Mention, reply, comment, DM…
    pub kind: ItemKind,
    /// Who wrote it.
    pub author: Author,
    /// Whether the brand account wrote it (from Switchboard or anywhere else).
    pub from_brand: bool,
    /// The message as plain text (platform HTML already turned into text).
    pub text: String,
    /// BCP 47 language tag when the platform or a detector knows it.
    pub lang: Option<String>,
    /// When the platform says the item was created.
    pub created_at: Timestamp,
}

/// Longest preview line kept for an item (a conversation shows its latest customer item's).
pub const PREVIEW_CHARS: usize = 140;

impl Item {
    /// The first line of the text, trimmed, at most `max_chars` characters (an ellipsis
    /// marks a cut).
    pub fn first_line(&self, max_chars: usize) -> String {
        first_line(&self.text, max_chars)
    }
}

/// The first non-empty line of `text`, trimmed, at most `max_chars` characters.
pub fn first_line(text: &str, max_chars: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() <= max_chars {
        return line.to_owned();
    }
    let mut cut: String = line.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Some(p), "platform {p:?}");
        }
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::parse(k.as_str()), Some(k), "kind {k:?}");
        }
        assert_eq!(Platform::parse("myspace"), None);
    }

    #[test]
    fn first_line_skips_blank_lines_and_cuts_on_characters() {
        assert_eq!(first_line("\n  hello \nworld", 80), "hello");
        assert_eq!(first_line("ñandú ñandú", 6), "ñandú…");
        assert_eq!(first_line("", 10), "");
    }

    #[test]
    fn serde_names_match_database_names() {
        for k in ItemKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", k.as_str()),
                "serde and as_str agree"
            );
        }
        for p in Platform::ALL {
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(
                json,
                format!("\"{}\"", p.as_str()),
                "serde and as_str agree"
            );
        }
    }
}
