//! Linux and the BSDs: the freedesktop.org notification spec over the D-Bus session bus.
//!
//! One connection, kept for the notifier's lifetime, carries every call (`Notify`,
//! `CloseNotification`, `GetCapabilities`) and receives the server's `ActionInvoked` and
//! `NotificationClosed` signals, which one listener thread reads. Servers that send those
//! signals only to the notification's sender rather than broadcasting them (dunst does)
//! still reach us, and servers that drop an application's notifications when its
//! connection goes away (GNOME Shell) keep them.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tracing::{debug, error, info, instrument, warn};
use zbus::blocking::connection::Builder;
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type as MessageType;
use zbus::zvariant::Value;
use zbus::{DBusError as _, MatchRule, Message};

use crate::content::{self, ServerSupport};
use crate::{
    AlertResponse, DesktopAlert, NotifyError, ResponseCallback, ACTION_OPEN, ACTION_SNOOZE,
    CALL_TIMEOUT, CONVERSATION_HINT, SNOOZE_MINUTES,
};

const BUS_NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
const INTERFACE: &str = "org.freedesktop.Notifications";

/// `NotificationClosed` reason: "The notification was dismissed by the user."
const CLOSED_BY_USER: u32 = 2;

/// Signals queued for the listener thread before the oldest are dropped.
const SIGNAL_QUEUE: usize = 256;

/// How long dropping the notifier waits for the listener thread to stop.
const STOP_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) struct Backend {
    conn: Connection,
    app_name: String,
    shared: Arc<Shared>,
    /// Held for the whole of `show` and `close`, so that two shows of one key from two
    /// threads replace rather than stack. The listener never takes it.
    sending: Mutex<()>,
    /// In a mutex only to make the notifier `Sync` (a channel receiver is not).
    listener: Mutex<Option<Listener>>,
}

/// What the callers' threads and the listener thread share.
struct Shared {
    state: Mutex<State>,
    on_response: ResponseCallback,
    stopping: AtomicBool,
}

struct Listener {
    thread: JoinHandle<()>,
    stopped: mpsc::Receiver<()>,
}

/// Our notifications on screen, by key and by server id, and what we know of the server.
#[derive(Debug, Default)]
struct State {
    shown: HashMap<String, Shown>,
    keys: HashMap<u32, String>,
    /// Unique bus name of the server that last answered us.
    server: Option<String>,
    capabilities: Vec<String>,
}

#[derive(Debug)]
struct Shown {
    id: u32,
    conversation: Option<i64>,
    /// Unique bus name of the server that gave out `id`: only its signals count.
    server: Option<String>,
    /// An action was invoked: the close that follows is not a dismissal.
    acted: bool,
}

impl Backend {
    pub(crate) fn new(app_name: &str, on_response: ResponseCallback) -> Result<Self, NotifyError> {
        let builder = Builder::session().map_err(no_session_bus)?;
        Self::connect(builder, app_name, on_response)
    }

    pub(crate) fn with_bus_address(
        address: &str,
        app_name: &str,
        on_response: ResponseCallback,
    ) -> Result<Self, NotifyError> {
        let builder = Builder::address(address).map_err(no_session_bus)?;
        Self::connect(builder, app_name, on_response)
    }

    fn connect(
        builder: Builder<'_>,
        app_name: &str,
        on_response: ResponseCallback,
    ) -> Result<Self, NotifyError> {
        let conn = builder
            .method_timeout(CALL_TIMEOUT)
            .build()
            .map_err(no_session_bus)?;
        // Subscribe before anything is shown, so that no response can be missed.
        let signals = subscribe(&conn)?;
        let (capabilities, server) = query_capabilities(&conn)?;
        log_server_information(&conn, &capabilities);

        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                server,
                capabilities,
                ..State::default()
            }),
            on_response,
            stopping: AtomicBool::new(false),
        });
        let (stopped_tx, stopped) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("desktop-notifications".into())
            .spawn({
                let shared = Arc::clone(&shared);
                let conn = conn.clone();
                move || {
                    listen(signals, &conn, &shared);
                    let _ = stopped_tx.send(());
                }
            })
            .map_err(|e| NotifyError::Refused {
                detail: format!("could not start the notification listener thread: {e}"),
            })?;
        Ok(Self {
            conn,
            app_name: app_name.to_owned(),
            shared,
            sending: Mutex::new(()),
            listener: Mutex::new(Some(Listener { thread, stopped })),
        })
    }

    #[instrument(skip_all, fields(key = %alert.key), err)]
    pub(crate) fn show(&self, alert: &DesktopAlert) -> Result<(), NotifyError> {
        let _sending = lock(&self.sending);
        let (replaces_id, support) = {
            let state = lock(&self.shared.state);
            (
                state.shown.get(&alert.key).map_or(0, |s| s.id),
                ServerSupport::from_capabilities(&state.capabilities),
            )
        };
        let n = content::notification(alert, &self.app_name, support);
        let mut hints: HashMap<&str, Value<'_>> = n.hints.iter().map(Into::into).collect();
        // notify-rust keeps `Hint::Custom` in a private field that cannot be read from
        // here, so the vendor hint is added to the D-Bus map directly.
        let conversation = alert.conversation.map(|c| c.to_string());
        if let Some(conversation) = &conversation {
            hints.insert(CONVERSATION_HINT, Value::from(conversation.as_str()));
        }
        let reply = self
            .conn
            .call_method(
                Some(BUS_NAME),
                PATH,
                Some(INTERFACE),
                "Notify",
                &(
                    &n.appname,
                    replaces_id,
                    &n.icon,
                    &n.summary,
                    &n.body,
                    &n.actions,
                    hints,
                    i32::from(n.timeout),
                ),
            )
            .map_err(call_error)?;
        let id: u32 = reply
            .body()
            .deserialize()
            .map_err(|e| NotifyError::Refused {
                detail: format!("unexpected answer to Notify: {e}"),
            })?;
        let server = reply.header().sender().map(|s| s.to_string());

        let server_changed = {
            let mut state = lock(&self.shared.state);
            let changed = server.is_some() && server != state.server;
            state.remember(&alert.key, id, alert.conversation, server.clone());
            if changed {
                state.server = server;
            }
            changed
        };
        debug!(id, replaced = replaces_id, "notification shown");

        if replaces_id != 0 && id != replaces_id {
            // The server did not replace in place (it had forgotten the old id): make sure
            // the old notification does not stay beside the new one.
            let _ = self.call_close(replaces_id);
        }
        if server_changed {
            // The server was restarted or replaced since we last asked what it supports.
            match query_capabilities(&self.conn) {
                Ok((capabilities, _)) => lock(&self.shared.state).capabilities = capabilities,
                Err(e) => warn!(error = %e, detail = e.detail(), "could not refresh capabilities"),
            }
        }
        Ok(())
    }

    #[instrument(skip(self), err)]
    pub(crate) fn close(&self, key: &str) -> Result<(), NotifyError> {
        let _sending = lock(&self.sending);
        let Some(shown) = lock(&self.shared.state).forget(key) else {
            return Ok(());
        };
        self.call_close(shown.id)
    }

    fn call_close(&self, id: u32) -> Result<(), NotifyError> {
        match self.conn.call_method(
            Some(BUS_NAME),
            PATH,
            Some(INTERFACE),
            "CloseNotification",
            &(id),
        ) {
            Ok(_) => Ok(()),
            Err(e) => match call_error(e) {
                // Servers may answer with an error for a notification that is already gone.
                NotifyError::Refused { detail } => {
                    debug!(id, %detail, "CloseNotification refused");
                    Ok(())
                }
                other => Err(other),
            },
        }
    }

    pub(crate) fn capabilities(&self) -> Vec<String> {
        lock(&self.shared.state).capabilities.clone()
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        // Closing the connection ends the listener's message stream.
        if let Err(e) = self.conn.clone().close() {
            debug!(error = %e, "closing the notification connection");
        }
        let listener = self
            .listener
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(listener) = listener.take() {
            if listener.stopped.recv_timeout(STOP_TIMEOUT).is_ok() {
                let _ = listener.thread.join();
            } else {
                warn!("the desktop notification listener did not stop in time; leaving it");
            }
        }
    }
}

impl State {
    /// Records that `key` is on screen as server notification `id`.
    fn remember(&mut self, key: &str, id: u32, conversation: Option<i64>, server: Option<String>) {
        let shown = Shown {
            id,
            conversation,
            server,
            acted: false,
        };
        if let Some(old) = self.shown.insert(key.to_owned(), shown) {
            if old.id != id {
                self.keys.remove(&old.id);
            }
        }
        self.keys.insert(id, key.to_owned());
    }

    fn forget(&mut self, key: &str) -> Option<Shown> {
        let shown = self.shown.remove(key)?;
        self.keys.remove(&shown.id);
        Some(shown)
    }

    /// Ours and from the server that gave the id out, or `None`.
    fn ours(&mut self, id: u32, sender: Option<&str>) -> Option<(&String, &mut Shown)> {
        let key = self.keys.get(&id)?;
        let shown = self.shown.get_mut(key)?;
        if shown.server.is_some() && shown.server.as_deref() != sender {
            debug!(
                id,
                ?sender,
                "ignoring a signal from a bus peer that is not the server"
            );
            return None;
        }
        Some((key, shown))
    }

    fn action_invoked(
        &mut self,
        id: u32,
        action: &str,
        sender: Option<&str>,
    ) -> Option<AlertResponse> {
        let (_, shown) = self.ours(id, sender)?;
        shown.acted = true;
        let conversation = shown.conversation?;
        match action {
            ACTION_OPEN => Some(AlertResponse::Open { conversation }),
            ACTION_SNOOZE => Some(AlertResponse::Snooze {
                conversation,
                minutes: SNOOZE_MINUTES,
            }),
            other => {
                debug!(id, action = other, "ignoring an unknown action");
                None
            }
        }
    }

    fn closed(&mut self, id: u32, reason: u32, sender: Option<&str>) -> Option<AlertResponse> {
        let key = self.ours(id, sender)?.0.clone();
        let shown = self.forget(&key)?;
        (reason == CLOSED_BY_USER && !shown.acted).then_some(AlertResponse::Dismissed { key })
    }
}

fn subscribe(conn: &Connection) -> Result<MessageIterator, NotifyError> {
    let rule = MatchRule::builder()
        .msg_type(MessageType::Signal)
        .interface(INTERFACE)
        .and_then(|b| b.path(PATH))
        .map_err(call_error)?
        .build();
    MessageIterator::for_match_rule(rule, conn, Some(SIGNAL_QUEUE)).map_err(call_error)
}

/// The server's capabilities and its unique bus name.
fn query_capabilities(conn: &Connection) -> Result<(Vec<String>, Option<String>), NotifyError> {
    let reply = conn
        .call_method(
            Some(BUS_NAME),
            PATH,
            Some(INTERFACE),
            "GetCapabilities",
            &(),
        )
        .map_err(call_error)?;
    let capabilities: Vec<String> =
        reply
            .body()
            .deserialize()
            .map_err(|e| NotifyError::Refused {
                detail: format!("unexpected answer to GetCapabilities: {e}"),
            })?;
    let server = reply.header().sender().map(|s| s.to_string());
    Ok((capabilities, server))
}

fn log_server_information(conn: &Connection, capabilities: &[String]) {
    let info = conn
        .call_method(
            Some(BUS_NAME),
            PATH,
            Some(INTERFACE),
            "GetServerInformation",
            &(),
        )
        .and_then(|reply| {
            reply
                .body()
                .deserialize::<(String, String, String, String)>()
        });
    match info {
        Ok((name, vendor, version, spec)) => {
            info!(%name, %vendor, %version, %spec, ?capabilities, "desktop notification server")
        }
        Err(e) => info!(error = %e, ?capabilities, "desktop notification server (no information)"),
    }
}

fn listen(signals: MessageIterator, conn: &Connection, shared: &Shared) {
    for message in signals {
        if shared.stopping.load(Ordering::Acquire) {
            break;
        }
        match message {
            Ok(message) => {
                if let Some(response) = response_to(&message, shared) {
                    deliver(shared, response);
                }
            }
            Err(e) => {
                if conn.is_closed() {
                    warn!(error = %e, "lost the session bus: notification actions are no longer reported");
                    break;
                }
                debug!(error = %e, "unreadable notification signal");
            }
        }
    }
}

fn response_to(message: &Message, shared: &Shared) -> Option<AlertResponse> {
    let header = message.header();
    let sender = header.sender().map(|s| s.as_str());
    match header.member()?.as_str() {
        "ActionInvoked" => {
            let (id, action): (u32, String) = message.body().deserialize().ok()?;
            lock(&shared.state).action_invoked(id, &action, sender)
        }
        "NotificationClosed" => {
            let (id, reason): (u32, u32) = message.body().deserialize().ok()?;
            lock(&shared.state).closed(id, reason, sender)
        }
        _ => None,
    }
}

fn deliver(shared: &Shared, response: AlertResponse) {
    debug!(?response, "notification response");
    if catch_unwind(AssertUnwindSafe(|| (shared.on_response)(response))).is_err() {
        error!("the notification response callback panicked");
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn no_session_bus(e: zbus::Error) -> NotifyError {
    NotifyError::NoSessionBus {
        detail: e.to_string(),
    }
}

/// D-Bus errors that mean "nobody provides org.freedesktop.Notifications": no owner and
/// no activatable service, or activation failed (e.g. dunst cannot start without a
/// display: `Spawn.ChildExited` / `Spawn.ChildSignaled`).
fn means_no_service(error_name: &str) -> bool {
    matches!(
        error_name,
        "org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NameHasNoOwner"
    ) || error_name.starts_with("org.freedesktop.DBus.Error.Spawn.")
}

/// D-Bus errors that mean "the service did not answer in time".
fn means_no_answer(error_name: &str) -> bool {
    matches!(
        error_name,
        "org.freedesktop.DBus.Error.NoReply"
            | "org.freedesktop.DBus.Error.Timeout"
            | "org.freedesktop.DBus.Error.TimedOut"
    )
}

fn classify_error_name(error_name: &str, detail: String) -> NotifyError {
    if means_no_service(error_name) {
        NotifyError::NoNotificationService { detail }
    } else if means_no_answer(error_name) {
        NotifyError::ServiceNotResponding { detail }
    } else {
        NotifyError::Refused { detail }
    }
}

fn call_error(e: zbus::Error) -> NotifyError {
    let detail = e.to_string();
    match &e {
        zbus::Error::MethodError(name, _, _) => classify_error_name(name.as_str(), detail),
        zbus::Error::FDO(fdo) => classify_error_name(fdo.name().as_str(), detail),
        zbus::Error::InputOutput(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            NotifyError::ServiceNotResponding { detail }
        }
        zbus::Error::InputOutput(_)
        | zbus::Error::Connection(..)
        | zbus::Error::Handshake(_)
        | zbus::Error::Address(_) => NotifyError::NoSessionBus { detail },
        _ => NotifyError::Refused { detail },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVER: Option<&str> = Some(":1.7");

    fn state_with(key: &str, id: u32, conversation: Option<i64>) -> State {
        let mut state = State::default();
        state.remember(key, id, conversation, SERVER.map(str::to_owned));
        state
    }

    #[test]
    fn actions_map_to_responses_for_the_alerts_conversation() {
        let mut state = state_with("sla:7", 4, Some(7));
        assert_eq!(
            state.action_invoked(4, "default", SERVER),
            Some(AlertResponse::Open { conversation: 7 })
        );
        assert_eq!(
            state.action_invoked(4, "snooze-15", SERVER),
            Some(AlertResponse::Snooze {
                conversation: 7,
                minutes: 15
            })
        );
        assert_eq!(
            state.action_invoked(4, "reply", SERVER),
            None,
            "unknown action"
        );
        assert_eq!(
            state.action_invoked(5, "default", SERVER),
            None,
            "not our id"
        );
    }

    #[test]
    fn signals_from_other_bus_peers_are_ignored() {
        let mut state = state_with("sla:7", 4, Some(7));
        assert_eq!(state.action_invoked(4, "default", Some(":1.99")), None);
        assert_eq!(state.closed(4, CLOSED_BY_USER, Some(":1.99")), None);
        assert!(
            state.shown.contains_key("sla:7"),
            "still ours after a spoofed close"
        );
    }

    #[test]
    fn only_a_user_dismissal_without_an_action_is_reported() {
        let mut state = state_with("a", 1, Some(7));
        assert_eq!(
            state.closed(1, CLOSED_BY_USER, SERVER),
            Some(AlertResponse::Dismissed { key: "a".into() })
        );
        assert!(
            state.shown.is_empty() && state.keys.is_empty(),
            "forgotten once closed"
        );

        let mut state = state_with("a", 1, Some(7));
        assert_eq!(state.closed(1, 1, SERVER), None, "expired");
        let mut state = state_with("a", 1, Some(7));
        assert_eq!(
            state.closed(1, 3, SERVER),
            None,
            "closed by CloseNotification"
        );

        let mut state = state_with("a", 1, Some(7));
        state.action_invoked(1, "default", SERVER);
        assert_eq!(
            state.closed(1, CLOSED_BY_USER, SERVER),
            None,
            "servers close a notification after its action: that is not a dismissal"
        );
    }

    #[test]
    fn replacing_under_a_new_id_forgets_the_old_one() {
        let mut state = state_with("a", 1, None);
        state.remember("a", 2, None, SERVER.map(str::to_owned));
        assert_eq!(state.keys.get(&2).map(String::as_str), Some("a"));
        assert!(!state.keys.contains_key(&1));
        assert_eq!(state.shown.len(), 1);
    }

    #[test]
    fn dbus_error_names_map_to_plain_errors() {
        for name in [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NameHasNoOwner",
            "org.freedesktop.DBus.Error.Spawn.ChildSignaled",
            "org.freedesktop.DBus.Error.Spawn.ChildExited",
        ] {
            assert_eq!(
                classify_error_name(name, name.into()).code(),
                "no_notification_service",
                "{name}"
            );
        }
        assert_eq!(
            classify_error_name("org.freedesktop.DBus.Error.NoReply", String::new()).code(),
            "service_not_responding"
        );
        assert_eq!(
            classify_error_name("org.freedesktop.Notifications.Error.Full", String::new()).code(),
            "refused"
        );
    }
}
