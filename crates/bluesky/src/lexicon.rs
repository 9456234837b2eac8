//! The parts of Bluesky's JSON that Switchboard reads and writes.
//!
//! The AT Protocol describes every method and record in a **lexicon** (a schema). These
//! are plain serde types for the few fields used here; unknown fields are ignored, a
//! missing required one makes the whole response malformed.

use serde::{Deserialize, Serialize};

/// A strong reference to a record: its URI and the hash (CID) of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrongRef {
    /// `at://<did>/<collection>/<rkey>`.
    pub uri: String,
    /// The content hash.
    pub cid: String,
}

/// Where a reply sits: the thread's first post and the post it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRef {
    /// The thread's first post.
    pub root: StrongRef,
    /// The post answered.
    pub parent: StrongRef,
}

/// An `app.bsky.feed.post` record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostRecord {
    /// The text.
    #[serde(default)]
    pub text: String,
    /// When the author's client says it was written.
    #[serde(default)]
    pub created_at: Option<String>,
    /// Languages, most likely first.
    #[serde(default)]
    pub langs: Vec<String>,
    /// Set on replies.
    #[serde(default)]
    pub reply: Option<ReplyRef>,
    /// An image, link card or quoted record.
    #[serde(default)]
    pub embed: Option<Embed>,
}

impl PostRecord {
    /// Whether the post quotes another record.
    pub fn is_quote(&self) -> bool {
        self.embed.as_ref().is_some_and(|embed| {
            matches!(
                embed.kind.as_str(),
                "app.bsky.embed.record" | "app.bsky.embed.recordWithMedia"
            )
        })
    }
}

/// What a post embeds; only its type is read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Embed {
    /// `app.bsky.embed.images`, `app.bsky.embed.record`, …
    #[serde(rename = "$type", default)]
    pub kind: String,
}

/// An account as the AppView shows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// The account's DID.
    pub did: String,
    /// The handle.
    pub handle: String,
    /// The name it shows, if set.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// `com.atproto.server.createSession` / `refreshSession` output.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOutput {
    /// Short-lived token for calls.
    pub access_jwt: String,
    /// Long-lived token to get a new access token.
    pub refresh_jwt: String,
    /// The account.
    pub did: String,
    /// Its handle.
    pub handle: String,
    /// The account's DID document, which names its PDS.
    #[serde(default)]
    pub did_doc: Option<DidDocument>,
}

/// The parts of a DID document that name the account's PDS.
#[derive(Debug, Clone, Deserialize)]
pub struct DidDocument {
    /// Services.
    #[serde(default)]
    pub service: Vec<DidService>,
}

/// One service of a DID document.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidService {
    /// `#atproto_pds` for the PDS.
    pub id: String,
    /// Its URL.
    pub service_endpoint: String,
}

impl DidDocument {
    /// The account's PDS URL.
    pub fn pds(&self) -> Option<&str> {
        self.service
            .iter()
            .find(|s| s.id == "#atproto_pds" || s.id.ends_with("#atproto_pds"))
            .map(|s| s.service_endpoint.as_str())
    }
}

/// `app.bsky.notification.listNotifications` output.
#[derive(Debug, Deserialize)]
pub struct NotificationPage {
    /// Newest first.
    pub notifications: Vec<Notification>,
    /// Where the next (older) page starts.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// One notification.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    /// The record that caused it (a post for mentions, replies and quotes).
    pub uri: String,
    /// Who caused it.
    pub author: ProfileView,
    /// `mention`, `reply`, `quote`, `like`, `follow`, …
    pub reason: String,
    /// The record itself.
    pub record: serde_json::Value,
    /// When the AppView indexed it.
    pub indexed_at: String,
}

/// A post as the AppView shows it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    /// Its URI.
    pub uri: String,
    /// Its content hash.
    pub cid: String,
    /// Who wrote it.
    pub author: ProfileView,
    /// The record.
    pub record: PostRecord,
    /// When the AppView indexed it.
    pub indexed_at: String,
}

/// `app.bsky.feed.getPosts` output.
#[derive(Debug, Deserialize)]
pub struct Posts {
    /// The posts found (missing ones are left out).
    pub posts: Vec<PostView>,
}

/// `app.bsky.feed.getPostThread` output.
#[derive(Debug, Deserialize)]
pub struct ThreadOutput {
    /// The post asked for, with its parents and replies.
    pub thread: ThreadNode,
}

/// A node of a thread: a post with its replies, or a post that is missing or blocked
/// (then `post` is `None`).
#[derive(Debug, Deserialize)]
pub struct ThreadNode {
    /// The post.
    #[serde(default)]
    pub post: Option<PostView>,
    /// Its replies.
    #[serde(default)]
    pub replies: Vec<ThreadNode>,
}

/// One record of a repository (`getRecord`; `listRecords` is read in `brand_posts`).
#[derive(Debug, Deserialize)]
pub struct RepoRecord {
    /// Its URI.
    pub uri: String,
    /// The post.
    pub value: PostRecord,
}

/// `com.atproto.repo.createRecord` output.
#[derive(Debug, Deserialize)]
pub struct CreatedRecord {
    /// The new record's URI.
    pub uri: String,
}

/// The last part of an `at://` URI (the record key).
pub fn record_key(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}
