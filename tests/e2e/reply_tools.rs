//! Replies a lead would sign, in the real app (issue 18), on the demo workspace:
//! - **guardrails**: a reply with a phone number shows the warning on exactly that span
//!   as it is typed; Send asks first (nothing is sent), "Send anyway" sends it and the
//!   history keeps the override;
//! - **saved replies**: Ctrl+/ in the reply box searches the workspace's saved replies;
//!   choosing one with a `{{placeholder}}` asks for it, and the filled text (the
//!   customer's name, the answer) goes into the box;
//! - **spikes**: the demo crowd's "app outage" burst alerts the queue's leads (the demo
//!   person is one) with a desktop notification — captured on a private D-Bus by
//!   `dbus-monitor` — and marks the queue in the sidebar.
//!
//! Each test launches its own app with the demo's simulated teammates off (they would
//! claim and answer the conversations these tests write to). The apps' logs go to
//! `tests/artifacts/e2e-reply-tools-<test>-logs/`, screenshots to
//! `tests/artifacts/e2e-{guardrail,saved-reply,spike}.png`, the spike's bus traffic to
//! `tests/artifacts/e2e-spike-notifications.dbus.log`. At demo speed 6 the spike alerts
//! about 70 s after the first start; the other two take a few seconds each.
//! Run: `cargo nextest run -p switchboard --test e2e reply_tools` (after `npm run build`
//! in `ui/`, inside `dbus-run-session` as the other e2e tests).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::webdriver::{Element, Session};
use crate::{artifacts, bus_log, desktop, launch};

/// WebDriver's key codes (W3C "keys" table).
const CONTROL: char = '\u{E009}';
const ARROW_DOWN: char = '\u{E015}';
const ENTER: char = '\u{E007}';

/// How long the window may take to show a change.
const LONG: Duration = Duration::from_secs(30);

/// Where one test's app writes its logs (emptied first).
fn log_dir(test: &str) -> PathBuf {
    let dir = artifacts().join(format!("e2e-reply-tools-{test}-logs"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `script` (which gets `invoke` and `workspace`, the open workspace's id, and must
/// resolve a JSON-able value) in the page; a rejected call answers `{ error }`.
fn invoke(session: &Session, script: &str) -> Value {
    session.execute_async(&format!(
        "const done = arguments[arguments.length - 1];
         const invoke = window.__TAURI_INTERNALS__.invoke;
         (async () => {{
           const workspace = (await invoke('workspace_info')).id;
           {script}
         }})().then(done, e => done({{ error: JSON.stringify(e) }}));"
    ))
}

/// The value of an input or textarea.
fn value(session: &Session, element: &Element) -> String {
    session
        .execute_with("return arguments[0].value", &[element])
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits for the demo workspace, opens Support and the waiting conversation at the top of
/// its list; returns that conversation (its `ConversationSummary` as JSON).
fn open_waiting_support_conversation(session: &Session) -> Value {
    session.wait_for(
        "[data-testid=queue-count-support]",
        LONG,
        "the demo backlog in Support",
        |s, e| s.text(&e[0]).trim().parse::<u32>().is_ok_and(|n| n > 0),
    );
    session.click(&session.find_all("[data-testid=queue-support]")[0]);
    let rows = session.wait_for(
        "[data-testid=conversation-row]",
        LONG,
        "Support's conversation rows",
        |_, _| true,
    );
    let listed = invoke(
        session,
        "return await invoke('list_conversations', { workspace, queue: 'support' });",
    );
    let waiting: Vec<&Value> = listed
        .as_array()
        .unwrap_or_else(|| panic!("list_conversations answered {listed}"))
        .iter()
        .filter(|c| !c["waiting_since"].is_null() && c["done_reason"].is_null())
        .collect();
    let (row, conversation) = rows
        .iter()
        .find_map(|row| {
            let id = session.attribute(row, "data-conversation-id")?;
            let conversation = waiting
                .iter()
                .find(|c| c["id"].as_i64() == id.parse().ok())?;
            Some((row.clone(), (*conversation).clone()))
        })
        .expect("a waiting conversation among Support's rows");
    session.click(&row);
    session.wait_for(
        "[data-testid=thread-view] [data-testid=thread-item]",
        LONG,
        "the conversation's thread",
        |_, _| true,
    );
    conversation
}

/// The conversation's thread (`Thread` as JSON) through the app's own IPC.
fn thread(session: &Session, id: i64) -> Value {
    invoke(
        session,
        &format!("return await invoke('get_thread', {{ workspace, conversationId: {id} }});"),
    )
}

/// Typing a reply with a phone number shows the warning on exactly that span; Send asks
/// first and sends nothing; Send anyway sends it and the history keeps the override.
#[test]
fn a_phone_number_in_a_reply_is_flagged_and_sending_it_asks_first() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let logs = log_dir("guardrails");
    let (display, _xvfb) = desktop::display();
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "1"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            ("SWITCHBOARD_DEMO_TEAM", "off"),
            ("SWITCHBOARD_LOG_DIR", logs.to_str().unwrap()),
        ],
    );
    let conversation = open_waiting_support_conversation(&session);
    let id = conversation["id"].as_i64().expect("the conversation's id");

    const NUMBER: &str = "+44 20 7946 0958";
    let reply = format!("Call me on {NUMBER}");
    let input = session.wait_for(
        "[data-testid=reply-input]",
        LONG,
        "the reply box",
        |_, _| true,
    );
    session.type_into(&input[0], &reply);

    // As it is typed: the finding, in words, and the number highlighted in the box.
    let findings = session.wait_for(
        "[data-testid=guardrail-finding]",
        LONG,
        "a guardrail finding for the phone number",
        |s, found| {
            found.iter().any(|f| {
                s.attribute(f, "data-rule")
                    .is_some_and(|r| r.contains("phone"))
            })
        },
    );
    let phone = findings
        .iter()
        .find(|f| {
            session
                .attribute(f, "data-rule")
                .is_some_and(|r| r.contains("phone"))
        })
        .unwrap();
    let rule = session.attribute(phone, "data-rule").unwrap();
    let message = session.text(phone);
    assert!(!message.trim().is_empty(), "the finding says why in words");
    let spans = session.wait_for(
        &format!("[data-testid=guardrail-span][data-rule='{rule}']"),
        LONG,
        "the flagged span highlighted",
        |_, _| true,
    );
    let span_texts: Vec<String> = spans.iter().map(|s| session.text(s)).collect();
    assert_eq!(
        span_texts,
        vec![NUMBER.to_owned()],
        "the highlight covers exactly the number"
    );

    session.wait_for_paint();
    std::thread::sleep(Duration::from_millis(500)); // the screenshot trails the DOM
    desktop::screenshot(&display, &artifacts().join("e2e-guardrail.png"));

    // Send: the prompt asks first, naming the warning; nothing goes out.
    session.click(&session.find_all("[data-testid=reply-send]")[0]);
    let confirm = session.wait_for(
        "[data-testid=guardrail-confirm]",
        LONG,
        "the prompt before sending",
        |_, _| true,
    );
    let prompt = session.text(&confirm[0]);
    assert!(
        prompt.contains(message.trim()),
        "the prompt lists the finding's message {message:?}: {prompt:?}"
    );
    assert!(session.find_all("[data-testid=outgoing-reply]").is_empty());
    let before = thread(&session, id);
    let sent = |t: &Value| {
        t["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["from_brand"] == json!(true) && i["text"] == json!(reply))
    };
    let queued = |t: &Value| {
        t["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == json!("reply_queued"))
    };
    assert!(
        !sent(&before) && !queued(&before) && before["outgoing"] == json!([]),
        "nothing was sent before the confirmation: {before}"
    );
    assert!(
        value(&session, &input[0]) == reply,
        "the reply stays in the box"
    );

    // Send anyway: the reply goes out, shows in the thread, and the history keeps the
    // override.
    session.click(&session.find_all("[data-testid=guardrail-send-anyway]")[0]);
    session.wait_for(
        "[data-testid=thread-view] [data-testid=thread-item]",
        LONG,
        "the reply in the thread",
        |s, items| items.iter().any(|i| s.text(i).contains(&reply)),
    );
    assert!(session
        .find_all("[data-testid=guardrail-confirm]")
        .is_empty());
    let after = thread(&session, id);
    assert!(sent(&after), "the brand's reply is in the thread: {after}");
    let overrides: Vec<&Value> = after["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == json!("reply_queued"))
        .collect();
    assert_eq!(overrides.len(), 1, "one reply written: {after}");
    let detail = overrides[0]["detail"].as_str().unwrap();
    assert!(
        detail.replace(&reply, "").contains(&rule),
        "the history names the confirmed warning {rule:?}: {detail:?}"
    );
    assert!(
        overrides[0]["by"] == json!("e2e-tester"),
        "the history says who overrode it: {}",
        overrides[0]
    );
    session.wait_for(
        "[data-testid=history-entry][data-kind=reply_queued]",
        LONG,
        "the override in the history shown",
        |s, e| {
            s.text(&e[0])
                .contains(detail.lines().next().unwrap_or(detail))
        },
    );
    eprintln!("guardrails e2e: {:.1} s", started.elapsed().as_secs_f64());
    session.end();
}

/// Ctrl+/ in the reply box finds a saved reply by part of its title; choosing one with a
/// placeholder asks for it; the filled text goes into the box.
#[test]
fn a_saved_reply_with_a_placeholder_is_inserted_filled_in() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let logs = log_dir("saved-replies");
    let (display, _xvfb) = desktop::display();
    let (_driver, session) = launch(
        &display,
        data.path(),
        &[
            ("SWITCHBOARD_DEMO_SPEED", "1"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            ("SWITCHBOARD_DEMO_TEAM", "off"),
            ("SWITCHBOARD_LOG_DIR", logs.to_str().unwrap()),
        ],
    );
    let conversation = open_waiting_support_conversation(&session);
    let id = conversation["id"].as_i64().expect("the conversation's id");
    let customer = conversation["customer"]["display_name"]
        .as_str()
        .unwrap()
        .to_owned();

    // The demo's seeded saved replies: the one for Support asking for the order number
    // (and as little else as possible).
    let saved = invoke(
        &session,
        "return await invoke('list_saved_replies', { workspace });",
    );
    let chosen = saved
        .as_array()
        .unwrap_or_else(|| panic!("list_saved_replies answered {saved}"))
        .iter()
        .filter(|r| r["archived"] == json!(false))
        .filter(|r| {
            r["queues"] == json!([]) || r["queues"].as_array().unwrap().contains(&json!("support"))
        })
        .filter(|r| {
            r["placeholders"]
                .as_array()
                .is_some_and(|p| p.contains(&json!("order number")))
        })
        .min_by_key(|r| r["placeholders"].as_array().unwrap().len())
        .unwrap_or_else(|| panic!("a seeded saved reply asks for an order number: {saved}"))
        .clone();
    let chosen_id = chosen["id"].as_str().unwrap().to_owned();
    let title = chosen["title"].as_str().unwrap().to_owned();
    // What a person answers: the order number, and a plain value for anything else asked.
    let answer = |name: &str| {
        if name == "order number" {
            "NW-12345"
        } else {
            "Friday"
        }
    };
    // Part of the title, as a person would type it: its first word.
    let query = title.split_whitespace().next().unwrap().to_owned();

    let input = session.wait_for(
        "[data-testid=reply-input]",
        LONG,
        "the reply box",
        |_, _| true,
    );
    // Ctrl+/ (modifiers are released at the end of each call).
    session.type_into(&input[0], &format!("{CONTROL}/"));
    let search = session.wait_for(
        "[data-testid=saved-reply-search]",
        LONG,
        "the saved-reply search (Ctrl+/)",
        |_, _| true,
    );
    session.type_into(&search[0], &query);
    let is_chosen =
        |s: &Session, o: &Element| s.attribute(o, "data-id").as_deref() == Some(chosen_id.as_str());
    let options = session.wait_for(
        "[data-testid=saved-reply-option]",
        LONG,
        &format!("{title:?} among the saved replies matching {query:?}"),
        |s, options| options.iter().any(|o| is_chosen(s, o)),
    );
    let position = options.iter().position(|o| is_chosen(&session, o)).unwrap();
    assert!(
        session.text(&options[position]).contains(&title),
        "the option shows its title"
    );
    // Keyboard only: down to it, Enter.
    let keys: String = std::iter::repeat_n(ARROW_DOWN, position)
        .chain([ENTER])
        .collect();
    session.type_into(&search[0], &keys);

    // The placeholders the conversation cannot fill are asked for.
    let prompts = session.wait_for(
        "[data-testid=saved-reply-placeholder]",
        LONG,
        "the prompt for the order number",
        |s, e| {
            e.iter()
                .any(|p| s.attribute(p, "data-name").as_deref() == Some("order number"))
        },
    );
    let mut answers = Vec::new();
    for prompt in &prompts {
        let name = session
            .attribute(prompt, "data-name")
            .expect("a placeholder prompt names its placeholder");
        session.type_into(prompt, answer(&name));
        answers.push(json!({ "name": name, "value": answer(&name) }));
    }
    session.click(&session.find_all("[data-testid=saved-reply-insert]")[0]);

    // What the backend fills in for this conversation with those answers.
    let filled = invoke(
        &session,
        &format!(
            "return await invoke('fill_saved_reply', {{ workspace, conversationId: {id}, \
             id: {}, answers: {} }});",
            json!(chosen_id),
            Value::Array(answers)
        ),
    );
    let expected = filled["text"]
        .as_str()
        .unwrap_or_else(|| panic!("fill_saved_reply answered {filled}"))
        .to_owned();
    assert_eq!(filled["missing"], json!([]), "{filled}");
    let deadline = Instant::now() + LONG;
    let text = loop {
        let text = value(&session, &input[0]);
        if text.contains(&expected) || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        text.contains(&expected),
        "the reply box holds the filled saved reply {expected:?}: {text:?}"
    );
    assert!(text.contains("NW-12345"), "{text:?}");
    assert!(
        text.contains(&customer),
        "the customer's name {customer:?} is filled in: {text:?}"
    );
    assert!(
        !text.contains('{'),
        "no variable or placeholder left: {text:?}"
    );
    assert!(session
        .find_all("[data-testid=saved-reply-search]")
        .is_empty());
    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little (as in the other tests).
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &artifacts().join("e2e-saved-reply.png"));
    eprintln!(
        "saved replies e2e: {title:?} found by {query:?}, inserted {text:?}; {:.1} s",
        started.elapsed().as_secs_f64()
    );
    session.end();
}

/// The demo crowd's outage burst: the notification on the bus names the spike, and the
/// queue shows the spike marker.
#[test]
fn the_demo_spike_notifies_the_lead_and_marks_the_queue() {
    let started = Instant::now();
    let data = tempfile::tempdir().unwrap();
    let logs = log_dir("spike");
    let (display, _xvfb) = desktop::display();
    let (bus, _bus) = desktop::private_bus();
    let _dunst = desktop::spawn_logged("dunst", &[], &display, &bus, "e2e-spike-dunst.log");
    let bus_log = artifacts().join("e2e-spike-notifications.dbus.log");
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
            ("SWITCHBOARD_DEMO_SPEED", "6"),
            ("SWITCHBOARD_USER", "e2e-tester"),
            ("SWITCHBOARD_DEMO_TEAM", "off"),
            ("SWITCHBOARD_LOG_DIR", logs.to_str().unwrap()),
            ("DBUS_SESSION_BUS_ADDRESS", &bus),
        ],
    );
    session.wait_for(
        "[data-testid=workspace-name]",
        LONG,
        "the window",
        |_, _| true,
    );

    // "Support: 46 new in 10 min, 5× usual — top words: outage, login", as the title or
    // the text under it.
    let deadline = Instant::now() + Duration::from_secs(180);
    let (spike, words) = loop {
        let calls = bus_log::notify_calls(&std::fs::read_to_string(&bus_log).unwrap_or_default());
        if let Some(found) = calls
            .iter()
            .find_map(|c| spike_words(c).map(|w| (c.clone(), w.to_owned())))
        {
            break found;
        }
        assert!(
            Instant::now() < deadline,
            "no spike notification within 3 minutes; saw: {:?}",
            calls
                .iter()
                .map(|c| format!("{} / {}", c.summary, c.body))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let noticed = started.elapsed();
    let (label, _) = words
        .split_once(':')
        .unwrap_or_else(|| panic!("the notification names the queue: {words:?}"));

    // The marker, on the queue the notification names.
    let queues = invoke(
        &session,
        "return await invoke('list_queues', { workspace });",
    );
    let queue_id = queues
        .as_array()
        .unwrap_or_else(|| panic!("list_queues answered {queues}"))
        .iter()
        .find(|q| q["queue"]["label"] == json!(label.trim()))
        .and_then(|q| q["queue"]["id"].as_str())
        .unwrap_or_else(|| panic!("no queue labelled {label:?}: {queues}"))
        .to_owned();
    let marker = session.wait_for(
        &format!("[data-testid=queue-spike-{queue_id}]"),
        LONG,
        "the spike marker on the queue",
        |s, e| s.text(&e[0]).contains("Spike"),
    );
    let title = session.attribute(&marker[0], "title").unwrap_or_default();
    assert!(
        !title.trim().is_empty(),
        "the marker says in words what it means (title)"
    );
    let marker_text = session.text(&marker[0]);
    let queues = invoke(
        &session,
        "return await invoke('list_queues', { workspace });",
    );
    let summary = queues
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue"]["id"] == json!(queue_id))
        .unwrap();
    assert!(
        !summary["spike"].is_null(),
        "the queue summary carries the spike: {summary}"
    );
    let calls = bus_log::notify_calls(&std::fs::read_to_string(&bus_log).unwrap_or_default());
    let spikes = calls
        .iter()
        .filter(|c| spike_words(c).is_some_and(|w| w.starts_with(&format!("{label}:"))))
        .count();
    assert_eq!(
        spikes,
        1,
        "one notification per spike: {:?}",
        calls.iter().map(|c| &c.summary).collect::<Vec<_>>()
    );

    session.wait_for_paint();
    // The X framebuffer trails the webview's paint a little (as in the other tests).
    std::thread::sleep(Duration::from_millis(500));
    desktop::screenshot(&display, &artifacts().join("e2e-spike.png"));
    eprintln!(
        "spike e2e: notified after {:.1} s ({:?} / {:?}); marker {:?} ({title:?}); {:.1} s in all",
        noticed.as_secs_f64(),
        spike.summary,
        spike.body,
        marker_text,
        started.elapsed().as_secs_f64()
    );
    session.end();
}

/// A spike alert's words ("Support: 29 new in 5 min, 5.7× usual — top words: …"), in its
/// title or in the text under it; `None` for other notifications.
fn spike_words(call: &bus_log::NotifyCall) -> Option<&str> {
    [&call.summary, &call.body]
        .into_iter()
        .find(|t| t.contains(" new in ") && t.contains("usual"))
        .map(String::as_str)
}
