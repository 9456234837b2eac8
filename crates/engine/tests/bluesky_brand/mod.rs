//! A console with workspace "Bluesky brand" whose brand account, an actor on the local
//! Bluesky network (`@atproto/dev-env`), is on the allowlist and signed in with an app
//! password; for the engine's Bluesky tests.

use std::sync::Arc;

use switchboard_core::{SignInOutcome, SignInRequest, WorkspaceEntry};
use switchboard_engine::Console;

use crate::common;
use crate::support;
use crate::support::actors::Actor;

/// Returns once the network has indexed what was posted so far.
pub async fn indexed() {
    tokio::task::spawn_blocking(|| support::network::network().process())
        .await
        .expect("the control call finishes");
}

/// A console on `data`; app-password sign-in opens no browser.
pub async fn open(data: &tempfile::TempDir, namespace: &str) -> Console {
    common::open_console(data, namespace, Arc::new(|_: &str| Ok(())), None).await
}

/// Opens a console on `data`, creates workspace "Bluesky brand" (open at the end) with
/// `brand` on its allowlist, and signs `brand` in; returns the console, the workspace and
/// what the sign-in answered.
pub async fn with_brand(
    data: &tempfile::TempDir,
    namespace: &str,
    brand: &Actor,
) -> (Console, WorkspaceEntry, SignInOutcome) {
    let console = open(data, namespace).await;
    let workspace = console.create_workspace("Bluesky brand").await.unwrap();
    let engine = console.engine().await.unwrap();
    let policy_path = engine.workspace_info().policy_path;
    let mut policy = std::fs::read_to_string(&policy_path).unwrap();
    policy.push_str(&format!(
        "\n[[brand_account]]\nplatform = \"bluesky\"\naccount = \"{}\"\n",
        brand.handle
    ));
    std::fs::write(&policy_path, policy).unwrap();
    engine.reload_policy().await.unwrap();
    let outcome = engine
        .add_account(SignInRequest::Bluesky {
            service: brand.pds.clone(),
            handle: brand.handle.clone(),
            app_password: brand.app_password.clone(),
        })
        .await
        .unwrap();
    (console, workspace, outcome)
}
