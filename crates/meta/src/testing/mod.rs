//! The fake Graph API (`tests/peers/meta/server.mjs`) and its launcher, for tests.
//!
//! The fake is stateful: it seeds one Meta app, one person who manages two Pages (one
//! linked to an Instagram professional account), and lets a test act as customers, as the
//! Page elsewhere (Meta Business Suite) and as Meta's faults, through `/_fake/...` control
//! endpoints. Its objects carry only the fields of Meta's published specs
//! (`tests/peers/meta/specs`); see `tests/peers/meta/README.md`.
//!
//! Words: the **seed** is what the fake holds at start; a **customer** is anyone who is not
//! the brand; a **fault** is a failure armed for the next matching requests.

mod launch;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};

use crate::GraphUrl;

/// The seeded objects' ids and names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// The Meta app's id.
    pub app_id: String,
    /// Its client token.
    pub client_token: String,
    /// The Page linked to the Instagram account ("Acme Support").
    pub page_id: String,
    /// Its name.
    pub page_name: String,
    /// Its username.
    pub page_username: String,
    /// A second Page without Instagram ("Acme Careers").
    pub other_page_id: String,
    /// The Instagram professional account linked to the first Page.
    pub instagram_id: String,
    /// Its username ("acme.support").
    pub instagram_username: String,
    /// A published post of the first Page that customers comment on.
    pub page_post_id: String,
    /// A media object of the Instagram account that customers comment on.
    pub instagram_media_id: String,
}

/// A customer (a Facebook user, or an Instagram user for Instagram calls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Their id (a PSID / IGSID in messaging).
    pub id: String,
    /// Their name (Facebook) or username (Instagram).
    pub name: String,
}

/// Where a message conversation lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbox {
    /// Messenger.
    Messenger,
    /// Instagram messages.
    Instagram,
}

/// A failure the fake injects into the next `times` requests whose path contains `path`
/// (e.g. `"/comments"`, `"/conversations"`, `"/messages"`, `""` for any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Graph error `code` (4, 17, 32 or 613) with status 400 and usage headers saying 100 %
    /// and `estimated_time_to_regain_access` minutes.
    Throttle {
        /// The Graph code.
        code: i64,
        /// Minutes until access returns, in the usage header.
        regain_minutes: u32,
    },
    /// Code 190 (subcode 460: password changed / 463: expired).
    TokenExpired,
    /// Code 10 or 200..=299: a missing permission.
    MissingPermission {
        /// The Graph code.
        code: i64,
    },
    /// HTTP `status` (500, 502, 503) with an HTML or JSON body.
    ServerError {
        /// The HTTP status.
        status: u16,
    },
    /// The request is read but never answered (the connection stays open).
    Hang,
    /// Paging cursors handed out before now stop working (code 2642 "Invalid cursors
    /// values", which is what Meta sends). Takes effect at once; `path` and `times` are
    /// not used.
    ExpireCursors,
    /// The POST is applied (the reply exists at Meta) but the connection is closed before
    /// the answer: a crash between POST and record, from the client's side. Only POSTs
    /// count towards `times`.
    DropAfterApply,
}

impl Fault {
    fn to_json(&self) -> Value {
        match self {
            Fault::Throttle {
                code,
                regain_minutes,
            } => json!({"kind": "throttle", "code": code, "regain_minutes": regain_minutes}),
            Fault::TokenExpired => json!({"kind": "token_expired"}),
            Fault::MissingPermission { code } => {
                json!({"kind": "missing_permission", "code": code})
            }
            Fault::ServerError { status } => json!({"kind": "server_error", "status": status}),
            Fault::Hang => json!({"kind": "hang"}),
            Fault::ExpireCursors => json!({"kind": "expire_cursors"}),
            Fault::DropAfterApply => json!({"kind": "drop_after_apply"}),
        }
    }
}

/// A running fake Graph API on 127.0.0.1; the process ends when this is dropped.
pub struct FakeGraph {
    url: String,
    seed: Seed,
    person: (String, String),
    user_token: String,
    page_tokens: HashMap<String, String>,
    http: reqwest::Client,
    _process: launch::Process,
}

impl FakeGraph {
    /// Starts `node tests/peers/meta/server.mjs` on a free port and waits until it answers.
    pub async fn start() -> FakeGraph {
        let (process, ready) = launch::Process::start()
            .await
            .unwrap_or_else(|e| panic!("the fake Graph API did not start: {e}"));
        let text = |v: &Value, key: &str| -> String {
            v.get(key)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("the fake's ready line lacks {key}"))
                .to_string()
        };
        let s = &ready["seed"];
        let seed = Seed {
            app_id: text(s, "app_id"),
            client_token: text(s, "client_token"),
            page_id: text(s, "page_id"),
            page_name: text(s, "page_name"),
            page_username: text(s, "page_username"),
            other_page_id: text(s, "other_page_id"),
            instagram_id: text(s, "instagram_id"),
            instagram_username: text(s, "instagram_username"),
            page_post_id: text(s, "page_post_id"),
            instagram_media_id: text(s, "instagram_media_id"),
        };
        let page_tokens = ready["page_tokens"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let port = ready["port"]
            .as_u64()
            .expect("the fake's ready line has a port");
        let fake = FakeGraph {
            url: format!("http://127.0.0.1:{port}/"),
            person: (text(s, "person_id"), text(s, "person_name")),
            seed,
            user_token: text(&ready, "user_token"),
            page_tokens,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("an http client"),
            _process: process,
        };
        fake.wait_until_answering().await;
        fake
    }

    async fn wait_until_answering(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let answered = self
                .http
                .get(format!("{}_fake/requests?path=", self.url))
                .send()
                .await
                .map(|r| r.status().is_success())
                .unwrap_or(false);
            if answered {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("the fake Graph API at {} does not answer", self.url);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The base address (`http://127.0.0.1:<port>/`); the client appends `v23.0/...`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The base address as a [`GraphUrl`].
    pub fn graph_url(&self) -> GraphUrl {
        GraphUrl(url::Url::parse(&self.url).expect("the fake's url parses"))
    }

    /// The seeded objects.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// The person who manages both Pages: (id, name) — "Rosa Lead".
    pub fn person(&self) -> (&str, &str) {
        (&self.person.0, &self.person.1)
    }

    /// A user token of a sign-in that already happened with every permission (for tests
    /// that skip device login).
    pub fn user_token(&self) -> &str {
        &self.user_token
    }

    /// The Page token of `page_id` from that same sign-in.
    pub fn page_token(&self, page_id: &str) -> &str {
        self.page_tokens
            .get(page_id)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("the fake has no Page {page_id}"))
    }

    async fn control(&self, name: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}_fake/{name}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("the fake's control {name} failed: {e}"));
        let status = response.status();
        let value: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("the fake's control {name} answered no JSON: {e}"));
        assert!(
            status.is_success(),
            "the fake's control {name} refused: {value}"
        );
        value
    }

    async fn query(&self, name: &str, key: &str, value: &str) -> Value {
        let mut url = url::Url::parse(&format!("{}_fake/{name}", self.url)).expect("url");
        url.query_pairs_mut().append_pair(key, value);
        let response = self
            .http
            .get(url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("the fake's control {name} failed: {e}"));
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("the fake's control {name} answered no JSON: {e}"))
    }

    fn id_of(value: &Value, key: &str) -> String {
        value[key]
            .as_str()
            .unwrap_or_else(|| panic!("the fake answered no {key}: {value}"))
            .to_string()
    }

    /// Approves a pending device login (as the person at facebook.com/device would), with
    /// every permission granted, or without `missing` ones.
    pub async fn approve_device_login(&self, user_code: &str, missing: &[&str]) {
        self.control(
            "device/approve",
            json!({"user_code": user_code, "missing": missing}),
        )
        .await;
    }

    /// Sets the lifetime and polling interval (whole seconds) of the device codes made from
    /// now on (defaults: 420 s and 1 s, or `FAKE_META_EXPIRES_IN` / `FAKE_META_INTERVAL`).
    pub async fn device_login_timing(&self, expires_in: Duration, interval: Duration) {
        self.control(
            "device/timing",
            json!({"expires_in": expires_in.as_secs(), "interval": interval.as_secs()}),
        )
        .await;
    }

    /// Declines a pending device login: polling then fails with code 31 (subcode 1349173,
    /// the fake's own: Meta does not document the declined answer).
    pub async fn decline_device_login(&self, user_code: &str) {
        self.control("device/decline", json!({"user_code": user_code}))
            .await;
    }

    /// A customer's comment on a Page post, a Page comment or an Instagram media/comment
    /// (`on`); `created_time` back-dated by `back_dated` if given. Returns its id.
    pub async fn customer_comment(
        &self,
        on: &str,
        who: &Customer,
        text: &str,
        back_dated: Option<Duration>,
    ) -> String {
        let body = json!({
            "on": on,
            "who": {"id": who.id, "name": who.name},
            "text": text,
            "back_dated_secs": back_dated.map(|d| d.as_secs()).unwrap_or(0),
        });
        Self::id_of(&self.control("comment", body).await, "id")
    }

    /// A visitor post on the Page's feed. Returns its id.
    pub async fn visitor_post(&self, who: &Customer, text: &str) -> String {
        let body = json!({"who": {"id": who.id, "name": who.name}, "text": text});
        Self::id_of(&self.control("visitor_post", body).await, "id")
    }

    /// An Instagram media of another account that mentions the brand's username in its
    /// caption (listed in the brand account's `tags` edge). Returns its id.
    pub async fn instagram_mention(&self, who: &Customer, caption: &str) -> String {
        let body = json!({"who": {"id": who.id, "name": who.name}, "caption": caption});
        Self::id_of(&self.control("instagram_mention", body).await, "id")
    }

    /// The Page (or Instagram account) answering `on` outside Switchboard (Meta Business
    /// Suite). Returns the new comment's id.
    pub async fn page_comment_elsewhere(&self, on: &str, text: &str) -> String {
        let body = json!({"on": on, "text": text});
        Self::id_of(&self.control("page_comment", body).await, "id")
    }

    /// The Instagram account answering the mention `media` in Instagram itself (not
    /// through Switchboard): its comment on the mentioning media. Returns the comment's id.
    pub async fn mention_answered_in_instagram(&self, media: &str, text: &str) -> String {
        let body = json!({"media": media, "text": text});
        Self::id_of(&self.control("mention_answer", body).await, "id")
    }

    /// The mentioning account turning the comments of its media `media` off.
    pub async fn mention_comments_off(&self, media: &str) {
        self.control("mention_media", json!({"media": media, "comments": "off"}))
            .await;
    }

    /// The mentioning account deleting its media `media`.
    pub async fn mention_deleted(&self, media: &str) {
        self.control("mention_media", json!({"media": media, "deleted": true}))
            .await;
    }

    /// A customer's message in `inbox`, `sent_ago` before now (to place the messaging
    /// window). Returns (conversation id, message id).
    pub async fn customer_message(
        &self,
        inbox: Inbox,
        who: &Customer,
        text: &str,
        sent_ago: Duration,
    ) -> (String, String) {
        let inbox = match inbox {
            Inbox::Messenger => "messenger",
            Inbox::Instagram => "instagram",
        };
        let body = json!({
            "inbox": inbox,
            "who": {"id": who.id, "name": who.name},
            "text": text,
            "sent_ago_secs": sent_ago.as_secs(),
        });
        let answer = self.control("message", body).await;
        (
            Self::id_of(&answer, "conversation"),
            Self::id_of(&answer, "message"),
        )
    }

    /// The Page answering a message conversation outside Switchboard.
    pub async fn page_message_elsewhere(&self, conversation: &str, text: &str) -> String {
        let body = json!({"conversation": conversation, "text": text});
        Self::id_of(&self.control("page_message", body).await, "id")
    }

    /// Injects `fault` into the next `times` requests whose path contains `path`.
    pub async fn fault(&self, path: &str, fault: Fault, times: u32) {
        let body = json!({"path": path, "fault": fault.to_json(), "times": times});
        self.control("fault", body).await;
    }

    /// Sets the **listing lag**: from now on, comments and messages created by a Graph
    /// `POST` are left out of every listing until `lag` after their creation (Meta's
    /// listings lag behind its writes); read by id they are there at once. `Duration::ZERO`
    /// (the default) turns it off.
    pub async fn listing_lag(&self, lag: Duration) {
        let lag_ms = u64::try_from(lag.as_millis()).unwrap_or(u64::MAX);
        self.control("listing_lag", json!({ "lag_ms": lag_ms }))
            .await;
    }

    /// Revokes every token the fake handed out (the person changed their password):
    /// every later call answers code 190 subcode 460.
    pub async fn revoke_tokens(&self) {
        self.control("revoke", json!({})).await;
    }

    /// Every comment or message the Page posted under `parent` (a comment/post/media id or
    /// a conversation id), as `(id, text)`, oldest first — to count replies.
    pub async fn page_replies(&self, parent: &str) -> Vec<(String, String)> {
        let answer = self.query("page_replies", "parent", parent).await;
        answer["replies"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|pair| {
                        (
                            pair[0].as_str().unwrap_or_default().to_string(),
                            pair[1].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the Facebook or Instagram comment `id` is hidden from the public (`false`
    /// also when the fake has no such comment).
    pub async fn is_hidden(&self, id: &str) -> bool {
        let answer = self.query("hidden", "id", id).await;
        answer["hidden"].as_bool().unwrap_or(false)
    }

    /// How many requests the fake answered whose path contains `path`.
    pub async fn requests(&self, path: &str) -> u64 {
        let answer = self.query("requests", "path", path).await;
        answer["count"].as_u64().unwrap_or(0)
    }

    /// The directory of Meta's vendored specs (`tests/peers/meta/specs`, one `<Type>.json`
    /// per node type, plus `from-docs/`), for tests that check the client's fields.
    pub fn specs_dir() -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/meta/specs")
    }

    /// The fake's whole state (nodes, device logins, faults), for debugging a test.
    pub async fn state(&self) -> Value {
        self.query("state", "_", "").await
    }
}
