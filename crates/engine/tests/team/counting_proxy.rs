//! A loopback proxy in front of `mastodon_mock` that **counts** the requests the server
//! receives, by endpoint (`GET /api/v1/notifications`, query left out), and can **trap**
//! the next request: hold it unforwarded until the test releases it (to freeze a poller
//! in the middle of a poll). HTTP/1.1 requests are read one at a time per connection
//! (headers, then a `Content-Length` body); answers are copied back as they come.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Requests received, by endpoint.
pub type Counts = BTreeMap<String, u64>;

/// A trapped request: `caught` says which endpoint was caught; dropping or sending on
/// `release` lets it through.
pub struct Trap {
    pub caught: oneshot::Receiver<String>,
    pub release: oneshot::Sender<()>,
}

type Armed = Option<(oneshot::Sender<String>, oneshot::Receiver<()>)>;

#[derive(Default)]
struct State {
    counts: Mutex<Counts>,
    trap: Mutex<Armed>,
}

/// A running proxy; stops when dropped.
pub struct CountingProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl CountingProxy {
    /// Proxies to the server at `upstream` (`http://127.0.0.1:<port>/`).
    pub async fn start(upstream: &str) -> CountingProxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let task = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let upstream = upstream.clone();
                    let state = Arc::clone(&state);
                    tokio::spawn(async move {
                        if let Ok(server) = TcpStream::connect(&upstream).await {
                            let _ = relay(client, server, state).await;
                        }
                    });
                }
            }
        });
        CountingProxy { url, state, task }
    }

    /// The requests received since the last [`CountingProxy::take_counts`].
    pub fn take_counts(&self) -> Counts {
        std::mem::take(&mut *self.state.counts.lock().unwrap())
    }

    /// Holds the next request the proxy receives until the returned trap is released.
    pub fn trap_next(&self) -> Trap {
        let (caught_tx, caught) = oneshot::channel();
        let (release, release_rx) = oneshot::channel();
        *self.state.trap.lock().unwrap() = Some((caught_tx, release_rx));
        Trap { caught, release }
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(client: TcpStream, server: TcpStream, state: Arc<State>) -> std::io::Result<()> {
    let (client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let answers = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    });
    let mut requests = BufReader::new(client_read);
    loop {
        let mut head = Vec::new();
        let mut length = 0usize;
        let mut endpoint = String::new();
        loop {
            let mut line = String::new();
            if requests.read_line(&mut line).await? == 0 {
                answers.abort();
                return Ok(());
            }
            if endpoint.is_empty() {
                // "GET /api/v1/notifications?limit=40 HTTP/1.1"
                let mut parts = line.split_whitespace();
                let method = parts.next().unwrap_or("");
                let target = parts.next().unwrap_or("");
                let path = target.split('?').next().unwrap_or(target);
                endpoint = format!("{method} {path}");
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            assert!(
                !lower.starts_with("transfer-encoding:"),
                "the counting proxy reads Content-Length bodies only"
            );
            head.extend_from_slice(line.as_bytes());
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        requests.read_exact(&mut body).await?;
        *state
            .counts
            .lock()
            .unwrap()
            .entry(endpoint.clone())
            .or_insert(0) += 1;
        let trapped = state.trap.lock().unwrap().take();
        if let Some((caught, release)) = trapped {
            let _ = caught.send(endpoint);
            let _ = release.await;
        }
        server_write.write_all(&head).await?;
        server_write.write_all(&body).await?;
    }
}
