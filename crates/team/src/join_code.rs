//! [`JoinCode`]: what an administrator hands to a new member, once.
//!
//! A join code carries the database address (without credentials), the team, the
//! member's login role and its password, as `sbjoin1.` followed by base64url JSON. It is
//! a secret as a whole: [`JoinCode::encode`] returns a [`Sensitive`], `Debug` redacts the
//! password, and the app keeps it only in the OS keychain.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use switchboard_vault::Sensitive;
use url::Url;
use uuid::Uuid;
use zeroize::Zeroize;

use crate::TeamError;

const PREFIX: &str = "sbjoin1.";

/// A member's way into the team database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode {
    /// `postgres://<member>@host:port/db?sslmode=…`, never with a password.
    pub url: String,
    /// The team.
    pub team: Uuid,
    /// The member's login role.
    pub member: String,
    /// The login role's password.
    pub secret: Sensitive<String>,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    url: String,
    team: Uuid,
    member: String,
    secret: String,
}

impl JoinCode {
    /// A join code for `member` at `base_url` (its user and password, if any, are
    /// replaced by `member` and dropped).
    pub fn new(
        base_url: &str,
        team: Uuid,
        member: &str,
        secret: Sensitive<String>,
    ) -> Result<Self, TeamError> {
        let mut url = Url::parse(base_url).map_err(|e| TeamError::BadAddress(e.to_string()))?;
        url.set_password(None)
            .and_then(|()| url.set_username(member))
            .map_err(|()| TeamError::BadAddress("it has no host".into()))?;
        Ok(JoinCode {
            url: url.into(),
            team,
            member: member.to_owned(),
            secret,
        })
    }

    /// The code to hand over.
    pub fn encode(&self) -> Sensitive<String> {
        let mut wire = Wire {
            url: self.url.clone(),
            team: self.team,
            member: self.member.clone(),
            secret: self.secret.expose().clone(),
        };
        let mut json = serde_json::to_vec(&wire).expect("a join code always serializes");
        wire.secret.zeroize();
        let code = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&json));
        json.zeroize();
        Sensitive::new(code)
    }

    /// Reads a code made by [`JoinCode::encode`] (surrounding blanks are ignored).
    pub fn decode(code: &str) -> Result<Self, TeamError> {
        let body = code
            .trim()
            .strip_prefix(PREFIX)
            .ok_or(TeamError::BadJoinCode)?;
        let mut json = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| TeamError::BadJoinCode)?;
        let wire: Result<Wire, _> = serde_json::from_slice(&json);
        json.zeroize();
        let wire = wire.map_err(|_| TeamError::BadJoinCode)?;
        Ok(JoinCode {
            url: wire.url,
            team: wire.team,
            member: wire.member,
            secret: Sensitive::new(wire.secret),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> JoinCode {
        JoinCode::new(
            "postgres://admin:adminpw@db.example.com:5432/team?sslmode=verify-full",
            Uuid::nil(),
            "sb_ana_1a2b3c",
            Sensitive::new("s3cret-pass".to_owned()),
        )
        .unwrap()
    }

    #[test]
    fn round_trips_and_drops_the_administrators_credentials() {
        let code = sample();
        assert_eq!(
            code.url,
            "postgres://sb_ana_1a2b3c@db.example.com:5432/team?sslmode=verify-full"
        );
        let decoded = JoinCode::decode(&format!("  {}\n", code.encode().expose())).unwrap();
        assert_eq!(decoded, code);
        assert_eq!(decoded.secret.expose(), "s3cret-pass");
    }

    #[test]
    fn debug_redacts_the_secret() {
        let code = sample();
        let shown = format!("{code:?} {:?}", code.encode());
        assert!(!shown.contains("s3cret-pass"), "{shown}");
        assert!(!shown.contains("adminpw"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[test]
    fn garbage_is_refused() {
        for bad in ["", "sbjoin1.", "sbjoin1.!!!", "hello", "sbjoin1.e30"] {
            assert!(
                matches!(JoinCode::decode(bad), Err(TeamError::BadJoinCode)),
                "{bad}"
            );
        }
    }
}
