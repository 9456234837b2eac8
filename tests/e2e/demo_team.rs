//! The demo team in the real app: with no database, the demo workspace's simulated
//! teammates show in the window within the first (sped-up) minute — the team bar, a
//! teammate on a row ("Ana Ruiz is viewing"), a teammate's claim, and Priya's hand-off to
//! the person as a real desktop notification (dunst on a private bus, recorded by
//! `dbus-monitor`).

use std::time::{Duration, Instant};

use crate::{artifacts, bus_log, desktop, launch};

#[test]
fn the_demo_team_shows_in_the_window_and_hands_a_conversation_over() {
    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = desktop::display();
    let (bus, _bus) = desktop::private_bus();
    let _dunst = desktop::spawn_logged("dunst", &[], &display, &bus, "demo-team-dunst.log");
    let bus_log = artifacts().join("demo-team-notifications.dbus.log");
    let _monitor = desktop::spawn_to_file(
        "dbus-monitor",
        &["--session", "interface='org.freedesktop.Notifications'"],
        &bus,
        &bus_log,
    );
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "3"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
        ],
    );
    let long = Duration::from_secs(60);

    session.wait_for("[data-testid=team-button]", long, "the team bar", |s, e| {
        s.text(&e[0]).contains("Demo team")
    });
    session.wait_for("[data-testid=team-link]", long, "the link", |s, e| {
        s.text(&e[0]).contains("Online")
    });

    // Ana works Support: her presence and then her claim show on its rows.
    session.click(&session.find_all("[data-testid=queue-support]")[0]);
    session.wait_for(
        "[data-testid=row-presence]",
        long,
        "a teammate on a Support row",
        |s, rows| rows.iter().any(|r| s.text(r).contains("Ana Ruiz is")),
    );
    session.wait_for(
        "[data-testid=row-claim]",
        long,
        "Ana's claim on a Support row",
        |s, rows| {
            rows.iter()
                .any(|r| s.text(r).contains("Claimed by Ana Ruiz"))
        },
    );

    // Priya hands the person a conversation: a desktop notification with her note.
    let deadline = Instant::now() + long;
    let handed = loop {
        let calls = bus_log::notify_calls(&std::fs::read_to_string(&bus_log).unwrap_or_default());
        if let Some(call) = calls
            .into_iter()
            .find(|c| c.summary.contains("handed you a conversation"))
        {
            break call;
        }
        assert!(
            Instant::now() < deadline,
            "no hand-off notification from the demo team"
        );
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        handed.summary.starts_with("Priya Shah"),
        "{}",
        handed.summary
    );
    assert!(
        !handed.body.trim().is_empty(),
        "the notification carries her note"
    );

    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little (as in the other tests).
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &artifacts().join("e2e-demo-team.png"));
    session.end();
}
