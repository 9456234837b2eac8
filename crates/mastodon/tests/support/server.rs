//! A real `mastodon_mock` server for one test: started from the virtualenv
//! `scripts/peers/mastodon` installs, on 127.0.0.1 with a free port, in-memory, killed
//! when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long the server may take to answer after starting.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

/// A running `mastodon_mock`.
pub struct MockServer {
    child: Child,
    log: PathBuf,
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    /// The domain of the server's handles (its `LOCAL_DOMAIN`, `/api/v2/instance`
    /// `domain`), which differs from the host of `url` as on a Mastodon server whose
    /// web address is not its handle domain.
    pub handle_domain: String,
    http: reqwest::Client,
}

/// An account on the server with its own token (as another app would have).
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub username: String,
    pub token: String,
}

fn venv_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SWITCHBOARD_MASTODON_VENV") {
        return PathBuf::from(dir);
    }
    let peers = std::env::var_os("SWITCHBOARD_PEERS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
            PathBuf::from(home).join(".cache/switchboard/peers")
        });
    peers.join("mastodon-venv")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl MockServer {
    /// Starts a server and waits until it answers.
    pub async fn start() -> MockServer {
        let program = venv_dir().join("bin/mastodon_mock");
        assert!(
            program.exists(),
            "mastodon_mock is not installed at {}: run scripts/peers/mastodon \
             (or point SWITCHBOARD_MASTODON_VENV at its virtualenv)",
            program.display()
        );
        let port = free_port();
        let log = std::env::temp_dir().join(format!("switchboard-mastodon-mock-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("a log file for the mock");
        let child = Command::new(&program)
            .args([
                "serve",
                "--in-memory",
                "--host",
                "127.0.0.1",
                "--log-level",
                "warning",
            ])
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log file"))
            .stderr(log_file)
            .spawn()
            .expect("mastodon_mock starts");
        let mut server = MockServer {
            child,
            log,
            url: format!("http://127.0.0.1:{port}/"),
            handle_domain: String::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
        };
        server.wait_until_ready().await;
        let instance: Value = server
            .http
            .get(server.endpoint("api/v2/instance"))
            .send()
            .await
            .expect("the mock answers")
            .json()
            .await
            .expect("an instance");
        server.handle_domain = instance["domain"].as_str().expect("a domain").to_owned();
        assert_ne!(
            server.handle_domain,
            server.host(),
            "handles are not web addresses"
        );
        server
    }

    async fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "mastodon_mock exited during startup ({status}):\n{}",
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            let answer = self.http.get(self.endpoint("api/v1/instance")).send().await;
            if answer.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                started.elapsed() < STARTUP_LIMIT,
                "mastodon_mock did not answer within {STARTUP_LIMIT:?}:\n{}",
                std::fs::read_to_string(&self.log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.url, path.trim_start_matches('/'))
    }

    /// The host the client qualifies ids with.
    pub fn host(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }

    /// Creates a local account with its own token.
    pub async fn create_user(&self, username: &str) -> User {
        let answer: Value = self
            .post_json("api/v1/_mock/dev_user", json!({ "username": username }))
            .await;
        User {
            id: answer["id"].as_str().expect("an id").to_owned(),
            username: username.to_owned(),
            token: answer["access_token"].as_str().expect("a token").to_owned(),
        }
    }

    /// Posts a status as `user`; returns it.
    pub async fn post_status(
        &self,
        user: &User,
        text: &str,
        in_reply_to: Option<&str>,
        visibility: &str,
    ) -> Value {
        let mut form = vec![
            ("status", text.to_owned()),
            ("visibility", visibility.to_owned()),
        ];
        if let Some(parent) = in_reply_to {
            form.push(("in_reply_to_id", parent.to_owned()));
        }
        let response = self
            .http
            .post(self.endpoint("api/v1/statuses"))
            .bearer_auth(&user.token)
            .form(&form)
            .send()
            .await
            .expect("the mock answers");
        assert!(
            response.status().is_success(),
            "posting works: {response:?}"
        );
        response.json().await.expect("a status")
    }

    /// Reads a status as `user`.
    pub async fn status(&self, user: &User, id: &str) -> Value {
        self.http
            .get(self.endpoint(&format!("api/v1/statuses/{id}")))
            .bearer_auth(&user.token)
            .send()
            .await
            .expect("the mock answers")
            .json()
            .await
            .expect("a status")
    }

    /// An account's statuses as `viewer` sees them.
    pub async fn statuses_of(&self, viewer: &User, account_id: &str) -> Vec<Value> {
        self.http
            .get(self.endpoint(&format!("api/v1/accounts/{account_id}/statuses?limit=40")))
            .bearer_auth(&viewer.token)
            .send()
            .await
            .expect("the mock answers")
            .json()
            .await
            .expect("statuses")
    }

    /// Adds a fault-injection rule (see mastodon_mock's `faults.py`).
    pub async fn add_fault(&self, rule: Value) {
        let _: Value = self.post_json("api/v1/_mock/faults", rule).await;
    }

    /// The fault rules still active.
    pub async fn faults(&self) -> Vec<Value> {
        self.http
            .get(self.endpoint("api/v1/_mock/faults"))
            .send()
            .await
            .expect("the mock answers")
            .json()
            .await
            .expect("rules")
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) {
        let response = self
            .http
            .delete(self.endpoint("api/v1/_mock/faults"))
            .send()
            .await
            .expect("the mock answers");
        assert!(response.status().is_success());
    }

    async fn post_json(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(self.endpoint(path))
            .json(&body)
            .send()
            .await
            .expect("the mock answers");
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{path} works: {status} {answer}");
        answer
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
