//! Finding a status's **thread root**: the status at the top of its reply chain, which
//! names the conversation (`ThreadKey`).
//!
//! A status that answers nothing is its own root. For a reply the root is the first
//! ancestor in `/api/v1/statuses/:id/context`. Roots already learnt are remembered (for
//! the status, its parent and every ancestor), so replies to a known conversation cost
//! no call; the memory is bounded. A fetch makes at most
//! `ProviderOptions::max_thread_lookups_per_fetch` such calls and stops its page there
//! (the cursor stays at the last status placed), so a backlog of replies cannot spend
//! the account's rate budget in one go.

use std::collections::HashMap;
use std::sync::Mutex;

use switchboard_platforms::ProviderError;

use crate::api_client::ApiClient;
use crate::entities::{Context, Status};

/// How many status → root pairs are remembered before the memory starts afresh.
const REMEMBERED_ROOTS: usize = 20_000;

/// The remembered roots of one account's statuses.
#[derive(Default)]
pub(crate) struct ThreadRoots {
    known: Mutex<HashMap<String, String>>,
}

impl ThreadRoots {
    fn lookup(&self, status_id: &str) -> Option<String> {
        self.known
            .lock()
            .expect("roots lock")
            .get(status_id)
            .cloned()
    }

    fn remember<'a>(&self, status_ids: impl IntoIterator<Item = &'a str>, root: &str) {
        let mut known = self.known.lock().expect("roots lock");
        if known.len() > REMEMBERED_ROOTS {
            known.clear();
        }
        for id in status_ids {
            known.insert(id.to_owned(), root.to_owned());
        }
    }

    /// Whether finding the root of `status` costs a call.
    pub fn needs_lookup(&self, status: &Status) -> bool {
        status.in_reply_to_id.as_deref().is_some_and(|parent| {
            self.lookup(&status.id).is_none() && self.lookup(parent).is_none()
        })
    }

    /// The root of `status`, asking the instance only when the chain is not known yet.
    pub async fn root_of(&self, api: &ApiClient, status: &Status) -> Result<String, ProviderError> {
        let Some(parent) = status.in_reply_to_id.as_deref() else {
            self.remember([status.id.as_str()], &status.id);
            return Ok(status.id.clone());
        };
        if let Some(root) = self.lookup(&status.id).or_else(|| self.lookup(parent)) {
            self.remember([status.id.as_str()], &root);
            return Ok(root);
        }
        let path = format!("api/v1/statuses/{}/context", status.id);
        let context = api.get_optional::<Context>(&path, &[]).await?;
        let ancestors = context.map(|c| c.body.ancestors).unwrap_or_default();
        // The chain may be cut where a status was deleted or is hidden: the highest
        // status still seen stands in for the root.
        let root = ancestors
            .first()
            .map_or_else(|| parent.to_owned(), |a| a.id.clone());
        self.remember(
            ancestors
                .iter()
                .map(|a| a.id.as_str())
                .chain([parent, status.id.as_str()]),
            &root,
        );
        Ok(root)
    }

    /// Records that `status_id` belongs to the thread rooted at `root` (e.g. a reply just
    /// posted).
    pub fn learn(&self, status_id: &str, root: &str) {
        self.remember([status_id], root);
    }
}
