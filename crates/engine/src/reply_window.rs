//! Meta's **messaging window**: a Facebook Page may answer a Messenger conversation, and an
//! Instagram account an Instagram message conversation, only within 24 hours of the
//! customer's latest message (the **standard window**); with Meta's `HUMAN_AGENT` tag —
//! where the workspace policy allows it (`[meta] human_agent_tag = true`) and Meta granted
//! the feature — a person may still answer until 7 days after it.
//!
//! The window is shown on each such conversation ([`ConversationSummary::reply_window`],
//! filled here for the lists and the thread) and checked when a reply is written: past it
//! the reply is refused before anything is queued ([`ErrorCode::WindowClosed`]), in plain
//! words saying when it closed. Comments are not messages: they have no window.
//!
//! The window runs from the **latest customer item** of the conversation (the one a reply
//! would answer), by the engine's clock.
//!
//! The tag itself is added by the account's provider, which follows the policy in force
//! at each reply (`accounts::meta_tagged`), so the check here and the reply
//! agree also right after the policy changed.

use switchboard_core::{
    ApiError, ConversationSummary, ErrorCode, Item, ItemKind, Platform, ReplyWindow, Timestamp,
};

use crate::api::to_api;
use crate::Shared;

/// The standard window: 24 hours.
pub(crate) const STANDARD_WINDOW_MILLIS: i64 = 24 * 3_600_000;

/// The human-agent window: 7 days.
pub(crate) const HUMAN_AGENT_WINDOW_MILLIS: i64 = 7 * 24 * 3_600_000;

/// Whether conversations on `platform` started by `kind` are messages with a window.
fn has_window(platform: Platform, kind: ItemKind) -> bool {
    matches!(platform, Platform::Facebook | Platform::Instagram) && kind == ItemKind::DirectMessage
}

/// The window of a conversation whose latest customer item is `latest` (`None`: not a
/// Messenger / Instagram message, so no window).
pub(crate) fn window_of(latest: &Item, human_agent_tag: bool) -> Option<ReplyWindow> {
    if !has_window(latest.platform, latest.kind) {
        return None;
    }
    Some(ReplyWindow {
        closes_at: latest.created_at.plus_millis(STANDARD_WINDOW_MILLIS),
        human_agent_until: human_agent_tag
            .then(|| latest.created_at.plus_millis(HUMAN_AGENT_WINDOW_MILLIS)),
    })
}

/// Why a reply on `platform` cannot go at `now` through `window` (`None`: it may go),
/// with times in `zone`.
pub(crate) fn refusal(
    platform: Platform,
    window: &ReplyWindow,
    now: Timestamp,
    zone: &jiff::tz::TimeZone,
) -> Option<String> {
    if now < window.closes_at {
        return None;
    }
    let inbox = match platform {
        Platform::Instagram => "Instagram messaging",
        _ => "Messenger",
    };
    let owner = match platform {
        Platform::Instagram => "an Instagram account",
        _ => "a Page",
    };
    match window.human_agent_until {
        Some(until) if now < until => None,
        Some(until) => Some(format!(
            "This conversation can no longer be answered: the customer's latest message is \
             more than 7 days old (the human-agent window closed at {}). Meta does not let {owner} \
             answer later; the customer has to write again first.",
            when(until, now, zone)
        )),
        None => Some(format!(
            "The 24-hour {inbox} window for this conversation closed at {}; Meta does not let \
             {owner} answer later. Nothing was sent. The customer has to write again first \
             (or, if Meta granted your app the Human Agent feature, the workspace policy can \
             allow answering up to 7 days with human_agent_tag = true under [meta]).",
            when(window.closes_at, now, zone)
        )),
    }
}

/// `at` as a person says it from `now`: "14:05 today", "14:05 yesterday",
/// "14:05 on Thursday 3 December".
fn when(at: Timestamp, now: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let zoned = |t: Timestamp| {
        jiff::Timestamp::from_millisecond(t.millis())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .to_zoned(zone.clone())
    };
    let (at, now) = (zoned(at), zoned(now));
    let time = at.strftime("%H:%M");
    let today = now.date();
    if at.date() == today {
        format!("{time} today")
    } else if today.yesterday().ok() == Some(at.date()) {
        format!("{time} yesterday")
    } else {
        format!("{time} on {}", at.strftime("%A %-d %B"))
    }
}

impl Shared {
    /// The window of conversation `id`, from its latest customer item (`None`: no window).
    async fn reply_window_of(&self, id: i64) -> Result<Option<(Platform, ReplyWindow)>, ApiError> {
        let Some(latest) = self.store.reply_would_answer(id).await.map_err(to_api)? else {
            return Ok(None);
        };
        let tag = self.policy().meta.human_agent_tag;
        Ok(window_of(&latest, tag).map(|window| (latest.platform, window)))
    }

    /// Fills [`ConversationSummary::reply_window`] of the Messenger / Instagram message
    /// conversations among `rows` (the store leaves it empty).
    pub(crate) async fn fill_reply_windows(&self, rows: &mut [ConversationSummary]) {
        for row in rows.iter_mut() {
            if !has_window(row.platform, row.kind) {
                continue;
            }
            match self.reply_window_of(row.id).await {
                Ok(found) => row.reply_window = found.map(|(_, window)| window),
                Err(e) => {
                    tracing::warn!(conversation = row.id, error = %e.message, "could not read the messaging window");
                }
            }
        }
    }

    /// Refuses a reply to conversation `id` past its messaging window
    /// ([`ErrorCode::WindowClosed`]); anything else may go.
    pub(crate) async fn check_reply_window(&self, id: i64) -> Result<(), ApiError> {
        let Some((platform, window)) = self.reply_window_of(id).await? else {
            return Ok(());
        };
        match refusal(platform, &window, self.now(), &jiff::tz::TimeZone::system()) {
            Some(message) => Err(ApiError::new(ErrorCode::WindowClosed, message)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_core::{Author, ThreadKey};

    const HOUR: i64 = 3_600_000;

    fn message(platform: Platform, kind: ItemKind, at: i64) -> Item {
        Item {
            platform,
            account: "1".into(),
            native_id: "m_1".into(),
            thread: ThreadKey("t_1".into()),
            kind,
            author: Author {
                handle: "c".into(),
                display_name: "C".into(),
            },
            from_brand: false,
            text: "hello".into(),
            lang: None,
            created_at: Timestamp(at),
        }
    }

    fn utc() -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::UTC
    }

    /// 2026-12-06T14:05:00Z.
    const SENT: i64 = 1_796_565_900_000;

    #[test]
    fn only_meta_messages_have_a_window_of_24_hours_or_7_days_with_the_tag() {
        let dm = message(Platform::Facebook, ItemKind::DirectMessage, SENT);
        let window = window_of(&dm, false).unwrap();
        assert_eq!(window.closes_at, Timestamp(SENT + 24 * HOUR));
        assert_eq!(window.human_agent_until, None);
        let tagged = window_of(&dm, true).unwrap();
        assert_eq!(
            tagged.human_agent_until,
            Some(Timestamp(SENT + 7 * 24 * HOUR))
        );
        let ig = message(Platform::Instagram, ItemKind::DirectMessage, SENT);
        assert!(window_of(&ig, false).is_some());
        for (platform, kind) in [
            (Platform::Facebook, ItemKind::Comment),
            (Platform::Instagram, ItemKind::Mention),
            (Platform::Mastodon, ItemKind::DirectMessage),
            (Platform::Bluesky, ItemKind::DirectMessage),
        ] {
            assert_eq!(window_of(&message(platform, kind, SENT), true), None);
        }
    }

    #[test]
    fn a_reply_inside_the_window_goes_and_one_past_it_is_refused_saying_when_it_closed() {
        let dm = message(Platform::Facebook, ItemKind::DirectMessage, SENT);
        let window = window_of(&dm, false).unwrap();
        let just_before = Timestamp(SENT + 24 * HOUR - 1);
        assert_eq!(
            refusal(Platform::Facebook, &window, just_before, &utc()),
            None
        );
        // The next day, 10:00: it closed at 14:05 yesterday.
        let later = Timestamp(SENT + 24 * HOUR + 20 * HOUR - 5 * 60_000);
        let message = refusal(Platform::Facebook, &window, later, &utc()).unwrap();
        assert!(
            message.starts_with(
                "The 24-hour Messenger window for this conversation closed at 14:05 yesterday; \
                 Meta does not let a Page answer later."
            ),
            "{message}"
        );
        assert!(message.contains("human_agent_tag"), "{message}");
        let same_day = Timestamp(SENT + 24 * HOUR + HOUR);
        let message = refusal(Platform::Instagram, &window, same_day, &utc()).unwrap();
        assert!(message.contains("Instagram messaging window"), "{message}");
        assert!(message.contains("closed at 14:05 today"), "{message}");
        let long_after = Timestamp(SENT + 5 * 24 * HOUR);
        let message = refusal(Platform::Facebook, &window, long_after, &utc()).unwrap();
        assert!(message.contains("14:05 on Monday 7 December"), "{message}");
    }

    #[test]
    fn with_the_tag_a_person_may_answer_until_7_days() {
        let dm = message(Platform::Instagram, ItemKind::DirectMessage, SENT);
        let window = window_of(&dm, true).unwrap();
        let day_three = Timestamp(SENT + 3 * 24 * HOUR);
        assert_eq!(
            refusal(Platform::Instagram, &window, day_three, &utc()),
            None
        );
        let day_eight = Timestamp(SENT + 8 * 24 * HOUR);
        let message = refusal(Platform::Instagram, &window, day_eight, &utc()).unwrap();
        assert!(message.contains("more than 7 days old"), "{message}");
        assert!(message.contains("an Instagram account"), "{message}");
    }
}
