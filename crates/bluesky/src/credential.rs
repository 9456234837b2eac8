//! [`Credential`]: one signed-in Bluesky session, and how it is kept in the keychain.
//!
//! Signing in with a handle and an **app password** (a password made for one app in
//! Bluesky's settings, revocable on its own) gives a **session**: a short-lived **access
//! token** sent with every call and a long-lived **refresh token** that buys a new pair
//! when the access token expires. Switchboard keeps the session, never the app password.
//! The whole credential is one keychain secret ([`Credential::to_secret`]); the public type
//! cannot be serialized, so it cannot reach a database row or a log line.

use serde::{Deserialize, Serialize};
use switchboard_platforms::ProviderError;
use switchboard_vault::Sensitive;

/// A signed-in Bluesky session for one account.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub(crate) pds: String,
    pub(crate) did: String,
    pub(crate) handle: String,
    pub(crate) access: Sensitive<String>,
    pub(crate) refresh: Sensitive<String>,
}

/// The keychain form; private so that only [`Credential::to_secret`] writes it.
#[derive(Serialize, Deserialize)]
struct StoredCredential<S> {
    version: u8,
    pds: S,
    did: S,
    handle: S,
    access_jwt: S,
    refresh_jwt: S,
}

const STORED_VERSION: u8 = 1;

impl Credential {
    /// The account's DID (`did:plc:…`), its stable id.
    pub fn did(&self) -> &str {
        &self.did
    }

    /// The handle at sign-in (`brand.bsky.social`).
    pub fn handle(&self) -> &str {
        &self.handle
    }

    /// The account's PDS (personal data server) URL, where every call goes.
    pub fn pds(&self) -> &str {
        &self.pds
    }

    /// The credential as one keychain secret.
    pub fn to_secret(&self) -> Sensitive<String> {
        let stored = StoredCredential {
            version: STORED_VERSION,
            pds: self.pds.as_str(),
            did: self.did.as_str(),
            handle: self.handle.as_str(),
            access_jwt: self.access.expose().as_str(),
            refresh_jwt: self.refresh.expose().as_str(),
        };
        Sensitive::new(serde_json::to_string(&stored).unwrap_or_default())
    }

    /// Reads a secret written by [`Credential::to_secret`].
    pub fn from_secret(secret: &Sensitive<String>) -> Result<Self, ProviderError> {
        let unreadable = || {
            ProviderError::SignInAgain(
                "the saved Bluesky sign-in could not be read; sign in with the app password again"
                    .into(),
            )
        };
        let stored: StoredCredential<String> =
            serde_json::from_str(secret.expose()).map_err(|_| unreadable())?;
        if stored.version != STORED_VERSION {
            return Err(unreadable());
        }
        Ok(Credential {
            pds: stored.pds,
            did: stored.did,
            handle: stored.handle,
            access: Sensitive::new(stored.access_jwt),
            refresh: Sensitive::new(stored.refresh_jwt),
        })
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("pds", &self.pds)
            .field("did", &self.did)
            .field("handle", &self.handle)
            .field("access", &self.access)
            .field("refresh", &self.refresh)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Credential {
        Credential {
            pds: "https://pds.example".into(),
            did: "did:plc:abc".into(),
            handle: "brand.example".into(),
            access: "access-token-123".into(),
            refresh: "refresh-token-456".into(),
        }
    }

    #[test]
    fn round_trips_through_one_secret_and_debug_hides_the_tokens() {
        let credential = sample();
        let back = Credential::from_secret(&credential.to_secret()).expect("own secret reads");
        assert_eq!(back, credential);
        let shown = format!("{credential:?}");
        assert!(
            !shown.contains("token-123") && !shown.contains("token-456"),
            "{shown}"
        );
        assert!(shown.contains("did:plc:abc"));
    }

    #[test]
    fn an_unreadable_secret_asks_to_sign_in_again_without_quoting_it() {
        let error = Credential::from_secret(&Sensitive::new("{\"access_jwt\":\"leak-me\"".into()))
            .expect_err("not a credential");
        assert!(matches!(error, ProviderError::SignInAgain(_)));
        assert!(!error.to_string().contains("leak-me"));
    }
}
