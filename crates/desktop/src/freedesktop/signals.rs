//! The listener thread: the server's `ActionInvoked` and `NotificationClosed` signals,
//! read from our one connection and handed to the response callback.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::Ordering;

use tracing::{debug, error, warn};
use zbus::blocking::{Connection, MessageIterator};
use zbus::message::Type as MessageType;
use zbus::{MatchRule, Message};

use super::errors::call_error;
use super::{lock, Shared, INTERFACE, PATH, SIGNAL_QUEUE};
use crate::{AlertResponse, NotifyError};

pub(super) fn subscribe(conn: &Connection) -> Result<MessageIterator, NotifyError> {
    let rule = MatchRule::builder()
        .msg_type(MessageType::Signal)
        .interface(INTERFACE)
        .and_then(|b| b.path(PATH))
        .map_err(call_error)?
        .build();
    MessageIterator::for_match_rule(rule, conn, Some(SIGNAL_QUEUE)).map_err(call_error)
}

pub(super) fn listen(signals: MessageIterator, conn: &Connection, shared: &Shared) {
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
