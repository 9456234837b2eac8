//! End to end: the real app binary in a real WebKitGTK webview under a virtual display,
//! driven through WebDriver (`tauri-driver` + `WebKitWebDriver`), on a throwaway data dir.

// tauri-driver with WebKitWebDriver: the Linux desktop stack.
#![cfg(target_os = "linux")]

mod bus_log;
mod demo_team;
mod desktop;
mod installed;
mod meta;
mod reply_tools;
mod team;
mod team_feed;
mod webdriver;
mod workspaces;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use webdriver::Session;

/// Starts `tauri-driver` on `display` and opens the app in a WebDriver session, with the
/// data dir `data` and the extra environment `env`. Keep the returned driver alive.
pub(crate) fn launch(
    display: &str,
    data: &std::path::Path,
    env: &[(&str, &str)],
) -> (desktop::Process, Session) {
    let (driver, url) = desktop::tauri_driver(display, &[("SWITCHBOARD_DATA_DIR", data)], env);
    let app = env!("CARGO_BIN_EXE_switchboard");
    let session = Session::start(
        &url,
        json!({ "alwaysMatch": { "browserName": "wry", "tauri:options": { "application": app } } }),
    );
    (driver, session)
}

/// Where screenshots go (kept out of git).
pub(crate) fn artifacts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}

#[test]
fn the_demo_workspace_shows_queues_and_threads() {
    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = desktop::display();
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "4"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            // The demo alone: its simulated teammates would claim the rows this test claims
            // (the team in the window has its own test, team.rs).
            ("SWITCHBOARD_DEMO_TEAM", "off"),
        ],
    );
    let long = Duration::from_secs(30);

    let name = session.wait_for(
        "[data-testid=workspace-name]",
        long,
        "the workspace name",
        |s, e| !s.text(&e[0]).is_empty(),
    );
    assert_eq!(session.text(&name[0]), "Demo — Northwind Coffee");

    for queue in ["triage", "support", "sales", "marketing"] {
        session.wait_for(
            &format!("[data-testid=queue-{queue}]"),
            long,
            "the queue",
            |_, _| true,
        );
    }
    // The demo backlog arrives: the Support queue counts waiting conversations.
    session.wait_for(
        "[data-testid=queue-count-support]",
        long,
        "support's count",
        |s, e| s.text(&e[0]).trim().parse::<u32>().is_ok_and(|n| n > 0),
    );

    let support = session.find_all("[data-testid=queue-support]");
    session.click(&support[0]);
    let rows = session.wait_for(
        "[data-testid=conversation-row]",
        long,
        "conversation rows",
        |_, _| true,
    );
    let first_row_text = session.text(&rows[0]);
    let id = session
        .attribute(&rows[0], "data-conversation-id")
        .expect("rows carry their conversation id");
    session.click(&rows[0]);

    let thread = session.wait_for(
        "[data-testid=thread-view]",
        long,
        "the thread view",
        |s, e| !s.find_all("[data-testid=thread-item]").is_empty() && !s.text(&e[0]).is_empty(),
    );
    let thread_text = session.text(&thread[0]);
    let customer = first_row_text
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    assert!(
        thread_text.contains(&customer),
        "the thread of conversation {id} shows its customer {customer:?}: {thread_text}"
    );

    // The SLA clock shows on the thread, in words as well as colour.
    let badge = session.wait_for(
        "[data-testid=thread-view] [data-testid=sla-state]",
        long,
        "the SLA badge",
        |s, e| {
            let text = s.text(&e[0]);
            ["On track", "At risk", "Breached", "Escalated"]
                .iter()
                .any(|w| text.contains(w))
        },
    );
    assert!(!badge.is_empty());

    // Claim it: the action is recorded under the person and shows in the history.
    let claim = session.wait_for(
        "[data-testid=action-claim]",
        long,
        "the claim button",
        |_, _| true,
    );
    session.click(&claim[0]);
    session.wait_for(
        "[data-testid=thread-view] [data-testid=claimed-by]",
        long,
        "the claim",
        |s, e| s.text(&e[0]).contains("e2e-tester"),
    );
    session.wait_for(
        "[data-testid=history-entry][data-kind=claimed]",
        long,
        "the claim in the history",
        |_, _| true,
    );

    // Reply from the box under the thread: it is sent through the (demo) platform and
    // shows up in the thread as the brand's message.
    let input = session.wait_for(
        "[data-testid=reply-input]",
        long,
        "the reply box",
        |_, _| true,
    );
    session.type_into(&input[0], "Thanks for telling us, a fix is on its way.");
    session.click(&session.find_all("[data-testid=reply-send]")[0]);
    session.wait_for(
        "[data-testid=thread-item]",
        long,
        "the reply in the thread",
        |s, items| {
            items.iter().any(|i| {
                s.text(i)
                    .contains("Thanks for telling us, a fix is on its way.")
            })
        },
    );
    session.wait_for(
        "[data-testid=thread-view]",
        long,
        "nothing left sending once the reply is in the thread",
        |s, _| s.find_all("[data-testid=outgoing-reply]").is_empty(),
    );

    // A lead's view: response times per queue, from the log, through the app's own IPC
    // permission, with a chart of the days.
    session.click(&session.find_all("[data-testid=open-response-times]")[0]);
    let rows = session.wait_for(
        "[data-testid^=response-times-row-]",
        long,
        "a response-time row per queue",
        |_, rows| rows.len() == 4,
    );
    assert!(
        session.text(&rows[0]).starts_with("Triage"),
        "{}",
        session.text(&rows[0])
    );
    session.wait_for(
        "[data-testid=response-times-chart] rect",
        long,
        "the daily medians drawn",
        |_, bars| !bars.is_empty(),
    );
    session.wait_for_paint();
    std::thread::sleep(Duration::from_millis(500)); // as below: the screenshot trails the DOM
    desktop::screenshot(&display, &artifacts().join("e2e-response-times.png"));
    session.click(&session.find_all("[data-testid=close-response-times]")[0]);

    // Customer text is rendered as text: nothing the crowd writes becomes a script.
    let scripts =
        session.execute("return document.querySelectorAll('script:not([type=module])').length");
    assert_eq!(scripts, json!(0), "no injected scripts in the page");

    let selected = session.find_all("[data-testid=conversation-row][aria-current=true]");
    assert_eq!(selected.len(), 1, "the clicked row is marked as selected");

    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little; this pause only makes the
    // screenshot show what the DOM already shows.
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &artifacts().join("e2e-demo-workspace.png"));
    session.end();
}

/// A policy where every queue answers within one minute, around the clock.
const ONE_MINUTE_POLICY: &str = r##"
[calendar.always]
time_zone = "UTC"
hours.daily = ["00:00-24:00"]

[[queue]]
id = "triage"
label = "Triage"
color = "#8a8f98"
[queue.sla]
calendar = "always"
first_response = "1m"

[[queue]]
id = "support"
label = "Support"
color = "#2f80ed"
[queue.sla]
calendar = "always"
first_response = "1m"
"##;

/// Runs `script` (which gets `invoke` and `workspace`, the open workspace's id that
/// workspace commands name, and must resolve a JSON-able value) in the page.
fn invoke(session: &Session, script: &str) -> serde_json::Value {
    session.execute_async(&format!(
        "const done = arguments[arguments.length - 1];
         const invoke = window.__TAURI_INTERNALS__.invoke;
         (async () => {{
           const workspace = (await invoke('workspace_info')).id;
           {script}
         }})().then(done, e => done({{ error: JSON.stringify(e) }}));"
    ))
}

#[test]
fn overdue_conversations_notify_and_answered_ones_do_not() {
    let data = tempfile::tempdir().unwrap();
    let workspaces = data.path().join("workspaces");
    std::fs::create_dir_all(&workspaces).unwrap();
    std::fs::write(workspaces.join("demo.policy.toml"), ONE_MINUTE_POLICY).unwrap();

    let (display, _xvfb) = desktop::display();
    let (bus, _bus) = desktop::private_bus();
    // A real notification server on the display, and a recorder of the bus traffic.
    let _dunst = desktop::spawn_logged("dunst", &[], &display, &bus, "dunst.log");
    let bus_log = artifacts().join("notifications.dbus.log");
    let _monitor = desktop::spawn_to_file(
        "dbus-monitor",
        // Calls to the server, and every reply (replies carry no interface).
        &[
            "--session",
            "interface='org.freedesktop.Notifications'",
            "type='method_return'",
        ],
        &bus,
        &bus_log,
    );
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "6"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            // Only the SLA alerts: no notifications from the demo's simulated teammates.
            ("SWITCHBOARD_DEMO_TEAM", "off"),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
        ],
    );
    session.wait_for(
        "[data-testid=workspace-name]",
        Duration::from_secs(30),
        "the window",
        |_, _| true,
    );
    let saved = invoke(
        &session,
        "const p = await invoke('alert_preferences', { workspace });
         return await invoke('set_alert_preferences', { workspace, preferences: { ...p, cooldown_seconds: 0 } });",
    );
    assert_eq!(saved["cooldown_seconds"], json!(0), "{saved}");

    // A new conversation goes at risk at 45 s and breaches at 60 s.
    let deadline = std::time::Instant::now() + Duration::from_secs(150);
    let (at_risk, overdue) = loop {
        let calls = bus_log::notify_calls(&std::fs::read_to_string(&bus_log).unwrap_or_default());
        // The breach replaces the at-risk notification in place while it is on screen,
        // comes as a new one once the server let the at-risk one expire, or joins the
        // queue's "N overdue" notification when one is open (a burst is grouped).
        let found = calls.iter().enumerate().find_map(|(i, first)| {
            let conversation = first.conversation?;
            first.summary.contains("at risk").then_some(())?;
            let later = calls[i + 1..].iter().find(|c| {
                c.summary.contains("overdue") && c.conversations.contains(&conversation)
            })?;
            Some((first.clone(), later.clone()))
        });
        if let Some(found) = found {
            break found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no conversation notified at risk and then overdue; saw: {:?}",
            calls.iter().map(|c| &c.summary).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let conversation = at_risk
        .conversation
        .expect("the at-risk alert names its conversation");
    assert!(
        overdue.conversations.contains(&conversation),
        "the overdue alert covers the same conversation"
    );

    // Conversations the brand answered before they were at risk were never notified.
    let answered_early = invoke(
        &session,
        "const early = [];
         for (const q of await invoke('list_queues', { workspace })) {
           for (const c of await invoke('list_conversations', { workspace, queue: q.queue.id })) {
             const t = await invoke('get_thread', { workspace, conversationId: c.id });
             const [first, second] = t.items;
             if (t.items.length === 2 && !first.from_brand && second.from_brand
                 && second.created_at - first.created_at < 45000) early.push(c.id);
           }
         }
         return early;",
    );
    let answered_early: Vec<i64> = serde_json::from_value(answered_early).unwrap();
    let calls = bus_log::notify_calls(&std::fs::read_to_string(&bus_log).unwrap());
    let notified: Vec<i64> = calls.iter().filter_map(|c| c.conversation).collect();
    for id in &answered_early {
        assert!(
            !notified.contains(id),
            "conversation {id} was answered in time but notified"
        );
    }
    session.end();
}
