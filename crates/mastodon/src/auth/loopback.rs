//! The **loopback redirect listener**: a one-shot HTTP server on `127.0.0.1` with a
//! random port, where the browser lands after the person approves (or denies) access.
//!
//! It answers requests for other paths (a browser's `/favicon.ico`) with 404 and keeps
//! waiting; the first request to the callback path ends it: the `state` must be the
//! one this sign-in sent, then `error=access_denied` means consent was denied and
//! `code` is the authorization code. The browser gets a small plain page ("you can close
//! this tab"). A person who never comes back ends it after the timeout.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::SignInError;

/// The callback path on the loopback listener.
const CALLBACK_PATH: &str = "/callback";
/// The longest request head read from the browser.
const MAX_REQUEST_HEAD: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A bound loopback listener waiting for one callback.
pub(crate) struct LoopbackListener {
    listener: TcpListener,
    redirect_uri: Url,
}

impl LoopbackListener {
    /// Binds `127.0.0.1` on a port the OS picks.
    pub async fn bind() -> Result<Self, SignInError> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| SignInError::Loopback(e.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(|e| SignInError::Loopback(e.to_string()))?
            .port();
        let redirect_uri = Url::parse(&format!("http://127.0.0.1:{port}{CALLBACK_PATH}"))
            .map_err(|e| SignInError::Loopback(e.to_string()))?;
        Ok(LoopbackListener {
            listener,
            redirect_uri,
        })
    }

    /// The redirect URI to register and send: `http://127.0.0.1:<port>/callback`.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// Waits for the callback and returns its authorization code.
    pub async fn wait_for_code(
        self,
        expected_state: &str,
        timeout: Duration,
    ) -> Result<String, SignInError> {
        tokio::time::timeout(timeout, self.serve_until_callback(expected_state))
            .await
            .map_err(|_| SignInError::TimedOut(timeout))?
    }

    /// Accepts connections until one brings the callback. Each connection is read in its
    /// own task, so a browser's idle pre-connection cannot hold up the real answer.
    async fn serve_until_callback(self, expected_state: &str) -> Result<String, SignInError> {
        let (callbacks_tx, mut callbacks) = tokio::sync::mpsc::channel::<(TcpStream, Url)>(4);
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted.map_err(|e| SignInError::Loopback(e.to_string()))?;
                    let base = self.redirect_uri.clone();
                    let callbacks_tx = callbacks_tx.clone();
                    tokio::spawn(async move {
                        if let Some(callback) = read_callback(stream, &base).await {
                            let _ = callbacks_tx.send(callback).await;
                        }
                    });
                }
                Some((mut stream, url)) = callbacks.recv() => {
                    let outcome = callback_outcome(&url, expected_state);
                    let page = match &outcome {
                        Ok(_) => "Switchboard is signed in. You can close this tab.",
                        Err(SignInError::ConsentDenied) => {
                            "Access was not granted, so Switchboard is not signed in. \
                             You can close this tab."
                        }
                        Err(_) => {
                            "Switchboard could not finish signing in; see Switchboard for what \
                             to do. You can close this tab."
                        }
                    };
                    respond(&mut stream, "200 OK", page).await;
                    return outcome;
                }
            }
        }
    }
}

/// Reads one browser request: the callback comes back with its URL; anything else is
/// answered here (400 or 404) and dropped.
async fn read_callback(mut stream: TcpStream, base: &Url) -> Option<(TcpStream, Url)> {
    let url = read_request_target(&mut stream)
        .await
        .and_then(|target| base.join(&target).ok());
    match url {
        None => {
            respond(
                &mut stream,
                "400 Bad Request",
                "This is not a sign-in answer.",
            )
            .await;
            None
        }
        Some(url) if url.path() != CALLBACK_PATH => {
            respond(&mut stream, "404 Not Found", "Nothing here.").await;
            None
        }
        Some(url) => Some((stream, url)),
    }
}

/// What a callback URL says.
fn callback_outcome(url: &Url, expected_state: &str) -> Result<String, SignInError> {
    let value = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.into_owned())
    };
    let state = value("state").unwrap_or_default();
    if !same_secret(&state, expected_state) {
        return Err(SignInError::StateMismatch);
    }
    if let Some(error) = value("error") {
        return Err(if error == "access_denied" {
            SignInError::ConsentDenied
        } else {
            let detail = value("error_description").unwrap_or(error);
            SignInError::CodeRejected(detail.chars().take(200).collect())
        });
    }
    value("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| SignInError::CodeRejected("the answer carried no code".into()))
}

/// Compares without stopping at the first difference.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

/// Reads the request head and returns the request target of a `GET`.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    let read = async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
            let n = stream.read(&mut buffer).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buffer[..n]);
        }
        Some(())
    };
    tokio::time::timeout(READ_TIMEOUT, read).await.ok()??;
    let head = String::from_utf8_lossy(&head);
    let mut parts = head.lines().next()?.split_whitespace();
    let (method, target) = (parts.next()?, parts.next()?);
    (method == "GET" && target.starts_with('/')).then(|| target.to_owned())
}

async fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Switchboard</title></head>\
         <body><p>{message}</p></body></html>\n"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may have gone; the sign-in outcome does not depend on this page.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(url: &str) -> String {
        let url = Url::parse(url).unwrap();
        let mut stream = TcpStream::connect((url.host_str().unwrap(), url.port().unwrap()))
            .await
            .unwrap();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        stream
            .write_all(format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer
    }

    async fn outcome_of(callback_query: &str) -> (Result<String, SignInError>, String) {
        let listener = LoopbackListener::bind().await.unwrap();
        let base = listener.redirect_uri().clone();
        let waiting = tokio::spawn(listener.wait_for_code("state-123", Duration::from_secs(10)));
        let origin = format!("http://{}", base.authority());
        let favicon = get(&format!("{origin}/favicon.ico")).await;
        assert!(
            favicon.starts_with("HTTP/1.1 404"),
            "other paths are not the callback"
        );
        let page = get(&format!("{base}?{callback_query}")).await;
        (waiting.await.unwrap(), page)
    }

    #[tokio::test]
    async fn accepts_one_callback_with_the_right_state() {
        let (outcome, page) = outcome_of("code=abc&state=state-123").await;
        assert_eq!(outcome.unwrap(), "abc");
        assert!(page.contains("You can close this tab"), "{page}");
    }

    #[tokio::test]
    async fn tells_denied_consent_and_foreign_state_apart() {
        let (denied, page) = outcome_of("error=access_denied&state=state-123").await;
        assert_eq!(denied, Err(SignInError::ConsentDenied));
        assert!(page.contains("not granted"), "{page}");
        let (foreign, _) = outcome_of("code=abc&state=someone-else").await;
        assert_eq!(foreign, Err(SignInError::StateMismatch));
    }

    #[tokio::test]
    async fn an_idle_connection_does_not_hold_up_the_answer() {
        let listener = LoopbackListener::bind().await.unwrap();
        let base = listener.redirect_uri().clone();
        let waiting = tokio::spawn(listener.wait_for_code("s1", Duration::from_secs(3)));
        let _idle = TcpStream::connect((base.host_str().unwrap(), base.port().unwrap()))
            .await
            .unwrap();
        get(&format!("{base}?code=c1&state=s1")).await;
        assert_eq!(waiting.await.unwrap().unwrap(), "c1");
    }

    #[tokio::test]
    async fn gives_up_after_the_timeout() {
        let listener = LoopbackListener::bind().await.unwrap();
        let outcome = listener.wait_for_code("s", Duration::from_millis(50)).await;
        assert_eq!(
            outcome,
            Err(SignInError::TimedOut(Duration::from_millis(50)))
        );
    }
}
