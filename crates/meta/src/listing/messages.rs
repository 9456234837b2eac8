//! The messages of a Messenger or Instagram conversation: the latest ones, and paging back
//! to the newest one seen before when more arrived between two fetches than Graph gives
//! inline.

use serde_json::Value;
use switchboard_core::{Item, Timestamp};
use switchboard_platforms::ProviderError;

use crate::cursor::key;
use crate::fields;
use crate::graph::GraphError;
use crate::items::{id_of, time_field};
use crate::provider::MetaProvider;
use crate::sync::provider_error;

impl MetaProvider {
    /// The messages of `conversation` after the paging cursor `after` (older ones, Graph
    /// lists newest first), page by page until a page holds the message `newest_seen`, or
    /// one sent before `from`, or the conversation ends — at most `child_pages` pages. A
    /// paging cursor that expired restarts from the newest message once.
    pub(crate) async fn messages_back_to(
        &self,
        conversation: &str,
        after: String,
        newest_seen: Option<&str>,
        from: Option<Timestamp>,
    ) -> Result<Vec<Value>, ProviderError> {
        let path = format!("{conversation}/messages");
        let query = [
            ("fields", fields::MESSAGE.query()),
            ("limit", self.limits.children_per_page.to_string()),
        ];
        let mut messages = Vec::new();
        let mut after = Some(after);
        let mut restarted = false;
        let mut pages = 0;
        while pages < self.limits.child_pages.max(1) {
            let mut paged = query.to_vec();
            if let Some(after) = &after {
                paged.push(("after", after.clone()));
            }
            let page = match self.graph.get_page::<Value>(&path, &paged).await {
                Ok(page) => page,
                Err(GraphError::CursorExpired) if after.is_some() && !restarted => {
                    restarted = true;
                    after = None;
                    continue;
                }
                Err(error) => return Err(provider_error(error)),
            };
            pages += 1;
            let done = reached(&page.data, newest_seen, from) || page.after.is_none();
            messages.extend(page.data);
            if done {
                return Ok(messages);
            }
            after = page.after;
        }
        tracing::warn!(
            conversation,
            pages,
            "a conversation got more messages since the last fetch than Switchboard reads in one go; the oldest of them may be missing"
        );
        Ok(messages)
    }

    /// A conversation's messages, newest first as Graph lists them.
    pub(crate) async fn conversation_messages(
        &self,
        conversation: &str,
    ) -> Result<Vec<Item>, ProviderError> {
        let messages = self
            .read_all(
                &format!("{conversation}/messages"),
                &[
                    ("fields", fields::MESSAGE.query()),
                    ("limit", fields::INBOX_MESSAGES.to_string()),
                ],
                1,
            )
            .await?;
        Ok(self.read_items(&messages, "message", |m| {
            self.brand.message_item(m, conversation)
        }))
    }
}

/// Whether `messages` (newest first) reach back to the message `newest_seen` or to one
/// sent before `from`.
pub(super) fn reached(
    messages: &[Value],
    newest_seen: Option<&str>,
    from: Option<Timestamp>,
) -> bool {
    let seen = newest_seen.is_some_and(|seen| messages.iter().any(|m| key(id_of(m)) == seen));
    let old = from.is_some_and(|from| {
        messages
            .iter()
            .any(|m| time_field(m, "created_time").is_ok_and(|at| at < from))
    });
    seen || old
}
