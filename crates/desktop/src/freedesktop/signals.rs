//! The listener thread: every message our connection receives, in order — the server's
//! replies to our calls (a notification's id, an error) and its `ActionInvoked` and
//! `NotificationClosed` signals, which become calls of the response callback.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;

use tracing::{debug, error, warn};
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type as MessageType;
use zbus::Message;

use super::errors::call_error;
use super::state::{Call, EarlyKind, EarlySignal, NotifyReply};
use super::{lock, Shared, INTERFACE, PATH};
use crate::{AlertResponse, NotifyError};

/// Asks the bus to route the server's signals to us (they arrive on the listener's
/// message stream, which sees everything the connection receives).
pub(super) fn subscribe(conn: &Connection) -> Result<(), NotifyError> {
    if !conn.is_bus() {
        return Ok(());
    }
    let rule = format!("type='signal',interface='{INTERFACE}',path='{PATH}'");
    conn.call_method(
        Some("org.freedesktop.DBus"),
        "/org/freedesktop/DBus",
        Some("org.freedesktop.DBus"),
        "AddMatch",
        &(rule.as_str()),
    )
    .map(drop)
    .map_err(call_error)
}

pub(super) fn listen(messages: MessageIterator, shared: &Shared) {
    for message in messages {
        if shared.stopping.load(Ordering::Acquire) {
            break;
        }
        match message {
            Ok(message) => match message.message_type() {
                MessageType::MethodReturn | MessageType::Error => reply(&message, shared),
                MessageType::Signal => {
                    if let Some(response) = response_to(&message, shared) {
                        deliver(shared, response);
                    }
                }
                MessageType::MethodCall => {}
            },
            Err(e) => {
                if shared.conn.is_closed() {
                    warn!(error = %e, "lost the session bus: notification actions are no longer reported");
                    break;
                }
                debug!(error = %e, "unreadable message");
            }
        }
    }
}

/// A reply to one of our calls: record what it says and send what it made due.
fn reply(message: &Message, shared: &Shared) {
    let header = message.header();
    let Some(serial) = header.reply_serial().map(|s| s.get()) else {
        return;
    };
    let mut state = lock(&shared.state);
    if !state.waits_for(serial) {
        return; // the answer to a call made elsewhere on this connection
    }
    let failed = (message.message_type() == MessageType::Error).then(|| {
        let name = header
            .error_name()
            .map_or_else(String::new, |n| n.to_string());
        let text: String = message.body().deserialize().unwrap_or_default();
        format!("{name}: {text}")
    });
    if let Some(call) = state.other_answered(serial) {
        match (call, &failed) {
            (Call::Capabilities, None) => match message.body().deserialize::<Vec<String>>() {
                Ok(capabilities) => state.capabilities = capabilities,
                Err(e) => warn!(error = %e, "unexpected answer to GetCapabilities"),
            },
            (Call::Capabilities, Some(detail)) => {
                warn!(%detail, "could not refresh the server's capabilities")
            }
            // Servers may answer with an error for a notification that is already gone.
            (Call::Close, Some(detail)) => debug!(%detail, "CloseNotification refused"),
            _ => {}
        }
        return;
    }
    let answer = match failed {
        Some(detail) => {
            warn!(%detail, "the notification server refused a notification");
            NotifyReply::Failed
        }
        None => match message.body().deserialize::<u32>() {
            Ok(id) => NotifyReply::Id(id, header.sender().map(|s| s.to_string())),
            Err(e) => {
                warn!(error = %e, "unexpected answer to Notify");
                NotifyReply::Failed
            }
        },
    };
    let answered_id = match &answer {
        NotifyReply::Id(id, _) => Some(*id),
        NotifyReply::Failed => None,
    };
    let then = state.notify_answered(serial, answer);
    shared.send_all(&mut state, then);
    // Signals that came before this answer are about a notification known only now.
    let early = answered_id.map_or_else(Vec::new, |id| state.take_early(id));
    drop(state);
    shared.answered.notify_all();
    for response in early {
        deliver(shared, response);
    }
}

fn response_to(message: &Message, shared: &Shared) -> Option<AlertResponse> {
    let header = message.header();
    if header.interface().map(|i| i.as_str()) != Some(INTERFACE)
        || header.path().map(|p| p.as_str()) != Some(PATH)
    {
        return None;
    }
    let sender = header.sender().map(|s| s.as_str());
    let (id, kind) = match header.member()?.as_str() {
        "ActionInvoked" => {
            let (id, action): (u32, String) = message.body().deserialize().ok()?;
            (id, EarlyKind::Action(action))
        }
        "NotificationClosed" => {
            let (id, reason): (u32, u32) = message.body().deserialize().ok()?;
            (id, EarlyKind::Closed(reason))
        }
        _ => return None,
    };
    let mut state = lock(&shared.state);
    if !state.knows(id) {
        // Ours, perhaps, with the answer to its `Notify` still on its way; or another
        // program's (the signals are broadcast). Held until an answer names the id.
        state.hold_early(EarlySignal {
            id,
            kind,
            sender: sender.map(str::to_owned),
        });
        return None;
    }
    match kind {
        EarlyKind::Action(action) => state.action_invoked(id, &action, sender),
        EarlyKind::Closed(reason) => state.closed(id, reason, sender),
    }
}

fn deliver(shared: &Shared, response: AlertResponse) {
    debug!(?response, "notification response");
    if catch_unwind(AssertUnwindSafe(|| (shared.on_response)(response))).is_err() {
        error!("the notification response callback panicked");
    }
}
