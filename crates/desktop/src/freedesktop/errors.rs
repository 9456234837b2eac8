//! D-Bus failures as [`NotifyError`]s: no bus, no notification server, no answer, or a
//! refusal.

use zbus::DBusError as _;

use crate::NotifyError;

pub(super) fn no_session_bus(e: zbus::Error) -> NotifyError {
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

pub(super) fn call_error(e: zbus::Error) -> NotifyError {
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
