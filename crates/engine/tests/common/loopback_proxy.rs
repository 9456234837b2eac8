//! A loopback HTTP proxy for the tests: listens on 127.0.0.1, forwards every connection to
//! an upstream server, reads the requests one at a time (headers, then a `Content-Length`
//! body) and hands each to a [`RequestHook`] — which may change it, count it or hold it —
//! before forwarding it; answers are copied back as they come.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One HTTP/1.1 request as read off the connection.
pub struct Request {
    /// The request line and the header lines, each with its CRLF, and the blank line.
    pub head: Vec<String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// `GET /api/v1/notifications`: the method and the path, without the query.
    pub fn endpoint(&self) -> String {
        let mut parts = self
            .head
            .first()
            .map_or("", String::as_str)
            .split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("");
        format!("{method} {}", target.split('?').next().unwrap_or(target))
    }

    /// Leaves out the header `name` (any case).
    pub fn drop_header(&mut self, name: &str) {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head
            .retain(|line| !line.to_ascii_lowercase().starts_with(&prefix));
    }
}

/// What a proxy does with each request before forwarding it.
pub trait RequestHook: Send + Sync + 'static {
    /// Called with each request, in order; the request goes on when the future ends.
    fn on_request<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

/// A running proxy; stops when dropped.
pub struct LoopbackProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl LoopbackProxy {
    /// Proxies to the server at `upstream` (`http://127.0.0.1:<port>/`) through `hook`.
    pub async fn start(upstream: &str, hook: Arc<dyn RequestHook>) -> LoopbackProxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let hook = Arc::clone(&hook);
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        let _ = relay(client, server, hook).await;
                    }
                });
            }
        });
        LoopbackProxy { url, task }
    }

    /// `host:port`, as handles and allowlists name it.
    pub fn host(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }
}

impl Drop for LoopbackProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(
    client: TcpStream,
    server: TcpStream,
    hook: Arc<dyn RequestHook>,
) -> std::io::Result<()> {
    let (client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let answers = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        let _ = client_write.shutdown().await;
    });
    let mut requests = BufReader::new(client_read);
    while let Some(mut request) = read_request(&mut requests).await? {
        hook.on_request(&mut request).await;
        for line in &request.head {
            server_write.write_all(line.as_bytes()).await?;
        }
        server_write.write_all(&request.body).await?;
    }
    answers.abort();
    Ok(())
}

/// The next request, or `None` when the client closed the connection.
async fn read_request(
    requests: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Option<Request>> {
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if requests.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        assert!(
            !lower.starts_with("transfer-encoding:"),
            "the loopback proxy reads Content-Length bodies only"
        );
        let end = line == "\r\n";
        head.push(line);
        if end {
            break;
        }
    }
    let mut body = vec![0; length];
    requests.read_exact(&mut body).await?;
    Ok(Some(Request { head, body }))
}
