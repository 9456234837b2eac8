//! Linux and the BSDs: the freedesktop.org notification spec over the D-Bus session bus.
//!
//! One connection, kept for the notifier's lifetime, carries every call (`Notify`,
//! `CloseNotification`, `GetCapabilities`) and receives the server's `ActionInvoked` and
//! `NotificationClosed` signals. Servers that send those signals only to the
//! notification's sender rather than broadcasting them (dunst does) still reach us, and
//! servers that drop an application's notifications when its connection goes away (GNOME
//! Shell) keep them.
//!
//! `Notify` and `CloseNotification` are sent without waiting for their reply: one listener
//! thread reads every message the connection receives, in order — the replies (which
//! carry a notification's id, however late they come) and the signals — so a slow server
//! never blocks the callers, never makes us lose an id, and a signal about an id is never
//! read before the reply that gave the id out. What a key waits for is in [`state`].

mod errors;
mod server;
mod signals;
mod state;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use tracing::{debug, instrument, warn};
use zbus::blocking::connection::Builder;
use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::Value;
use zbus::Message;

use crate::content::{self, ServerSupport};
use crate::{
    DesktopAlert, NotifyError, ResponseCallback, CALL_TIMEOUT, CONVERSATIONS_HINT,
    CONVERSATION_HINT,
};
use errors::{call_error, no_session_bus};
use server::{log_server_information, query_capabilities};
use signals::{listen, subscribe};
use state::{Call, Send, State};

const BUS_NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
const INTERFACE: &str = "org.freedesktop.Notifications";

/// `NotificationClosed` reason: "The notification was dismissed by the user."
const CLOSED_BY_USER: u32 = 2;

/// Messages (replies and signals) queued for the listener thread; when it is full the
/// connection waits for the thread, so none is dropped.
const MESSAGE_QUEUE: usize = 1024;

/// How long dropping the notifier waits for the listener thread to stop.
const STOP_TIMEOUT: Duration = Duration::from_secs(2);

pub(crate) struct Backend {
    shared: Arc<Shared>,
    /// In a mutex only to make the notifier `Sync` (a channel receiver is not).
    listener: Mutex<Option<Listener>>,
}

/// What the callers' threads and the listener thread share.
struct Shared {
    conn: Connection,
    app_name: String,
    /// Held while a message is built and sent, so that its reply always finds its call.
    state: Mutex<State>,
    /// Signalled whenever a `Notify` reply arrives.
    answered: Condvar,
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
        // The timeout bounds the calls we wait for (capabilities, server information);
        // `Notify` and `CloseNotification` are answered on the listener thread.
        let conn = builder
            .method_timeout(CALL_TIMEOUT)
            .max_queued(MESSAGE_QUEUE)
            .build()
            .map_err(no_session_bus)?;
        // Read everything from before the first call on, so that no reply or response
        // can be missed; then ask the bus for the server's signals.
        let messages = MessageIterator::from(&conn);
        subscribe(&conn)?;
        let (capabilities, server) = query_capabilities(&conn)?;
        log_server_information(&conn, &capabilities);

        let shared = Arc::new(Shared {
            conn: conn.clone(),
            app_name: app_name.to_owned(),
            state: Mutex::new(State {
                server,
                capabilities,
                ..State::default()
            }),
            answered: Condvar::new(),
            on_response,
            stopping: AtomicBool::new(false),
        });
        let (stopped_tx, stopped) = mpsc::channel();
        let thread = thread::Builder::new()
            .name("desktop-notifications".into())
            .spawn({
                let shared = Arc::clone(&shared);
                move || {
                    listen(messages, &shared);
                    let _ = stopped_tx.send(());
                }
            })
            .map_err(|e| NotifyError::Refused {
                detail: format!("could not start the notification listener thread: {e}"),
            })?;
        Ok(Self {
            shared,
            listener: Mutex::new(Some(Listener { thread, stopped })),
        })
    }

    #[instrument(skip_all, fields(key = %alert.key), err)]
    pub(crate) fn show(&self, alert: &DesktopAlert) -> Result<(), NotifyError> {
        let mut state = lock(&self.shared.state);
        match state.show(alert) {
            Some(send) => self.shared.send(&mut state, send),
            None => {
                debug!("kept until the server answers the previous show of this key");
                Ok(())
            }
        }
    }

    #[instrument(skip(self), err)]
    pub(crate) fn close(&self, key: &str) -> Result<(), NotifyError> {
        let mut state = lock(&self.shared.state);
        match state.close(key) {
            Some(send) => self.shared.send(&mut state, send),
            None => Ok(()),
        }
    }

    pub(crate) fn capabilities(&self) -> Vec<String> {
        lock(&self.shared.state).capabilities.clone()
    }

    pub(crate) fn wait_until_answered(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = lock(&self.shared.state);
        while state.notifies_in_flight() > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .shared
                .answered
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

impl Shared {
    /// Sends `send` and records it as waiting for its reply (under the state's lock, so
    /// the reply cannot be read before).
    fn send(&self, state: &mut State, send: Send) -> Result<(), NotifyError> {
        let (message, call) = match send {
            Send::Notify { alert, replaces } => {
                let support = ServerSupport::from_capabilities(&state.capabilities);
                let key = alert.key.clone();
                (
                    self.notify_message(&alert, replaces, support),
                    Call::Notify(key),
                )
            }
            Send::Close(id) => (
                method_call("CloseNotification").and_then(|b| b.build(&(id))),
                Call::Close,
            ),
            Send::Capabilities => (
                method_call("GetCapabilities").and_then(|b| b.build(&())),
                Call::Capabilities,
            ),
        };
        let sent = message.and_then(|message| {
            let serial = message.primary_header().serial_num().get();
            state.sent(serial, call.clone());
            self.conn.send(&message).inspect_err(|_| {
                state.calls.remove(&serial);
            })
        });
        sent.map_err(|e| {
            state.not_sent(&call);
            call_error(e)
        })
    }

    fn notify_message(
        &self,
        alert: &DesktopAlert,
        replaces: u32,
        support: ServerSupport,
    ) -> zbus::Result<Message> {
        let n = content::notification(alert, &self.app_name, support);
        let mut hints: HashMap<&str, Value<'_>> = n.hints.iter().map(Into::into).collect();
        // notify-rust keeps `Hint::Custom` in a private field that cannot be read from
        // here, so the vendor hint is added to the D-Bus map directly.
        let conversation = alert.conversation.map(|c| c.to_string());
        if let Some(conversation) = &conversation {
            hints.insert(CONVERSATION_HINT, Value::from(conversation.as_str()));
        }
        let conversations = content::conversations_hint(alert);
        if let Some(conversations) = &conversations {
            hints.insert(CONVERSATIONS_HINT, Value::from(conversations.as_str()));
        }
        method_call("Notify")?.build(&(
            &n.appname,
            replaces,
            &n.icon,
            &n.summary,
            &n.body,
            &n.actions,
            hints,
            i32::from(n.timeout),
        ))
    }

    /// Sends what a reply made due; failures are logged (nobody waits for them).
    fn send_all(&self, state: &mut State, sends: Vec<Send>) {
        for send in sends {
            if let Err(e) = self.send(state, send) {
                warn!(error = %e, detail = e.detail(), "a desktop notification failed");
            }
        }
    }
}

/// A method call on the notification server, ready for its body.
fn method_call(method: &'static str) -> zbus::Result<zbus::message::Builder<'static>> {
    Message::method_call(PATH, method)?
        .destination(BUS_NAME)?
        .interface(INTERFACE)
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        // Closing the connection ends the listener's message stream.
        if let Err(e) = self.shared.conn.clone().close() {
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
