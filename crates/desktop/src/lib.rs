//! OS desktop notifications for Switchboard, and the user's answers to them.
//!
//! Words used here:
//!
//! - An **alert** ([`DesktopAlert`]) is what Switchboard wants on the desktop: a title, a
//!   body, whether it is critical and, when it is about a conversation, which one.
//! - Every alert has a **key**, chosen by the caller and stable for the thing it is about
//!   (e.g. `sla:<conversation>`). Showing an alert whose key is already on screen
//!   **replaces** that notification in place; it never stacks a second one. Closing is by key.
//! - A **response** ([`AlertResponse`]) is what the user did with a notification: opened
//!   the conversation, snoozed it, or dismissed the notification.
//! - The **notification server** is the desktop's notification service. On Linux and the
//!   BSDs it is whatever owns `org.freedesktop.Notifications` on the D-Bus session bus
//!   (GNOME Shell, KDE Plasma, dunst, notification-daemon, …); on macOS and Windows it is
//!   the system's own notification centre.
//!
//! [`DesktopNotifier`] is the one entry point. Creating it waits for the server (at most
//! [`CALL_TIMEOUT`] per call). Showing and closing never wait for the server's answer: on
//! Linux they send their call and return, and the answer — the notification's id, which
//! later replaces and closes go by — is read when it comes, however late (a busy server
//! may take seconds). Until then further shows of that key wait as its latest content and
//! a close waits to be carried out by that id, so a slow server never leaves a
//! notification behind that can no longer be replaced or closed. They may still block
//! briefly on the socket: call them from a worker thread, never from a UI thread.
//!
//! On Linux one session-bus connection, kept for the notifier's lifetime, both sends the
//! notifications and receives the server's `ActionInvoked` and `NotificationClosed`
//! signals on one background thread. Keeping the sending connection alive matters: some
//! servers (dunst, for one) send those signals only to the connection that created the
//! notification, and some (GNOME Shell) drop an application's notifications when that
//! connection goes away. (`notify-rust`'s own `show()` opens a new connection per
//! notification, so on Linux it is used to build notifications, not to send them.)
//!
//! On macOS and Windows notifications go through `notify-rust`'s native backends on a
//! best-effort basis: no actions, no responses, and [`DesktopNotifier::close`] does nothing.

use std::fmt;

#[cfg(all(unix, not(target_os = "macos")))]
mod freedesktop;
#[cfg(not(all(unix, not(target_os = "macos"))))]
mod native;

mod content;

#[cfg(all(unix, not(target_os = "macos")))]
use freedesktop as backend;
#[cfg(not(all(unix, not(target_os = "macos"))))]
use native as backend;

pub use content::{escape_markup, CONVERSATIONS_HINT, CONVERSATION_HINT};

/// Action key of "Open": the freedesktop `default` action, which most servers also invoke
/// when the user clicks the notification itself.
pub const ACTION_OPEN: &str = "default";

/// Action key of "Snooze 15 m".
pub const ACTION_SNOOZE: &str = "snooze-15";

/// Minutes that the snooze action asks for.
pub const SNOOZE_MINUTES: u32 = 15;

/// Longest wait for the notification server to answer a call whose answer
/// [`DesktopNotifier::new`] needs (its capabilities) before
/// [`NotifyError::ServiceNotResponding`]. Shows and closes do not wait for their answer.
pub const CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// A notification that Switchboard wants on the desktop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopAlert {
    /// Stable identity chosen by the caller: showing an alert with a key that is already on
    /// screen replaces that notification, and [`DesktopNotifier::close`] takes the key.
    pub key: String,
    /// First line (the notification's summary). Sent as plain text.
    pub title: String,
    /// Body text. May come from customers: on servers that render markup in bodies it is
    /// escaped so that it is shown exactly as written.
    pub body: String,
    /// Critical alerts use the server's critical urgency and stay until dismissed; others
    /// use normal urgency and the server's default expiry.
    pub critical: bool,
    /// The conversation the alert is about. When set (and the server supports actions)
    /// the notification offers "Open" and "Snooze 15 m".
    pub conversation: Option<i64>,
    /// Every conversation it covers, longest waiting first (a group covers several): sent
    /// as the vendor hint [`CONVERSATIONS_HINT`], ids separated by commas, for tools and
    /// tests that need to know what a grouped notification stands for.
    pub conversations: Vec<i64>,
}

/// What the user did with a notification, reported through the `on_response` callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertResponse {
    /// The user chose "Open" or clicked the notification.
    Open {
        /// The alert's key.
        key: String,
        /// The alert's conversation.
        conversation: i64,
    },
    /// The user chose "Snooze 15 m".
    Snooze {
        /// The alert's key.
        key: String,
        /// The alert's conversation.
        conversation: i64,
        /// How long to snooze: [`SNOOZE_MINUTES`].
        minutes: u32,
    },
    /// The user dismissed the notification without choosing an action. Not reported when
    /// it expired, was replaced, or was closed through [`DesktopNotifier::close`].
    Dismissed {
        /// The alert's key.
        key: String,
    },
}

/// The callback that receives [`AlertResponse`]s. It runs on the notifier's listener
/// thread: keep it short (e.g. send on a channel) and do not panic in it.
pub type ResponseCallback = Box<dyn Fn(AlertResponse) + Send + Sync>;

/// Why a desktop notification could not be delivered.
///
/// `Display` is a plain sentence for the user that says what to do; [`NotifyError::code`]
/// is a stable code to branch on; `detail` carries the technical cause for the logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotifyError {
    /// No D-Bus session bus could be reached (none running, `DBUS_SESSION_BUS_ADDRESS`
    /// unset or stale, or the connection to it was lost).
    #[error(
        "Desktop notifications need a D-Bus session bus, and none could be reached. \
         Start Switchboard from a desktop session (or under `dbus-run-session`)."
    )]
    NoSessionBus {
        /// Technical cause, for the logs.
        detail: String,
    },
    /// The session bus works, but no notification server owns
    /// `org.freedesktop.Notifications` and none could be started.
    #[error(
        "No desktop notification service is running (org.freedesktop.Notifications on the \
         session bus). Install and start one, e.g. dunst or notification-daemon."
    )]
    NoNotificationService {
        /// Technical cause, for the logs (e.g. the D-Bus error name).
        detail: String,
    },
    /// The notification server did not answer within [`CALL_TIMEOUT`].
    #[error(
        "The desktop notification service did not answer in time. It may be stuck: \
         restart it (or log out and in again)."
    )]
    ServiceNotResponding {
        /// Technical cause, for the logs.
        detail: String,
    },
    /// The notification server (or, on macOS and Windows, the system) answered with an
    /// error.
    #[error("The desktop notification service refused the notification ({detail}).")]
    Refused {
        /// The error the service gave.
        detail: String,
    },
}

impl NotifyError {
    /// A stable, machine-readable code: `no_session_bus`, `no_notification_service`,
    /// `service_not_responding` or `refused`.
    pub fn code(&self) -> &'static str {
        match self {
            NotifyError::NoSessionBus { .. } => "no_session_bus",
            NotifyError::NoNotificationService { .. } => "no_notification_service",
            NotifyError::ServiceNotResponding { .. } => "service_not_responding",
            NotifyError::Refused { .. } => "refused",
        }
    }

    /// The technical cause, for the logs.
    pub fn detail(&self) -> &str {
        match self {
            NotifyError::NoSessionBus { detail }
            | NotifyError::NoNotificationService { detail }
            | NotifyError::ServiceNotResponding { detail }
            | NotifyError::Refused { detail } => detail,
        }
    }
}

/// Shows, replaces and closes desktop notifications by key, and reports the user's
/// responses to the callback given to [`DesktopNotifier::new`].
///
/// `Send + Sync`: share it (e.g. in an `Arc`) and call it from worker threads. Dropping it
/// stops the listener thread; notifications already on screen stay there, but their
/// actions are no longer reported.
pub struct DesktopNotifier {
    inner: backend::Backend,
}

impl DesktopNotifier {
    /// Connects to the desktop's notification service.
    ///
    /// On Linux: connects to the D-Bus session bus, asks the notification server for its
    /// capabilities (which may start it through D-Bus activation), and starts one
    /// background thread that turns the server's `ActionInvoked` and `NotificationClosed`
    /// signals for our notifications into calls of `on_response`.
    ///
    /// `app_name` is shown by some servers and used by others to group notifications.
    ///
    /// # Errors
    /// [`NotifyError::NoSessionBus`] or [`NotifyError::NoNotificationService`] when
    /// notifications cannot be shown at all; the app should tell the user once and carry
    /// on without them.
    pub fn new(app_name: &str, on_response: ResponseCallback) -> Result<Self, NotifyError> {
        backend::Backend::new(app_name, on_response).map(|inner| Self { inner })
    }

    /// Like [`DesktopNotifier::new`], on the D-Bus bus at `address` (e.g.
    /// `unix:path=/run/user/1000/bus`) instead of the session bus named by
    /// `DBUS_SESSION_BUS_ADDRESS`. Linux and the BSDs only; meant for tests and
    /// diagnostics.
    ///
    /// # Errors
    /// As [`DesktopNotifier::new`].
    #[cfg(all(unix, not(target_os = "macos")))]
    pub fn with_bus_address(
        address: &str,
        app_name: &str,
        on_response: ResponseCallback,
    ) -> Result<Self, NotifyError> {
        backend::Backend::with_bus_address(address, app_name, on_response)
            .map(|inner| Self { inner })
    }

    /// Shows `alert`, or replaces the notification already shown under the same key.
    ///
    /// Does not wait for the server's answer (see the crate docs): while an earlier show
    /// of the key waits for its answer, `alert` is kept (the latest wins) and sent when
    /// the answer comes. A refusal that comes later is logged.
    ///
    /// # Errors
    /// When the call cannot be sent (the bus is gone); on macOS and Windows, when the
    /// system refuses the notification.
    pub fn show(&self, alert: &DesktopAlert) -> Result<(), NotifyError> {
        self.inner.show(alert)
    }

    /// Closes the notification shown under `key`. Does nothing when none is (any more).
    /// When the key's show still waits for the server's answer, it is closed by the id
    /// that answer brings.
    ///
    /// # Errors
    /// When the call cannot be sent (the bus is gone).
    pub fn close(&self, key: &str) -> Result<(), NotifyError> {
        self.inner.close(key)
    }

    /// Waits until the server has answered every show sent so far (and the follow-ups
    /// those answers made due), at most `timeout`. Returns whether it has. For tests and
    /// for an orderly shutdown; showing and closing never need it.
    pub fn wait_until_answered(&self, timeout: std::time::Duration) -> bool {
        self.inner.wait_until_answered(timeout)
    }

    /// The notification server's capabilities, as it reported them when the notifier was
    /// created (and again whenever the server was restarted since): e.g. `actions`, `body`,
    /// `body-markup`, `persistence`. Empty on macOS and Windows. Does not block.
    ///
    /// Actions are only added to notifications when this contains `actions`.
    pub fn server_capabilities(&self) -> Vec<String> {
        self.inner.capabilities()
    }
}

impl fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DesktopNotifier")
            .field("capabilities", &self.inner.capabilities())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifier_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<DesktopNotifier>();
    }

    #[test]
    fn error_codes_and_messages_are_plain() {
        let e = NotifyError::NoNotificationService {
            detail: "org.freedesktop.DBus.Error.ServiceUnknown".into(),
        };
        assert_eq!(e.code(), "no_notification_service");
        let text = e.to_string();
        assert!(
            text.starts_with("No desktop notification service is running")
                && text.contains("dunst"),
            "the message tells the user what is missing and what to install: {text}"
        );
        assert!(
            !text.contains("org.freedesktop.DBus.Error"),
            "the technical detail stays out of the user's message: {text}"
        );
        assert_eq!(e.detail(), "org.freedesktop.DBus.Error.ServiceUnknown");

        let e = NotifyError::NoSessionBus {
            detail: "No such file or directory".into(),
        };
        assert_eq!(e.code(), "no_session_bus");
        assert!(e.to_string().contains("session bus"), "{e}");
    }
}
