//! [`Sensitive`]: a secret held in memory.

use std::fmt;

use zeroize::Zeroize;

/// A secret (an access token, a refresh token, an app password) held in memory.
///
/// `Debug` and `Display` print `<redacted>`; it implements neither `Serialize` nor
/// `Deserialize`, so it cannot reach a database row, an IPC payload or a log line by
/// accident; its memory is wiped when it is dropped. Read it with [`Sensitive::expose`],
/// only where it is sent to the platform or the keychain.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    /// Wraps `secret`.
    pub fn new(secret: T) -> Self {
        Sensitive(secret)
    }

    /// The secret itself. Call it only to hand the secret to the platform or the keychain.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Sensitive<String> {
    fn from(secret: String) -> Self {
        Sensitive(secret)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(secret: &str) -> Self {
        Sensitive(secret.to_owned())
    }
}
