//! Answering: a comment reply on the thread, or a message in the conversation.
//!
//! - Facebook comment thread: `POST /{top-level comment}/comments` (`message`); visitor
//!   post: `POST /{post}/comments`.
//! - Instagram comment thread: `POST /{top-level comment}/replies` (`message`).
//! - Messenger / Instagram conversation: `POST /{page}/messages` with
//!   `{"recipient":{"id":<customer's PSID/IGSID>},"messaging_type":"RESPONSE",
//!   "message":{"text":…}}`, within the **messaging window**: 24 hours after the
//!   customer's latest message. Between 24 hours and 7 days, only when the policy allows
//!   it (`human_agent_tag`), as `messaging_type: MESSAGE_TAG, tag: HUMAN_AGENT`; otherwise
//!   the reply is refused before Meta is called, saying when the window closed. Meta's own
//!   refusal for a closed window is reported the same way.
//! - Instagram mentions are not answered from Switchboard (the mention's comments cannot
//!   be read back, so a reply could not be checked before posting again).
//!
//! **Look before posting.** Graph takes no idempotency key, and the engine calls `reply`
//! again with the same key after a crash or a retry. So before every POST the
//! conversation is read, and when the brand already wrote this same text (whitespace
//! runs aside) after the answered item, that item is returned instead of posting again.
//! Limits: a reply posted but not yet listed by Meta when the conversation is read again
//! (Meta's listings can lag by seconds) is posted a second time; and the same text sent
//! on purpose twice after the same customer item is sent once.

use std::time::Duration;

use serde_json::{json, Value};
use switchboard_core::{Item, ItemKind, Platform, Timestamp};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::fields;
use crate::items::{str_field, Root};
use crate::provider::MetaProvider;
use crate::sync::provider_error;
use crate::text::{kept_text, plain_time};

/// The messaging window after the customer's latest message.
pub(crate) const WINDOW: Duration = Duration::from_secs(24 * 3600);
/// How long the `HUMAN_AGENT` tag extends it.
pub(crate) const HUMAN_AGENT_WINDOW: Duration = Duration::from_secs(7 * 24 * 3600);

/// The longest Facebook comment (characters).
pub(crate) const FACEBOOK_COMMENT_CHARS: usize = 8000;
/// The longest Messenger text (characters).
pub(crate) const MESSENGER_TEXT_CHARS: usize = 2000;
/// The longest Instagram comment (characters).
pub(crate) const INSTAGRAM_COMMENT_CHARS: usize = 2200;
/// The longest Instagram message text (bytes of UTF-8).
pub(crate) const INSTAGRAM_TEXT_BYTES: usize = 1000;

/// How a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Send {
    /// Within 24 hours.
    Response,
    /// With the `HUMAN_AGENT` tag.
    HumanAgent,
}

impl MetaProvider {
    /// Posts `text` answering `target` once (see the module docs).
    pub(crate) async fn post_reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        let root = self.root_of(target)?;
        if text.trim().is_empty() {
            return Err(ProviderError::Refused("the reply is empty".into()));
        }
        self.check_length(&root, text)?;
        if matches!(root, Root::Media(_)) {
            return Err(ProviderError::Unsupported(
                "answering an Instagram mention from Switchboard (answer it in Instagram)",
            ));
        }
        let thread = self.read_thread(&root).await?;
        if let Some(posted) = already_posted(&thread, &target.in_reply_to, text) {
            tracing::info!(item = %posted.native_id, "the reply was already posted; not posting it again");
            return Ok(posted.clone());
        }
        match &root {
            Root::Comment(id) | Root::Post(id) => {
                let (path, kind) = match self.brand.platform {
                    Platform::Instagram => (format!("{id}/replies"), ItemKind::Comment),
                    _ => (format!("{id}/comments"), ItemKind::Comment),
                };
                let answer: Value = self
                    .graph
                    .post(&path, &[("message", text.to_owned())])
                    .await
                    .map_err(provider_error)?;
                let posted_id = str_field(&answer, "id").map_err(|why| {
                    ProviderError::Malformed(format!("the posted comment's answer: {why}"))
                })?;
                Ok(self.brand.posted(posted_id, &root, kind, text, now))
            }
            Root::Conversation(id) => {
                let send = self.window(&thread, now)?;
                let recipient = self.customer_of(id).await?;
                let mut body = json!({
                    "recipient": {"id": recipient},
                    "messaging_type": "RESPONSE",
                    "message": {"text": text},
                });
                if send == Send::HumanAgent {
                    body["messaging_type"] = json!("MESSAGE_TAG");
                    body["tag"] = json!("HUMAN_AGENT");
                }
                let answer: Value = self
                    .graph
                    .post_json(&format!("{}/messages", self.brand.page_id), &body)
                    .await
                    .map_err(provider_error)?;
                let posted_id = str_field(&answer, "message_id").map_err(|why| {
                    ProviderError::Malformed(format!("the sent message's answer: {why}"))
                })?;
                Ok(self
                    .brand
                    .posted(posted_id, &root, ItemKind::DirectMessage, text, now))
            }
            Root::Media(_) => unreachable!("refused above"),
        }
    }

    /// Refuses a reply longer than Meta takes for `root`'s kind.
    fn check_length(&self, root: &Root, text: &str) -> Result<(), ProviderError> {
        let chars = text.chars().count();
        let (too_long, limit) = match (root, self.brand.platform) {
            (Root::Conversation(_), Platform::Instagram) => (
                text.len() > INSTAGRAM_TEXT_BYTES,
                format!("Instagram messages take at most {INSTAGRAM_TEXT_BYTES} bytes"),
            ),
            (Root::Conversation(_), _) => (
                chars > MESSENGER_TEXT_CHARS,
                format!("Messenger messages take at most {MESSENGER_TEXT_CHARS} characters"),
            ),
            (_, Platform::Instagram) => (
                chars > INSTAGRAM_COMMENT_CHARS,
                format!("Instagram comments take at most {INSTAGRAM_COMMENT_CHARS} characters"),
            ),
            _ => (
                chars > FACEBOOK_COMMENT_CHARS,
                format!("Facebook comments take at most {FACEBOOK_COMMENT_CHARS} characters"),
            ),
        };
        if too_long {
            return Err(ProviderError::Refused(format!(
                "the reply is too long: {limit}"
            )));
        }
        Ok(())
    }

    /// How a message may be sent at `now` in a conversation whose items are `thread`.
    fn window(&self, thread: &[Item], now: Timestamp) -> Result<Send, ProviderError> {
        let Some(latest) = thread
            .iter()
            .filter(|item| !item.from_brand)
            .map(|item| item.created_at)
            .max()
        else {
            return Err(ProviderError::Refused(
                "the customer has not written in this conversation, so Meta does not let the Page write first".into(),
            ));
        };
        let closes = latest.plus_millis(WINDOW.as_millis() as i64);
        if now <= closes {
            return Ok(Send::Response);
        }
        let tag_closes = latest.plus_millis(HUMAN_AGENT_WINDOW.as_millis() as i64);
        if self.options.human_agent_tag && now <= tag_closes {
            return Ok(Send::HumanAgent);
        }
        let mut why = format!(
            "the 24-hour messaging window closed at {} (the customer's latest message was at {}); \
             Meta lets a Page answer a message only within 24 hours of the customer's latest one",
            plain_time(closes),
            plain_time(latest)
        );
        if self.options.human_agent_tag {
            why.push_str(", or within 7 days with the human-agent tag, which has passed too");
        }
        why.push_str(". The customer has to write again first.");
        Err(ProviderError::Refused(why))
    }

    /// The customer's id (PSID / IGSID) in a conversation: the participant who is not
    /// the brand.
    async fn customer_of(&self, conversation: &str) -> Result<String, ProviderError> {
        let object = self.get(conversation, &fields::CONVERSATION).await?;
        let participants = object
            .get("participants")
            .and_then(|p| p.get("data"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                ProviderError::Malformed("the conversation lists no participants".into())
            })?;
        participants
            .iter()
            .find_map(|p| {
                let id = p.get("id")?.as_str()?;
                let username = p.get("username").and_then(Value::as_str);
                (!self.brand.is_brand(Some(id), username)).then(|| id.to_owned())
            })
            .ok_or_else(|| {
                ProviderError::Malformed("the conversation has no participant but the Page".into())
            })
    }
}

/// The brand item in `thread` after `answered` with the same text as `text`, if any.
/// When `answered` is not in the thread, brand items after the customer's latest item
/// are looked at.
fn already_posted<'a>(thread: &'a [Item], answered: &str, text: &str) -> Option<&'a Item> {
    let start = thread
        .iter()
        .position(|item| item.native_id == answered)
        .or_else(|| thread.iter().rposition(|item| !item.from_brand))
        .map_or(0, |at| at + 1);
    let wanted = same_text(&kept_text(text));
    thread[start.min(thread.len())..]
        .iter()
        .find(|item| item.from_brand && same_text(&item.text) == wanted)
}

/// Text compared for "the same reply": as items keep it ([`kept_text`]), whitespace runs
/// as one space, trimmed.
fn same_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, ThreadKey};

    fn item(id: &str, brand: bool, text: &str) -> Item {
        Item {
            platform: Platform::Facebook,
            account: "1".into(),
            native_id: id.into(),
            thread: ThreadKey("facebook:1:comment:1".into()),
            kind: ItemKind::Comment,
            author: Author {
                handle: "x".into(),
                display_name: "x".into(),
            },
            from_brand: brand,
            text: text.into(),
            lang: None,
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn finds_the_same_text_after_the_answered_item_only() {
        let thread = vec![
            item("1", false, "help"),
            item("2", true, "Thanks!"),
            item("3", false, "still broken"),
            item("4", true, "We are  on it"),
        ];
        assert_eq!(
            already_posted(&thread, "3", "We are on it")
                .unwrap()
                .native_id,
            "4"
        );
        assert!(already_posted(&thread, "3", "Thanks!").is_none());
        assert_eq!(
            already_posted(&thread, "1", "Thanks!").unwrap().native_id,
            "2"
        );
        assert_eq!(
            already_posted(&thread, "gone", "We are on it")
                .unwrap()
                .native_id,
            "4"
        );
        assert!(already_posted(&thread, "gone", "Thanks!").is_none());
    }
}
