//! Starting the fake's Node process and reading its ready line.
//!
//! The child is killed when [`Process`] is dropped, and it also exits by itself when its
//! stdin closes, so a test process that dies never leaves a fake behind.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};

/// How long the fake may take to print its ready line.
const READY_WITHIN: Duration = Duration::from_secs(20);

/// The running Node process.
pub(super) struct Process {
    _child: Child,
    _stdin: ChildStdin,
}

/// `tests/peers/meta/server.mjs` of this repository.
fn server_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/meta/server.mjs")
}

/// The Node binary: `SWITCHBOARD_NODE22`, then the peers' Node 22
/// (`$SWITCHBOARD_PEERS_DIR/node22/bin/node`, default `~/.cache/switchboard/peers`), then
/// `node` on the PATH.
fn node_binary() -> PathBuf {
    if let Some(node) = std::env::var_os("SWITCHBOARD_NODE22") {
        return PathBuf::from(node);
    }
    let peers = std::env::var_os("SWITCHBOARD_PEERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/switchboard/peers")
        });
    let node = peers.join("node22/bin/node");
    if node.exists() {
        node
    } else {
        PathBuf::from("node")
    }
}

impl Process {
    /// Starts the fake on a free port; returns it with its ready line.
    pub(super) async fn start() -> Result<(Process, Value), String> {
        let node = node_binary();
        let script = server_script();
        let mut child = Command::new(&node)
            .arg(&script)
            .arg("0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("could not run {} {}: {e}", node.display(), script.display()))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(READY_WITHIN, async {
            while let Some(line) = lines.next_line().await.map_err(|e| e.to_string())? {
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    if value.get("ready").and_then(Value::as_bool) == Some(true) {
                        return Ok(value);
                    }
                }
            }
            Err("the fake exited before it was ready".to_string())
        })
        .await
        .map_err(|_| format!("no ready line within {} s", READY_WITHIN.as_secs()))??;
        // Keep draining stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok((
            Process {
                _child: child,
                _stdin: stdin,
            },
            ready,
        ))
    }
}
