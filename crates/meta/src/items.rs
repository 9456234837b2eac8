//! Graph objects to [`Item`]s.
//!
//! The **brand** is the Page (Facebook) or the Instagram account (with the Page it is
//! linked to): an object is **from the brand** when its author's id is the Page's or the
//! Instagram account's, or (Instagram) its username is the account's.
//!
//! **Conversations** (the thread key's root, see [`Root`]):
//! - a comment on one of the Page's posts or the Instagram account's media belongs to the
//!   conversation of its **top-level comment**: the customer's comment and the replies
//!   under it. One post gathers many customers' unrelated comments; answering one of
//!   them must not mark the others answered, so the post is not the unit.
//! - a visitor post (written on the Page by someone else) is its own conversation, with
//!   every comment under it.
//! - an Instagram media of another account mentioning the brand is its own conversation.
//! - a Messenger or Instagram conversation is one conversation.
//!
//! An item without text (a photo, a sticker, an attachment) says so in its text.
//!
//! An object whose JSON is not what Graph documents is **set aside**: logged with the
//! reason (`tracing::warn`) and skipped, so one bad comment cannot stop the rest.

use serde_json::Value;
use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};
use switchboard_platforms::{AccountIdentity, ProviderError};

use crate::credential::Credential;
use crate::text::{graph_time, kept_text};

/// The text of an item Meta gives without any (a photo, a sticker, an attachment).
pub(crate) const NO_TEXT: &str =
    "(no text: a photo, sticker or attachment — open it at Meta to see it)";

/// Where a conversation's root lives, written into the thread key as `<kind>:<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// A top-level comment (Facebook or Instagram) and its replies.
    Comment(String),
    /// A visitor post on the Page and its comments.
    Post(String),
    /// An Instagram media mentioning the brand.
    Media(String),
    /// A Messenger or Instagram conversation.
    Conversation(String),
}

impl Root {
    /// The root part of the thread key.
    pub fn key(&self) -> String {
        match self {
            Root::Comment(id) => format!("comment:{id}"),
            Root::Post(id) => format!("post:{id}"),
            Root::Media(id) => format!("media:{id}"),
            Root::Conversation(id) => format!("dm:{id}"),
        }
    }

    /// Reads [`Root::key`].
    pub fn parse(key: &str) -> Option<Self> {
        let (kind, id) = key.split_once(':')?;
        if id.is_empty() {
            return None;
        }
        let id = id.to_owned();
        Some(match kind {
            "comment" => Root::Comment(id),
            "post" => Root::Post(id),
            "media" => Root::Media(id),
            "dm" => Root::Conversation(id),
            _ => return None,
        })
    }
}

/// The brand account a provider works for.
#[derive(Debug, Clone)]
pub(crate) struct Brand {
    /// Facebook or Instagram.
    pub platform: Platform,
    /// The account id items are stored under (Page id or Instagram user id).
    pub account: String,
    /// The Page id (the linked Page's, for Instagram).
    pub page_id: String,
    /// The Instagram user id, for Instagram.
    pub instagram_id: Option<String>,
    /// The handle (Page username or name; Instagram username), without `@`.
    pub username: String,
    /// The name shown.
    pub display_name: String,
}

impl Brand {
    /// The brand of `identity`, when `credential` is its sign-in.
    pub fn new(credential: &Credential, identity: &AccountIdentity) -> Result<Self, ProviderError> {
        let fits = credential.platform == identity.platform
            && match identity.platform {
                Platform::Facebook => credential.page_id == identity.account_id,
                Platform::Instagram => {
                    credential.instagram_id.as_deref() == Some(identity.account_id.as_str())
                }
                _ => false,
            };
        if !fits {
            return Err(ProviderError::SignInAgain(format!(
                "the stored Meta sign-in is not for {} account {}",
                identity.platform.as_str(),
                identity.account_id
            )));
        }
        Ok(Brand {
            platform: identity.platform,
            account: identity.account_id.clone(),
            page_id: credential.page_id.clone(),
            instagram_id: credential.instagram_id.clone(),
            username: identity.handle.trim_start_matches('@').to_owned(),
            display_name: identity.display_name.clone(),
        })
    }

    /// The thread key of `root`.
    pub fn thread(&self, root: &Root) -> ThreadKey {
        ThreadKey::new(self.platform, &self.account, &root.key())
    }

    /// Whether an author with `id` / `username` is the brand.
    pub fn is_brand(&self, id: Option<&str>, username: Option<&str>) -> bool {
        let by_id = id.is_some_and(|id| {
            id == self.page_id || self.instagram_id.as_deref() == Some(id) || id == self.account
        });
        let by_name = self.platform == Platform::Instagram
            && username.is_some_and(|name| {
                !self.username.is_empty() && name.trim_start_matches('@') == self.username
            });
        by_id || by_name
    }

    /// The brand as an author.
    pub fn author(&self) -> Author {
        Author {
            handle: self.handle(&self.username),
            display_name: self.display_name.clone(),
        }
    }

    fn handle(&self, name: &str) -> String {
        match self.platform {
            Platform::Instagram => format!("@{}", name.trim_start_matches('@')),
            _ => name.to_owned(),
        }
    }

    /// An item of this brand's account.
    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        native_id: &str,
        root: &Root,
        kind: ItemKind,
        author: Author,
        from_brand: bool,
        text: Option<&str>,
        created_at: Timestamp,
    ) -> Item {
        Item {
            platform: self.platform,
            account: self.account.clone(),
            native_id: native_id.to_owned(),
            thread: self.thread(root),
            kind,
            author,
            from_brand,
            text: match text.map(kept_text) {
                Some(text) if !text.trim().is_empty() => text,
                _ => NO_TEXT.to_owned(),
            },
            lang: None,
            created_at,
        }
    }

    /// A Facebook post or comment (`from{id,name}`, `message`, `created_time`).
    pub fn facebook_item(
        &self,
        object: &Value,
        root: &Root,
        kind: ItemKind,
    ) -> Result<Item, String> {
        let id = str_field(object, "id")?;
        let created = time_field(object, "created_time")?;
        let from = object.get("from");
        let from_id = from.and_then(|f| f.get("id")).and_then(Value::as_str);
        let from_name = from.and_then(|f| f.get("name")).and_then(Value::as_str);
        let from_brand = self.is_brand(from_id, None);
        let author = if from_brand {
            self.author()
        } else {
            Author {
                handle: from_id.unwrap_or("unknown").to_owned(),
                display_name: from_name.unwrap_or("Facebook user").to_owned(),
            }
        };
        let text = optional_str(object, "message")?;
        Ok(self.item(id, root, kind, author, from_brand, text, created))
    }

    /// An Instagram comment or media (`from{id,username}` or `username`, `text` or
    /// `caption`, `timestamp`).
    pub fn instagram_item(
        &self,
        object: &Value,
        root: &Root,
        kind: ItemKind,
    ) -> Result<Item, String> {
        let id = str_field(object, "id")?;
        let created = time_field(object, "timestamp")?;
        let from = object.get("from");
        let from_id = from.and_then(|f| f.get("id")).and_then(Value::as_str);
        let username = from
            .and_then(|f| f.get("username"))
            .and_then(Value::as_str)
            .or(object.get("username").and_then(Value::as_str));
        let from_brand = self.is_brand(from_id, username);
        let author = if from_brand {
            self.author()
        } else {
            let name = username.unwrap_or("unknown");
            Author {
                handle: format!("@{}", name.trim_start_matches('@')),
                display_name: name.to_owned(),
            }
        };
        let text = match optional_str(object, "text")? {
            Some(text) => Some(text),
            None => optional_str(object, "caption")?,
        };
        Ok(self.item(id, root, kind, author, from_brand, text, created))
    }

    /// A message of a conversation (`from{id,name|username}`, `message`, `created_time`).
    pub fn message_item(&self, object: &Value, conversation: &str) -> Result<Item, String> {
        let id = str_field(object, "id")?;
        let created = time_field(object, "created_time")?;
        let from = object
            .get("from")
            .filter(|f| f.is_object())
            .ok_or("it has no sender (`from`)")?;
        let from_id = from.get("id").and_then(Value::as_str);
        let username = from.get("username").and_then(Value::as_str);
        let name = from.get("name").and_then(Value::as_str).or(username);
        let from_brand = self.is_brand(from_id, username);
        let author = if from_brand {
            self.author()
        } else {
            Author {
                handle: match (self.platform, username) {
                    (Platform::Instagram, Some(user)) => format!("@{user}"),
                    _ => from_id.unwrap_or("unknown").to_owned(),
                },
                display_name: name.unwrap_or("Customer").to_owned(),
            }
        };
        let text = optional_str(object, "message")?;
        let root = Root::Conversation(conversation.to_owned());
        Ok(self.item(
            id,
            &root,
            ItemKind::DirectMessage,
            author,
            from_brand,
            text,
            created,
        ))
    }

    /// The item the brand just posted.
    pub fn posted(
        &self,
        native_id: &str,
        root: &Root,
        kind: ItemKind,
        text: &str,
        at: Timestamp,
    ) -> Item {
        self.item(native_id, root, kind, self.author(), true, Some(text), at)
    }
}

/// A required string field.
pub(crate) fn str_field<'a>(object: &'a Value, name: &str) -> Result<&'a str, String> {
    match object.get(name) {
        Some(Value::String(text)) if !text.is_empty() => Ok(text),
        Some(_) => Err(format!("its `{name}` is not a string")),
        None => Err(format!("it has no `{name}`")),
    }
}

/// An optional string field (absent or null: `None`; another type: an error).
pub(crate) fn optional_str<'a>(object: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("its `{name}` is not a string")),
    }
}

/// A required time field.
pub(crate) fn time_field(object: &Value, name: &str) -> Result<Timestamp, String> {
    let text = str_field(object, name)?;
    graph_time(text).ok_or_else(|| format!("its `{name}` ({text:.40}) is not a time"))
}

/// The id of an object for a log line (`?` when it has none).
pub(crate) fn id_of(object: &Value) -> &str {
    object.get("id").and_then(Value::as_str).unwrap_or("?")
}

/// Logs an object set aside and why.
pub(crate) fn set_aside(what: &str, object: &Value, why: &str) {
    tracing::warn!(
        what,
        id = %id_of(object).chars().take(80).collect::<String>(),
        reason = %why,
        "set aside a Meta object Switchboard cannot read"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn brand(platform: Platform) -> Brand {
        Brand {
            platform,
            account: if platform == Platform::Instagram {
                "178".into()
            } else {
                "100".into()
            },
            page_id: "100".into(),
            instagram_id: (platform == Platform::Instagram).then(|| "178".into()),
            username: "acme.support".into(),
            display_name: "Acme".into(),
        }
    }

    #[test]
    fn roots_round_trip() {
        for root in [
            Root::Comment("1_2".into()),
            Root::Post("1_3".into()),
            Root::Media("9".into()),
            Root::Conversation("t_1".into()),
        ] {
            assert_eq!(Root::parse(&root.key()), Some(root));
        }
        assert_eq!(Root::parse("nothing"), None);
        assert_eq!(Root::parse("dm:"), None);
    }

    #[test]
    fn facebook_comments_from_the_page_are_the_brands() {
        let b = brand(Platform::Facebook);
        let root = Root::Comment("1_2".into());
        let customer = json!({"id":"1_2","message":"help","created_time":"2026-12-06T13:01:31+0000","from":{"id":"55","name":"Ana"}});
        let item = b
            .facebook_item(&customer, &root, ItemKind::Comment)
            .unwrap();
        assert!(!item.from_brand);
        assert_eq!(item.author.display_name, "Ana");
        assert_eq!(item.thread.0, "facebook:100:comment:1_2");
        let page = json!({"id":"1_4","message":"on it","created_time":"2026-12-06T13:02:31+0000","from":{"id":"100","name":"Acme"}});
        assert!(
            b.facebook_item(&page, &root, ItemKind::Comment)
                .unwrap()
                .from_brand
        );
        let broken = json!({"id":"1_5","message":7,"created_time":"2026-12-06T13:02:31+0000"});
        assert!(b.facebook_item(&broken, &root, ItemKind::Comment).is_err());
        let photo =
            json!({"id":"1_7","created_time":"2026-12-06T13:02:31+0000","from":{"id":"55"}});
        assert_eq!(
            b.facebook_item(&photo, &root, ItemKind::Comment)
                .unwrap()
                .text,
            NO_TEXT
        );
        let undated = json!({"id":"1_6","message":"x","created_time":"soon"});
        assert!(b.facebook_item(&undated, &root, ItemKind::Comment).is_err());
    }

    #[test]
    fn instagram_brand_by_id_or_username() {
        let b = brand(Platform::Instagram);
        let root = Root::Comment("9".into());
        let by_name = json!({"id":"9","text":"hi","timestamp":"2026-12-06T13:01:31+0000","username":"acme.support"});
        assert!(
            b.instagram_item(&by_name, &root, ItemKind::Comment)
                .unwrap()
                .from_brand
        );
        let customer = json!({"id":"10","text":"hi","timestamp":"2026-12-06T13:01:31+0000","from":{"id":"77","username":"bo"}});
        let item = b
            .instagram_item(&customer, &root, ItemKind::Comment)
            .unwrap();
        assert!(!item.from_brand);
        assert_eq!(item.author.handle, "@bo");
    }
}
