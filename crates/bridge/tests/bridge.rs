//! The bridge binary on a throwaway data dir: token required, API answers, UI served.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Bridge {
    child: Child,
    base: String,
    token: String,
    _data: tempfile::TempDir,
    _ui: tempfile::TempDir,
}

impl Drop for Bridge {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Bridge {
    let data = tempfile::tempdir().unwrap();
    let ui = tempfile::tempdir().unwrap();
    std::fs::write(
        ui.path().join("index.html"),
        "<!doctype html><title>ui</title>",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchboard-bridge"))
        .args(["--data-dir", data.path().to_str().unwrap()])
        .args(["--ui-dir", ui.path().to_str().unwrap()])
        .env("SWITCHBOARD_DEMO_SPEED", "0")
        .stdout(Stdio::piped())
        .spawn()
        .expect("bridge starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .strip_prefix("SWITCHBOARD_BRIDGE ")
        .expect("the bridge announces its URL")
        .trim()
        .to_owned();
    let (page, query) = url.split_once("/?").unwrap();
    let token = query.split("token=").nth(1).unwrap().to_owned();
    assert!(
        page.starts_with("http://127.0.0.1:"),
        "loopback only: {page}"
    );
    assert_eq!(token.len(), 64, "a 256-bit token");
    Bridge {
        child,
        base: page.to_owned(),
        token,
        _data: data,
        _ui: ui,
    }
}

fn get(bridge: &Bridge, path: &str, token: Option<&str>) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(format!("{}{path}", bridge.base));
    if let Some(token) = token {
        request = request.header("Authorization", format!("Bearer {token}"));
    }
    let mut response = request.call().expect("bridge answers");
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// `method path` with `body` (raw), as [`get`] does.
fn send(bridge: &Bridge, method: &str, path: &str, body: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", bridge.base);
    let auth = format!("Bearer {}", bridge.token);
    let mut response = match method {
        "POST" => agent
            .post(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(body),
        "PUT" => agent
            .put(&url)
            .header("Authorization", &auth)
            .header("Content-Type", "application/json")
            .send(body),
        "DELETE" => agent.delete(&url).header("Authorization", &auth).call(),
        _ => agent.get(&url).header("Authorization", &auth).call(),
    }
    .expect("bridge answers");
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// Command `name` with `args`: the status and the JSON answer.
fn call(bridge: &Bridge, name: &str, args: serde_json::Value) -> (u16, serde_json::Value) {
    let (status, body) = send(
        bridge,
        "POST",
        &format!("/api/commands/{name}"),
        &args.to_string(),
    );
    let answer = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, answer)
}

/// Asserts the `{code, message}` shape with `code`; returns the message.
fn refusal(status: u16, body: &str, want_status: u16, code: &str) -> String {
    assert_eq!(status, want_status, "{body}");
    let error: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    assert_eq!(error["code"], code, "{body}");
    let message = error["message"].as_str().expect("a message").to_owned();
    assert!(!message.is_empty());
    assert_eq!(
        error.as_object().unwrap().len(),
        2,
        "only code and message: {body}"
    );
    message
}

#[test]
fn api_calls_need_the_token() {
    let bridge = start();
    let (status, body) = get(&bridge, "/api/changes", None);
    refusal(status, &body, 401, "invalid_input");
    let (status, body) = get(&bridge, "/api/changes", Some("not-the-token"));
    refusal(status, &body, 401, "invalid_input");
}

#[test]
fn the_api_serves_the_demo_workspace() {
    let bridge = start();
    let (status, info) = call(&bridge, "workspace_info", serde_json::json!({}));
    assert_eq!(status, 200);
    assert_eq!(info["is_demo"], true);
    let workspace = info["id"].as_str().unwrap().to_owned();
    let named = |more: serde_json::Value| {
        let mut args = serde_json::json!({ "workspace": workspace });
        args.as_object_mut()
            .unwrap()
            .extend(more.as_object().unwrap().clone());
        args
    };

    // The backlog arrives with the first pull, right after start.
    let queues = (0..200)
        .map(|_| {
            let (_, queues) = call(&bridge, "list_queues", named(serde_json::json!({})));
            std::thread::sleep(std::time::Duration::from_millis(25));
            queues.as_array().unwrap().clone()
        })
        .find(|qs| {
            qs.iter()
                .any(|q| q["conversation_count"].as_u64() > Some(0))
        })
        .expect("the demo backlog shows up");
    let busy = queues
        .iter()
        .find(|q| q["conversation_count"].as_u64() > Some(0))
        .unwrap();
    let queue_id = busy["queue"]["id"].as_str().unwrap();

    let (status, list) = call(
        &bridge,
        "list_conversations",
        named(serde_json::json!({ "queue": queue_id })),
    );
    assert_eq!(status, 200);
    let id = list[0]["id"].as_i64().unwrap();

    let (status, thread) = call(
        &bridge,
        "get_thread",
        named(serde_json::json!({ "conversationId": id })),
    );
    assert_eq!(status, 200);
    assert_eq!(thread["conversation"]["id"].as_i64(), Some(id));
    assert!(!thread["items"].as_array().unwrap().is_empty());

    let (status, body) = send(
        &bridge,
        "POST",
        "/api/commands/get_thread",
        &named(serde_json::json!({ "conversationId": 999999 })).to_string(),
    );
    refusal(status, &body, 404, "not_found");

    let (status, body) = get(&bridge, "/api/changes", Some(&bridge.token));
    assert_eq!(status, 200);
    assert!(body.contains("version"));

    let (status, report) = call(
        &bridge,
        "response_times",
        named(serde_json::json!({ "days": 30 })),
    );
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["days"].as_array().unwrap().len(), 30);
    assert_eq!(report["queues"][0]["per_day"].as_array().unwrap().len(), 30);
    let (status, body) = send(
        &bridge,
        "POST",
        "/api/commands/response_times",
        &named(serde_json::json!({ "days": 0 })).to_string(),
    );
    refusal(status, &body, 400, "invalid_input");
}

#[test]
fn every_refusal_is_code_and_message() {
    let bridge = start();
    let (status, body) = send(&bridge, "POST", "/api/commands/claim", "{not json");
    let message = refusal(status, &body, 400, "invalid_input");
    assert!(message.contains("JSON"), "{message}");
    let (status, body) = send(&bridge, "POST", "/api/commands/claim", "[1, 2]");
    refusal(status, &body, 400, "invalid_input");
    let (status, body) = send(
        &bridge,
        "POST",
        "/api/commands/claim",
        r#"{"workspace": "demo", "conversationId": "seven"}"#,
    );
    let message = refusal(status, &body, 400, "invalid_input");
    assert!(message.contains("claim"), "{message}");
    let (status, body) = send(
        &bridge,
        "POST",
        "/api/commands/claim",
        r#"{"conversationId": 7}"#,
    );
    let message = refusal(status, &body, 400, "invalid_input");
    assert!(
        message.contains("workspace"),
        "names what is missing: {message}"
    );
    let (status, body) = send(&bridge, "POST", "/api/commands/claim", "");
    refusal(status, &body, 400, "invalid_input");
    let (status, body) = send(&bridge, "POST", "/api/commands/no_such_command", "{}");
    refusal(status, &body, 404, "not_found");
    let (status, body) = send(&bridge, "POST", "/api/no/such/route", "{}");
    refusal(status, &body, 404, "not_found");
    let (status, body) = send(&bridge, "GET", "/api/queues", "");
    refusal(status, &body, 404, "not_found");
    let (status, body) = send(&bridge, "GET", "/api/commands/claim", "");
    refusal(status, &body, 405, "invalid_input");
    let (status, body) = send(&bridge, "DELETE", "/api/changes", "");
    refusal(status, &body, 405, "invalid_input");
    let big = format!(
        r#"{{"workspace": "demo", "name": "{}"}}"#,
        "x".repeat(3 << 20)
    );
    let (status, body) = send(&bridge, "POST", "/api/commands/create_workspace", &big);
    refusal(status, &body, 400, "invalid_input");
}

#[test]
fn a_call_naming_a_workspace_that_is_not_open_is_refused() {
    let bridge = start();
    let (_, demo) = call(&bridge, "workspace_info", serde_json::json!({}));
    let demo = demo["id"].as_str().unwrap().to_owned();
    let (status, created) = call(
        &bridge,
        "create_workspace",
        serde_json::json!({ "name": "Acme" }),
    );
    assert_eq!(status, 200, "{created}");
    let acme = created["id"].as_str().unwrap().to_owned();
    assert_ne!(acme, demo);

    for (name, args) in [
        (
            "claim",
            serde_json::json!({ "workspace": demo, "conversationId": 1 }),
        ),
        (
            "send_reply",
            serde_json::json!({ "workspace": demo, "conversationId": 1, "text": "Hi", "idempotencyKey": null }),
        ),
        ("list_queues", serde_json::json!({ "workspace": demo })),
    ] {
        let (status, body) = send(
            &bridge,
            "POST",
            &format!("/api/commands/{name}"),
            &args.to_string(),
        );
        let message = refusal(status, &body, 409, "workspace_changed");
        assert!(message.contains("no longer open"), "{message}");
    }
    let (status, queues) = call(
        &bridge,
        "list_queues",
        serde_json::json!({ "workspace": acme }),
    );
    assert_eq!(status, 200, "the open workspace answers: {queues}");
}

#[test]
fn the_ui_is_served_and_nothing_outside_it() {
    let bridge = start();
    let (status, body) = get(&bridge, "/", None);
    assert_eq!(status, 200);
    assert!(body.contains("<title>ui</title>"));
    let (status, _) = get(&bridge, "/../Cargo.toml", None);
    assert_eq!(status, 404);
    let (status, _) = get(&bridge, "/%2e%2e/%2e%2e/etc/passwd", None);
    assert_eq!(status, 404);
}
