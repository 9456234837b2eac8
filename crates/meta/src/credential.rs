//! [`Credential`]: what the keychain keeps for one Meta brand account.
//!
//! It is kept as one keychain entry, versioned JSON (`{"v":1,"platform":"facebook",
//! "graph":…,"page_id":…,"instagram_id":…,"page_token":…}`), written by
//! [`Credential::to_secret`] and read by [`Credential::from_secret`], and never serialized
//! anywhere else. An Instagram account's credential is its linked Page's: Instagram
//! professional accounts are reached through the Graph API with the Page token.

use serde::{Deserialize, Serialize};
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

/// The keychain form; private so that nothing else can serialize a credential.
#[derive(Serialize, Deserialize)]
struct StoredCredential {
    v: u8,
    platform: String,
    graph: String,
    page_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instagram_id: Option<String>,
    page_token: String,
}

/// The keychain format this version writes.
const FORMAT: u8 = 1;

impl Credential {
    /// The keychain text (JSON).
    pub fn to_secret(&self) -> Sensitive<String> {
        let stored = StoredCredential {
            v: FORMAT,
            platform: self.platform.as_str().to_owned(),
            graph: self.graph.0.to_string(),
            page_id: self.page_id.clone(),
            instagram_id: self.instagram_id.clone(),
            page_token: self.page_token.expose().clone(),
        };
        Sensitive::new(serde_json::to_string(&stored).unwrap_or_default())
    }

    /// Reads [`Credential::to_secret`]'s text.
    pub fn from_secret(secret: &Sensitive<String>) -> Result<Self, UnreadableCredential> {
        let stored: StoredCredential =
            serde_json::from_str(secret.expose()).map_err(|_| UnreadableCredential)?;
        if stored.v != FORMAT {
            tracing::warn!(
                format = stored.v,
                "a Meta sign-in in an unknown keychain format"
            );
            return Err(UnreadableCredential);
        }
        let platform = match stored.platform.as_str() {
            "facebook" => Platform::Facebook,
            "instagram" => Platform::Instagram,
            _ => return Err(UnreadableCredential),
        };
        let graph = url::Url::parse(&stored.graph)
            .ok()
            .filter(|url| matches!(url.scheme(), "https" | "http"))
            .map(GraphUrl)
            .ok_or(UnreadableCredential)?;
        let instagram_id = stored.instagram_id.filter(|id| !id.is_empty());
        if stored.page_id.is_empty()
            || stored.page_token.is_empty()
            || (platform == Platform::Instagram) != instagram_id.is_some()
        {
            return Err(UnreadableCredential);
        }
        Ok(Credential {
            platform,
            graph,
            page_id: stored.page_id,
            instagram_id,
            page_token: Sensitive::new(stored.page_token),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instagram() -> Credential {
        Credential {
            platform: Platform::Instagram,
            graph: GraphUrl(url::Url::parse("http://127.0.0.1:4010/").unwrap()),
            page_id: "101".into(),
            instagram_id: Some("17841400000000001".into()),
            page_token: "EAAB-page-token-1".into(),
        }
    }

    fn facebook() -> Credential {
        Credential {
            platform: Platform::Facebook,
            graph: GraphUrl::production(),
            page_id: "102".into(),
            instagram_id: None,
            page_token: "EAAB-page-token-2".into(),
        }
    }

    fn same(a: &Credential, b: &Credential) -> bool {
        a.platform == b.platform
            && a.graph == b.graph
            && a.page_id == b.page_id
            && a.instagram_id == b.instagram_id
            && a.page_token.expose() == b.page_token.expose()
    }

    #[test]
    fn round_trips_through_one_versioned_secret() {
        for credential in [instagram(), facebook()] {
            let secret = credential.to_secret();
            assert!(
                secret.expose().starts_with(r#"{"v":1,"#),
                "{}",
                secret.expose()
            );
            let read = Credential::from_secret(&secret).unwrap();
            assert!(same(&read, &credential), "{read:?}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_meta_credential() {
        let bad = [
            "",
            "EAAB-page-token-1",
            "{}",
            "[1,2]",
            r#"{"v":2,"platform":"facebook","graph":"https://graph.facebook.com/","page_id":"1","page_token":"t"}"#,
            r#"{"v":1,"platform":"mastodon","graph":"https://graph.facebook.com/","page_id":"1","page_token":"t"}"#,
            r#"{"v":1,"platform":"facebook","graph":"not a url","page_id":"1","page_token":"t"}"#,
            r#"{"v":1,"platform":"facebook","graph":"https://graph.facebook.com/","page_id":"","page_token":"t"}"#,
            r#"{"v":1,"platform":"facebook","graph":"https://graph.facebook.com/","page_id":"1","page_token":""}"#,
            r#"{"v":1,"platform":"instagram","graph":"https://graph.facebook.com/","page_id":"1","page_token":"t"}"#,
            // A Mastodon credential.
            r#"{"v":1,"instance":"https://mastodon.example/","client_id":"a","client_secret":"b","access_token":"c"}"#,
        ];
        for text in bad {
            assert_eq!(
                Credential::from_secret(&text.into()).map(|_| ()),
                Err(UnreadableCredential),
                "{text}"
            );
        }
    }

    #[test]
    fn debug_shows_no_token() {
        let shown = format!(
            "{:?} {:?} {}",
            instagram(),
            facebook(),
            instagram().to_secret()
        );
        for token in ["EAAB-page-token-1", "EAAB-page-token-2"] {
            assert!(!shown.contains(token), "{token} leaked into {shown}");
        }
        assert!(shown.contains("17841400000000001"));
    }
}
