//! Saved replies behind an append-only log (nothing is deleted: an archived saved reply
//! stays, and so does every earlier version of it).
//!
//! Terms:
//! - a **change** ([`SavedReplyChange`]) is what happened to one saved reply: created or
//!   edited (each carrying the whole saved reply, a [`SavedReplyBody`]), archived or
//!   restored; a [`SavedReplyEvent`] is a change with its event id, author and time;
//! - the **log** (`saved_reply_log`) keeps every change; the **projection**
//!   (`saved_replies`) is each saved reply as the fold of its changes in **canonical
//!   order** — acknowledged ones by server sequence, then the others by local order — the
//!   last body and the last archived/restored win, the last change says who and when;
//! - **sharing** (a team workspace, [`Store::share_actions`]): every change recorded here
//!   also waits in the team outbox under kind [`SHARED_KIND`], payload
//!   `{"saved_reply": {"reply": id, "kind": …, "body": {…}, "at": ms}}` (the server adds
//!   the author); teammates' changes come back through [`Store::apply_shared_saved_replies`],
//!   which also gives this laptop's own their server sequence. Applying a change twice
//!   changes nothing, so it can run before the team cursor moves past it.

use sqlx::{Sqlite, Transaction};
use switchboard_core::{parse_template, placeholders, Platform, QueueId, SavedReply, Timestamp};

use crate::replica::Sharing;
use crate::{Store, StoreError};

/// The kind of a saved-reply change in the team's shared log.
pub const SHARED_KIND: &str = "saved_reply";

/// A saved reply's content, as created or edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReplyBody {
    /// Its title.
    pub title: String,
    /// Its text (a template: variables and placeholders).
    pub text: String,
    /// Its category.
    pub category: String,
    /// The queues it suits (empty: any).
    pub queues: Vec<QueueId>,
    /// The platforms it fits (empty: any).
    pub platforms: Vec<Platform>,
}

/// What happened to a saved reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedReplyChange {
    /// It was made.
    Created(SavedReplyBody),
    /// It was changed (the whole new version).
    Edited(SavedReplyBody),
    /// It is no longer offered.
    Archived,
    /// It is offered again.
    Restored,
}

impl SavedReplyChange {
    /// The stored kind name.
    pub fn name(&self) -> &'static str {
        match self {
            SavedReplyChange::Created(_) => "created",
            SavedReplyChange::Edited(_) => "edited",
            SavedReplyChange::Archived => "archived",
            SavedReplyChange::Restored => "restored",
        }
    }

    fn body_json(&self) -> serde_json::Value {
        match self {
            SavedReplyChange::Created(body) | SavedReplyChange::Edited(body) => {
                serde_json::json!({
                    "title": body.title,
                    "text": body.text,
                    "category": body.category,
                    "queues": body.queues,
                    "platforms": body.platforms,
                })
            }
            SavedReplyChange::Archived | SavedReplyChange::Restored => serde_json::json!({}),
        }
    }

    /// The change of kind `kind` with body `body` (as stored or shared).
    pub fn parse(kind: &str, body: &serde_json::Value) -> Result<Self, String> {
        let body = || -> Result<SavedReplyBody, String> {
            let text = |field: &str| {
                body.get(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| format!("a saved reply without its {field}"))
            };
            let list = |field: &str| body.get(field).cloned().unwrap_or_default();
            Ok(SavedReplyBody {
                title: text("title")?,
                text: text("text")?,
                category: text("category")?,
                queues: serde_json::from_value(list("queues")).map_err(|e| e.to_string())?,
                platforms: serde_json::from_value(list("platforms")).map_err(|e| e.to_string())?,
            })
        };
        match kind {
            "created" => Ok(SavedReplyChange::Created(body()?)),
            "edited" => Ok(SavedReplyChange::Edited(body()?)),
            "archived" => Ok(SavedReplyChange::Archived),
            "restored" => Ok(SavedReplyChange::Restored),
            other => Err(format!("an unknown saved-reply change `{other}`")),
        }
    }
}

/// One change of the saved-reply log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReplyEvent {
    /// Its id (the same on every laptop of a team).
    pub event_id: String,
    /// Its place in the team's shared log, once acknowledged.
    pub server_seq: Option<i64>,
    /// The saved reply it is about.
    pub reply_id: String,
    /// What happened.
    pub change: SavedReplyChange,
    /// Who did it (the person; in a team, the member's login role).
    pub author: String,
    /// When.
    pub at: Timestamp,
}

impl SavedReplyEvent {
    /// The payload of this change in the team's shared log (see the module docs).
    pub fn shared_payload(&self) -> serde_json::Value {
        serde_json::json!({ "saved_reply": {
            "reply": self.reply_id,
            "kind": self.change.name(),
            "body": self.change.body_json(),
            "at": self.at.millis(),
        }})
    }

    /// The change a shared-log payload holds, logged as `event_id` at `server_seq` by
    /// `author`.
    pub fn from_shared(
        event_id: String,
        server_seq: i64,
        author: String,
        payload: &serde_json::Value,
    ) -> Result<Self, String> {
        let inner = payload
            .get("saved_reply")
            .ok_or("a saved-reply event without its change")?;
        let reply_id = inner
            .get("reply")
            .and_then(|v| v.as_str())
            .filter(|id| !id.is_empty())
            .ok_or("a saved-reply change that names no saved reply")?;
        let kind = inner
            .get("kind")
            .and_then(|v| v.as_str())
            .ok_or("a saved-reply change without its kind")?;
        let at = inner
            .get("at")
            .and_then(|v| v.as_i64())
            .ok_or("a saved-reply change without its time")?;
        let body = inner.get("body").cloned().unwrap_or_default();
        Ok(SavedReplyEvent {
            event_id,
            server_seq: Some(server_seq),
            reply_id: reply_id.to_owned(),
            change: SavedReplyChange::parse(kind, &body)?,
            author,
            at: Timestamp(at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct LogRow {
    event_id: String,
    server_seq: Option<i64>,
    reply_id: String,
    kind: String,
    body: String,
    author: String,
    at: i64,
}

impl TryFrom<LogRow> for SavedReplyEvent {
    type Error = StoreError;

    fn try_from(row: LogRow) -> Result<Self, StoreError> {
        let body: serde_json::Value =
            serde_json::from_str(&row.body).map_err(|e| corrupt(e.to_string()))?;
        Ok(SavedReplyEvent {
            event_id: row.event_id,
            server_seq: row.server_seq,
            reply_id: row.reply_id,
            change: SavedReplyChange::parse(&row.kind, &body).map_err(corrupt)?,
            author: row.author,
            at: Timestamp(row.at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    id: String,
    title: String,
    text: String,
    category: String,
    queues: String,
    platforms: String,
    archived: i64,
    updated_by: String,
    updated_at: i64,
}

impl TryFrom<ReplyRow> for SavedReply {
    type Error = StoreError;

    fn try_from(row: ReplyRow) -> Result<Self, StoreError> {
        let asked = parse_template(&row.text)
            .map(|segments| placeholders(&segments))
            .unwrap_or_default();
        Ok(SavedReply {
            placeholders: asked,
            queues: serde_json::from_str(&row.queues).map_err(|e| corrupt(e.to_string()))?,
            platforms: serde_json::from_str(&row.platforms).map_err(|e| corrupt(e.to_string()))?,
            id: row.id,
            title: row.title,
            text: row.text,
            category: row.category,
            archived: row.archived != 0,
            updated_by: row.updated_by,
            updated_at: Timestamp(row.updated_at),
        })
    }
}

fn corrupt(value: String) -> StoreError {
    StoreError::Corrupt {
        what: "saved-reply change",
        value,
    }
}

impl Store {
    /// Records `change` to saved reply `reply_id` by `author` at `at` — appended to the
    /// log, shared with the team in a team workspace, and the projection rebuilt, in one
    /// transaction — and returns the saved reply as it now stands.
    pub async fn record_saved_reply(
        &self,
        reply_id: &str,
        change: SavedReplyChange,
        author: &str,
        at: Timestamp,
    ) -> Result<SavedReply, StoreError> {
        let event = SavedReplyEvent {
            event_id: uuid::Uuid::now_v7().to_string(),
            server_seq: None,
            reply_id: reply_id.to_owned(),
            change,
            author: author.to_owned(),
            at,
        };
        let mut tx = self.write_tx().await?;
        append(&mut tx, &event).await?;
        if self.sharing() == Sharing::Queue {
            sqlx::query("INSERT INTO team_outbox (event_id, kind, payload) VALUES (?, ?, ?)")
                .bind(&event.event_id)
                .bind(SHARED_KIND)
                .bind(event.shared_payload().to_string())
                .execute(&mut *tx)
                .await?;
        }
        rebuild(&mut tx, reply_id).await?;
        tx.commit().await?;
        self.saved_reply(reply_id)
            .await?
            .ok_or_else(|| corrupt(format!("saved reply {reply_id} has no content")))
    }

    /// Folds the team's saved-reply changes in, in one transaction: a change already in
    /// the log (this laptop's own coming back, or a re-read) gets its server sequence,
    /// a new one is appended; every saved reply touched is rebuilt. Returns how many
    /// saved replies were rebuilt. Applying the same changes again changes nothing.
    pub async fn apply_shared_saved_replies(
        &self,
        events: &[SavedReplyEvent],
    ) -> Result<usize, StoreError> {
        if events.is_empty() {
            return Ok(0);
        }
        let mut tx = self.write_tx().await?;
        let mut touched: Vec<&str> = Vec::new();
        for event in events {
            let known: Option<Option<i64>> =
                sqlx::query_scalar("SELECT server_seq FROM saved_reply_log WHERE event_id = ?")
                    .bind(&event.event_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match known {
                Some(seq) if seq == event.server_seq => continue,
                Some(_) => {
                    sqlx::query("UPDATE saved_reply_log SET server_seq = ? WHERE event_id = ?")
                        .bind(event.server_seq)
                        .bind(&event.event_id)
                        .execute(&mut *tx)
                        .await?;
                }
                None => append(&mut tx, event).await?,
            }
            if !touched.contains(&event.reply_id.as_str()) {
                touched.push(&event.reply_id);
            }
        }
        for reply_id in &touched {
            rebuild(&mut tx, reply_id).await?;
        }
        tx.commit().await?;
        Ok(touched.len())
    }

    /// Every saved reply, archived ones included, by category then title.
    pub async fn saved_replies(&self) -> Result<Vec<SavedReply>, StoreError> {
        let rows: Vec<ReplyRow> = sqlx::query_as("SELECT id, title, text, category, queues, platforms, archived, updated_by, updated_at FROM saved_replies
             ORDER BY archived, category COLLATE NOCASE, title COLLATE NOCASE, id")
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(SavedReply::try_from).collect()
    }

    /// Saved reply `id`, if it exists.
    pub async fn saved_reply(&self, id: &str) -> Result<Option<SavedReply>, StoreError> {
        let row: Option<ReplyRow> = sqlx::query_as("SELECT id, title, text, category, queues, platforms, archived, updated_by, updated_at FROM saved_replies WHERE id = ?")
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(SavedReply::try_from).transpose()
    }

    /// The log of saved reply `id` (every saved reply's when `None`), in canonical order.
    pub async fn saved_reply_log(
        &self,
        id: Option<&str>,
    ) -> Result<Vec<SavedReplyEvent>, StoreError> {
        let rows: Vec<LogRow> = sqlx::query_as("SELECT event_id, server_seq, reply_id, kind, body, author, at FROM saved_reply_log WHERE ?1 IS NULL OR reply_id = ?1
             ORDER BY server_seq IS NULL, server_seq, seq")
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(SavedReplyEvent::try_from).collect()
    }

    /// How many changes the saved-reply log holds (0: no saved reply was ever made).
    pub async fn saved_reply_log_len(&self) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM saved_reply_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}

async fn append(
    tx: &mut Transaction<'_, Sqlite>,
    event: &SavedReplyEvent,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO saved_reply_log (event_id, server_seq, reply_id, kind, body, author, at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(&event.event_id)
    .bind(event.server_seq)
    .bind(&event.reply_id)
    .bind(event.change.name())
    .bind(event.change.body_json().to_string())
    .bind(&event.author)
    .bind(event.at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Rebuilds saved reply `reply_id`'s projection from its log in canonical order. One
/// whose log has no content yet (an archive that arrived before the creation) has no row.
async fn rebuild(tx: &mut Transaction<'_, Sqlite>, reply_id: &str) -> Result<(), StoreError> {
    let rows: Vec<LogRow> = sqlx::query_as("SELECT event_id, server_seq, reply_id, kind, body, author, at FROM saved_reply_log WHERE reply_id = ?
         ORDER BY server_seq IS NULL, server_seq, seq")
    .bind(reply_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut body: Option<SavedReplyBody> = None;
    let mut archived = false;
    let mut last: Option<(String, Timestamp)> = None;
    for row in rows {
        let event = SavedReplyEvent::try_from(row)?;
        match event.change {
            SavedReplyChange::Created(b) | SavedReplyChange::Edited(b) => body = Some(b),
            SavedReplyChange::Archived => archived = true,
            SavedReplyChange::Restored => archived = false,
        }
        last = Some((event.author, event.at));
    }
    let (Some(body), Some((author, at))) = (body, last) else {
        return Ok(());
    };
    let queues = serde_json::to_string(&body.queues).map_err(|e| corrupt(e.to_string()))?;
    let platforms = serde_json::to_string(&body.platforms).map_err(|e| corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO saved_replies (id, title, text, category, queues, platforms, archived, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text,
             category = excluded.category, queues = excluded.queues,
             platforms = excluded.platforms, archived = excluded.archived,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at")
    .bind(reply_id)
    .bind(&body.title)
    .bind(&body.text)
    .bind(&body.category)
    .bind(queues)
    .bind(platforms)
    .bind(i64::from(archived))
    .bind(author)
    .bind(at.millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
