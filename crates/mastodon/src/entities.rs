//! The parts of Mastodon's REST entities this client reads (`Account`, `Status`,
//! `Notification`, `Conversation`, `Context`), as documented at
//! docs.joinmastodon.org/entities. Unknown fields are ignored; missing optional ones
//! default.

use serde::Deserialize;

/// `Account`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Account {
    pub id: String,
    pub username: String,
    /// `user` for an account on the same instance, `user@other.host` otherwise.
    pub acct: String,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `Status`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Status {
    pub id: String,
    pub created_at: String,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    /// `public`, `unlisted`, `private` or `direct`.
    pub visibility: String,
    #[serde(default)]
    pub language: Option<String>,
    /// HTML.
    #[serde(default)]
    pub content: String,
    /// The content warning, if any.
    #[serde(default)]
    pub spoiler_text: Option<String>,
    pub account: Account,
    /// Set when this status only boosts another.
    #[serde(default)]
    pub reblog: Option<serde_json::Value>,
    /// Mastodon 4.5: the status this one quotes.
    #[serde(default)]
    pub quote: Option<Quote>,
}

impl Status {
    /// Whether only the author and the mentioned accounts see it (a DM).
    pub fn is_direct(&self) -> bool {
        self.visibility == "direct"
    }
}

/// `Quote` (Mastodon 4.5).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Quote {
    #[serde(default)]
    pub quoted_status: Option<Box<Status>>,
}

/// `Notification`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Notification {
    pub id: String,
    /// `mention`, `quote`, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub status: Option<Status>,
}

/// `Conversation`: a DM conversation, represented by its latest status.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Conversation {
    pub id: String,
    #[serde(default)]
    pub last_status: Option<Status>,
}

/// `Context`: the statuses above and below one status.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Context {
    pub ancestors: Vec<Status>,
    pub descendants: Vec<Status>,
}

/// Something listed in id order, paged with `min_id` / `max_id`.
pub(crate) trait Paged {
    /// The id the list is paged by.
    fn page_id(&self) -> Option<&str>;
}

impl Paged for Notification {
    fn page_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl Paged for Status {
    fn page_id(&self) -> Option<&str> {
        Some(&self.id)
    }
}

impl Paged for Conversation {
    /// Conversations are paged by their latest status's id.
    fn page_id(&self) -> Option<&str> {
        self.last_status.as_ref().map(|s| s.id.as_str())
    }
}

/// Orders Mastodon ids: numeric strings compare by length first, then text; others as
/// text.
pub(crate) fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The newer of a known id (if any) and `b`.
pub(crate) fn newest_id(a: Option<String>, b: &str) -> Option<String> {
    match a {
        Some(a) if id_order(b, &a).is_le() => Some(a),
        _ => Some(b.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_numerically() {
        assert!(id_order("9", "10").is_lt());
        assert!(id_order("109", "108").is_gt());
        assert_eq!(newest_id(Some("99".into()), "100"), Some("100".into()));
        assert_eq!(newest_id(Some("100".into()), "99"), Some("100".into()));
        assert_eq!(newest_id(None, "5"), Some("5".into()));
    }
}
