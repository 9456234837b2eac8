//! Reading items back from the events that ingested them.

use sqlx::{Executor, Sqlite};
use switchboard_core::{EventKind, Item};

use crate::codec::decode_event;
use crate::StoreError;

/// The items of conversation `id` as `(seq of their event, item)`, in the order they were
/// written (then logged).
pub(crate) async fn items_of<'e>(
    executor: impl Executor<'e, Database = Sqlite>,
    id: i64,
) -> Result<Vec<(i64, Item)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, payload FROM events
         WHERE conversation_id = ? AND item_key IS NOT NULL ORDER BY seq",
    )
    .bind(id)
    .fetch_all(executor)
    .await?;
    let mut items =
        rows.into_iter()
            .map(|(seq, payload)| match decode_event(&payload)?.kind {
                EventKind::ItemIngested { item, .. }
                | EventKind::BrandReplyObserved { item, .. } => Ok((seq, item)),
                _ => Err(StoreError::Corrupt {
                    what: "item event",
                    value: payload,
                }),
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
    items.sort_by_key(|(seq, item)| (item.created_at, *seq));
    Ok(items)
}
