//! Threads and replies.
//!
//! A thread is read from the AppView with `app.bsky.feed.getPostThread` from its root.
//! A reply is a new `app.bsky.feed.post` record with `reply: {root, parent}`, both strong
//! references (URI and CID) looked up with `app.bsky.feed.getPosts`. It is created with
//! `com.atproto.repo.createRecord` under a record key derived from the idempotency key
//! ([`crate::tid`]): if a record with that key exists — an earlier attempt got through —
//! that record is returned and nothing is posted.

use serde_json::json;
use switchboard_core::{Item, ItemKind, Timestamp};
use switchboard_platforms::{ProviderError, ReplyTarget};

use crate::lexicon::{CreatedRecord, Posts, RepoRecord, StrongRef, ThreadNode, ThreadOutput};
use crate::xrpc::{Call, CallError};
use crate::BlueskyProvider;

const POST_COLLECTION: &str = "app.bsky.feed.post";
/// How many levels of replies a thread fetch reads.
const THREAD_DEPTH: u32 = 100;
/// The longest post Bluesky takes, in graphemes (`app.bsky.feed.post`'s `maxGraphemes`).
pub(crate) const MAX_POST_GRAPHEMES: usize = 300;

impl BlueskyProvider {
    pub(crate) async fn fetch_thread(
        &self,
        target: &ReplyTarget,
    ) -> Result<Vec<Item>, ProviderError> {
        let root = self
            .brand
            .root_of(&target.thread)
            .unwrap_or(&target.in_reply_to);
        let call = Call::query(&self.pds, "app.bsky.feed.getPostThread")
            .param("uri", root)
            .param("depth", THREAD_DEPTH.to_string())
            .param("parentHeight", "0");
        let output: ThreadOutput = self
            .authed(call)
            .await
            .map_err(CallError::into_provider_error)?;
        let mut items = Vec::new();
        let mut stack: Vec<&ThreadNode> = vec![&output.thread];
        while let Some(node) = stack.pop() {
            if let Some(post) = &node.post {
                items.push(self.brand.thread_item(post)?);
            }
            stack.extend(node.replies.iter());
        }
        items.sort_by(|a, b| (a.created_at, &a.native_id).cmp(&(b.created_at, &b.native_id)));
        Ok(items)
    }

    pub(crate) async fn post_reply(
        &self,
        target: &ReplyTarget,
        text: &str,
        idempotency_key: &str,
        now: Timestamp,
    ) -> Result<Item, ProviderError> {
        if text.trim().is_empty() {
            return Err(ProviderError::Refused("a reply needs some text".into()));
        }
        let rkey = crate::tid::record_key_for(idempotency_key);
        if let Some(existing) = self.own_post(&rkey).await? {
            return self.posted_item(existing, now);
        }
        let (root, parent) = self.reply_refs(&target.in_reply_to).await?;
        let record = json!({
            "$type": POST_COLLECTION,
            "text": text,
            "createdAt": now.to_rfc3339(),
            "reply": { "root": root, "parent": parent },
        });
        let mut call = Call::procedure(
            &self.pds,
            "com.atproto.repo.createRecord",
            json!({
                "repo": self.brand.did,
                "collection": POST_COLLECTION,
                "rkey": rkey,
                "record": record,
            }),
        );
        // A failed create may still have happened; look before trying again.
        call.retry_server_errors = false;
        match self.authed::<CreatedRecord>(call).await {
            Ok(created) => {
                tracing::info!(uri = %created.uri, "reply posted on Bluesky");
                match self.own_post(&rkey).await? {
                    Some(record) => self.posted_item(record, now),
                    None => Err(ProviderError::Malformed(
                        "createRecord succeeded but the new post cannot be read back".into(),
                    )),
                }
            }
            Err(error) => match self.own_post(&rkey).await {
                Ok(Some(record)) => self.posted_item(record, now),
                _ => Err(error.into_provider_error()),
            },
        }
    }

    /// The brand's post with record key `rkey`, read from its repository.
    async fn own_post(&self, rkey: &str) -> Result<Option<RepoRecord>, ProviderError> {
        let call = Call::query(&self.pds, "com.atproto.repo.getRecord")
            .param("repo", self.brand.did.clone())
            .param("collection", POST_COLLECTION)
            .param("rkey", rkey);
        match self.authed::<RepoRecord>(call).await {
            Ok(record) => Ok(Some(record)),
            Err(error) if error.is("RecordNotFound") => Ok(None),
            Err(error) => Err(error.into_provider_error()),
        }
    }

    fn posted_item(&self, record: RepoRecord, now: Timestamp) -> Result<Item, ProviderError> {
        let created_at = record
            .value
            .created_at
            .as_deref()
            .and_then(Timestamp::parse_rfc3339)
            .unwrap_or(now);
        let author = self.brand.author();
        Ok(self.brand.item(
            &record.uri,
            &author,
            &record.value,
            ItemKind::Reply,
            created_at,
        ))
    }

    /// The thread root and the parent of a reply to `parent_uri`.
    async fn reply_refs(&self, parent_uri: &str) -> Result<(StrongRef, StrongRef), ProviderError> {
        let call = Call::query(&self.pds, "app.bsky.feed.getPosts").param("uris", parent_uri);
        let posts: Posts = self
            .authed(call)
            .await
            .map_err(CallError::into_provider_error)?;
        let parent = posts
            .posts
            .into_iter()
            .find(|post| post.uri == parent_uri)
            .ok_or_else(|| {
                ProviderError::Refused(
                    "the post being answered is no longer on Bluesky (deleted or hidden)".into(),
                )
            })?;
        let parent_ref = StrongRef {
            uri: parent.uri.clone(),
            cid: parent.cid.clone(),
        };
        let root = parent
            .record
            .reply
            .map_or_else(|| parent_ref.clone(), |reply| reply.root);
        Ok((root, parent_ref))
    }
}
