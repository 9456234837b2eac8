//! **Updates**: Switchboard looks for a new version only where the organisation's managed
//! settings say (`update_url`, optionally `update_channel`); with no address configured it
//! makes no network call at all (no phoning home). The desktop shell does the looking and
//! installing ([`crate::DesktopShell`]): it checks the update's signature against the key
//! built into Switchboard, and installs nothing whose signature does not match.
//!
//! Terms: the **address** is the managed `update_url`; the **channel** is the managed
//! `update_channel` ("stable", "beta" …), passed to the update server with the address.

use switchboard_core::{ApiError, UpdateView};

use crate::Console;

/// What the window says when no update address is configured.
pub const NOT_CONFIGURED: &str = "No update address is configured.";
/// What the window says when the app runs without a desktop shell (tests, dev bridge).
pub const NO_SHELL: &str = "Updates are installed by the desktop app only.";

/// The update address and channel, from the managed settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpdateAddress {
    /// Where the signed update manifest is (`None`: not configured).
    pub url: Option<String>,
    /// The channel, when managed.
    pub channel: Option<String>,
}

impl UpdateAddress {
    /// The view for "nothing configured": no network call was made.
    fn not_configured(&self) -> UpdateView {
        UpdateView {
            configured: false,
            channel: self.channel.clone(),
            available: None,
            message: Some(NOT_CONFIGURED.into()),
        }
    }
}

impl Console {
    /// The update address and channel the managed settings give (none by default).
    fn update_address(&self) -> UpdateAddress {
        let managed = self.managed();
        UpdateAddress {
            url: managed.update_url().map(str::to_string),
            channel: managed.update_channel().map(str::to_string),
        }
    }

    /// Looks for an update where the managed settings say, and checks its signature.
    pub async fn check_for_update(&self) -> Result<UpdateView, ApiError> {
        Ok(self.with_update_shell(false).await)
    }

    /// Installs the update found, when its signature checks out (nothing is replaced
    /// otherwise).
    pub async fn install_update(&self) -> Result<UpdateView, ApiError> {
        Ok(self.with_update_shell(true).await)
    }

    async fn with_update_shell(&self, install: bool) -> UpdateView {
        let address = self.update_address();
        let Some(url) = address.url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return address.not_configured();
        };
        let channel = address.channel.as_deref();
        let Some(shell) = self.shell() else {
            return UpdateView {
                configured: true,
                channel: address.channel.clone(),
                available: None,
                message: Some(NO_SHELL.into()),
            };
        };
        let mut view = if install {
            shell.install_update(url, channel).await
        } else {
            shell.check_for_update(url, channel).await
        };
        view.configured = true;
        if view.channel.is_none() {
            view.channel = address.channel.clone();
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_configured_says_so() {
        let view = UpdateAddress::default().not_configured();
        assert!(!view.configured);
        assert_eq!(view.available, None);
        assert_eq!(view.message.as_deref(), Some(NOT_CONFIGURED));
    }
}
