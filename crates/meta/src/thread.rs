//! A whole conversation, read from Meta: the top-level comment and its replies, the
//! visitor post and its comments, the mention with the account's own comments on it (read
//! back through `mentioned_media`: another account's media cannot be read by id; see
//! [`crate::replies::mentions`] — empty when the mention is gone), or the conversation's
//! messages — oldest first, in Graph's own order (comments `order=chronological`;
//! messages, which Graph lists newest first, reversed; a mention's comments by time).

use serde_json::Value;
use switchboard_core::{Item, ItemKind, Platform};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::fields;
use crate::items::Root;
use crate::provider::MetaProvider;
use crate::replies::mentions::Mentioned;
use crate::sync::provider_error;

impl MetaProvider {
    /// The root of `target`'s conversation, when it is one of this account's.
    pub(crate) fn root_of(&self, target: &ReplyTarget) -> Result<Root, ProviderError> {
        let prefix = format!("{}:{}:", self.brand.platform.as_str(), self.brand.account);
        target
            .thread
            .0
            .strip_prefix(&prefix)
            .and_then(Root::parse)
            .ok_or_else(|| {
                ProviderError::Refused(format!(
                    "the conversation {} is not one of {}",
                    target.thread.0, self.brand.account
                ))
            })
    }

    /// The items of `root`'s conversation, oldest first.
    pub(crate) async fn read_thread(&self, root: &Root) -> Result<Vec<Item>, ProviderError> {
        match (root, self.brand.platform) {
            (Root::Comment(id), Platform::Instagram) => {
                let top: Value = self.get(id, &fields::IG_REPLY).await?;
                let replies = self
                    .read_all(
                        &format!("{id}/replies"),
                        &[
                            ("fields", fields::IG_REPLY.query()),
                            ("limit", self.limits.children_per_page.to_string()),
                        ],
                        self.limits.child_pages,
                    )
                    .await?;
                let objects: Vec<Value> = std::iter::once(top).chain(replies).collect();
                Ok(self.read_items(&objects, "instagram comment", |c| {
                    self.brand.instagram_item(c, root, ItemKind::Comment)
                }))
            }
            (Root::Comment(id), _) => {
                let top: Value = self.get(id, &fields::COMMENT).await?;
                let replies = self.post_comments(id, "chronological").await?;
                let objects: Vec<Value> = std::iter::once(top).chain(replies).collect();
                Ok(self.read_items(&objects, "comment", |c| {
                    self.brand.facebook_item(c, root, ItemKind::Comment)
                }))
            }
            (Root::Post(id), _) => {
                let post: Value = self.get(id, &fields::PAGE_POST).await?;
                let comments = self.post_comments(id, "chronological").await?;
                let mut items = self.read_items(std::slice::from_ref(&post), "visitor post", |p| {
                    self.brand.facebook_item(p, root, ItemKind::Mention)
                });
                items.extend(self.read_items(&comments, "comment", |c| {
                    self.brand.facebook_item(c, root, ItemKind::Comment)
                }));
                Ok(items)
            }
            (Root::Media(id), _) => match self.read_mention(id).await? {
                Mentioned::Read(items) => Ok(items),
                Mentioned::Gone(_) => Ok(Vec::new()),
            },
            (Root::Conversation(id), _) => {
                let mut messages = self.conversation_messages(id).await?;
                messages.reverse();
                Ok(messages)
            }
        }
    }

    /// `GET /{id}?fields=<list>`.
    pub(crate) async fn get(
        &self,
        id: &str,
        list: &fields::FieldList,
    ) -> Result<Value, ProviderError> {
        self.graph
            .get::<Value>(id, &[("fields", list.query())])
            .await
            .map_err(provider_error)
    }
}
