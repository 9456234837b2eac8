//! Why the team database refused or failed a connection, as a join check needs to tell it
//! apart: the member's login is disabled (removed from the team), the password is not
//! the member's (a used or revoked join code), or the TLS handshake failed (the server's
//! certificate could not be checked).

use crate::TeamError;

impl TeamError {
    /// The SQLSTATE code of a database refusal (e.g. `28P01`, a wrong password).
    pub fn sqlstate(&self) -> Option<String> {
        let TeamError::Database(error) = self else {
            return None;
        };
        error
            .as_database_error()
            .and_then(|db| db.code())
            .map(|code| code.into_owned())
    }

    /// Whether the member's login is not allowed (a removed member's role cannot log in).
    pub fn is_login_disabled(&self) -> bool {
        // invalid_authorization_specification: "role … is not permitted to log in"
        self.sqlstate().as_deref() == Some("28000")
    }

    /// Whether the password was refused (the join code was used and replaced, or revoked).
    pub fn is_wrong_password(&self) -> bool {
        self.sqlstate().as_deref() == Some("28P01")
    }

    /// Whether the TLS handshake with the server failed (its certificate chain or name
    /// could not be checked).
    pub fn is_tls_failure(&self) -> bool {
        match self {
            TeamError::Database(sqlx::Error::Tls(_)) => true,
            // rustls' refusals (an unknown issuer, a name mismatch, an alert from the
            // server) come up through the stream as invalid data.
            TeamError::Database(sqlx::Error::Io(io)) => {
                io.kind() == std::io::ErrorKind::InvalidData
                    && io.get_ref().is_some_and(|inner| {
                        let said = format!("{inner:?}");
                        ["Certificate", "Handshake", "Alert", "PeerIncompatible"]
                            .iter()
                            .any(|word| said.contains(word))
                    })
            }
            _ => false,
        }
    }
}
