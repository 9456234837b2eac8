//! What the window sees of signing in to Meta (Facebook Pages and Instagram) and of a
//! Messenger / Instagram conversation's **messaging window**.
//!
//! - **device code**: Facebook Login for Devices shows a short code the person enters at
//!   facebook.com/device ([`MetaDeviceCode`]).
//! - **choice**: after signing in, each Page the person manages and each Instagram account
//!   linked to one is offered as a brand account, with what the workspace's allowlist says
//!   of it ([`MetaAccountChoice`]).
//! - **left out**: what Meta's answer did not let Switchboard offer, and why (an
//!   Instagram permission not granted, a Page without access), in sentences the window
//!   shows under the choices ([`MetaChoices`]).
//! - **messaging window**: Meta lets a Page answer a message within 24 hours of the
//!   customer's latest one; with the `HUMAN_AGENT` tag (where the policy and Meta allow it)
//!   within 7 days ([`ReplyWindow`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Platform, Timestamp};

/// The Meta app this workspace signs in with, as far as the window needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MetaAppSetup {
    /// The App ID, from the policy's `[meta]` table or typed earlier on this laptop.
    pub app_id: Option<String>,
    /// Whether a client token is known (it is never sent to the window).
    pub has_client_token: bool,
    /// Whether the App ID and client token come from the workspace policy (then not editable).
    pub from_policy: bool,
    /// Whether the policy lets people answer messages 24 h–7 days old with the human-agent tag.
    pub human_agent_tag: bool,
}

/// A started device login: show `user_code` and where to enter it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MetaDeviceCode {
    /// The code the person types at `verification_uri`.
    pub user_code: String,
    /// Where to type it (facebook.com/device).
    pub verification_uri: String,
    /// When the code stops working.
    pub expires_at: Timestamp,
}

/// What the allowlist says of a [`MetaAccountChoice`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum ChoiceVerdict {
    /// On the allowlist: adding it starts syncing it.
    Allowed,
    /// No allowlist yet: adding it asks the person to confirm it is a brand account.
    NeedsConfirmation,
    /// Not on the allowlist: cannot be added.
    Refused {
        /// Why, in plain words.
        reason: String,
    },
    /// Already a brand account of this workspace (adding it again refreshes its sign-in).
    AlreadyAdded,
}

/// One Page or Instagram account the signed-in person may add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MetaAccountChoice {
    /// Names this choice in `add_meta_accounts`.
    pub choice: String,
    /// Facebook (a Page) or Instagram.
    pub platform: Platform,
    /// The Page id or Instagram user id.
    pub account_id: String,
    /// The Page's username (or name), the Instagram username.
    pub handle: String,
    /// The name shown.
    pub display_name: String,
    /// For an Instagram account: the name of the Page it is linked to.
    pub linked_page: Option<String>,
    /// What the allowlist says.
    pub verdict: ChoiceVerdict,
}

/// What a finished Meta sign-in offers: the choices, and what was left out and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MetaChoices {
    /// The Pages and Instagram accounts the person may add, each Page followed by its
    /// Instagram account.
    pub choices: Vec<MetaAccountChoice>,
    /// Sentences saying which accounts Meta's answer left out and why (e.g. a permission
    /// the sign-in did not grant); empty when nothing was left out.
    pub left_out: Vec<String>,
}

/// A messaging conversation's reply window (Messenger, Instagram messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyWindow {
    /// When the standard window closes: 24 h after the customer's latest message.
    pub closes_at: Timestamp,
    /// When the policy allows the human-agent tag: until when a person may still answer
    /// with it (7 days after the customer's latest message).
    pub human_agent_until: Option<Timestamp>,
}
