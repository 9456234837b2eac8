//! Exporting the event log: one JSON object per line, oldest first, so a workspace's whole
//! audit trail can be kept before the workspace is removed.

use std::io::Write;
use std::path::Path;

use futures_util::TryStreamExt;

use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct LogRow {
    seq: i64,
    recorded_at: i64,
    kind: String,
    conversation_id: Option<i64>,
    actor: Option<String>,
    payload: String,
}

impl Store {
    /// Writes the whole event log to `path` as JSON Lines (`seq`, `recorded_at`, `kind`,
    /// `conversation_id`, `actor`, `event`). Returns how many events were written.
    pub async fn export_log(&self, path: &Path) -> Result<u64, StoreError> {
        let io = |e: std::io::Error| StoreError::Export {
            path: path.display().to_string(),
            source: e,
        };
        let file = std::fs::File::create(path).map_err(io)?;
        let mut out = std::io::BufWriter::new(file);
        let mut rows = sqlx::query_as::<_, LogRow>(
            "SELECT seq, recorded_at, kind, conversation_id, actor, payload FROM events ORDER BY seq",
        )
        .fetch(&self.pool);
        let mut written = 0;
        while let Some(row) = rows.try_next().await? {
            let event: serde_json::Value = serde_json::from_str(&row.payload)
                .unwrap_or(serde_json::Value::String(row.payload));
            let line = serde_json::json!({
                "seq": row.seq,
                "recorded_at": row.recorded_at,
                "kind": row.kind,
                "conversation_id": row.conversation_id,
                "actor": row.actor,
                "event": event,
            });
            writeln!(out, "{line}").map_err(io)?;
            written += 1;
        }
        out.flush().map_err(io)?;
        out.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        Ok(written)
    }
}
