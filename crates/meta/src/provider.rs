//! [`MetaProvider`]: one Facebook Page or one Instagram account behind the [`Provider`]
//! trait.
//!
//! CONTRACT STUB (owned by the provider helper).

use async_trait::async_trait;
use switchboard_core::{Item, Timestamp};
use switchboard_platforms::{
    AccountIdentity, AuthKind, Page, Provider, ProviderError, ReplyLimit, ReplyTarget,
};

use crate::credential::Credential;
use crate::graph::HttpOptions;

/// How a [`MetaProvider`] reads and answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProviderOptions {
    /// Timeouts and retries.
    pub http: HttpOptions,
    /// The policy lets people answer a message 24 h–7 days old with the `HUMAN_AGENT` tag.
    pub human_agent_tag: bool,
}

/// One Facebook Page or Instagram account.
pub struct MetaProvider {
    credential: Credential,
    identity: AccountIdentity,
    options: ProviderOptions,
}

impl MetaProvider {
    /// The provider for `identity`, signed in with `credential`. Makes no call.
    pub fn new(
        credential: Credential,
        identity: AccountIdentity,
        options: ProviderOptions,
    ) -> Result<Self, ProviderError> {
        Ok(MetaProvider {
            credential,
            identity,
            options,
        })
    }
}

#[async_trait]
impl Provider for MetaProvider {
    fn source_key(&self) -> String {
        let _ = (&self.credential, self.options);
        format!(
            "{}:{}",
            self.identity.platform.as_str(),
            self.identity.account_id
        )
    }

    fn auth_kind(&self) -> AuthKind {
        AuthKind::DeviceCode
    }

    async fn fetch_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let _ = (cursor, now);
        Err(ProviderError::Unsupported("reading"))
    }

    async fn fetch_brand_replies_since(
        &self,
        cursor: Option<&str>,
        now: Timestamp,
    ) -> Result<Page, ProviderError> {
        let _ = (cursor, now);
        Err(ProviderError::Unsupported("reading"))
    }

    async fn reply_limit(&self) -> Option<ReplyLimit> {
        None
    }

    async fn thread(&self, target: &ReplyTarget) -> Result<Vec<Item>, ProviderError> {
        let _ = target;
        Err(ProviderError::Unsupported("reading"))
    }

    async fn reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        let _ = (target, text, idempotency_key, now);
        Err(ProviderError::Unsupported("replying"))
    }
}
