//! A console with a workspace whose brand account `@brand` on a `mastodon_mock` server
//! is signed in (the "browser" approves as `brand`), for the reply tests and the soak.

use std::sync::Arc;

use switchboard_core::{SignInOutcome, SignInRequest};
use switchboard_engine::Console;

use crate::common;
use crate::support::browser;

/// A console on `data` whose "browser" approves every sign-in as `brand`.
pub async fn open_console(data: &tempfile::TempDir, namespace: &str) -> Console {
    let open_url: switchboard_engine::UrlOpener = Arc::new(move |url: &str| {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            browser::approve(url, "brand").await;
        });
        Ok(())
    });
    common::open_console(data, namespace, open_url, None).await
}

/// Creates workspace "Acme" with `@brand` on the server at `url` (`host`: its
/// `host:port`) on the allowlist and signed in; returns the console and the workspace id.
pub async fn with_brand_signed_in(
    data: &tempfile::TempDir,
    namespace: &str,
    url: &str,
    host: &str,
) -> (Console, String) {
    let console = open_console(data, namespace).await;
    let workspace = console.create_workspace("Acme").await.unwrap().id;
    let engine = console.engine().await.unwrap();
    let policy_path = engine.workspace_info().policy_path;
    let mut policy = std::fs::read_to_string(&policy_path).unwrap();
    policy.push_str(&format!(
        "\n[[brand_account]]\nplatform = \"mastodon\"\naccount = \"@brand@{host}\"\n"
    ));
    std::fs::write(&policy_path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    let request = SignInRequest::Mastodon {
        instance: url.to_owned(),
    };
    let SignInOutcome::Added { .. } = engine.add_account(request).await.unwrap() else {
        panic!("the brand account is on the allowlist");
    };
    (console, workspace)
}
