//! A Mastodon-API server that ignores idempotency keys, as several do (and Mastodon
//! itself after an hour): a loopback proxy in front of `mastodon_mock` that drops the
//! `Idempotency-Key` header from every request and passes everything else through
//! unchanged. HTTP/1.1 requests are read one at a time per connection (headers, then a
//! `Content-Length` body); answers are copied back as they come.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy; stops when dropped.
pub struct KeylessProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl KeylessProxy {
    /// Proxies to the server at `upstream` (`http://127.0.0.1:<port>/`).
    pub async fn start(upstream: &str) -> KeylessProxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        let _ = relay(client, server).await;
                    }
                });
            }
        });
        KeylessProxy { url, task }
    }

    /// `host:port`, as handles and allowlists name it.
    pub fn host(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned()
    }
}

impl Drop for KeylessProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn relay(client: TcpStream, server: TcpStream) -> std::io::Result<()> {
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
        loop {
            let mut line = String::new();
            if requests.read_line(&mut line).await? == 0 {
                answers.abort();
                return Ok(());
            }
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("idempotency-key:") {
                continue;
            }
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            assert!(
                !lower.starts_with("transfer-encoding:"),
                "the keyless proxy reads Content-Length bodies only"
            );
            head.extend_from_slice(line.as_bytes());
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        requests.read_exact(&mut body).await?;
        server_write.write_all(&head).await?;
        server_write.write_all(&body).await?;
    }
}
