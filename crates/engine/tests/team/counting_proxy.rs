//! A loopback proxy in front of `mastodon_mock` that **counts** the requests the server
//! receives, by endpoint (`GET /api/v1/notifications`, query left out), and can **trap**
//! the next request: hold it unforwarded until the test releases it (to freeze a poller
//! in the middle of a poll).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

#[allow(dead_code)] // each proxy uses part of it
#[path = "../common/loopback_proxy.rs"]
mod loopback_proxy;

use loopback_proxy::{LoopbackProxy, Request, RequestHook};

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

impl RequestHook for State {
    fn on_request<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        let endpoint = request.endpoint();
        *self
            .counts
            .lock()
            .unwrap()
            .entry(endpoint.clone())
            .or_insert(0) += 1;
        let trapped = self.trap.lock().unwrap().take();
        Box::pin(async move {
            if let Some((caught, release)) = trapped {
                let _ = caught.send(endpoint);
                let _ = release.await;
            }
        })
    }
}

/// A running proxy; stops when dropped.
pub struct CountingProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    state: Arc<State>,
    _proxy: LoopbackProxy,
}

impl CountingProxy {
    /// Proxies to the server at `upstream` (`http://127.0.0.1:<port>/`).
    pub async fn start(upstream: &str) -> CountingProxy {
        let state = Arc::new(State::default());
        let proxy =
            LoopbackProxy::start(upstream, Arc::clone(&state) as Arc<dyn RequestHook>).await;
        CountingProxy {
            url: proxy.url.clone(),
            state,
            _proxy: proxy,
        }
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
