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
    /// [`Engine::send_reply_once`] after the demo team's collision checks (sent anyway,
    /// the reply's `reply_queued` keeps what the person was told).
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
        let thread = shared.store.thread(id, now).await.map_err(to_api)?;
        let sent_anyway = match self.collision(&thread, seen_version, now) {
            Some((_, message)) if !send_anyway => {
                return Err(ApiError::new(ErrorCode::Collision, message))
            }
            // Sent anyway: its `reply_queued` keeps what the person was told.
            collision => collision.map(|(fact, _)| fact),
        };
        engine
            .send_reply_with(id, text, Some(key), sent_anyway)
            .await
    }

    /// What the person is told before a reply to `thread`, opened at `seen_version`: what
    /// happened, and the whole question.
    fn collision(
        &self,
        thread: &Thread,
        seen_version: Option<i64>,
        now: Timestamp,
    ) -> Option<(String, String)> {
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
                        let fact = format!(
                            "{name} replied {}, after you opened this",
                            ago(now, entry.at)
                        );
                        let message = format!("{fact}: “{}”. Send yours anyway?", quoted(text));
                        return Some((fact, message));
                    }
                    "claimed" if claimed.is_none() => {
                        claimed = Some(format!(
                            "{name} claimed this conversation {}, after you opened it",
                            ago(now, entry.at)
                        ));
                    }
                    _ => {}
                }
            }
            if let Some(fact) = claimed {
                let message = format!("{fact}. Send anyway?");
                return Some((fact, message));
            }
        }
        let holder = thread
            .conversation
            .claimed_by
            .as_deref()
            .filter(|h| *h != self.me)?;
        let fact = format!("{} is working on this conversation", self.name_of(holder));
        let message = format!("{fact}. Send anyway?");
        Some((fact, message))
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
