//! Reading a whole conversation and answering in it.
//!
//! - **Thread**: the status answered, its ancestors and its descendants
//!   (`GET /api/v1/statuses/:id` and `…/context`), oldest first, all in the target's
//!   thread.
//! - **Reply**: `POST /api/v1/statuses` with `in_reply_to_id`, the **same visibility** as
//!   the status answered (a DM stays a DM, a followers-only post stays followers-only),
//!   the author's `@acct` put in front unless the text already names them, and an
//!   `Idempotency-Key` so that a retried reply is posted once.
//!
//! **Settling.** Some Mastodon-API servers ignore idempotency keys (Mastodon keeps them
//! one hour), so the engine looks in the thread before posting a retry. A reply whose
//! `POST` was applied a moment ago may not be listed yet. So when a `POST` fails in a
//! way that may have applied it (`may_have_applied`: a timeout,
//! a failed connection or a server error, an unreadable answer), its key is remembered
//! as **unsettled** ([`switchboard_platforms::settling`], shared with the account's other
//! providers in this process) for [`crate::ProviderOptions`]`::settle.period` (2 min). A
//! retry of an unsettled key reads the answered status's replies up to `settle.reads`
//! times, `settle.pause` apart (3 reads 2 s apart), for the brand's reply with the same
//! text before posting; found, it is returned and nothing is posted. A first attempt
//! reads nothing here (the engine's look is enough). A reply posted or found settles its
//! key. Limits: a listing that lags longer than the settle reads, a crash (the memory is
//! in-process), or a retry after the settle period can still post twice; a `POST` the
//! client itself retries after a server error within one attempt is not read back.

use std::time::Instant;

use switchboard_core::{Item, ItemKind};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::api_client::may_have_applied;

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
        let settle = self.options.settle;
        let reads = settle.reads_for(&self.unsettled, idempotency_key, Instant::now(), 0);
        if let Some(found) = self.settle_reads(target, &answered, &body, reads).await? {
            self.unsettled.forget(idempotency_key);
            tracing::info!(account = %self.brand.key, status = %found.native_id, "an earlier attempt of this Mastodon reply was applied; not posting it again");
            return Ok(found);
        }
        let form = [
            ("status", body),
            ("in_reply_to_id", answered.id.clone()),
            ("visibility", answered.visibility.clone()),
        ];
        let attempted = Instant::now();
        let posted: Status = match self
            .api
            .post_form("api/v1/statuses", &form, Some(idempotency_key))
            .await
        {
            Ok(posted) => posted,
            Err(error) => {
                if may_have_applied(&error) {
                    tracing::warn!(%error, "a Mastodon reply's POST may have been applied; a retry will look for it a few times");
                    self.unsettled
                        .remember(idempotency_key, attempted, settle.period);
                }
                return Err(error);
            }
        };
        self.unsettled.forget(idempotency_key);
        tracing::info!(account = %self.brand.key, status = %posted.id, "posted a Mastodon reply");
        self.brand_reply(&posted, &answered, target)
    }

    /// Reads `answered`'s replies up to `reads` times, [`SettlePolicy::pause`] apart,
    /// until the brand's `body` is among them.
    ///
    /// [`SettlePolicy::pause`]: switchboard_platforms::settling::SettlePolicy::pause
    async fn settle_reads(
        &self,
        target: &ReplyTarget,
        answered: &Status,
        body: &str,
        reads: u32,
    ) -> Result<Option<Item>, ProviderError> {
        let wanted = normalised(body);
        let path = format!("api/v1/statuses/{}/context", answered.id);
        for read in 1..=reads {
            let context = self.api.get::<Context>(&path, &[]).await?.body;
            for status in context.descendants.iter().filter(|s| {
                self.brand.wrote(s)
                    && s.reblog.is_none()
                    && s.in_reply_to_id.as_deref() == Some(answered.id.as_str())
            }) {
                let item = self.brand_reply(status, answered, target)?;
                if normalised(&item.text) == wanted {
                    return Ok(Some(item));
                }
            }
            if read < reads {
                tracing::info!(
                    read,
                    reads,
                    "an earlier attempt of this reply may have been applied on Mastodon; reading the thread again before posting"
                );
                tokio::time::sleep(self.options.settle.pause).await;
            }
        }
        Ok(None)
    }

    /// The item of the brand's `posted` reply to `answered`, its thread root learned.
    fn brand_reply(
        &self,
        posted: &Status,
        answered: &Status,
        target: &ReplyTarget,
    ) -> Result<Item, ProviderError> {
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
        status_item(posted, &self.brand, target.thread.clone(), kind)
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

/// `text` in the form compared when looking for a posted reply: control and
/// direction-override characters dropped, whitespace runs as one space, mentions by user
/// name (lower case, without `@domain` and trailing punctuation), the mentions that
/// start it dropped — the server gives back HTML with the mentions in its own form.
fn normalised(text: &str) -> String {
    let kept = |c: char| {
        let invisible = matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{FEFF}'
        );
        (c.is_whitespace() || !c.is_control()) && !invisible
    };
    let clean: String = text.chars().filter(|c| kept(*c)).collect();
    clean
        .split_whitespace()
        .map(|word| match word.strip_prefix('@') {
            Some(rest) if !rest.is_empty() => {
                let user = rest.split('@').next().unwrap_or(rest);
                let user = user.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
                (true, format!("@{}", user.to_lowercase()))
            }
            _ => (false, word.to_owned()),
        })
        .skip_while(|(mention, _)| *mention)
        .map(|(_, word)| word)
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn a_posted_reply_matches_as_the_server_gives_it_back() {
        assert_eq!(
            normalised("@ana  Thanks\n!"),
            normalised("@Ana@example.org Thanks !")
        );
        assert_ne!(normalised("@ana Thanks"), normalised("@ana Thanks again"));
    }
}
