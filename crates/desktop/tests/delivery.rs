//! Real delivery over D-Bus: a stand-in notification server owns
//! `org.freedesktop.Notifications`, records what `DesktopNotifier` sends and plays the
//! user's clicks back as signals.
//!
//! The main test uses the session bus named by `DBUS_SESSION_BUS_ADDRESS` and must run
//! inside a private one: `dbus-run-session -- cargo test -p switchboard-desktop`
//! (`scripts/test` does this). The others start their own private `dbus-daemon`.
#![cfg(all(unix, not(target_os = "macos")))]

#[path = "support/listener.rs"]
mod listener;

use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;

use listener::{PrivateBus, TestNotificationServer};
use switchboard_desktop::{AlertResponse, DesktopAlert, DesktopNotifier, NotifyError};

/// Upper bound for anything to arrive; tests never sleep, they wait on channels.
const WAIT: Duration = Duration::from_secs(10);

fn alert(key: &str, critical: bool, conversation: Option<i64>, body: &str) -> DesktopAlert {
    DesktopAlert {
        key: key.into(),
        title: format!("Title of {key}"),
        body: body.into(),
        critical,
        conversation,
        conversations: conversation.into_iter().collect(),
    }
}

/// A callback that forwards responses to a channel.
fn responses() -> (
    Box<dyn Fn(AlertResponse) + Send + Sync>,
    mpsc::Receiver<AlertResponse>,
) {
    let (tx, rx) = mpsc::channel();
    (
        Box::new(move |r| {
            let _ = tx.send(r);
        }),
        rx,
    )
}

fn next_response(rx: &mpsc::Receiver<AlertResponse>) -> AlertResponse {
    rx.recv_timeout(WAIT)
        .unwrap_or_else(|e| panic!("no response reached on_response within {WAIT:?}: {e}"))
}

fn session_bus_required() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "DBUS_SESSION_BUS_ADDRESS is not set: this test delivers real notifications over a \
         D-Bus session bus. Run it inside a private one: \
         `dbus-run-session -- cargo test -p switchboard-desktop` (scripts/test does this)."
    );
}

#[test]
fn delivers_replaces_closes_and_reports_actions_on_the_session_bus() {
    session_bus_required();
    // The listener must own the name before the notifier asks for the server, or the bus
    // would try to start a real one.
    let server = TestNotificationServer::start(None, &["actions", "body", "body-markup"]);
    let (on_response, responses) = responses();
    let notifier = DesktopNotifier::new("Switchboard", on_response)
        .expect("the notifier connects to the session bus and finds the test listener");
    assert_eq!(
        notifier.server_capabilities(),
        ["actions", "body", "body-markup"],
        "the server's capabilities as it reported them"
    );

    // Show: everything the spec carries arrives as sent, with the customer's text escaped.
    let body = r#"Ana wrote: <b>urgent</b> & <a href="https://evil.example">click</a> <img src=x>"#;
    notifier
        .show(&alert("sla:42", true, Some(42), body))
        .expect("show");
    let first = server.next_notify(WAIT);
    assert_eq!(first.app_name, "Switchboard");
    assert_eq!(first.replaces_id, 0, "a new key is a new notification");
    assert_eq!(first.summary, "Title of sla:42");
    assert_eq!(
        first.body,
        "Ana wrote: &lt;b&gt;urgent&lt;/b&gt; &amp; &lt;a href=\"https://evil.example\"&gt;click&lt;/a&gt; &lt;img src=x&gt;",
        "customer text reaches a markup-rendering server escaped, so nothing in it is interpreted"
    );
    assert_eq!(first.urgency(), Some(2), "critical urgency");
    assert_eq!(first.expire_timeout, 0, "critical alerts never expire");
    assert_eq!(
        first.actions,
        ["default", "Open", "snooze-15", "Snooze 15 m"],
        "a conversation's alert offers Open and Snooze when the server supports actions"
    );
    assert_eq!(
        first.string_hint("category").as_deref(),
        Some("im.received")
    );
    assert_eq!(
        first.string_hint("desktop-entry").as_deref(),
        Some("switchboard")
    );
    assert_eq!(
        first
            .string_hint(switchboard_desktop::CONVERSATION_HINT)
            .as_deref(),
        Some("42"),
        "the vendor hint names the alert's conversation"
    );

    // Show again under the same key: replaced in place, never stacked.
    notifier
        .show(&alert("sla:42", false, Some(42), "Reply due in 5 min"))
        .expect("show again");
    let second = server.next_notify(WAIT);
    assert_eq!(
        second.replaces_id, first.id,
        "the second show of a key replaces the first notification in place"
    );
    assert_eq!(second.id, first.id);
    assert_eq!(second.urgency(), Some(1), "normal urgency");
    assert_eq!(
        second.expire_timeout, -1,
        "normal alerts use the server's expiry"
    );
    assert_eq!(second.body, "Reply due in 5 min");

    // The user's actions come back as responses.
    server.invoke_action(first.id, "default");
    assert_eq!(
        next_response(&responses),
        AlertResponse::Open {
            key: "sla:42".into(),
            conversation: 42
        },
        "the default action opens the conversation"
    );
    server.invoke_action(first.id, "snooze-15");
    assert_eq!(
        next_response(&responses),
        AlertResponse::Snooze {
            key: "sla:42".into(),
            conversation: 42,
            minutes: 15
        }
    );

    // Another bus peer cannot act for the server: a spoofed signal is ignored.
    let spoofer = zbus::blocking::Connection::session().expect("second connection");
    spoofer
        .emit_signal(
            None::<&str>,
            listener::PATH,
            listener::NAME,
            "ActionInvoked",
            &(first.id, "default"),
        )
        .expect("emit the spoofed signal");
    // A round trip through the bus daemon: it has routed the spoofed signal before it
    // answers, so the spoofed signal reaches the notifier before the real one below.
    spoofer
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "GetId",
            &(),
        )
        .expect("GetId");
    server.invoke_action(first.id, "snooze-15");
    assert!(
        matches!(next_response(&responses), AlertResponse::Snooze { .. }),
        "the spoofed ActionInvoked from another peer produced no Open"
    );

    // Close by key.
    notifier.close("sla:42").expect("close");
    assert_eq!(
        server.next_close(WAIT),
        first.id,
        "CloseNotification names the key's notification"
    );

    // A user dismissal is reported; our own close (reason 3, above) was not: the
    // dismissal is the next response.
    notifier
        .show(&alert("info:1", false, None, "No conversation"))
        .expect("show info");
    let info = server.next_notify(WAIT);
    assert!(info.actions.is_empty(), "no actions without a conversation");
    assert_ne!(info.id, first.id);
    server.dismiss(info.id);
    assert_eq!(
        next_response(&responses),
        AlertResponse::Dismissed {
            key: "info:1".into()
        },
        "a dismissal is reported, and closing sla:42 ourselves was not"
    );

    // A closed key starts afresh.
    notifier
        .show(&alert("sla:42", true, Some(42), "Overdue"))
        .expect("show after close");
    assert_eq!(
        server.next_notify(WAIT).replaces_id,
        0,
        "after close, the key no longer refers to the old notification"
    );

    // Dropping the notifier stops its listener thread: drop waits for it (and would give
    // up after 2 s, leaving it running).
    let (dropped_tx, dropped) = mpsc::channel();
    thread::spawn(move || {
        let started = std::time::Instant::now();
        drop(notifier);
        let _ = dropped_tx.send(started.elapsed());
    });
    let took = dropped
        .recv_timeout(WAIT)
        .expect("dropping the notifier returns");
    assert!(
        took < Duration::from_millis(1500),
        "dropping the notifier stopped its listener thread promptly (took {took:?})"
    );
}

#[test]
fn servers_without_actions_or_markup_get_plain_notifications_and_shows_never_stack() {
    let bus = PrivateBus::without_services();
    let server = TestNotificationServer::start(Some(&bus.address), &["body"]);
    let (on_response, _responses) = responses();
    let notifier = Arc::new(
        DesktopNotifier::with_bus_address(&bus.address, "Switchboard", on_response)
            .expect("connect"),
    );
    assert_eq!(notifier.server_capabilities(), ["body"]);

    notifier
        .show(&alert("sla:7", false, Some(7), "Q&A <3"))
        .expect("show");
    let call = server.next_notify(WAIT);
    assert!(
        call.actions.is_empty(),
        "no actions to a server that does not advertise them"
    );
    assert_eq!(
        call.body, "Q&A <3",
        "a server without body-markup shows text literally, so it gets the text as written"
    );

    // Eight threads show the same key at once: one notification, replaced in place (shows
    // that come while an earlier one waits for its answer are sent as one, the latest).
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let notifier = Arc::clone(&notifier);
            thread::spawn(move || {
                notifier
                    .show(&alert("burst", false, None, &format!("update {i}")))
                    .expect("show");
            })
        })
        .collect();
    for t in threads {
        t.join().expect("show thread");
    }
    assert!(notifier.wait_until_answered(WAIT), "the server answered");
    let calls: Vec<_> = server
        .calls_so_far()
        .into_iter()
        .filter_map(|c| match c {
            listener::Call::Notify(n) => Some(n),
            _ => None,
        })
        .collect();
    assert!(
        !calls.is_empty() && calls.len() <= 8,
        "{} calls",
        calls.len()
    );
    let new = calls.iter().filter(|c| c.replaces_id == 0).count();
    assert_eq!(
        new, 1,
        "concurrent shows of one key create exactly one notification"
    );
    assert!(
        calls.iter().all(|c| c.id == calls[0].id),
        "all shows of the key landed on one server notification: {:?}",
        calls
            .iter()
            .map(|c| (c.replaces_id, c.id))
            .collect::<Vec<_>>()
    );
    assert_eq!(server.on_screen().len(), 2, "sla:7 and burst, nothing else");
}

/// How long the slow server takes to answer each `Notify`: longer than the 3 s after
/// which a call used to count as failed.
const SLOW_ANSWER: Duration = Duration::from_secs(5);

#[test]
fn a_slow_server_never_leaves_a_notification_that_cannot_be_replaced_or_closed() {
    let bus = PrivateBus::without_services();
    let server =
        TestNotificationServer::start_slow(&bus.address, &["actions", "body"], SLOW_ANSWER);
    let (on_response, _responses) = responses();
    let notifier = DesktopNotifier::with_bus_address(&bus.address, "Switchboard", on_response)
        .expect("connect");

    // A burst: 20 notifications, each answered 5 s after it arrives. None waits for the
    // server: all are sent before the first answer can come.
    let started = std::time::Instant::now();
    for i in 0..20 {
        notifier
            .show(&alert(&format!("conv:{i}"), true, Some(i), "overdue"))
            .unwrap_or_else(|e| panic!("show conv:{i} while the server is slow: {e:?}"));
    }
    let first_ids: Vec<u32> = (0..20).map(|_| server.next_notify(WAIT).id).collect();
    assert!(
        started.elapsed() < SLOW_ANSWER,
        "the 20 shows did not wait for the server's answers (took {:?})",
        started.elapsed()
    );

    // Before any answer came: replace one, close another.
    notifier
        .show(&alert("conv:0", true, Some(0), "overdue 2"))
        .expect("show again");
    notifier.close("conv:1").expect("close");

    assert!(
        notifier.wait_until_answered(Duration::from_secs(60)),
        "every show was answered"
    );
    let later = server.calls_so_far();
    let replaced: Vec<_> = later
        .iter()
        .filter_map(|c| match c {
            listener::Call::Notify(n) => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(replaced.len(), 1, "one more Notify: the replacement");
    assert_eq!(
        (replaced[0].replaces_id, replaced[0].body.as_str()),
        (first_ids[0], "overdue 2"),
        "the replacement went by the id the late answer brought"
    );
    let closed: Vec<u32> = later
        .iter()
        .filter_map(|c| match c {
            listener::Call::CloseNotification(id) => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(
        closed,
        [first_ids[1]],
        "conv:1 was closed by the id its late answer brought"
    );
    let expected: std::collections::BTreeSet<u32> = first_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, id)| *id)
        .collect();
    assert_eq!(
        server.on_screen(),
        expected,
        "one notification per key on screen, the closed one gone"
    );
}

#[test]
fn a_bus_without_a_notification_server_gives_the_plain_no_service_error() {
    let bus = PrivateBus::without_services();
    let (on_response, _) = responses();
    let err = DesktopNotifier::with_bus_address(&bus.address, "Switchboard", on_response)
        .expect_err("nobody owns org.freedesktop.Notifications on this bus");
    assert!(
        matches!(err, NotifyError::NoNotificationService { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "No desktop notification service is running (org.freedesktop.Notifications on the \
         session bus). Install and start one, e.g. dunst or notification-daemon."
    );
    assert!(
        err.detail().contains("ServiceUnknown"),
        "the D-Bus cause is kept for the logs: {}",
        err.detail()
    );
}

#[test]
fn a_notification_server_that_cannot_start_gives_the_same_no_service_error() {
    // The standard session configuration lists the machine's activatable services: the
    // bus tries to start one (e.g. dunst), which fails without a display
    // (`Spawn.ChildExited` / `Spawn.ChildSignaled`), or finds none (`ServiceUnknown`).
    let bus = PrivateBus::standard_session();
    let (on_response, _) = responses();
    let err = DesktopNotifier::with_bus_address(&bus.address, "Switchboard", on_response)
        .expect_err("no notification server can run without a display");
    assert_eq!(
        err.code(),
        "no_notification_service",
        "a failed activation reads as 'no notification service': {err:?}"
    );
}

#[test]
fn no_session_bus_gives_the_plain_no_bus_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let address = format!("unix:path={}", dir.path().join("no-bus-here").display());
    let (on_response, _) = responses();
    let err = DesktopNotifier::with_bus_address(&address, "Switchboard", on_response)
        .expect_err("nothing listens at that path");
    assert!(matches!(err, NotifyError::NoSessionBus { .. }), "{err:?}");
    assert!(
        err.to_string().contains("D-Bus session bus"),
        "the message names what is missing: {err}"
    );
}
