//! Where this server's **DMs** come from.
//!
//! Mastodon lists DMs as conversations (`GET /api/v1/conversations`); a DM there is in
//! the thread of its **conversation id**. Some Mastodon-API servers (GoToSocial, Akkoma,
//! Pleroma and others) do not offer that list (404 or 501) or always leave it empty.
//! There the DMs are read from `mention` notifications whose status is `direct`, and
//! such a DM is in the thread **`dm-<thread root>`** (the first status of its reply
//! chain; the `dm-` keeps it apart from conversation ids). A DM's item is keyed by its
//! status id either way, so one read from both lists is stored once.
//!
//! The source is learnt as the account is read: **conversations** until the list is
//! missing, or comes back empty while a direct mention is new (then **mentions**). The
//! brand stream asks once, with a one-item read of the list, when it meets a brand DM
//! before the incoming stream has learnt the source.

use std::sync::atomic::{AtomicU8, Ordering};

use switchboard_platforms::ProviderError;

use crate::entities::Conversation;
use crate::paging::{collect_if_listed, PageBounds};
use crate::provider::MastodonProvider;

const UNKNOWN: u8 = 0;
const CONVERSATIONS: u8 = 1;
const MENTIONS: u8 = 2;

/// What one account's server has shown of its DM lists.
#[derive(Default)]
pub(crate) struct DmSource(AtomicU8);

impl DmSource {
    /// Whether DMs come from mentions; `None` while not known.
    pub fn reads_mentions(&self) -> Option<bool> {
        match self.0.load(Ordering::Relaxed) {
            CONVERSATIONS => Some(false),
            MENTIONS => Some(true),
            _ => None,
        }
    }

    /// The conversations list works and lists DMs.
    pub fn conversations_work(&self) {
        let _ =
            self.0
                .compare_exchange(UNKNOWN, CONVERSATIONS, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// The conversations list is missing or leaves DMs out: read DMs from mentions.
    pub fn use_mentions(&self, account: &str, why: &str) {
        if self.0.swap(MENTIONS, Ordering::Relaxed) != MENTIONS {
            tracing::info!(%account, why, "Mastodon DMs are read from direct mentions");
        }
    }
}

/// The root id of a DM read from a mention as the last part of its thread key.
pub(crate) fn dm_root(root: &str) -> String {
    format!("dm-{root}")
}

impl MastodonProvider {
    /// Whether DMs come from mentions, asking the conversations list once (one item)
    /// when the incoming stream has not told yet.
    pub(crate) async fn dms_from_mentions(&self) -> Result<bool, ProviderError> {
        if let Some(known) = self.dms.reads_mentions() {
            return Ok(known);
        }
        let one = PageBounds {
            limit: 1,
            max_pages: 1,
        };
        match collect_if_listed::<Conversation>(&self.api, "api/v1/conversations", &[], None, one)
            .await?
        {
            None => self
                .dms
                .use_mentions(&self.brand.key, "the server has no conversations list"),
            Some(list) if list.items.is_empty() => self.dms.use_mentions(
                &self.brand.key,
                "the server lists no conversations although the brand wrote DMs",
            ),
            Some(_) => self.dms.conversations_work(),
        }
        Ok(self.dms.reads_mentions().unwrap_or(false))
    }
}
