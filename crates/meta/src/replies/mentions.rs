//! **Instagram mentions**: another account's media whose caption @mentions the Instagram
//! account (listed in `GET /{ig}/tags`), each its own conversation (`media:<id>`).
//!
//! The media belongs to another account, so the account's token cannot read it by id. Meta
//! documents two calls for it (Instagram Graph API reference, IG User "Mentioned Media"
//! and "Mentions"):
//! - **reading back**: `GET /{ig}?fields=mentioned_media.media_id(<id>){caption,…,
//!   comments{…}}` gives the media and its comments ([`crate::fields::IG_MENTIONED_MEDIA`]);
//!   the comments are paged with `comments.after(<cursor>)`, at most `child_pages` pages of
//!   `children_per_page`;
//! - **answering**: `POST /{ig}/mentions` with `media_id` and `message` writes a comment on
//!   the media as the account (`comment_id` would answer a mention in a comment; those are
//!   announced by webhooks only, so Switchboard has none).
//!
//! The mention's **conversation** is the media (a [`ItemKind::Mention`] item) and the
//! account's own comments on it — written from Switchboard or in Instagram — so an answer
//! shows in the thread and marks it answered. Other people's comments on the media are not
//! the brand's conversation and are left out.
//!
//! A media that cannot be read back this way is **gone**: deleted, its caption no longer
//! @mentions the account, or the account was only tagged in the photo (Instagram lets an
//! account answer caption @mentions only: "Commenting on photos in which you were tagged is
//! not supported"). Meta does not document the error it gives then; a "no such object"
//! (code 100 subcode 33, 404) or any other plain refusal of the read counts as gone. The
//! thread of a gone mention is empty and a reply to it is refused in plain words.

use serde_json::Value;
use switchboard_core::{Item, ItemKind};
use switchboard_platforms::ProviderError;

use crate::fields;
use crate::graph::GraphError;
use crate::items::Root;
use crate::listing::inline_page;
use crate::provider::MetaProvider;
use crate::sync::provider_error;

/// Why a mention cannot be answered, in plain words (Meta's own words follow it).
pub(crate) const GONE: &str = "the Instagram post that mentioned the account cannot be read or answered any more: \
     it was deleted, its caption no longer @mentions the account, or the account was only tagged in the photo \
     (Instagram lets an account answer @mentions in captions, not photo tags)";

/// What reading a mention back found.
pub(crate) enum Mentioned {
    /// The mention and the account's comments on it, oldest first.
    Read(Vec<Item>),
    /// It cannot be read back (see the module docs), with what Meta said.
    Gone(String),
}

impl MetaProvider {
    /// The Instagram account's id.
    pub(crate) fn instagram_id(&self) -> &str {
        self.brand
            .instagram_id
            .as_deref()
            .unwrap_or(&self.brand.account)
    }

    /// Reads the mention `media` back with the account's comments on it.
    pub(crate) async fn read_mention(&self, media: &str) -> Result<Mentioned, ProviderError> {
        if media.is_empty() || !media.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(ProviderError::Refused(format!(
                "{media:.40} is not an Instagram media id"
            )));
        }
        let root = Root::Media(media.to_owned());
        let limit = self.limits.children_per_page;
        let mut after: Option<String> = None;
        let mut items: Vec<Item> = Vec::new();
        for page in 0..self.limits.child_pages.max(1) {
            let query = fields::mentioned_media_query(media, limit, after.as_deref());
            let answer = match self
                .graph
                .get::<Value>(self.instagram_id(), &[("fields", query)])
                .await
            {
                Ok(answer) => answer,
                Err(GraphError::NotFound(said) | GraphError::Refused(said)) if page == 0 => {
                    tracing::info!(media, "Instagram does not give this mention back: {said}");
                    return Ok(Mentioned::Gone(said));
                }
                Err(error) => return Err(provider_error(error)),
            };
            let Some(object) = answer.get("mentioned_media").filter(|m| m.is_object()) else {
                if page == 0 {
                    return Ok(Mentioned::Gone("Meta gave no `mentioned_media`".into()));
                }
                break;
            };
            if page == 0 {
                items.extend(self.read_items(
                    std::slice::from_ref(object),
                    "instagram mention",
                    |m| self.brand.instagram_item(m, &root, ItemKind::Mention),
                ));
            }
            let (comments, more) = inline_page(object, "comments").map_err(|why| {
                ProviderError::Malformed(format!("the mentioned media {media}: {why}"))
            })?;
            items.extend(
                self.read_items(&comments, "instagram comment", |c| {
                    self.brand.instagram_item(c, &root, ItemKind::Comment)
                })
                .into_iter()
                .filter(|item| item.from_brand),
            );
            match more {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        // The mention first, then the account's comments oldest first (Graph's order of a
        // media's comments is not documented).
        if let Some(rest) = items.get_mut(1..) {
            rest.sort_by_key(|item| item.created_at);
        }
        Ok(Mentioned::Read(items))
    }

    /// Answers the mention `media` with `text`: `POST /{ig}/mentions`; Meta's refusal is
    /// said plainly.
    pub(crate) async fn post_mention_reply(
        &self,
        media: &str,
        text: &str,
    ) -> Result<Value, GraphError> {
        self.graph
            .post(
                &format!("{}/mentions", self.instagram_id()),
                &[("media_id", media.to_owned()), ("message", text.to_owned())],
            )
            .await
            .map_err(|error| match error {
                GraphError::NotFound(said) | GraphError::Refused(said) => {
                    GraphError::Refused(format!(
                        "Instagram did not take the answer to this mention — the post may have been \
                         deleted, its comments turned off, or it no longer @mentions the account \
                         (Meta said: {said})"
                    ))
                }
                other => other,
            })
    }
}
