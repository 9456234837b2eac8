//! Bluesky posts as Switchboard [`Item`]s.
//!
//! An item's id is the post's `at://` URI; its **thread** is the root of the reply chain
//! (`reply.root` of the record, or the post itself when it starts one), scoped to the
//! brand account's DID, so a customer's mention and the brand's answer to it — made in
//! Switchboard or anywhere else — land in one conversation. The time is the earlier of
//! the author's `createdAt` and the AppView's `indexedAt` (a client can claim any
//! `createdAt`, but not one after the post reached the network). A back-dated claim is
//! not corrected here: a notification's `indexedAt` is itself that earlier time (the
//! AppView's sort time), so the real arrival is not known from the post; the list sync
//! dates an entry found late by when it can first have arrived ([`crate::list_sync`]).

use switchboard_core::{Author, Item, ItemKind, Platform, ThreadKey, Timestamp};
use switchboard_platforms::ProviderError;

use crate::lexicon::{Notification, PostRecord, PostView, ProfileView};
use crate::text::plain_text;

/// The brand account items are made for.
#[derive(Debug, Clone)]
pub struct BrandAccount {
    /// Its DID.
    pub did: String,
    /// Its handle.
    pub handle: String,
}

impl BrandAccount {
    /// The thread key of the thread rooted at `root_uri`.
    pub fn thread(&self, root_uri: &str) -> ThreadKey {
        ThreadKey::new(Platform::Bluesky, &self.did, root_uri)
    }

    /// The root URI of `thread`, if it is one of this account's thread keys.
    pub fn root_of<'a>(&self, thread: &'a ThreadKey) -> Option<&'a str> {
        let prefix = format!("{}:{}:", Platform::Bluesky.as_str(), self.did);
        thread.0.strip_prefix(&prefix)
    }

    /// The item of a post with its record and author.
    pub fn item(
        &self,
        uri: &str,
        author: &ProfileView,
        record: &PostRecord,
        kind: ItemKind,
        created_at: Timestamp,
    ) -> Item {
        let root = record.reply.as_ref().map_or(uri, |reply| &reply.root.uri);
        let display_name = author
            .display_name
            .as_deref()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or(&author.handle);
        Item {
            platform: Platform::Bluesky,
            account: self.did.clone(),
            native_id: uri.to_owned(),
            thread: self.thread(root),
            kind,
            author: Author {
                handle: plain_text(&author.handle),
                display_name: plain_text(display_name),
            },
            from_brand: author.did == self.did,
            text: plain_text(&record.text),
            lang: record.langs.first().cloned(),
            created_at,
        }
    }

    /// The item of a notification, if its reason is one Switchboard handles (mention,
    /// reply, quote); an unreadable post record makes the whole response malformed.
    pub fn notification_item(
        &self,
        notification: &Notification,
    ) -> Result<Option<Item>, ProviderError> {
        let kind = match notification.reason.as_str() {
            "mention" => ItemKind::Mention,
            "reply" => ItemKind::Reply,
            "quote" => ItemKind::Quote,
            _ => return Ok(None),
        };
        let record: PostRecord = serde_json::from_value(notification.record.clone())
            .map_err(|e| crate::xrpc::malformed("app.bsky.notification.listNotifications", &e))?;
        let created_at = created_at(&record, &notification.indexed_at, "listNotifications")?;
        Ok(Some(self.item(
            &notification.uri,
            &notification.author,
            &record,
            kind,
            created_at,
        )))
    }

    /// The item of a post in a thread: the brand's posts are replies; a customer's post
    /// that starts the thread mentions the brand, one that quotes is a quote.
    pub fn thread_item(&self, post: &PostView) -> Result<Item, ProviderError> {
        let kind = if post.record.is_quote() {
            ItemKind::Quote
        } else if post.record.reply.is_none() && post.author.did != self.did {
            ItemKind::Mention
        } else {
            ItemKind::Reply
        };
        let created_at = created_at(&post.record, &post.indexed_at, "getPostThread")?;
        Ok(self.item(&post.uri, &post.author, &post.record, kind, created_at))
    }

    /// The brand's own author view, for its records read from its repository.
    pub fn author(&self) -> ProfileView {
        ProfileView {
            did: self.did.clone(),
            handle: self.handle.clone(),
            display_name: None,
        }
    }
}

/// The earlier of the record's `createdAt` and `indexed_at`.
pub fn created_at(
    record: &PostRecord,
    indexed_at: &str,
    method: &str,
) -> Result<Timestamp, ProviderError> {
    let indexed = Timestamp::parse_rfc3339(indexed_at);
    let claimed = record
        .created_at
        .as_deref()
        .and_then(Timestamp::parse_rfc3339);
    match (claimed, indexed) {
        (Some(c), Some(i)) => Ok(c.min(i)),
        (Some(t), None) | (None, Some(t)) => Ok(t),
        (None, None) => Err(ProviderError::Malformed(format!(
            "{method} sent a post without a readable time"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn brand() -> BrandAccount {
        BrandAccount {
            did: "did:plc:brand".into(),
            handle: "brand.test".into(),
        }
    }

    fn notification(reason: &str, record: serde_json::Value) -> Notification {
        serde_json::from_value(json!({
            "uri": "at://did:plc:ana/app.bsky.feed.post/3kb",
            "cid": "bafy",
            "author": {"did": "did:plc:ana", "handle": "ana.test", "displayName": "Ana\u{202E}"},
            "reason": reason,
            "record": record,
            "indexedAt": "2026-11-23T10:00:01.000Z",
            "isRead": false
        }))
        .unwrap()
    }

    #[test]
    fn a_reply_lands_in_its_roots_thread_with_its_language_and_earlier_time() {
        let record = json!({
            "$type": "app.bsky.feed.post", "text": "hi\u{0}\r\nthere", "langs": ["pt", "en"],
            "createdAt": "2026-11-23T10:00:00.000Z",
            "reply": {"root": {"uri": "at://did:plc:x/app.bsky.feed.post/root", "cid": "c1"},
                      "parent": {"uri": "at://did:plc:x/app.bsky.feed.post/p", "cid": "c2"}}
        });
        let item = brand()
            .notification_item(&notification("reply", record))
            .unwrap()
            .expect("replies are items");
        assert_eq!(item.kind, ItemKind::Reply);
        assert_eq!(
            item.thread,
            ThreadKey::new(
                Platform::Bluesky,
                "did:plc:brand",
                "at://did:plc:x/app.bsky.feed.post/root"
            )
        );
        assert_eq!(
            brand().root_of(&item.thread),
            Some("at://did:plc:x/app.bsky.feed.post/root")
        );
        assert_eq!(item.text, "hi\nthere");
        assert_eq!(item.author.display_name, "Ana");
        assert_eq!(item.lang.as_deref(), Some("pt"));
        assert_eq!(
            item.created_at,
            Timestamp::parse_rfc3339("2026-11-23T10:00:00Z").unwrap()
        );
        assert!(!item.from_brand);
    }

    #[test]
    fn likes_are_skipped_and_a_post_without_text_field_shape_is_malformed() {
        let like = json!({"$type": "app.bsky.feed.like"});
        assert_eq!(
            brand()
                .notification_item(&notification("like", like))
                .unwrap(),
            None
        );
        let broken = json!({"text": 5});
        assert!(matches!(
            brand().notification_item(&notification("mention", broken)),
            Err(ProviderError::Malformed(_))
        ));
    }
}
