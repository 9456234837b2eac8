//! Read models for work profiles, brand accounts and replies: the IPC shapes of the
//! workspace switcher, the accounts screen and the reply box.
//!
//! A **workspace** (work profile) is one organisation's setup on this laptop; switching
//! swaps its database, policy, accounts and keychain entries at once. A **brand account**
//! is a company account on one platform that the workspace's allowlist admits; Switchboard
//! holds this person's own sign-in for it in the OS keychain. An **outgoing reply** is a
//! reply written in Switchboard on its way to the platform.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Platform, Timestamp};

/// One workspace in the switcher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkspaceEntry {
    /// Stable id (also its files' name).
    pub id: String,
    /// What people see.
    pub name: String,
    /// Whether it is the built-in simulated workspace.
    pub is_demo: bool,
    /// Whether it is the one open now.
    pub is_current: bool,
    /// Whether it is shared with a team (made by joining one).
    pub is_team: bool,
    /// Why it could not be opened at launch, in plain words ("the database file is
    /// damaged (…)"); `None` once it opens.
    pub open_error: Option<String>,
}

/// Where a brand account's syncing stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccountSync {
    /// When the last successful pull finished.
    pub last_pull_at: Option<Timestamp>,
    /// When the next pull is planned.
    pub next_pull_at: Option<Timestamp>,
    /// Calls left in the platform's current rate-limit window, when it says.
    pub budget_left: Option<u32>,
    /// The last failure in plain words, until a pull succeeds again.
    pub error: Option<String>,
    /// The sign-in was revoked or expired: the person must sign in again.
    pub needs_sign_in: bool,
}

/// A brand account this person signed in to in this workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AccountView {
    /// Stable key within the workspace, e.g. `mastodon:10923@social.example`.
    pub key: String,
    /// The platform.
    pub platform: Platform,
    /// The handle, e.g. `@brand@social.example` or `brand.bsky.social`.
    pub handle: String,
    /// The name the account shows.
    pub display_name: String,
    /// The server it lives on (Mastodon instance, Bluesky PDS).
    pub service: String,
    /// How syncing goes.
    pub sync: AccountSync,
}

/// What the person typed to add an account. Its `Debug` never shows the app password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "platform", rename_all = "snake_case")]
pub enum SignInRequest {
    /// Mastodon (or a compatible server): sign in through the browser.
    Mastodon {
        /// The instance, e.g. `https://mastodon.social` or `mastodon.social`.
        instance: String,
    },
    /// Bluesky: a handle and an app password (never the main password).
    Bluesky {
        /// The PDS, e.g. `https://bsky.social`.
        service: String,
        /// The handle, e.g. `brand.bsky.social`.
        handle: String,
        /// An app password from Settings → App passwords. Goes to the keychain only.
        app_password: String,
    },
}

impl std::fmt::Debug for SignInRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInRequest::Mastodon { instance } => f
                .debug_struct("Mastodon")
                .field("instance", instance)
                .finish(),
            SignInRequest::Bluesky {
                service, handle, ..
            } => f
                .debug_struct("Bluesky")
                .field("service", service)
                .field("handle", handle)
                .field("app_password", &"<redacted>")
                .finish(),
        }
    }
}

/// How adding an account ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SignInOutcome {
    /// On the allowlist: signed in and syncing.
    Added {
        /// The account.
        account: AccountView,
    },
    /// The workspace has no allowlist yet: the person must confirm that this is a brand
    /// account (never a personal one) before anything is stored.
    NeedsConfirmation {
        /// Answer with `confirm_account(pending, …)`.
        pending: String,
        /// The platform.
        platform: Platform,
        /// Who signed in.
        handle: String,
        /// Their display name.
        display_name: String,
    },
}

/// Where a reply written in Switchboard stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplyState {
    /// On its way to the platform.
    Sending,
    /// The platform cannot be reached right now; it is sent automatically, once, when
    /// it can (`error` says so in plain words: "Will send when Mastodon is reachable").
    Waiting,
    /// The platform has it.
    Sent,
    /// The platform refused or could not be reached; it can be retried.
    Failed,
    /// A trainee's reply waiting for a lead's approval: not posted yet.
    AwaitingApproval,
    /// A lead rejected it: it is never posted (`error` holds the lead's reason).
    Rejected,
}

/// A reply written in Switchboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OutgoingReply {
    /// Stable id (retry with it).
    #[ts(type = "number")]
    pub id: i64,
    /// What was written.
    pub text: String,
    /// Sending, waiting, sent or failed.
    pub state: ReplyState,
    /// Why it failed, or why it waits, in plain words.
    pub error: Option<String>,
    /// Who wrote it.
    pub by: String,
    /// When it was written.
    pub created_at: Timestamp,
    /// For a trainee's reply: the approval request a lead answers (`approve_reply`,
    /// `reject_reply`).
    pub approval: Option<String>,
}
