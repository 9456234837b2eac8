//! `switchboard-bluesky` against a real local Bluesky network (`@atproto/dev-env`: PLC,
//! PDS and AppView on PostgreSQL and Redis), started once for this binary; install it
//! with `scripts/peers/bluesky`. Faults a real server will not produce on demand run
//! against a small fake server.

#[path = "../support/mod.rs"]
mod support;

mod backdated;
mod faults;
mod incoming;
mod late_replies;
mod replies;
mod session;
mod sign_in;
mod upgrade;

use switchboard_bluesky::ClientOptions;

/// Waits until the AppView has indexed everything written so far.
pub async fn indexed() {
    tokio::task::spawn_blocking(|| support::network::network().process())
        .await
        .expect("the control call finishes");
}

/// Options for tests: generous first sync, quick timeouts.
pub fn options() -> ClientOptions {
    ClientOptions {
        first_sync_limit: 1000,
        ..ClientOptions::default()
    }
}
