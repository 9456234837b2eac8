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

#[test]
fn api_calls_need_the_token() {
    let bridge = start();
    let (status, body) = get(&bridge, "/api/queues", None);
    assert_eq!(status, 401);
    assert!(body.contains("\"code\""), "error shape: {body}");
    let (status, _) = get(&bridge, "/api/queues", Some("not-the-token"));
    assert_eq!(status, 401);
}

#[test]
fn the_api_serves_the_demo_workspace() {
    let bridge = start();
    let token = Some(bridge.token.as_str());
    let (status, body) = get(&bridge, "/api/workspace", token);
    assert_eq!(status, 200);
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info["is_demo"], true);

    // The backlog arrives with the first pull, right after start.
    let queues = (0..200)
        .map(|_| {
            let (_, body) = get(&bridge, "/api/queues", token);
            let queues: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(25));
            queues
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

    let (status, body) = get(
        &bridge,
        &format!("/api/queues/{queue_id}/conversations"),
        token,
    );
    assert_eq!(status, 200);
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let id = list[0]["id"].as_i64().unwrap();

    let (status, body) = get(&bridge, &format!("/api/conversations/{id}"), token);
    assert_eq!(status, 200);
    let thread: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(thread["conversation"]["id"].as_i64(), Some(id));
    assert!(!thread["items"].as_array().unwrap().is_empty());

    let (status, body) = get(&bridge, "/api/conversations/999999", token);
    assert_eq!(status, 404);
    assert!(body.contains("not_found"), "{body}");

    let (status, body) = get(&bridge, "/api/changes", token);
    assert_eq!(status, 200);
    assert!(body.contains("version"));

    let (status, body) = get(&bridge, "/api/response-times?days=30", token);
    assert_eq!(status, 200, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["days"].as_array().unwrap().len(), 30);
    assert_eq!(report["queues"][0]["per_day"].as_array().unwrap().len(), 30);
    let (status, body) = get(&bridge, "/api/response-times?days=0", token);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_input"), "{body}");
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
