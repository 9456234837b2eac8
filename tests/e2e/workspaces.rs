//! Work profiles in the real app: creating a workspace and switching between workspaces
//! changes every visible count and list; nothing of the demo shows in the new one.

use std::time::Duration;

use crate::desktop;
use crate::webdriver::Session;

/// The sidebar as shown: (queue id, waiting count) in display order.
fn sidebar(session: &Session) -> Vec<(String, u32)> {
    let value = session.execute(
        "return [...document.querySelectorAll('[data-testid^=queue-count-]')]
           .map(e => [e.dataset.testid.slice('queue-count-'.length), e.innerText.trim()])",
    );
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().parse().unwrap_or(u32::MAX),
            )
        })
        .collect()
}

fn current_name(session: &Session, name: &str, long: Duration) {
    session.wait_for(
        "[data-testid=workspace-name]",
        long,
        &format!("the workspace {name}"),
        |s, e| s.text(&e[0]) == name,
    );
}

#[test]
fn switching_workspaces_changes_every_count_and_list() {
    let data = tempfile::tempdir().unwrap();
    let (display, _xvfb) = desktop::display();
    let (_driver, session) = crate::launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "0"),
            ("SWITCHBOARD_USER", "e2e-tester"),
        ],
    );
    let long = Duration::from_secs(30);

    // The demo: its backlog fills Support.
    current_name(&session, "Demo — Northwind Coffee", long);
    session.wait_for(
        "[data-testid=queue-count-support]",
        long,
        "the demo backlog",
        |s, e| s.text(&e[0]).trim().parse::<u32>().is_ok_and(|n| n > 0),
    );
    let demo_sidebar = sidebar(&session);
    assert!(demo_sidebar.iter().any(|(q, _)| q == "marketing"));
    session.click(&session.find_all("[data-testid=queue-support]")[0]);
    session.wait_for(
        "[data-testid=conversation-row]",
        long,
        "demo rows",
        |_, _| true,
    );

    // Create "Acme Support" from the switcher's menu.
    session.click(&session.find_all("[data-testid=workspace-switcher]")[0]);
    let manage = session.wait_for(
        "[data-testid=manage-workspaces]",
        long,
        "the menu",
        |_, _| true,
    );
    session.click(&manage[0]);
    let input = session.wait_for(
        "[data-testid=create-workspace-input]",
        long,
        "the new-workspace form",
        |_, _| true,
    );
    session.type_into(&input[0], "Acme Support");
    session.click(&session.find_all("[data-testid=create-workspace-submit]")[0]);
    current_name(&session, "Acme Support", long);

    // Every count and list is the new workspace's: its own queues, all empty.
    session.wait_for(
        "[data-testid=queue-count-sales]",
        long,
        "the new workspace's queues",
        |s, _| {
            sidebar(s)
                .iter()
                .map(|(q, _)| q.as_str())
                .collect::<Vec<_>>()
                == ["triage", "support", "sales"]
        },
    );
    assert!(
        sidebar(&session).iter().all(|(_, n)| *n == 0),
        "no demo counts in the new workspace: {:?}",
        sidebar(&session)
    );
    if let Some(close) = session
        .find_all("[data-testid=close-manage-workspaces]")
        .first()
    {
        session.click(close);
    }
    session.click(&session.find_all("[data-testid=queue-support]")[0]);
    assert!(
        session
            .find_all("[data-testid=conversation-row]")
            .is_empty(),
        "no demo conversation rows in the new workspace"
    );
    assert!(session.find_all("[data-testid=demo-badge]").is_empty());

    // Its Accounts panel is empty and offers to add one (the demo's note is gone).
    session.click(&session.find_all("[data-testid=open-accounts]")[0]);
    session.wait_for(
        "[data-testid=accounts-empty]",
        long,
        "an empty accounts panel",
        |_, _| true,
    );
    assert!(session
        .find_all("[data-testid=accounts-demo-note]")
        .is_empty());
    session.click(&session.find_all("[data-testid=add-account]")[0]);
    session.wait_for(
        "[data-testid=sign-in-platform-mastodon]",
        long,
        "the add-account form",
        |_, _| true,
    );
    session.wait_for_paint();
    // The X framebuffer trails the webview's paint; this pause only makes the screenshot
    // show what the DOM already shows.
    std::thread::sleep(Duration::from_millis(700));
    desktop::screenshot(&display, &crate::artifacts().join("e2e-new-workspace.png"));
    session.click(&session.find_all("[data-testid=close-accounts]")[0]);

    // Back to the demo from the menu: its counts and rows return.
    session.click(&session.find_all("[data-testid=workspace-switcher]")[0]);
    let demo_item = session.wait_for(
        "[data-testid=workspace-menu-item][data-workspace-id=demo]",
        long,
        "the demo in the menu",
        |_, _| true,
    );
    session.click(&demo_item[0]);
    current_name(&session, "Demo — Northwind Coffee", long);
    session.wait_for(
        "[data-testid=queue-count-marketing]",
        long,
        "the demo's queues again",
        |s, _| sidebar(s) == demo_sidebar,
    );
    session.click(&session.find_all("[data-testid=queue-support]")[0]);
    session.wait_for(
        "[data-testid=conversation-row]",
        long,
        "demo rows again",
        |_, _| true,
    );
    session.end();
}
