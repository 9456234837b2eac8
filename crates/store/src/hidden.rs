//! Items hidden from the public: read from the conversation's `item_hidden` events (the
//! log is the only record; nothing is deleted). An item is **hidden** when its latest
//! `item_hidden` event says so; showing it again is a later event, never a removal.

use std::collections::HashMap;

use sqlx::{Executor, Sqlite};
use switchboard_core::{EventKind, Item, ThreadItem};

use crate::codec::decode_event;
use crate::{Store, StoreError};

/// Who hid an item and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hiding {
    /// Who hid it (their id).
    pub by: Option<String>,
    /// Why.
    pub reason: String,
}

/// Conversation `id`'s hidden items, by the platform's id of each.
pub(crate) async fn hidden_in<'e>(
    executor: impl Executor<'e, Database = Sqlite>,
    id: i64,
) -> Result<HashMap<String, Hiding>, StoreError> {
    let payloads: Vec<String> = sqlx::query_scalar(
        "SELECT payload FROM events
         WHERE conversation_id = ? AND kind = 'item_hidden' ORDER BY seq",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    let mut hidden = HashMap::new();
    for payload in payloads {
        let event = decode_event(&payload)?;
        if let EventKind::ItemHidden {
            item,
            hidden: true,
            reason,
        } = event.kind
        {
            let by = event.by;
            hidden.insert(item, Hiding { by, reason });
        } else if let EventKind::ItemHidden { item, .. } = event.kind {
            hidden.remove(&item);
        }
    }
    Ok(hidden)
}

/// Marks `item` hidden as `hidden` says.
pub(crate) fn mark(item: &mut ThreadItem, native_id: &str, hidden: &HashMap<String, Hiding>) {
    if let Some(hiding) = hidden.get(native_id) {
        item.hidden = true;
        item.hidden_by = hiding.by.clone();
        item.hidden_reason = Some(hiding.reason.clone());
    }
}

impl Store {
    /// Item `item` (its id in the thread view) of conversation `id`, with whether it is
    /// hidden now; `NotFound` when the conversation has no such item.
    pub async fn thread_item(&self, id: i64, item: i64) -> Result<(Item, bool), StoreError> {
        let mut tx = self.pool.begin().await?;
        let found = crate::items::items_of(&mut *tx, id)
            .await?
            .into_iter()
            .find(|(seq, _)| *seq == item)
            .map(|(_, item)| item);
        let hidden = hidden_in(&mut *tx, id).await?;
        tx.commit().await?;
        let found = found.ok_or(StoreError::NotFound {
            what: "item",
            id: item,
        })?;
        let is_hidden = hidden.contains_key(&found.native_id);
        Ok((found, is_hidden))
    }
}
