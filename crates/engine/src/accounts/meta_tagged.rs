//! A Facebook Page's or Instagram account's provider that follows the workspace policy's
//! `[meta] human_agent_tag` as it is now, not as it was when the account started.
//!
//! The Meta client takes the human-agent tag as an option fixed when it is built; the
//! engine checks the messaging window against the policy in force
//! ([`crate::reply_window`]). So that the two always agree, [`PolicyTagged`] holds two
//! clients of the same credential — without and with the tag — and sends each reply
//! through the one the policy calls for at that moment; everything else (pulls, threads,
//! hiding comments, the rate budget) goes through the first.

use std::sync::Arc;

use async_trait::async_trait;
use switchboard_core::{Item, ThreadKey, Timestamp};
use switchboard_meta::{Credential, MetaProvider, ProviderOptions};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Page, Provider, ProviderError, ReplyLimit, ReplyTarget,
};

use crate::Shared;

/// Whether the policy in force allows the human-agent tag.
pub(crate) type TagAllowed = Arc<dyn Fn() -> bool + Send + Sync>;

/// What the policy of `shared` says now (a closed workspace: no tag). Holds the workspace
/// weakly: its providers are part of it.
pub(crate) fn policy_tag(shared: &Arc<Shared>) -> TagAllowed {
    let workspace = Arc::downgrade(shared);
    Arc::new(move || {
        workspace
            .upgrade()
            .is_some_and(|shared| shared.policy().meta.human_agent_tag)
    })
}

/// See the module doc.
pub(crate) struct PolicyTagged {
    plain: MetaProvider,
    tagged: MetaProvider,
    allowed: TagAllowed,
}

impl PolicyTagged {
    /// The provider of `identity` signed in with `credential`; `allowed` says at each
    /// reply whether the tag may be used. Makes no call.
    pub(crate) fn new(
        credential: Credential,
        identity: AccountIdentity,
        allowed: TagAllowed,
    ) -> Result<Self, ProviderError> {
        let options = |human_agent_tag| ProviderOptions {
            human_agent_tag,
            ..ProviderOptions::default()
        };
        Ok(PolicyTagged {
            plain: MetaProvider::new(credential.clone(), identity.clone(), options(false))?,
            tagged: MetaProvider::new(credential, identity, options(true))?,
            allowed,
        })
    }
}

#[async_trait]
impl Provider for PolicyTagged {
    fn source_key(&self) -> String {
        self.plain.source_key()
    }

    fn brand_source_key(&self) -> String {
        self.plain.brand_source_key()
    }

    fn auth_kind(&self) -> AuthKind {
        self.plain.auth_kind()
    }

    fn budget_left(&self, now: Timestamp) -> Option<u32> {
        self.plain.budget_left(now)
    }

    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.plain.fetch_since(cursor, now).await
    }

    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        self.plain.fetch_brand_replies_since(cursor, now).await
    }

    async fn reply_limit(&self) -> Option<ReplyLimit> {
        self.plain.reply_limit().await
    }

    async fn thread(&self, target: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        self.plain.thread(target).await
    }

    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        let provider = if (self.allowed)() {
            &self.tagged
        } else {
            &self.plain
        };
        provider.reply(target, text, idempotency_key, now).await
    }

    async fn set_hidden(
        &self,
        thread: &ThreadKey,
        native_id: &str,
        hidden: bool,
    ) -> Result<(), ProviderError> {
        self.plain.set_hidden(thread, native_id, hidden).await
    }
}
