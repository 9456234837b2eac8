//! The local Bluesky network (`tests/peers/bluesky/network.mjs`) as a child process.
//!
//! Started once per test binary ([`network`]) and shared: each test makes its own
//! accounts. The child reads control lines on stdin and exits when stdin closes, which
//! happens when this process exits, so a network is never left behind.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde::Deserialize;

/// How long the network may take to start (cold: database migrations).
const READY_WITHIN: Duration = Duration::from_secs(180);
/// How long one control command may take.
const CONTROL_WITHIN: Duration = Duration::from_secs(120);

/// An account the network made at start-up.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadyAccount {
    pub handle: String,
    pub did: String,
    pub password: String,
    pub app_password: String,
}

/// The ready line.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ready {
    pub pds: String,
    pub brand: ReadyAccount,
    pub customers: Vec<ReadyAccount>,
}

/// A running network.
pub struct LocalNetwork {
    pub ready: Ready,
    child: Mutex<Child>,
    control: Mutex<Option<(ChildStdin, Receiver<String>)>>,
}

/// The network shared by every test of this binary.
pub fn network() -> &'static LocalNetwork {
    static NETWORK: OnceLock<LocalNetwork> = OnceLock::new();
    NETWORK.get_or_init(|| LocalNetwork::start().unwrap_or_else(|e| panic!("{e}")))
}

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/bluesky")
}

/// The Node 22 binary `scripts/peers/bluesky` installed.
pub fn node_binary() -> PathBuf {
    if let Some(node) = std::env::var_os("SWITCHBOARD_NODE22") {
        return PathBuf::from(node);
    }
    let peers = std::env::var_os("SWITCHBOARD_PEERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/switchboard/peers")
        });
    peers.join("node22/bin/node")
}

impl LocalNetwork {
    /// Starts `network.mjs` and waits for its ready line.
    pub fn start() -> Result<Self, String> {
        let node = node_binary();
        let dir = peer_dir();
        if !node.exists() || !dir.join("node_modules/@atproto/dev-env").exists() {
            return Err(format!(
                "the local Bluesky network is not installed (looked for {} and {}): run \
                 scripts/peers/bluesky first",
                node.display(),
                dir.join("node_modules").display()
            ));
        }
        let mut child = Command::new(&node)
            .arg("network.mjs")
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("BLUESKY_PEER_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", node.display()))?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (lines_tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = lines.recv_timeout(READY_WITHIN).map_err(|_| {
            let _ = child.kill();
            format!(
                "the local Bluesky network did not get ready within {} s (set BLUESKY_PEER_LOG=1 \
                 to see its log; run scripts/peers/bluesky if it is not installed)",
                READY_WITHIN.as_secs()
            )
        })?;
        let ready: Ready = serde_json::from_str(&line)
            .map_err(|e| format!("the local Bluesky network failed to start: {line} ({e})"))?;
        Ok(LocalNetwork {
            ready,
            child: Mutex::new(child),
            control: Mutex::new(Some((stdin, lines))),
        })
    }

    fn command(&self, line: &str) -> serde_json::Value {
        let mut control = self.control.lock().unwrap_or_else(|p| p.into_inner());
        let control = control.as_mut().expect("the network is running");
        writeln!(control.0, "{line}").expect("the network's stdin is open");
        control.0.flush().expect("flush");
        let answer = control
            .1
            .recv_timeout(CONTROL_WITHIN)
            .unwrap_or_else(|_| panic!("the network did not answer `{line}`"));
        let value: serde_json::Value = serde_json::from_str(&answer).expect("JSON answer");
        assert!(value.get("error").is_none(), "`{line}` failed: {answer}");
        value
    }

    /// Waits until the AppView has indexed everything written so far.
    pub fn process(&self) {
        self.command("process");
    }

    /// An access token for `did` that expired a minute ago, signed like the PDS's own.
    pub fn expired_access_token(&self, did: &str) -> String {
        self.command(&format!("expired-token {did}"))["token"]
            .as_str()
            .expect("a token")
            .to_owned()
    }
}

impl Drop for LocalNetwork {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        // Closing stdin asks for a clean shutdown; wait a little, then insist.
        let control = self.control.get_mut().unwrap_or_else(|p| p.into_inner());
        drop(control.take());
        for _ in 0..100 {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
    }
}
