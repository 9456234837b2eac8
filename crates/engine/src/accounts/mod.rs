//! Brand accounts in a running workspace: their providers, their sync states, and the
//! flows that add and remove them (see [`sign_in`]).
//!
//! A **source** is one brand account's provider (or the demo network) with its sync
//! state. Its secret (token, session) is read from the OS keychain when the workspace
//! opens and handed to the platform client; it is never stored anywhere else, logged or
//! sent to the UI.

mod allowlist;
mod connectors;
mod keychain;
mod memory_vault;
mod meta_sign_in;
mod meta_tagged;
mod sign_in;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use switchboard_core::{AccountSync, AccountView, Timestamp};
use switchboard_platforms::Provider;
use switchboard_store::AccountRecord;

use crate::Shared;

pub(crate) use keychain::Keychain;
pub use keychain::SecretVault;
pub use memory_vault::MemoryVault;
pub(crate) use meta_sign_in::CLIENT_TOKEN_ENTRY as META_CLIENT_TOKEN_ENTRY;
pub use sign_in::UrlOpener;
pub(crate) use sign_in::{sign_out as sign_out_account, SignInHooks};

/// One account's provider and how its syncing goes.
pub(crate) struct Source {
    /// What the store knows of the account (`None` for the demo network, whose items
    /// all belong to [`switchboard_platforms::demo::DEMO_ACCOUNT`]).
    pub record: Option<AccountRecord>,
    pub provider: Arc<dyn Provider>,
    pub state: Mutex<AccountSync>,
}

impl Source {
    pub fn update(&self, change: impl FnOnce(&mut AccountSync)) {
        change(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()));
    }

    pub fn sync(&self) -> AccountSync {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// The sources of one workspace, by source key.
pub(crate) struct AccountSet {
    pub keychain: Keychain,
    sources: RwLock<HashMap<String, Arc<Source>>>,
    pub sign_in: sign_in::SignInState,
}

impl AccountSet {
    pub fn new(vault: Arc<dyn SecretVault>, workspace: &str) -> Self {
        AccountSet {
            keychain: Keychain::new(vault, workspace),
            sources: RwLock::new(HashMap::new()),
            sign_in: sign_in::SignInState::default(),
        }
    }

    /// Adds the demo network as a source.
    pub fn attach_demo(&self, key: String, provider: Arc<dyn Provider>) {
        self.insert(key, None, provider, AccountSync::default());
    }

    fn insert(
        &self,
        key: String,
        record: Option<AccountRecord>,
        provider: Arc<dyn Provider>,
        state: AccountSync,
    ) {
        let source = Arc::new(Source {
            record,
            provider,
            state: Mutex::new(state),
        });
        self.sources
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, source);
    }

    /// Source `key`, while it is attached.
    pub fn get(&self, key: &str) -> Option<Arc<Source>> {
        self.sources
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .cloned()
    }

    /// Detaches source `key`; its sync loop ends at its next turn.
    pub fn detach(&self, key: &str) -> Option<Arc<Source>> {
        self.sources
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key)
    }

    /// The source whose account is `account` (the items' `account` field). The demo
    /// network answers for the demo's own brand account only: a real account added to
    /// the demo workspace is answered by its own source, or by none while it is not
    /// signed in — never "sent" through the demo.
    pub fn for_account(&self, platform_account: &str) -> Option<Arc<Source>> {
        let sources = self.sources.read().unwrap_or_else(|p| p.into_inner());
        sources
            .values()
            .find(|s| match &s.record {
                Some(record) => record.account_id == platform_account,
                None => platform_account == switchboard_platforms::demo::DEMO_ACCOUNT,
            })
            .cloned()
    }

    /// Every attached source, keyed.
    pub fn all(&self) -> Vec<(String, Arc<Source>)> {
        let sources = self.sources.read().unwrap_or_else(|p| p.into_inner());
        let mut all: Vec<_> = sources
            .iter()
            .map(|(k, s)| (k.clone(), Arc::clone(s)))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}

/// Attaches every stored account whose secret is in the keychain; returns the source keys
/// to start sync loops for. Accounts that cannot start keep a plain-words error.
pub(crate) async fn start_signed_in(shared: &Arc<Shared>) -> Vec<String> {
    let records = match shared.store.accounts().await {
        Ok(records) => records,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the workspace's accounts");
            return Vec::new();
        }
    };
    let mut started = Vec::new();
    for record in records {
        let state = AccountSync {
            needs_sign_in: record.needs_sign_in,
            ..AccountSync::default()
        };
        match connectors::provider_for(shared, &record).await {
            Ok(provider) => {
                let key = record.key.clone();
                let run = !record.needs_sign_in;
                shared
                    .accounts
                    .insert(key.clone(), Some(record), provider, state);
                if run {
                    started.push(key);
                }
            }
            Err(failure) => {
                tracing::warn!(account = %record.key, error = %failure.message, "account not started");
                let provider: Arc<dyn Provider> = Arc::new(connectors::Unavailable);
                let state = AccountSync {
                    error: Some(failure.message),
                    needs_sign_in: state.needs_sign_in || failure.needs_sign_in,
                    ..state
                };
                shared
                    .accounts
                    .insert(record.key.clone(), Some(record), provider, state);
            }
        }
    }
    started
}

/// What the accounts screen shows of `source`.
pub(crate) fn view(key: &str, source: &Source, now: Timestamp) -> Option<AccountView> {
    let record = source.record.as_ref()?;
    let mut sync = source.sync();
    if sync.budget_left.is_none() {
        sync.budget_left = source.provider.budget_left(now);
    }
    Some(AccountView {
        key: key.to_owned(),
        platform: record.platform,
        handle: record.handle.clone(),
        display_name: record.display_name.clone(),
        service: record.service.clone(),
        sync,
    })
}
