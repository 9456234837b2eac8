//! A Mastodon-API server that ignores idempotency keys, as several do (and Mastodon
//! itself after an hour): a loopback proxy in front of `mastodon_mock` that drops the
//! `Idempotency-Key` header from every request and passes everything else through
//! unchanged.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

#[allow(dead_code)] // each proxy uses part of it
#[path = "../common/loopback_proxy.rs"]
mod loopback_proxy;

use loopback_proxy::{LoopbackProxy, Request, RequestHook};

/// A running proxy; stops when dropped.
pub struct KeylessProxy {
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    proxy: LoopbackProxy,
}

struct DropKeys;

impl RequestHook for DropKeys {
    fn on_request<'a>(
        &'a self,
        request: &'a mut Request,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        request.drop_header("Idempotency-Key");
        Box::pin(async {})
    }
}

impl KeylessProxy {
    /// Proxies to the server at `upstream` (`http://127.0.0.1:<port>/`).
    pub async fn start(upstream: &str) -> KeylessProxy {
        let proxy = LoopbackProxy::start(upstream, Arc::new(DropKeys)).await;
        KeylessProxy {
            url: proxy.url.clone(),
            proxy,
        }
    }

    /// `host:port`, as handles and allowlists name it.
    pub fn host(&self) -> String {
        self.proxy.host()
    }
}
