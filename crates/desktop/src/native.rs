//! macOS and Windows: `notify-rust`'s native backends, best effort.
//!
//! Notifications are shown as plain text with no actions; responses are never reported,
//! replacing by key is left to the platform, and closing does nothing.

use tracing::{debug, instrument};

use crate::content::{self, ServerSupport};
use crate::{DesktopAlert, NotifyError, ResponseCallback};

pub(crate) struct Backend {
    app_name: String,
}

impl Backend {
    pub(crate) fn new(app_name: &str, on_response: ResponseCallback) -> Result<Self, NotifyError> {
        // No responses are reported on these platforms.
        drop(on_response);
        Ok(Self {
            app_name: app_name.to_owned(),
        })
    }

    #[instrument(skip_all, fields(key = %alert.key), err)]
    pub(crate) fn show(&self, alert: &DesktopAlert) -> Result<(), NotifyError> {
        content::notification(alert, &self.app_name, ServerSupport::default())
            .show()
            .map(drop)
            .map_err(|e| NotifyError::Refused {
                detail: e.to_string(),
            })
    }

    pub(crate) fn close(&self, key: &str) -> Result<(), NotifyError> {
        debug!(
            key,
            "closing notifications is not supported on this platform"
        );
        Ok(())
    }

    pub(crate) fn capabilities(&self) -> Vec<String> {
        Vec::new()
    }

    pub(crate) fn wait_until_answered(&self, _timeout: std::time::Duration) -> bool {
        true
    }
}
