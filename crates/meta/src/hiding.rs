//! Hiding a comment from the public, and showing it again. Nothing is deleted: a hidden
//! comment stays visible to the Page (and to its author), and hiding is undone by showing
//! it again.
//!
//! - Facebook comment: `POST /{comment-id}` with `is_hidden=true|false` (Graph API
//!   changelog v2.2; the Comment spec's update takes `is_hidden`).
//! - Instagram comment: `POST /{ig-comment-id}` with `hide=true|false` (the IGComment
//!   spec's update, `hide` required).
//!
//! Both answer `{"success": true}`. Only comments can be hidden: messages, visitor posts
//! and Instagram mentions (another account's media) are refused before Meta is called.

use serde_json::Value;
use switchboard_core::{Platform, ThreadKey};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::items::Root;
use crate::provider::MetaProvider;
use crate::sync::provider_error;

impl MetaProvider {
    /// Hides the comment `native_id` of conversation `thread` (`hidden`) or shows it
    /// again (see the module docs).
    pub(crate) async fn set_comment_hidden(
        &self,
        thread: &ThreadKey,
        native_id: &str,
        hidden: bool,
    ) -> Result<(), ProviderError> {
        let target = ReplyTarget {
            thread: thread.clone(),
            in_reply_to: native_id.to_owned(),
        };
        match self.root_of(&target)? {
            Root::Conversation(_) => {
                return Err(ProviderError::Unsupported(
                    "hiding a message (only comments can be hidden)",
                ))
            }
            Root::Media(_) => {
                return Err(ProviderError::Unsupported(
                    "hiding an Instagram mention (the post is another account's)",
                ))
            }
            Root::Post(post) if post == native_id => {
                return Err(ProviderError::Unsupported(
                    "hiding a visitor post (only its comments can be hidden)",
                ))
            }
            Root::Comment(_) | Root::Post(_) => {}
        }
        if native_id.is_empty() || native_id.contains('/') {
            return Err(ProviderError::Refused(format!(
                "`{native_id}` is not a comment id"
            )));
        }
        let param = match self.brand.platform {
            Platform::Instagram => "hide",
            _ => "is_hidden",
        };
        let answer: Value = self
            .graph
            .post(native_id, &[(param, hidden.to_string())])
            .await
            .map_err(provider_error)?;
        if answer.get("success").and_then(Value::as_bool) == Some(false) {
            let verb = if hidden { "hide" } else { "show" };
            return Err(ProviderError::Refused(format!(
                "Meta did not {verb} the comment (it answered success: false)"
            )));
        }
        Ok(())
    }
}
