//! Reading a whole conversation and answering in it.
//!
//! - **Thread**: the status answered, its ancestors and its descendants
//!   (`GET /api/v1/statuses/:id` and `…/context`), oldest first, all in the target's
//!   thread.
//! - **Reply**: `POST /api/v1/statuses` with `in_reply_to_id`, the **same visibility** as
//!   the status answered (a DM stays a DM, a followers-only post stays followers-only),
//!   the author's `@acct` put in front unless the text already names them, and an
//!   `Idempotency-Key` so that a retried reply is posted once.

use switchboard_core::{Item, ItemKind};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::entities::{id_order, Context, Status};
use crate::items::{kind_of, status_item};
use crate::provider::MastodonProvider;

impl MastodonProvider {
    pub(crate) async fn read_thread(
        &self,
        target: &ReplyTarget,
    ) -> Result<Vec<Item>, ProviderError> {
        let status = self.status(&target.in_reply_to).await?;
        let path = format!("api/v1/statuses/{}/context", status.id);
        let context = self.api.get::<Context>(&path, &[]).await?.body;
        let mut statuses: Vec<Status> = context.ancestors;
        statuses.push(status);
        statuses.extend(context.descendants);
        statuses.retain(|s| s.reblog.is_none());
        statuses.sort_by(|a, b| id_order(&a.id, &b.id));
        statuses.dedup_by(|a, b| a.id == b.id);
        statuses
            .iter()
            .map(|s| {
                let kind = kind_of(s, &self.brand, None);
                status_item(s, &self.brand, target.thread.clone(), kind)
            })
            .collect()
    }

    pub(crate) async fn post_reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
    ) -> Result<Item, ProviderError> {
        if text.trim().is_empty() {
            return Err(ProviderError::Refused("the reply is empty".into()));
        }
        let answered = self.status(&target.in_reply_to).await?;
        let body = if self.brand.wrote(&answered) {
            text.to_owned()
        } else {
            with_mention(text, &answered.account.acct)
        };
        let form = [
            ("status", body),
            ("in_reply_to_id", answered.id.clone()),
            ("visibility", answered.visibility.clone()),
        ];
        let posted: Status = self
            .api
            .post_form("api/v1/statuses", &form, Some(idempotency_key))
            .await?;
        if let Some(root) = target.thread.0.rsplit(':').next() {
            if !answered.is_direct() {
                self.roots.learn(&posted.id, root);
            }
        }
        let kind = if posted.is_direct() {
            ItemKind::DirectMessage
        } else {
            ItemKind::Reply
        };
        tracing::info!(account = %self.brand.key, status = %posted.id, "posted a Mastodon reply");
        status_item(&posted, &self.brand, target.thread.clone(), kind)
    }

    async fn status(&self, id: &str) -> Result<Status, ProviderError> {
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ProviderError::Refused(format!(
                "“{id}” is not a Mastodon status id"
            )));
        }
        let path = format!("api/v1/statuses/{id}");
        self.api
            .get_optional::<Status>(&path, &[])
            .await?
            .map(|r| r.body)
            .ok_or_else(|| {
                ProviderError::Refused(
                    "the post being answered was deleted or is no longer visible".into(),
                )
            })
    }
}

/// `text` with `@acct` in front unless it already mentions that account.
pub(crate) fn with_mention(text: &str, acct: &str) -> String {
    let mention = format!("@{}", acct.trim_start_matches('@'));
    let lower = text.to_lowercase();
    let wanted = mention.to_lowercase();
    let already = lower.match_indices(&wanted).any(|(at, _)| {
        let before_ok = lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '@'));
        let after_ok = lower[at + wanted.len()..]
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '@'));
        before_ok && after_ok
    });
    if already {
        text.to_owned()
    } else {
        format!("{mention} {text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_the_author_once() {
        assert_eq!(with_mention("Thanks!", "ana"), "@ana Thanks!");
        assert_eq!(with_mention("@Ana thanks", "ana"), "@Ana thanks");
        assert_eq!(with_mention("hi @anabel", "ana"), "@ana hi @anabel");
        assert_eq!(
            with_mention("cc @ana@other.example", "ana"),
            "@ana cc @ana@other.example"
        );
        assert_eq!(
            with_mention("ok @ana@other.example.", "ana@other.example"),
            "ok @ana@other.example."
        );
    }
}
