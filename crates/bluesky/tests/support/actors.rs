//! People on the local network, acting through plain XRPC as a Bluesky app would: new
//! accounts with app passwords, posts that mention the brand (with a mention facet: UTF-8
//! byte offsets and the DID), replies written straight on the PDS.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard_bluesky::{sign_in, BlueskyProvider, ClientOptions, Credential};
use switchboard_vault::Sensitive;

use super::network::network;

/// A signed-in account on the local network.
#[derive(Debug, Clone)]
pub struct Actor {
    pub pds: String,
    pub did: String,
    pub handle: String,
    pub app_password: String,
    pub access_jwt: String,
}

/// A post's strong reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRef {
    pub uri: String,
    pub cid: String,
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

pub async fn xrpc_post(pds: &str, nsid: &str, token: Option<&str>, body: Value) -> Value {
    let mut request = http().post(format!("{pds}/xrpc/{nsid}")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the PDS answers");
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{nsid} failed: {status} {value}");
    value
}

pub async fn xrpc_get(pds: &str, nsid: &str, token: &str, query: &[(&str, &str)]) -> Value {
    let response = http()
        .get(format!("{pds}/xrpc/{nsid}"))
        .query(query)
        .bearer_auth(token)
        .send()
        .await
        .expect("the PDS answers");
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{nsid} failed: {status} {value}");
    value
}

/// A unique short name (handles on the test PDS are `<name>.test`).
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}{}x{n}", std::process::id() % 100_000)
}

impl Actor {
    /// A new account with an app password.
    pub async fn create(prefix: &str) -> Actor {
        let pds = network().ready.pds.clone();
        let name = unique_name(prefix);
        let session = xrpc_post(
            &pds,
            "com.atproto.server.createAccount",
            None,
            json!({"handle": format!("{name}.test"), "email": format!("{name}@example.test"),
                   "password": format!("main-{name}-password")}),
        )
        .await;
        let access = session["accessJwt"].as_str().expect("token").to_owned();
        let app = xrpc_post(
            &pds,
            "com.atproto.server.createAppPassword",
            Some(&access),
            json!({"name": "switchboard"}),
        )
        .await;
        let did = session["did"].as_str().expect("did").to_owned();
        xrpc_post(
            &pds,
            "com.atproto.repo.createRecord",
            Some(&access),
            json!({"repo": did, "collection": "app.bsky.actor.profile", "rkey": "self",
                   "record": {"$type": "app.bsky.actor.profile", "displayName": format!("{prefix} display")}}),
        )
        .await;
        Actor {
            pds,
            did,
            handle: format!("{name}.test"),
            app_password: app["password"].as_str().expect("app password").to_owned(),
            access_jwt: access,
        }
    }

    /// Signs this account in to Switchboard with its app password.
    pub async fn sign_in_to_switchboard(
        &self,
        options: ClientOptions,
    ) -> (BlueskyProvider, Credential) {
        let password = Sensitive::new(self.app_password.clone());
        let (credential, _identity) = sign_in(&self.pds, &self.handle, &password, &options)
            .await
            .expect("sign-in with the app password works");
        let provider = BlueskyProvider::new(credential.clone(), options, None).expect("provider");
        (provider, credential)
    }

    /// The record of a post by this actor, mentioning `mentioned` if given, replying to
    /// `reply_to` (root, parent) if given.
    pub fn post_record(
        &self,
        text_before: &str,
        mentioned: Option<&Actor>,
        reply_to: Option<(&PostRef, &PostRef)>,
    ) -> Value {
        let mut text = text_before.to_owned();
        let mut record = json!({"$type": "app.bsky.feed.post", "langs": ["en"],
                                "createdAt": chrono_now()});
        if let Some(who) = mentioned {
            let start = text.len();
            text.push_str(&format!("@{}", who.handle));
            let end = text.len();
            text.push_str(" please help");
            record["facets"] = json!([{
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": who.did}]
            }]);
        }
        record["text"] = json!(text);
        if let Some((root, parent)) = reply_to {
            record["reply"] = json!({"root": {"uri": root.uri, "cid": root.cid},
                                     "parent": {"uri": parent.uri, "cid": parent.cid}});
        }
        record
    }

    /// Writes a post straight on the PDS.
    pub async fn post(
        &self,
        text_before: &str,
        mentioned: Option<&Actor>,
        reply_to: Option<(&PostRef, &PostRef)>,
    ) -> PostRef {
        let record = self.post_record(text_before, mentioned, reply_to);
        let created = xrpc_post(
            &self.pds,
            "com.atproto.repo.createRecord",
            Some(&self.access_jwt),
            json!({"repo": self.did, "collection": "app.bsky.feed.post", "record": record}),
        )
        .await;
        PostRef {
            uri: created["uri"].as_str().expect("uri").to_owned(),
            cid: created["cid"].as_str().expect("cid").to_owned(),
        }
    }

    /// Writes `count` posts mentioning `mentioned` in batches of 200 (`applyWrites`), each
    /// written a millisecond after the one before, the last one now, as a busy account's
    /// would be. (The AppView pages notifications by time alone, so posts claiming the
    /// same millisecond could straddle a page boundary and be skipped by it.)
    pub async fn post_many_mentions(&self, count: usize, mentioned: &Actor) {
        let first_at = switchboard_core::Timestamp::now_from_system().plus_millis(-(count as i64));
        let mut left = count;
        let mut n = 0;
        while left > 0 {
            let batch = left.min(200);
            let writes: Vec<Value> = (0..batch)
                .map(|_| {
                    n += 1;
                    let mut value =
                        self.post_record(&format!("question {n} "), Some(mentioned), None);
                    value["createdAt"] = json!(first_at.plus_millis(n as i64).to_rfc3339());
                    create_post(value, None)
                })
                .collect();
            self.apply_writes(writes).await;
            left -= batch;
        }
    }
}

/// Now as RFC 3339.
pub fn chrono_now() -> String {
    switchboard_core::Timestamp::now_from_system().to_rfc3339()
}

/// Polls `check` until it returns `Some`, at most `within`.
pub async fn wait_for<T, F, Fut>(within: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(started.elapsed() < within, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `credential` with its access token replaced (e.g. by an expired one).
pub fn with_access_token(credential: &Credential, access: &str) -> Credential {
    let secret = credential.to_secret();
    let mut stored: Value = serde_json::from_str(secret.expose()).expect("the secret is JSON");
    stored["access_jwt"] = json!(access);
    Credential::from_secret(&Sensitive::new(stored.to_string())).expect("still a credential")
}

/// A UUID version 7 dated `millis` (as the window makes idempotency keys), `n` making it
/// unique.
pub fn uuid_v7_at(millis: i64, n: u64) -> String {
    let millis = millis as u64 & 0xffff_ffff_ffff;
    format!(
        "{:08x}-{:04x}-7{:03x}-8{:03x}-{:012x}",
        millis >> 16,
        millis & 0xffff,
        n & 0xfff,
        (n >> 12) & 0xfff,
        n.wrapping_mul(0x9e37_79b9) & 0xffff_ffff_ffff
    )
}

/// A record key dated `millis`, made as Switchboard makes a reply's.
pub fn record_key_at(millis: i64, n: u64) -> String {
    switchboard_bluesky::record_key_for(&uuid_v7_at(millis, n))
}

/// One write of an `applyWrites`: post record `value`, under `rkey` if given.
fn create_post(value: Value, rkey: Option<&str>) -> Value {
    let mut write = json!({"$type": "com.atproto.repo.applyWrites#create",
                           "collection": "app.bsky.feed.post", "value": value});
    if let Some(rkey) = rkey {
        write["rkey"] = json!(rkey);
    }
    write
}

impl Actor {
    /// Applies `writes` to this actor's repository in one `applyWrites`.
    async fn apply_writes(&self, writes: Vec<Value>) {
        xrpc_post(
            &self.pds,
            "com.atproto.repo.applyWrites",
            Some(&self.access_jwt),
            json!({"repo": self.did, "writes": writes}),
        )
        .await;
    }

    /// Writes a post whose `createdAt` is `created_at` (RFC 3339), under `rkey` if given.
    pub async fn post_dated(
        &self,
        text_before: &str,
        mentioned: Option<&Actor>,
        reply_to: Option<(&PostRef, &PostRef)>,
        created_at: &str,
        rkey: Option<&str>,
    ) -> PostRef {
        let mut record = self.post_record(text_before, mentioned, reply_to);
        record["createdAt"] = json!(created_at);
        let mut body = json!({"repo": self.did, "collection": "app.bsky.feed.post",
                              "record": record});
        if let Some(rkey) = rkey {
            body["rkey"] = json!(rkey);
        }
        let created = xrpc_post(
            &self.pds,
            "com.atproto.repo.createRecord",
            Some(&self.access_jwt),
            body,
        )
        .await;
        PostRef {
            uri: created["uri"].as_str().expect("uri").to_owned(),
            cid: created["cid"].as_str().expect("cid").to_owned(),
        }
    }

    /// Writes posts in one `applyWrites`: `(text, createdAt, rkey)` each, mentioning
    /// `mentioned` and replying to `reply_to` if given.
    pub async fn post_batch(
        &self,
        posts: &[(String, String, Option<String>)],
        mentioned: Option<&Actor>,
        reply_to: Option<(&PostRef, &PostRef)>,
    ) {
        for batch in posts.chunks(200) {
            let writes: Vec<Value> = batch
                .iter()
                .map(|(text, created_at, rkey)| {
                    let mut value = self.post_record(text, mentioned, reply_to);
                    value["createdAt"] = json!(created_at);
                    create_post(value, rkey.as_deref())
                })
                .collect();
            self.apply_writes(writes).await;
        }
    }
}
