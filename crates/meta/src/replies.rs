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
//! - Instagram mention (another account's media whose caption @mentions the account):
//!   `POST /{ig}/mentions` (`media_id`, `message`), a comment on that media; the media and
//!   the account's comments on it are read back through `mentioned_media` ([`mentions`]).
//!   A mention that cannot be read back (deleted, no longer @mentioning, a photo tag only)
//!   is refused in plain words before posting, and Meta's refusal of the POST (comments
//!   turned off, say) is said plainly too.
//!
//! **Look before posting.** Graph takes no idempotency key, and the engine calls `reply`
//! again with the same idempotency key after a crash or a retry. So before every POST the
//! conversation is read, and when the brand already wrote this same text (whitespace
//! runs aside) after the answered item, that item is returned instead of posting again.
//!
//! **Settling.** Meta's listings lag behind its writes by seconds, so a reply just
//! applied may not be listed yet when it is looked for. When a POST fails in a way that
//! may have applied it — no answer in time ([`GraphError::Timeout`]), the connection
//! dropped or a server error ([`GraphError::Unavailable`]: 5xx, Graph codes 1 and 2, a
//! connection that failed — also one that failed before sending, which costs only the
//! extra reads), or an answer that cannot be read ([`GraphError::Malformed`]) — its
//! idempotency key is remembered as **unsettled**, with the moment of the attempt
//! ([`unsettled`], the memory and policy shared with the other clients in
//! [`switchboard_platforms::settling`]), for the settle period ([`crate::ScanLimits`]`::settle_period`, 2
//! minutes). A retry of an unsettled key reads the conversation up to `settle_reads`
//! times, `settle_pause` apart (3 reads 2 s apart: about 4 s), before concluding the
//! reply is not there and posting again; a first attempt reads once. A reply posted, or
//! found, settles its key; a refusal leaves it unsettled.
//!
//! Limits:
//! - a reply whose listing lags longer than the settle reads wait (about 4 s after the
//!   retry begins) is posted a second time;
//! - the memory of unsettled keys lives in this process only: after a crash it is empty
//!   and a retry reads once. In practice the engine restarts and retries later than the
//!   settle reads wait, so that one read finds a reply that was applied; a restart within
//!   seconds of the lost answer could still post it twice. A retry later than the settle
//!   period reads once too, for the same reason;
//! - a reply sent with a new key (not a retry) while an identical earlier one is not
//!   listed yet is posted again;
//! - the same text sent on purpose twice after the same customer item is sent once (the
//!   look is by text, whatever the key);
//! - a mention's answer is looked for among the first `child_pages` × `children_per_page`
//!   (500) comments of the mentioning media: on a media with more comments than that, an
//!   answer beyond them is not seen and would be posted again.

pub(crate) mod mentions;
pub(crate) mod unsettled;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_core::{Item, ItemKind, Platform, Timestamp};
use switchboard_platforms::settling::SettlePolicy;
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::fields;
use crate::graph::GraphError;
use crate::items::{str_field, Root};
use crate::provider::MetaProvider;
use crate::sync::provider_error;
use crate::text::{kept_text, plain_time};
use mentions::Mentioned;

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
    /// Posts `text` answering `target` once (see the module docs); `key` is the engine's
    /// idempotency key of this reply, the same on every retry.
    pub(crate) async fn post_reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        let root = self.root_of(target)?;
        if text.trim().is_empty() {
            return Err(ProviderError::Refused("the reply is empty".into()));
        }
        self.check_length(&root, text)?;
        let thread = match self.look_for_reply(&root, target, text, key).await? {
            Looked::Posted(posted) => {
                tracing::info!(item = %posted.native_id, "the reply was already posted; not posting it again");
                self.unsettled.forget(key);
                return Ok(posted);
            }
            Looked::NotThere(thread) => thread,
        };
        match &root {
            Root::Comment(id) | Root::Post(id) => {
                let (path, kind) = match self.brand.platform {
                    Platform::Instagram => (format!("{id}/replies"), ItemKind::Comment),
                    _ => (format!("{id}/comments"), ItemKind::Comment),
                };
                let attempted = Instant::now();
                let answer: Result<Value, GraphError> = self
                    .graph
                    .post(&path, &[("message", text.to_owned())])
                    .await;
                let posted_id = self.posted_id(key, attempted, answer, "id", "posted comment")?;
                Ok(self.brand.posted(&posted_id, &root, kind, text, now))
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
                let attempted = Instant::now();
                let answer: Result<Value, GraphError> = self
                    .graph
                    .post_json(&format!("{}/messages", self.brand.page_id), &body)
                    .await;
                let posted_id =
                    self.posted_id(key, attempted, answer, "message_id", "sent message")?;
                Ok(self
                    .brand
                    .posted(&posted_id, &root, ItemKind::DirectMessage, text, now))
            }
            Root::Media(media) => {
                let attempted = Instant::now();
                let answer = self.post_mention_reply(media, text).await;
                let posted_id = self.posted_id(key, attempted, answer, "id", "posted comment")?;
                Ok(self
                    .brand
                    .posted(&posted_id, &root, ItemKind::Comment, text, now))
            }
        }
    }

    /// Reads `root`'s conversation and looks for the brand's `text` after the answered
    /// item: once, or — when `key` is unsettled — up to the settle reads, pausing between
    /// them, until it is there.
    async fn look_for_reply(
        &self,
        root: &Root,
        target: &ReplyTarget,
        text: &str,
        key: &str,
    ) -> Result<Looked, ProviderError> {
        let reads = self
            .settle_policy()
            .reads_for(&self.unsettled, key, Instant::now(), 1);
        let mut read = 1;
        loop {
            let thread = match root {
                Root::Media(media) => match self.read_mention(media).await? {
                    Mentioned::Read(items) => items,
                    Mentioned::Gone(said) => {
                        return Err(ProviderError::Refused(format!(
                            "{} (Meta said: {said})",
                            mentions::GONE
                        )))
                    }
                },
                _ => self.read_thread(root).await?,
            };
            if let Some(posted) = already_posted(&thread, &target.in_reply_to, text) {
                return Ok(Looked::Posted(posted.clone()));
            }
            if read >= reads {
                return Ok(Looked::NotThere(thread));
            }
            tracing::info!(
                read,
                reads,
                "an earlier attempt of this reply may have been applied at Meta; reading the conversation again before posting"
            );
            tokio::time::sleep(self.limits.settle_pause).await;
            read += 1;
        }
    }

    /// The settle policy of [`crate::ScanLimits`].
    fn settle_policy(&self) -> SettlePolicy {
        SettlePolicy {
            period: self.limits.settle_period,
            reads: self.limits.settle_reads,
            pause: self.limits.settle_pause,
        }
    }

    /// The id in the `field` of a POST's `answer`, settling `key`; a failure that may have
    /// applied the POST attempted at `attempted` leaves `key` unsettled.
    fn posted_id(
        &self,
        key: &str,
        attempted: Instant,
        answer: Result<Value, GraphError>,
        field: &str,
        what: &str,
    ) -> Result<String, ProviderError> {
        let unsettle = || {
            self.unsettled
                .remember(key, attempted, self.limits.settle_period);
        };
        let answer = answer.map_err(|error| {
            if may_have_applied(&error) {
                tracing::warn!(%error, "a reply's POST may have been applied at Meta; a retry will look for it a few times");
                unsettle();
            }
            provider_error(error)
        })?;
        match str_field(&answer, field) {
            Ok(id) => {
                self.unsettled.forget(key);
                Ok(id.to_owned())
            }
            Err(why) => {
                unsettle();
                Err(ProviderError::Malformed(format!(
                    "the {what}'s answer: {why}"
                )))
            }
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

/// What looking for a reply found.
enum Looked {
    /// The brand's reply, already posted.
    Posted(Item),
    /// Not there; the conversation as last read.
    NotThere(Vec<Item>),
}

/// Whether a failed POST may still have been applied at Meta (the module docs say which).
fn may_have_applied(error: &GraphError) -> bool {
    matches!(
        error,
        GraphError::Timeout(_) | GraphError::Unavailable(_) | GraphError::Malformed(_)
    )
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
