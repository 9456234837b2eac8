//! The **listings** a stream watches and how each one's parents are read.
//!
//! - Facebook: the Page's **feed** (`GET /{page}/feed`, newest first, visitor posts
//!   included; a post's `updated_time` changes when it is edited or commented on) and its
//!   **Messenger** inbox (`GET /{page}/conversations?platform=messenger`, most recently
//!   active first).
//! - Instagram: the account's **media** (`GET /{ig}/media`, newest first; a media's
//!   `comments_count` changes when a comment or reply is added), its **mentions**
//!   (`GET /{ig}/tags`: other accounts' media naming it; their `comments_count` too) and
//!   its **inbox** (`GET /{page}/conversations?platform=instagram`).
//!
//! The feed carries each post's 25 newest comments and replies
//! ([`crate::fields::FEED_POST`]), the inboxes each conversation's 20 most recent messages
//! ([`crate::fields::INBOX_CONVERSATION`]; no more inline), so one call per listing
//! shows what changed and mostly reads it too.
//!
//! Each listing is read newest first for a few pages every fetch; the feed and the media
//! are also swept further back in rounds ([`crate::sync`] states the bound), since a
//! comment on an older post does not bring it back to the top. Conversations are ordered
//! by activity, so none falls out that way. When a conversation changed and the 20
//! messages it carries do not reach back to the newest message seen before (its mark in
//! [`crate::cursor`]), the older ones are paged from `GET /{conversation}/messages` until
//! they do (a conversation first met: until its messages are older than the backlog), at
//! most `child_pages` pages of `children_per_page`. Meta documents message *details* for a
//! conversation's 20 most recent messages only; whether the `messages` edge pages past
//! them with their fields is not something the fake can show (it does), and a message
//! Graph gives without them is set aside (logged). Mentions of the Instagram account in
//! other accounts' comments are announced by webhooks only (`mentioned_comment` needs the
//! comment's id), so they are not read; mentions in captions are. A mention with comments
//! is read back through `mentioned_media` ([`crate::replies::mentions`]) whenever its
//! `comments_count` changes, so the account's answers written in Instagram reach the
//! streams too — one call per changed mention among the newest mentions listed (mentions
//! are not swept: an answer on a mention older than the listed pages shows in its thread
//! but not in the streams).

use serde_json::Value;
use switchboard_core::{Item, ItemKind, Timestamp};
use switchboard_platforms::ProviderError;

use crate::cursor::fnv1a;
use crate::fields;
use crate::graph::GraphError;
use crate::items::{id_of, set_aside, str_field, time_field, Root};
use crate::provider::MetaProvider;
use crate::replies::mentions::Mentioned;
use crate::sync::provider_error;

mod messages;

use messages::reached;

/// Posts per feed page at most: each carries its newest comments, and Graph refuses
/// answers too large ("reduce the amount of data").
const FEED_POSTS_PER_PAGE: u32 = 10;

/// Which inbox a conversation listing reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InboxKind {
    /// Messenger.
    Messenger,
    /// Instagram messages.
    Instagram,
}

/// One listing of parents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// The Page's feed.
    Feed,
    /// The Instagram account's media.
    IgMedia,
    /// Media mentioning the Instagram account.
    IgTags,
    /// A message inbox.
    Inbox(InboxKind),
}

impl Listing {
    /// Its name in the cursor.
    pub fn name(self) -> &'static str {
        match self {
            Listing::Feed => "feed",
            Listing::IgMedia => "ig_media",
            Listing::IgTags => "ig_tags",
            Listing::Inbox(InboxKind::Messenger) => "messenger",
            Listing::Inbox(InboxKind::Instagram) => "ig_inbox",
        }
    }

    /// A parent's activity signature.
    pub fn signature(self, parent: &Value) -> Result<String, String> {
        match self {
            Listing::Feed => {
                let at = str_field(parent, "updated_time")
                    .or_else(|_| str_field(parent, "created_time"))?;
                let (comments, more) = inline_comments(parent)?;
                let ids: Vec<&str> = comments.iter().map(id_of).collect();
                Ok(format!(
                    "{at}/{}/{:016x}{}",
                    ids.len(),
                    fnv1a(&ids),
                    if more.is_some() { "+" } else { "" }
                ))
            }
            Listing::IgMedia | Listing::IgTags => match parent.get("comments_count") {
                Some(Value::Number(n)) => Ok(n.to_string()),
                None | Some(Value::Null) => Ok("0".into()),
                Some(_) => Err("its `comments_count` is not a number".into()),
            },
            Listing::Inbox(_) => {
                let at = str_field(parent, "updated_time")?;
                let count = parent
                    .get("message_count")
                    .and_then(Value::as_i64)
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                Ok(format!("{at}/{count}"))
            }
        }
    }

    /// When a parent was last active, when Meta says: a parent first met that was last
    /// active before the backlog is noted without reading it. A media with comments has
    /// no such time (its `timestamp` is when it was posted), so it is read.
    pub fn active_at(self, parent: &Value) -> Option<Timestamp> {
        match self {
            Listing::Feed => time_field(parent, "updated_time")
                .or_else(|_| time_field(parent, "created_time"))
                .ok(),
            Listing::IgMedia => match parent.get("comments_count").and_then(Value::as_i64) {
                None | Some(0) => time_field(parent, "timestamp").ok(),
                Some(_) => None,
            },
            Listing::IgTags => time_field(parent, "timestamp").ok(),
            Listing::Inbox(_) => time_field(parent, "updated_time").ok(),
        }
    }

    /// Whether the listing is swept past its newest parents (see [`crate::sync`]): the
    /// feed and the media, whose order is not activity. Conversations are listed most
    /// recently active first and a mention is new when it is made, so their newest
    /// parents are enough.
    pub fn sweeps(self) -> bool {
        matches!(self, Listing::Feed | Listing::IgMedia)
    }

    /// The time the sweep compares with its horizon: a post's last activity
    /// (`updated_time`, which a comment moves), a media's posting time.
    pub fn horizon_at(self, parent: &Value) -> Option<Timestamp> {
        match self {
            Listing::IgMedia => time_field(parent, "timestamp").ok(),
            other => other.active_at(parent),
        }
    }

    /// The id of the newest child the parent carries, remembered in its mark: a
    /// conversation's newest message (Graph lists them newest first).
    pub fn newest_child(self, parent: &Value) -> Option<&str> {
        match self {
            Listing::Inbox(_) => parent
                .get("messages")?
                .get("data")?
                .as_array()?
                .first()?
                .get("id")?
                .as_str(),
            _ => None,
        }
    }

    /// Whether reading `parent`'s children may cost calls, counted against the per-fetch
    /// bound: a feed post's comments past the ones the listing carries, a media's
    /// comments, a conversation's messages older than the 20 it carries when those do not
    /// reach back to `newest_seen` or `from` (see [`MetaProvider::children`]). A mention is
    /// its own child; one with comments is read back for the account's answers.
    pub fn reads_children(
        self,
        parent: &Value,
        newest_seen: Option<&str>,
        from: Option<Timestamp>,
    ) -> bool {
        match self {
            Listing::Feed | Listing::IgMedia => true,
            Listing::IgTags => has_comments(parent),
            Listing::Inbox(_) => match inline_page(parent, "messages") {
                Ok((messages, Some(_))) => !reached(&messages, newest_seen, from),
                _ => false,
            },
        }
    }
}

impl MetaProvider {
    /// The listings of this account.
    pub(crate) fn listings(&self) -> Vec<Listing> {
        match self.brand.instagram_id {
            Some(_) => vec![
                Listing::IgMedia,
                Listing::IgTags,
                Listing::Inbox(InboxKind::Instagram),
            ],
            None => vec![Listing::Feed, Listing::Inbox(InboxKind::Messenger)],
        }
    }

    /// The path and query of `listing`.
    fn listing_query(&self, listing: Listing) -> (String, Vec<(&'static str, String)>) {
        let limit = self.limits.parents_per_page.to_string();
        let ig = self.brand.instagram_id.clone().unwrap_or_default();
        let page = &self.brand.page_id;
        match listing {
            Listing::Feed => (
                format!("{page}/feed"),
                vec![
                    ("fields", fields::FEED_POST.query()),
                    (
                        "limit",
                        self.limits
                            .parents_per_page
                            .min(FEED_POSTS_PER_PAGE)
                            .to_string(),
                    ),
                ],
            ),
            Listing::IgMedia => (
                format!("{ig}/media"),
                vec![("fields", fields::IG_MEDIA.query()), ("limit", limit)],
            ),
            Listing::IgTags => (
                format!("{ig}/tags"),
                vec![("fields", fields::IG_TAGGED.query()), ("limit", limit)],
            ),
            Listing::Inbox(kind) => (
                format!("{page}/conversations"),
                vec![
                    (
                        "platform",
                        match kind {
                            InboxKind::Messenger => "messenger",
                            InboxKind::Instagram => "instagram",
                        }
                        .to_owned(),
                    ),
                    ("fields", fields::INBOX_CONVERSATION.query()),
                    ("limit", limit),
                ],
            ),
        }
    }

    /// The newest (or most recently active) parents `listing` shows now, newest first,
    /// and where the listing goes on when it has more.
    pub(crate) async fn list_parents(
        &self,
        listing: Listing,
    ) -> Result<(Vec<Value>, Option<String>), ProviderError> {
        let (path, query) = self.listing_query(listing);
        let (mut parents, after) = self
            .read_pages(&path, &query, None, self.limits.parent_pages.max(1))
            .await?;
        let mut seen = std::collections::HashSet::new();
        parents.retain(|p| seen.insert(id_of(p).to_owned()));
        Ok((parents, after))
    }

    /// One page of `listing` after the paging cursor `after`, and where it goes on; `None`
    /// when Meta says the paging cursor expired.
    pub(crate) async fn parents_after(
        &self,
        listing: Listing,
        after: &str,
    ) -> Result<Option<(Vec<Value>, Option<String>)>, ProviderError> {
        let (path, mut query) = self.listing_query(listing);
        query.push(("after", after.to_owned()));
        match self.graph.get_page::<Value>(&path, &query).await {
            Ok(page) => Ok(Some((page.data, page.after))),
            Err(GraphError::CursorExpired) => Ok(None),
            Err(error) => Err(provider_error(error)),
        }
    }

    /// The items under `parent` of `listing`: every comment (with the visitor post
    /// itself), the mention, or the conversation's messages — back to the newest one seen
    /// before (`newest_seen`, a [`crate::cursor::key`]) or, for a conversation first met,
    /// back to `from` (see [`MetaProvider::messages_back_to`]).
    pub(crate) async fn children(
        &self,
        listing: Listing,
        parent: &Value,
        newest_seen: Option<&str>,
        from: Option<Timestamp>,
    ) -> Result<Vec<Item>, ProviderError> {
        let id = str_field(parent, "id").map_err(ProviderError::Malformed)?;
        match listing {
            Listing::Feed => self.post_children(parent, id).await,
            Listing::IgMedia => self.media_children(id).await,
            Listing::IgTags => {
                // The account's answers in Instagram are comments on the media: read back
                // when it has comments (a tag-only photo cannot be; its mention stands alone).
                if has_comments(parent) {
                    if let Mentioned::Read(items) = self.read_mention(id).await? {
                        return Ok(items);
                    }
                }
                Ok(
                    self.read_items(std::slice::from_ref(parent), "instagram mention", |m| {
                        self.brand
                            .instagram_item(m, &Root::Media(id.to_owned()), ItemKind::Mention)
                    }),
                )
            }
            Listing::Inbox(_) => {
                let (mut messages, more) = inline_page(parent, "messages")
                    .map_err(|why| ProviderError::Malformed(format!("conversation {id}: {why}")))?;
                if let Some(after) = more {
                    if !reached(&messages, newest_seen, from) {
                        messages.extend(self.messages_back_to(id, after, newest_seen, from).await?);
                    }
                }
                // Messages dated the same second may be listed either way round, so the
                // ones around the newest seen are returned too: the store drops what it has.
                Ok(self.read_items(&messages, "message", |m| self.brand.message_item(m, id)))
            }
        }
    }

    /// A Facebook post's comments (and the post, when a visitor wrote it).
    async fn post_children(&self, post: &Value, id: &str) -> Result<Vec<Item>, ProviderError> {
        let author = post
            .get("from")
            .and_then(|f| f.get("id"))
            .and_then(Value::as_str);
        let visitor = !self.brand.is_brand(author, None);
        let mut items = Vec::new();
        if visitor {
            let root = Root::Post(id.to_owned());
            items.extend(
                self.read_items(std::slice::from_ref(post), "visitor post", |p| {
                    self.brand.facebook_item(p, &root, ItemKind::Mention)
                }),
            );
        }
        let (mut comments, more) = inline_comments(post).map_err(ProviderError::Malformed)?;
        if let Some(after) = more {
            comments.extend(
                self.read_all_after(
                    &format!("{id}/comments"),
                    &self.comment_query("reverse_chronological"),
                    Some(after),
                    self.limits.child_pages.saturating_sub(1),
                )
                .await?,
            );
        }
        let parents: std::collections::HashMap<&str, &str> = comments
            .iter()
            .filter_map(|c| Some((c.get("id")?.as_str()?, parent_id(c)?)))
            .collect();
        items.extend(self.read_items(&comments, "comment", |c| {
            let root = if visitor {
                Root::Post(id.to_owned())
            } else {
                Root::Comment(top_level(str_field(c, "id")?, &parents))
            };
            self.brand.facebook_item(c, &root, ItemKind::Comment)
        }));
        Ok(items)
    }

    /// Every comment of a Facebook post or comment (`filter=stream`: replies too).
    pub(crate) async fn post_comments(
        &self,
        id: &str,
        order: &str,
    ) -> Result<Vec<Value>, ProviderError> {
        self.read_all(
            &format!("{id}/comments"),
            &self.comment_query(order),
            self.limits.child_pages,
        )
        .await
    }

    /// The query of a post's or comment's comments in `order`.
    fn comment_query(&self, order: &str) -> Vec<(&'static str, String)> {
        vec![
            ("filter", "stream".to_owned()),
            ("order", order.to_owned()),
            ("fields", fields::COMMENT.query()),
            ("limit", self.limits.children_per_page.to_string()),
        ]
    }

    /// An Instagram media's comments and their replies.
    async fn media_children(&self, media: &str) -> Result<Vec<Item>, ProviderError> {
        let comments = self
            .read_all(
                &format!("{media}/comments"),
                &[
                    ("fields", fields::IG_COMMENT.query()),
                    ("limit", self.limits.children_per_page.to_string()),
                ],
                self.limits.child_pages,
            )
            .await?;
        let mut items = Vec::new();
        for comment in &comments {
            let Ok(id) = str_field(comment, "id") else {
                set_aside("instagram comment", comment, "it has no `id`");
                continue;
            };
            let root = Root::Comment(
                comment
                    .get("parent_id")
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
                    .unwrap_or(id)
                    .to_owned(),
            );
            items.extend(self.read_items(
                std::slice::from_ref(comment),
                "instagram comment",
                |c| self.brand.instagram_item(c, &root, ItemKind::Comment),
            ));
            let replies = match comment.get("replies") {
                None | Some(Value::Null) => Vec::new(),
                Some(replies) => match replies.get("data").and_then(Value::as_array) {
                    Some(data) => data.clone(),
                    None => {
                        set_aside("instagram replies", comment, "`replies` has no `data` list");
                        Vec::new()
                    }
                },
            };
            let root = Root::Comment(id.to_owned());
            items.extend(self.read_items(&replies, "instagram reply", |r| {
                self.brand.instagram_item(r, &root, ItemKind::Comment)
            }));
        }
        Ok(items)
    }

    /// The items of `objects` that `read` can read; the others are set aside (logged).
    pub(crate) fn read_items(
        &self,
        objects: &[Value],
        what: &str,
        read: impl Fn(&Value) -> Result<Item, String>,
    ) -> Vec<Item> {
        objects
            .iter()
            .filter_map(|object| match read(object) {
                Ok(item) => Some(item),
                Err(why) => {
                    set_aside(what, object, &why);
                    None
                }
            })
            .collect()
    }
}

/// The comments a feed post carries (`comments{data,paging}`), and where the next page
/// starts when there are more.
fn inline_comments(post: &Value) -> Result<(Vec<Value>, Option<String>), String> {
    inline_page(post, "comments")
}

/// The page of edge `edge` a parent carries (`<edge>{data,paging}`), and where the next
/// page starts when there are more.
pub(crate) fn inline_page(
    parent: &Value,
    edge: &str,
) -> Result<(Vec<Value>, Option<String>), String> {
    let Some(page) = parent.get(edge).filter(|c| !c.is_null()) else {
        return Ok((Vec::new(), None));
    };
    let data = page
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("its `{edge}` has no `data` list"))?
        .clone();
    let paging = page.get("paging");
    let more = paging
        .filter(|p| p.get("next").is_some_and(|n| !n.is_null()))
        .and_then(|p| p.get("cursors")?.get("after")?.as_str())
        .map(str::to_owned);
    Ok((data, more))
}

/// Whether a media's `comments_count` is above zero.
fn has_comments(media: &Value) -> bool {
    media
        .get("comments_count")
        .and_then(Value::as_i64)
        .is_some_and(|n| n > 0)
}

/// A Facebook comment's `parent.id`.
pub(crate) fn parent_id(comment: &Value) -> Option<&str> {
    comment
        .get("parent")
        .and_then(|p| p.get("id"))
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
}

/// The top-level comment above `id`, following `parents` (comment → its parent); a parent
/// not in `parents` is taken as top-level.
fn top_level(id: &str, parents: &std::collections::HashMap<&str, &str>) -> String {
    let mut at = id;
    for _ in 0..8 {
        match parents.get(at) {
            Some(parent) => at = parent,
            None => break,
        }
    }
    at.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_of_replies_belong_to_the_top_comment() {
        let parents = [("3", "2"), ("2", "1")].into_iter().collect();
        assert_eq!(top_level("3", &parents), "1");
        assert_eq!(top_level("1", &parents), "1");
        assert_eq!(top_level("9", &parents), "9");
    }

    #[test]
    fn signatures_change_with_activity() {
        let post = serde_json::json!({"id":"1","created_time":"2026-12-06T13:00:00+0000","updated_time":"2026-12-06T13:05:00+0000"});
        let quiet = Listing::Feed.signature(&post).unwrap();
        assert!(quiet.starts_with("2026-12-06T13:05:00+0000/0/"), "{quiet}");
        let commented = serde_json::json!({"id":"1","updated_time":"2026-12-06T13:05:00+0000","comments":{"data":[{"id":"1_2"}]}});
        let signature = Listing::Feed.signature(&commented).unwrap();
        assert_ne!(
            signature, quiet,
            "a comment dated in the past still changes the signature"
        );
        let media = serde_json::json!({"id":"1","comments_count":3});
        assert_eq!(Listing::IgMedia.signature(&media).unwrap(), "3");
        let bad = serde_json::json!({"id":"1","comments_count":"x"});
        assert!(Listing::IgMedia.signature(&bad).is_err());
        let conversation = serde_json::json!({"id":"t_1","updated_time":"2026-12-06T13:05:00+0000","message_count":4});
        assert_eq!(
            Listing::Inbox(InboxKind::Messenger)
                .signature(&conversation)
                .unwrap(),
            "2026-12-06T13:05:00+0000/4"
        );
    }
}
