//! Laptops of a team signed in to one brand account, `@brand` on a real `mastodon_mock`
//! reached through a [`CountingProxy`], and the customer who mentions it.
//!
//! Signing in: the mock gives `@brand` a token of its own (as the end of an OAuth
//! sign-in would); [`Brand::start`] asks the server through the proxy who the token
//! belongs to, as a sign-in does, and every laptop gets what a sign-in stores — the
//! credential in its keychain, the account row in its workspace database — and the same
//! policy file (the new-workspace template with `@brand` on the allowlist), before its
//! engine opens. The laptops' requests to the platform all pass the proxy; the customer
//! and the test talk to the mock directly.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use switchboard_core::{Platform, ThreadKey};
use switchboard_engine::{SecretVault, WorkspaceFiles};
use switchboard_mastodon::{Credential, InstanceUrl, MastodonProvider};
use switchboard_platforms::Provider;
use switchboard_store::{AccountRecord, Store};
use switchboard_team::JoinCode;
use switchboard_vault::Sensitive;

use super::counting_proxy::CountingProxy;
use crate::laptops::{keychain_with, open_engine, quiet_hooks, Laptop, WORKSPACE};

#[path = "../../../mastodon/tests/support/mod.rs"]
pub mod support;

use support::{MockServer, User};

pub use crate::laptops::POLL_INTERVAL;

/// The poll lease's length at that interval (three intervals, at least 2 s: see the
/// engine's `team::polling`).
pub const LEASE: Duration = Duration::from_secs(2);

/// The brand account on a running mock, and its customer.
pub struct Brand {
    /// The mock.
    pub server: MockServer,
    /// What the laptops reach the mock through.
    pub proxy: CountingProxy,
    /// Who mentions the brand.
    pub customer: User,
    /// The account as every laptop stores it.
    pub record: AccountRecord,
    /// What every laptop's keychain holds for it.
    pub secret: Sensitive<String>,
}

impl Brand {
    /// Starts the mock and the proxy, creates `@brand` and a customer, and reads who the
    /// brand's token belongs to.
    pub async fn start() -> Brand {
        let server = MockServer::start().await;
        let proxy = CountingProxy::start(&server.url).await;
        let brand = server.create_user("brand").await;
        let customer = server.create_user("customer").await;
        let credential = Credential::new(
            InstanceUrl::parse(&proxy.url).unwrap(),
            "test-client".into(),
            "test-secret".into(),
            brand.token.clone().into(),
        );
        let provider = MastodonProvider::connect(&credential, support::test_options())
            .await
            .expect("the brand's token works");
        let identity = provider.identity();
        let record = AccountRecord {
            key: provider.source_key(),
            platform: Platform::Mastodon,
            account_id: identity.account_id,
            handle: identity.handle,
            display_name: identity.display_name,
            service: proxy.url.clone(),
            added_at: 0,
            added_by: "test".into(),
            needs_sign_in: false,
        };
        proxy.take_counts(); // the sign-in's own requests are not the laptops'
        Brand {
            server,
            proxy,
            customer,
            record,
            secret: credential.to_secret(),
        }
    }

    /// The customer mentions the brand (question `n`); returns the thread key the
    /// mention's conversation has.
    pub async fn mention(&self, n: usize) -> String {
        let status = self
            .server
            .post_status(
                &self.customer,
                &format!("@brand question {n}?"),
                None,
                "public",
            )
            .await;
        let id = status["id"].as_str().expect("a status id");
        ThreadKey::new(Platform::Mastodon, &self.record.account_id, id).0
    }

    /// The workspace policy every laptop has: the new-workspace template with `@brand` on
    /// the allowlist.
    pub fn policy(&self) -> String {
        let template = include_str!("../../src/new_workspace.policy.toml");
        format!(
            "{}\n[[brand_account]]\nplatform = \"mastodon\"\naccount = \"{}\"\n",
            template.replace("{time_zone}", "UTC"),
            self.record.handle
        )
    }

    /// Writes what signing in stores in the workspace under `data` (the account row) and
    /// the policy file, before the workspace opens.
    pub async fn prepare(&self, data: &Path) {
        let files = WorkspaceFiles::new(&data.join("workspaces"), WORKSPACE);
        std::fs::create_dir_all(&files.dir).unwrap();
        let store = Store::open(&files.database).await.unwrap();
        store.upsert_account(&self.record).await.unwrap();
        store.close().await;
        std::fs::write(&files.policy, self.policy()).unwrap();
    }

    /// A new laptop of member `code`, signed in to the brand account, its engine open.
    pub async fn laptop(&self, name: &str, code: &JoinCode) -> Laptop {
        let vault = keychain_with(code);
        vault
            .store(WORKSPACE, &self.record.key, &self.secret)
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        self.prepare(data.path()).await;
        let engine = open_engine(name, data.path(), Arc::clone(&vault), quiet_hooks(None)).await;
        Laptop {
            name: name.into(),
            engine,
            data,
            vault,
        }
    }

    /// How many customer items the conversation of `thread` has on `laptop` (`None`:
    /// not there yet).
    pub async fn customer_items(laptop: &Laptop, thread: &str) -> Option<usize> {
        let id = laptop.conversation(thread).await?;
        let thread = laptop.engine.get_thread(id).await.ok()?;
        Some(thread.items.iter().filter(|i| !i.from_brand).count())
    }
}
