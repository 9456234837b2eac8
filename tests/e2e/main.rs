//! End to end: the real app binary in a real WebKitGTK webview under a virtual display,
//! driven through WebDriver (`tauri-driver` + `WebKitWebDriver`), on a throwaway data dir.

// tauri-driver with WebKitWebDriver: the Linux desktop stack.
#![cfg(target_os = "linux")]

mod desktop;
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use webdriver::Session;

/// Where screenshots go (kept out of git).
fn artifacts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts")
}

#[test]
fn the_demo_workspace_shows_queues_and_threads() {
    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = desktop::display();
    let (_driver, url) = desktop::tauri_driver(
        &display,
        &[("SWITCHBOARD_DATA_DIR", data.path())],
        &[
            ("SWITCHBOARD_DEMO_SPEED", "4"),
            ("SWITCHBOARD_USER", "e2e-tester"),
        ],
    );
    let app = env!("CARGO_BIN_EXE_switchboard");
    let session = Session::start(
        &url,
        json!({ "alwaysMatch": { "browserName": "wry", "tauri:options": { "application": app } } }),
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
