//! [`Credential`]: what the keychain keeps for one Meta brand account.
//!
//! CONTRACT STUB (owned by the Graph-client helper).

use switchboard_core::Platform;
use switchboard_vault::Sensitive;

use crate::graph::GraphUrl;

/// One brand account's sign-in: the Graph address, the Page (for an Instagram account, the
/// Page it is linked to) and the Page token. Its `Debug` redacts the token; it is not
/// `Serialize` — [`Credential::to_secret`] is the only way out, to the keychain.
#[derive(Clone)]
pub struct Credential {
    /// Facebook or Instagram.
    pub platform: Platform,
    /// Where the Graph API is.
    pub graph: GraphUrl,
    /// The Page id (the linked Page's, for Instagram).
    pub page_id: String,
    /// The Instagram account id, for Instagram.
    pub instagram_id: Option<String>,
    /// The Page token.
    pub page_token: Sensitive<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("platform", &self.platform)
            .field("graph", &self.graph.0.as_str())
            .field("page_id", &self.page_id)
            .field("instagram_id", &self.instagram_id)
            .field("page_token", &"<redacted>")
            .finish()
    }
}

/// A keychain entry that is not a Meta credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored Meta sign-in cannot be read")]
pub struct UnreadableCredential;

impl Credential {
    /// The keychain text (JSON).
    pub fn to_secret(&self) -> Sensitive<String> {
        todo!("credential")
    }

    /// Reads [`Credential::to_secret`]'s text.
    pub fn from_secret(secret: &Sensitive<String>) -> Result<Self, UnreadableCredential> {
        let _ = secret;
        todo!("credential")
    }
}
