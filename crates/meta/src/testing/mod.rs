//! The fake Graph API (`tests/peers/meta/server.mjs`) and its launcher, for tests.
//!
//! CONTRACT STUB (owned by the fake helper): these signatures are what the provider,
//! engine and app tests code against. The fake is stateful: it seeds one Meta app, one
//! person who manages two Pages (one linked to an Instagram professional account), and
//! lets a test act as customers, as the Page elsewhere (Meta Business Suite) and as Meta's
//! faults, through `/_fake/...` control endpoints.

use std::time::Duration;

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
    /// Paging cursors handed out before now stop working (code 100, "cursor expired").
    ExpireCursors,
    /// The POST is applied (the reply exists at Meta) but the connection is closed before
    /// the answer: a crash between POST and record, from the client's side.
    DropAfterApply,
}

/// A running fake Graph API on 127.0.0.1.
pub struct FakeGraph {
    url: String,
    seed: Seed,
}

impl FakeGraph {
    /// Starts `node tests/peers/meta/server.mjs` on a free port and waits until it answers.
    pub async fn start() -> FakeGraph {
        todo!("fake graph")
    }

    /// The base address (`http://127.0.0.1:<port>/`); the client appends `v23.0/...`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The seeded objects.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// Approves a pending device login (as the person at facebook.com/device would), with
    /// every permission granted, or without `missing` ones.
    pub async fn approve_device_login(&self, user_code: &str, missing: &[&str]) {
        let _ = (user_code, missing);
        todo!("fake graph")
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
        let _ = (on, who, text, back_dated);
        todo!("fake graph")
    }

    /// A visitor post on the Page's feed. Returns its id.
    pub async fn visitor_post(&self, who: &Customer, text: &str) -> String {
        let _ = (who, text);
        todo!("fake graph")
    }

    /// An Instagram media of another account that mentions the brand's username in its
    /// caption (listed in the brand account's `tags` edge). Returns its id.
    pub async fn instagram_mention(&self, who: &Customer, caption: &str) -> String {
        let _ = (who, caption);
        todo!("fake graph")
    }

    /// The Page (or Instagram account) answering `on` outside Switchboard (Meta Business
    /// Suite). Returns the new comment's id.
    pub async fn page_comment_elsewhere(&self, on: &str, text: &str) -> String {
        let _ = (on, text);
        todo!("fake graph")
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
        let _ = (inbox, who, text, sent_ago);
        todo!("fake graph")
    }

    /// The Page answering a message conversation outside Switchboard.
    pub async fn page_message_elsewhere(&self, conversation: &str, text: &str) -> String {
        let _ = (conversation, text);
        todo!("fake graph")
    }

    /// Injects `fault` into the next `times` requests whose path contains `path`.
    pub async fn fault(&self, path: &str, fault: Fault, times: u32) {
        let _ = (path, fault, times);
        todo!("fake graph")
    }

    /// Every comment or message the Page posted under `parent` (a comment/post/media id or
    /// a conversation id), as `(id, text)`, oldest first — to count replies.
    pub async fn page_replies(&self, parent: &str) -> Vec<(String, String)> {
        let _ = parent;
        todo!("fake graph")
    }

    /// How many requests the fake answered whose path contains `path`.
    pub async fn requests(&self, path: &str) -> u64 {
        let _ = path;
        todo!("fake graph")
    }
}
