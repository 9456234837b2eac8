//! Collision checks at send time in the demo team: a demo teammate's reply or claim since
//! the person opened the conversation (`seen_version`), or a demo teammate holding it now,
//! refuses the send with [`ErrorCode::Collision`] in the team's words ("Ana Ruiz replied
//! just now, after you opened this: “…”. Send yours anyway?"); sent again with
//! `send_anyway`, it goes.

use switchboard_core::{ApiError, ErrorCode, Thread, Timestamp};

use super::DemoTeam;
use crate::api::to_api;
use crate::reply_keys::{reply_key, ReplyKey};
use crate::Engine;

/// How much of a teammate's reply the warning quotes, in characters.
const QUOTE_CHARS: usize = 80;

impl DemoTeam {
    /// [`Engine::send_reply_once`] after the demo team's collision checks.
    pub async fn send_reply_checked(
        &self,
        engine: &Engine,
        id: i64,
        text: String,
        idempotency_key: Option<String>,
        seen_version: Option<i64>,
        send_anyway: bool,
    ) -> Result<Thread, ApiError> {
        let shared = &engine.shared;
        let now = shared.now();
        let key = match reply_key(shared, id, idempotency_key, now).await? {
            ReplyKey::Fresh(key) => key,
            // A resend of a reply already queued stands as it is.
            ReplyKey::Queued(thread) => return Ok(*thread),
        };
        if !send_anyway {
            let thread = shared.store.thread(id, now).await.map_err(to_api)?;
            if let Some(message) = self.collision(&thread, seen_version, now) {
                return Err(ApiError::new(ErrorCode::Collision, message));
            }
        }
        engine.send_reply_once(id, text, Some(key)).await
    }

    /// What the person is told before a reply to `thread`, opened at `seen_version`.
    fn collision(
        &self,
        thread: &Thread,
        seen_version: Option<i64>,
        now: Timestamp,
    ) -> Option<String> {
        let teammate = |by: &Option<String>| by.as_deref().is_some_and(|by| by != self.me);
        if let Some(seen) = seen_version {
            let since = thread
                .history
                .iter()
                .rev()
                .filter(|h| h.seq > seen && teammate(&h.by));
            let mut claimed = None;
            for entry in since {
                let name = self.name_of(entry.by.as_deref().unwrap_or_default());
                match entry.kind.as_str() {
                    "reply_queued" => {
                        let text = entry
                            .detail
                            .split_once(": ")
                            .map_or(entry.detail.as_str(), |(_, text)| text);
                        return Some(format!(
                            "{name} replied {}, after you opened this: “{}”. Send yours anyway?",
                            ago(now, entry.at),
                            quoted(text)
                        ));
                    }
                    "claimed" if claimed.is_none() => {
                        claimed = Some(format!(
                            "{name} claimed this conversation {}, after you opened it. Send \
                             anyway?",
                            ago(now, entry.at)
                        ));
                    }
                    _ => {}
                }
            }
            if claimed.is_some() {
                return claimed;
            }
        }
        let holder = thread
            .conversation
            .claimed_by
            .as_deref()
            .filter(|h| *h != self.me)?;
        Some(format!(
            "{} is working on this conversation. Send anyway?",
            self.name_of(holder)
        ))
    }
}

/// How long before `now` `at` was, in words ("just now", "42 s ago", "2 min ago").
fn ago(now: Timestamp, at: Timestamp) -> String {
    let seconds = (now.millis() - at.millis()).max(0) / 1000;
    match seconds {
        0..=9 => "just now".into(),
        10..=59 => format!("{seconds} s ago"),
        60..=3_599 => format!("{} min ago", seconds / 60),
        _ => format!("{} h ago", seconds / 3_600),
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
