//! The instance's reply limit: `configuration.statuses.max_characters` (and
//! `characters_reserved_per_url`) from `GET /api/v2/instance`, else `/api/v1/instance`
//! (where Pleroma and Akkoma say `max_toot_chars`); 500 and 23, Mastodon's defaults, when
//! the instance answers without them. Read once per provider and kept; when the instance
//! cannot be asked, the limit is unknown for now.

use serde_json::Value;
use switchboard_platforms::{Counting, ReplyLimit};

use crate::provider::MastodonProvider;

/// Mastodon's default limit.
const DEFAULT_MAX_CHARACTERS: usize = 500;
/// What Mastodon counts a link as by default.
const DEFAULT_URL_CHARACTERS: usize = 23;

impl MastodonProvider {
    pub(crate) async fn instance_reply_limit(&self) -> Option<ReplyLimit> {
        if let Some(known) = self.known_limit() {
            return Some(known);
        }
        let mut instance = None;
        for path in ["api/v2/instance", "api/v1/instance"] {
            match self.api.get_optional::<Value>(path, &[]).await {
                Ok(Some(answer)) => {
                    instance = Some(answer.body);
                    break;
                }
                Ok(None) => continue,
                Err(error) => {
                    tracing::info!(error = %error, "could not read the instance's reply limit");
                    return None;
                }
            }
        }
        let limit = limit_of(&instance?, &self.brand.host);
        *self.reply_limit.lock().unwrap_or_else(|p| p.into_inner()) = Some(limit.clone());
        Some(limit)
    }

    fn known_limit(&self) -> Option<ReplyLimit> {
        self.reply_limit
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// The limit an instance document states.
fn limit_of(instance: &Value, host: &str) -> ReplyLimit {
    let number = |value: &Value| {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
    };
    let statuses = &instance["configuration"]["statuses"];
    let max = number(&statuses["max_characters"])
        .or_else(|| number(&instance["max_toot_chars"]))
        .unwrap_or(DEFAULT_MAX_CHARACTERS);
    let url_chars =
        number(&statuses["characters_reserved_per_url"]).unwrap_or(DEFAULT_URL_CHARACTERS);
    ReplyLimit {
        max,
        counting: Counting::Mastodon { url_chars },
        service: host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_mastodon_pleroma_and_defaults() {
        let mastodon = json!({"configuration": {"statuses": {
            "max_characters": 1000, "characters_reserved_per_url": 20}}});
        let limit = limit_of(&mastodon, "m.example");
        assert_eq!(limit.max, 1000);
        assert_eq!(limit.counting, Counting::Mastodon { url_chars: 20 });
        assert_eq!(
            limit_of(&json!({"max_toot_chars": 5000}), "p.example").max,
            5000
        );
        let bare = limit_of(&json!({"title": "x"}), "x.example");
        assert_eq!(
            (bare.max, bare.counting),
            (500, Counting::Mastodon { url_chars: 23 })
        );
    }
}
