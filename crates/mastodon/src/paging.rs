//! Reading a Mastodon list (notifications, conversations, an account's statuses) after
//! a known id, page by page.
//!
//! - **After an id** (`since = Some(id)`): ask with `min_id=id`, which returns the items
//!   just above it; the `Link` header's `prev` relation names the `min_id` of the next
//!   newer page. Its `min_id` is reused with this client's own query (some servers drop
//!   filters such as `types[]` from the link). Stops on a short page, a missing `prev`
//!   link or after `max_pages` (then `complete` is false and the caller asks again soon).
//! - **First sync** (`since = None`): the newest page and then `next` (older) pages, at
//!   most `max_pages`: what the server still lists, bounded.
//!
//! Items come back oldest first, each once.

use serde::de::DeserializeOwned;
use switchboard_platforms::ProviderError;

use crate::api_client::ApiClient;
use crate::entities::{id_order, Paged};

/// How much of a list one fetch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageBounds {
    /// Items per page (`limit`; Mastodon allows up to 40 for most lists).
    pub limit: u32,
    /// Pages per fetch.
    pub max_pages: u32,
}

/// The items read and whether the list was read to its newest end.
pub(crate) struct Collected<T> {
    pub items: Vec<T>,
    pub complete: bool,
}

/// Reads `path` with `query` after `since` (see the module docs).
pub(crate) async fn collect_after<T: DeserializeOwned + Paged>(
    api: &ApiClient,
    path: &str,
    query: &[(&str, String)],
    since: Option<&str>,
    bounds: PageBounds,
) -> Result<Collected<T>, ProviderError> {
    collect_if_listed(api, path, query, since, bounds)
        .await?
        .ok_or_else(|| api.not_found(path))
}

/// Like [`collect_after`], but `None` when the server has no such list (its first page
/// answers 404 or 501: a Mastodon-API server that does not offer it).
pub(crate) async fn collect_if_listed<T: DeserializeOwned + Paged>(
    api: &ApiClient,
    path: &str,
    query: &[(&str, String)],
    since: Option<&str>,
    bounds: PageBounds,
) -> Result<Option<Collected<T>>, ProviderError> {
    let mut items: Vec<T> = Vec::new();
    let mut complete = false;
    let mut position = since.map(str::to_owned);
    for page_number in 0..bounds.max_pages.max(1) {
        let mut page_query = query.to_vec();
        page_query.push(("limit", bounds.limit.to_string()));
        match (&position, since) {
            (Some(min_id), Some(_)) => page_query.push(("min_id", min_id.clone())),
            (Some(max_id), None) => page_query.push(("max_id", max_id.clone())),
            (None, _) => {}
        }
        let page = match api.get_optional::<Vec<T>>(path, &page_query).await? {
            Some(page) => page,
            None if page_number == 0 => return Ok(None),
            None => return Err(api.not_found(path)),
        };
        let count = page.body.len();
        let newest = page
            .body
            .iter()
            .filter_map(Paged::page_id)
            .max_by(|a, b| id_order(a, b))
            .map(str::to_owned);
        let oldest = page
            .body
            .iter()
            .filter_map(Paged::page_id)
            .min_by(|a, b| id_order(a, b))
            .map(str::to_owned);
        items.extend(page.body);
        let short = count < bounds.limit as usize;
        let next_position = if since.is_some() {
            page.links.prev_min_id().or(newest)
        } else {
            page.links.next_max_id().or(oldest)
        };
        let link_missing = if since.is_some() {
            page.links.prev.is_none()
        } else {
            page.links.next.is_none()
        };
        if count == 0 || short || link_missing || next_position.is_none() {
            complete = true;
            break;
        }
        if next_position == position {
            complete = true;
            break;
        }
        position = next_position;
    }
    if since.is_none() {
        // The backlog is bounded by design: older items are not wanted.
        complete = true;
    }
    items.sort_by(|a, b| id_order(a.page_id().unwrap_or(""), b.page_id().unwrap_or("")));
    items.dedup_by(|a, b| a.page_id() == b.page_id());
    Ok(Some(Collected { items, complete }))
}
