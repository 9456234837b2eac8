//! Collision checks at send time, in a team workspace.
//!
//! The window sends, with a reply, the conversation's **version** it showed when the
//! person opened it (`seen_version`: the local position of the conversation's latest
//! event then). Before the reply goes, what happened since is looked at: a teammate's
//! reply (queued, or waiting for a lead's approval), a brand reply posted on the
//! platform from elsewhere, a teammate's claim — and, whatever the version, a **live
//! claim** of someone else (the conversation is claimed by a teammate now). Any of these
//! is a **collision**: the send is refused with [`ErrorCode::Collision`] and what happened,
//! in plain words ("Ana replied 2 min ago, after you opened this: “Thanks…”. Send yours
//! anyway?"). Sent again with `send_anyway`, the reply goes and its `reply_queued` keeps
//! what the person was told (`sent_anyway`), so the log shows it.
//!
//! A resend of a reply already queued (or awaiting approval) under its key is never a
//! collision: it stands as it is. Outside a team nothing is checked.

use switchboard_core::{ApiError, ErrorCode, EventKind, Thread, Timestamp};
use switchboard_store::{LoggedEvent, StoreError};

use switchboard_team::Member;

use crate::api::to_api;
use crate::outbox::{checked_reply, platform_label, Confirmed};
use crate::reply_keys::{reply_key, ReplyKey};
use crate::{Engine, Shared};

/// How much of a teammate's reply the warning quotes, in characters.
const QUOTE_CHARS: usize = 80;

impl Engine {
    /// [`Engine::send_reply_once`] after the collision checks (team workspaces only; see
    /// the module docs).
    pub async fn send_reply_checked(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        seen_version: Option<i64>,
        send_anyway: bool,
    ) -> Result<Thread, ApiError> {
        let overrides = Vec::new();
        self.send_reply_checked_with(
            id,
            text,
            idempotency_key,
            seen_version,
            send_anyway,
            overrides,
        )
        .await
    }

    /// [`Engine::send_reply_checked`], logging `guardrail_overrides` (the guardrail
    /// warnings the writer confirmed) with the reply.
    pub(crate) async fn send_reply_checked_with(
        &self,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        seen_version: Option<i64>,
        send_anyway: bool,
        guardrail_overrides: Vec<String>,
    ) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        let Some(replica) = &shared.team else {
            let confirmed = Confirmed {
                sent_anyway: None,
                guardrail_overrides,
            };
            if let Some(demo) = shared.demo_team.get() {
                let check = (seen_version, send_anyway);
                return demo
                    .send_reply_checked(self, id, text, idempotency_key, check, confirmed)
                    .await;
            }
            return self
                .send_reply_with(id, text, idempotency_key, confirmed)
                .await;
        };
        let text = checked_reply(text)?;
        let now = shared.now();
        let key = match reply_key(shared, id, idempotency_key, now).await? {
            ReplyKey::Fresh(key) => key,
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        if super::approval::requested(shared, id, &key).await? {
            return shared.thread(id).await;
        }
        let members = replica.membership.members(replica).await;
        let sent_anyway = match check(shared, &replica.member, &members, id, seen_version, now)
            .await
            .map_err(to_api)?
        {
            Some(collision) if !send_anyway => {
                return Err(ApiError::new(ErrorCode::Collision, collision.message()))
            }
            collision => collision.map(|c| c.fact),
        };
        if let Some(collision) = &sent_anyway {
            tracing::info!(conversation = id, %collision, "reply sent anyway");
        }
        let confirmed = Confirmed {
            sent_anyway,
            guardrail_overrides,
        };
        self.send_reply_with(id, text, Some(key), confirmed).await
    }
}

/// What the person is told before their reply goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Collision {
    /// What happened ("Ana replied 2 min ago, after you opened this"): logged when the
    /// reply is sent anyway.
    pub fact: String,
    /// The teammate's words, when they replied.
    pub quote: Option<String>,
    /// Whether the person is about to reply after someone else did (else: someone is on
    /// the conversation).
    pub replied: bool,
}

impl Collision {
    /// The whole question, as the reply box shows it.
    pub fn message(&self) -> String {
        let question = if self.replied {
            "Send yours anyway?"
        } else {
            "Send anyway?"
        };
        match &self.quote {
            Some(quote) => format!("{}: “{quote}”. {question}", self.fact),
            None => format!("{}. {question}", self.fact),
        }
    }
}

/// The collision a reply to conversation `id` by member `me` would make, if any, when
/// they opened it at version `seen_version` (see the module docs); `members` name the
/// teammates.
pub(crate) async fn check(
    shared: &Shared,
    me: &str,
    members: &[Member],
    id: i64,
    seen_version: Option<i64>,
    now: Timestamp,
) -> Result<Option<Collision>, StoreError> {
    let events = shared.store.events_after(id, 0).await?;
    let by_other = |e: &LoggedEvent| e.event.by.as_deref().is_some_and(|by| by != me);
    if let Some(seen) = seen_version {
        let since: Vec<&LoggedEvent> = events.iter().filter(|e| e.seq > seen).collect();
        // A teammate's reply first: it is what the person would repeat.
        if let Some(reply) = since.iter().rev().find(|e| {
            by_other(e)
                && matches!(
                    e.event.kind,
                    EventKind::ReplyQueued { .. } | EventKind::ReplyAwaitingApproval { .. }
                )
        }) {
            let name = name(members, reply.event.by.as_deref());
            let ago = ago(now, reply.event.at);
            let (fact, text) = match &reply.event.kind {
                EventKind::ReplyAwaitingApproval { text, .. } => (
                    format!(
                        "{name} wrote a reply {ago}, after you opened this (it waits for a \
                         lead's approval)"
                    ),
                    text,
                ),
                EventKind::ReplyQueued { text, .. } => {
                    (format!("{name} replied {ago}, after you opened this"), text)
                }
                _ => unreachable!("filtered above"),
            };
            return Ok(Some(Collision {
                fact,
                quote: Some(quoted(text.as_str())),
                replied: true,
            }));
        }
        // A brand reply posted from elsewhere (not by this laptop).
        for event in since.iter().rev() {
            let EventKind::BrandReplyObserved { item, .. } = &event.event.kind else {
                continue;
            };
            if shared.store.posted_here(&item.native_id).await? {
                continue;
            }
            return Ok(Some(Collision {
                fact: format!(
                    "A reply was posted on {} {}, after you opened this",
                    platform_label(item.platform),
                    ago(now, event.event.at)
                ),
                quote: Some(quoted(&item.text)),
                replied: true,
            }));
        }
        if let Some(claim) = since
            .iter()
            .rev()
            .find(|e| by_other(e) && e.event.kind == EventKind::Claimed)
        {
            let name = name(members, claim.event.by.as_deref());
            return Ok(Some(Collision {
                fact: format!(
                    "{name} claimed this conversation {}, after you opened it",
                    ago(now, claim.event.at)
                ),
                quote: None,
                replied: false,
            }));
        }
    }
    // Someone else holds it now, whatever the person saw.
    let conversation = shared.store.conversation(id, now).await?;
    let Some(holder) = conversation.claimed_by.filter(|holder| holder != me) else {
        return Ok(None);
    };
    let since = events
        .iter()
        .rev()
        .find(|e| {
            e.event.by.as_deref() == Some(holder.as_str())
                && matches!(
                    e.event.kind,
                    EventKind::Claimed
                        | EventKind::ReplyQueued { .. }
                        | EventKind::ReplyAwaitingApproval { .. }
                )
        })
        .map(|e| format!(" (claimed {})", ago(now, e.event.at)))
        .unwrap_or_default();
    let name = name(members, Some(&holder));
    Ok(Some(Collision {
        fact: format!("{name} is working on this conversation{since}"),
        quote: None,
        replied: false,
    }))
}

/// Member `by`'s name (their id when unknown).
fn name(members: &[Member], by: Option<&str>) -> String {
    let Some(by) = by else {
        return "Someone".into();
    };
    members
        .iter()
        .find(|m| m.login_role == by)
        .map_or_else(|| by.to_owned(), |m| m.name.clone())
}

/// How long before `now` `at` was, in words ("just now", "2 min ago").
pub(crate) fn ago(now: Timestamp, at: Timestamp) -> String {
    let seconds = (now.millis() - at.millis()).max(0) / 1000;
    match seconds {
        0..=9 => "just now".into(),
        10..=59 => format!("{seconds} s ago"),
        60..=3_599 => format!("{} min ago", seconds / 60),
        3_600..=86_399 => format!("{} h ago", seconds / 3_600),
        _ => match seconds / 86_400 {
            1 => "1 day ago".into(),
            days => format!("{days} days ago"),
        },
    }
}

/// The start of `text` on one line, cut at [`QUOTE_CHARS`] with an ellipsis.
fn quoted(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= QUOTE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(QUOTE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_words() {
        let now = Timestamp(10_000_000);
        assert_eq!(ago(now, Timestamp(now.millis() - 3_000)), "just now");
        assert_eq!(ago(now, Timestamp(now.millis() + 3_000)), "just now");
        assert_eq!(ago(now, Timestamp(now.millis() - 42_000)), "42 s ago");
        assert_eq!(ago(now, Timestamp(now.millis() - 150_000)), "2 min ago");
        assert_eq!(ago(now, Timestamp(now.millis() - 7_300_000)), "2 h ago");
    }

    #[test]
    fn long_replies_are_quoted_short_on_one_line() {
        assert_eq!(quoted("Thanks,\nwe're on it"), "Thanks, we're on it");
        let long = "word ".repeat(40);
        let quote = quoted(&long);
        assert!(quote.ends_with('…'));
        assert!(quote.chars().count() <= QUOTE_CHARS);
    }

    #[test]
    fn the_question_says_what_happened_first() {
        let replied = Collision {
            fact: "Ana replied 2 min ago, after you opened this".into(),
            quote: Some("Thanks, we're on it".into()),
            replied: true,
        };
        assert_eq!(
            replied.message(),
            "Ana replied 2 min ago, after you opened this: “Thanks, we're on it”. Send yours anyway?"
        );
        let claimed = Collision {
            fact: "Ana is working on this conversation (claimed 5 min ago)".into(),
            quote: None,
            replied: false,
        };
        assert_eq!(
            claimed.message(),
            "Ana is working on this conversation (claimed 5 min ago). Send anyway?"
        );
    }
}
