//! The **credential**: what lets Switchboard act as one brand account on one instance —
//! the registered app's client id and secret and the account's access token. It is kept
//! as one keychain entry ([`Credential::to_secret`] / [`Credential::from_secret`]) and is
//! never serialized anywhere else.

use serde::{Deserialize, Serialize};
use switchboard_vault::Sensitive;

use crate::instance::InstanceUrl;

/// The sign-in of one brand account on one instance. `Debug` shows the instance only;
/// there is no `Serialize`: store it through [`Credential::to_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    instance: InstanceUrl,
    client_id: Sensitive<String>,
    client_secret: Sensitive<String>,
    access_token: Sensitive<String>,
}

/// A keychain entry that is not a Mastodon credential written by this version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stored Mastodon sign-in cannot be read ({0}); sign in again")]
pub struct UnreadableCredential(String);

/// The keychain form; private so that nothing else can serialize a credential.
#[derive(Serialize, Deserialize)]
struct StoredCredential {
    v: u8,
    instance: String,
    client_id: String,
    client_secret: String,
    access_token: String,
}

impl Credential {
    /// A credential from its parts.
    pub fn new(
        instance: InstanceUrl,
        client_id: Sensitive<String>,
        client_secret: Sensitive<String>,
        access_token: Sensitive<String>,
    ) -> Self {
        Credential {
            instance,
            client_id,
            client_secret,
            access_token,
        }
    }

    /// The instance the account lives on.
    pub fn instance(&self) -> &InstanceUrl {
        &self.instance
    }

    /// The registered app's client id.
    pub fn client_id(&self) -> &Sensitive<String> {
        &self.client_id
    }

    /// The registered app's client secret.
    pub fn client_secret(&self) -> &Sensitive<String> {
        &self.client_secret
    }

    /// The account's access token.
    pub fn access_token(&self) -> &Sensitive<String> {
        &self.access_token
    }

    /// The whole credential as one secret, for one keychain entry.
    pub fn to_secret(&self) -> Sensitive<String> {
        let stored = StoredCredential {
            v: 1,
            instance: self.instance.url().to_string(),
            client_id: self.client_id.expose().clone(),
            client_secret: self.client_secret.expose().clone(),
            access_token: self.access_token.expose().clone(),
        };
        Sensitive::new(serde_json::to_string(&stored).unwrap_or_default())
    }

    /// Reads a secret written by [`Credential::to_secret`].
    pub fn from_secret(secret: &Sensitive<String>) -> Result<Self, UnreadableCredential> {
        let stored: StoredCredential = serde_json::from_str(secret.expose())
            .map_err(|_| UnreadableCredential("it is not in the expected form".into()))?;
        if stored.v != 1 {
            return Err(UnreadableCredential(format!(
                "it was written by a newer version (format {})",
                stored.v
            )));
        }
        let instance = InstanceUrl::parse(&stored.instance)
            .map_err(|_| UnreadableCredential("its server address is invalid".into()))?;
        Ok(Credential {
            instance,
            client_id: Sensitive::new(stored.client_id),
            client_secret: Sensitive::new(stored.client_secret),
            access_token: Sensitive::new(stored.access_token),
        })
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("instance", &self.instance.url().as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("access_token", &self.access_token)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credential() -> Credential {
        Credential::new(
            InstanceUrl::parse("mastodon.example").unwrap(),
            "client-id-1".into(),
            "client-secret-2".into(),
            "access-token-3".into(),
        )
    }

    #[test]
    fn round_trips_through_one_secret() {
        let secret = credential().to_secret();
        assert_eq!(Credential::from_secret(&secret).unwrap(), credential());
        assert!(Credential::from_secret(&"{}".into()).is_err());
        assert!(Credential::from_secret(&"access-token-3".into()).is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?} {}", credential(), credential().to_secret());
        for secret in ["client-id-1", "client-secret-2", "access-token-3"] {
            assert!(!shown.contains(secret), "{secret} leaked into {shown}");
        }
        assert!(shown.contains("mastodon.example"));
    }
}
