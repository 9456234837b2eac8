//! A loopback proxy in front of the mock that behaves like a server that **ignores
//! idempotency keys and lists new posts late**: it drops every `Idempotency-Key`, applies
//! each `POST /api/v1/statuses` but leaves the first one unanswered (the client times
//! out), and leaves a posted status out of thread contexts until `lag` after it was
//! posted. One request per connection; answers are re-sent with their own length.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy; stops when dropped.
pub struct LagProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

struct State {
    upstream: String,
    lag: Duration,
    http: reqwest::Client,
    /// The first reply's answer is still to be lost.
    lose_answer: AtomicBool,
    posts: AtomicUsize,
    /// Posted statuses with the moment they were applied.
    posted: Mutex<Vec<(String, Instant)>>,
}

impl LagProxy {
    /// Proxies to `upstream` (`http://127.0.0.1:<port>/`), listing posts `lag` late.
    pub async fn start(upstream: &str, lag: Duration) -> LagProxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(State {
            upstream: upstream.trim_end_matches('/').to_owned(),
            lag,
            http: reqwest::Client::new(),
            lose_answer: AtomicBool::new(true),
            posts: AtomicUsize::new(0),
            posted: Mutex::new(Vec::new()),
        });
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, Arc::clone(&shared)));
            }
        });
        LagProxy { url, state, task }
    }

    /// How many `POST /api/v1/statuses` reached the server.
    pub fn posts(&self) -> usize {
        self.state.posts.load(Ordering::SeqCst)
    }
}

impl Drop for LagProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(client: TcpStream, state: Arc<State>) {
    let (read, mut write) = client.into_split();
    let mut read = BufReader::new(read);
    let mut head = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        head.push(line);
    }
    let mut body = vec![0; length];
    if read.read_exact(&mut body).await.is_err() {
        return;
    }
    let first = head.first().cloned().unwrap_or_default();
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("GET"), parts.next().unwrap_or("/"));
    let path = target.split('?').next().unwrap_or(target).to_owned();
    let mut request = state.http.request(
        method.parse().unwrap(),
        format!("{}{target}", state.upstream),
    );
    for line in &head[1..] {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        if !["host", "content-length", "connection", "idempotency-key"].contains(&name.as_str()) {
            request = request.header(name, value.trim());
        }
    }
    let Ok(answer) = request.body(body).send().await else {
        return;
    };
    let status = answer.status();
    let content_type = answer
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let mut bytes = answer.bytes().await.unwrap_or_default().to_vec();
    if method == "POST" && path == "/api/v1/statuses" && status.is_success() {
        state.posts.fetch_add(1, Ordering::SeqCst);
        let posted: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if let Some(id) = posted["id"].as_str() {
            state
                .posted
                .lock()
                .unwrap()
                .push((id.to_owned(), Instant::now()));
        }
        if state.lose_answer.swap(false, Ordering::SeqCst) {
            // Applied, never answered: the client times out.
            tokio::time::sleep(Duration::from_secs(60)).await;
            return;
        }
    }
    if method == "GET" && path.ends_with("/context") && status.is_success() {
        let mut context: Value = serde_json::from_slice(&bytes).unwrap_or_default();
        let listed_late: Vec<String> = state
            .posted
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, at)| at.elapsed() < state.lag)
            .map(|(id, _)| id.clone())
            .collect();
        if let Some(descendants) = context["descendants"].as_array_mut() {
            descendants.retain(|s| !listed_late.iter().any(|id| s["id"] == id.as_str()));
        }
        bytes = serde_json::to_vec(&context).unwrap();
    }
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    );
    let _ = write.write_all(head.as_bytes()).await;
    let _ = write.write_all(&bytes).await;
    let _ = write.shutdown().await;
}
