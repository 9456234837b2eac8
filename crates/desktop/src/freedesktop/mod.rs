//! Linux and the BSDs: the freedesktop.org notification spec over the D-Bus session bus.
//!
//! One connection, kept for the notifier's lifetime, carries every call (`Notify`,
//! `CloseNotification`, `GetCapabilities`) and receives the server's `ActionInvoked` and
//! `NotificationClosed` signals, which one listener thread reads. Servers that send those
//! signals only to the notification's sender rather than broadcasting them (dunst does)
//! still reach us, and servers that drop an application's notifications when its
//! connection goes away (GNOME Shell) keep them.

mod errors;
mod server;
mod signals;
mod state;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use tracing::{debug, instrument, warn};
use zbus::blocking::connection::Builder;
use zbus::blocking::Connection;
use zbus::zvariant::Value;

use crate::content::{self, ServerSupport};
use crate::{DesktopAlert, NotifyError, ResponseCallback, CALL_TIMEOUT, CONVERSATION_HINT};
use errors::{call_error, no_session_bus};
use server::{log_server_information, query_capabilities};
use signals::{listen, subscribe};
use state::State;

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

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
