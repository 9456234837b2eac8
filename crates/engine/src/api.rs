//! The engine's API: what the UI can ask. Every function returns the one error shape the
//! UI understands ([`ApiError`]); details go to the log. Conversation rows and threads
//! carry the team's side in a team workspace (`Shared::annotate` / `Shared::thread`,
//! `team/annotate.rs`): every answer with a thread or rows goes through them.

use switchboard_core::{
    ApiError, ConversationSummary, ErrorCode, QueueId, QueueSummary, ResponseTimesReport, Thread,
    WorkspaceInfo, MAX_REPORT_DAYS,
};
use switchboard_store::StoreError;

use crate::{Engine, SyncStatus};

impl Engine {
    /// The workspace this engine runs, with the state of its policy file.
    pub fn workspace_info(&self) -> WorkspaceInfo {
        let workspace = self
            .shared
            .workspace
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        WorkspaceInfo {
            policy_error: self.shared.policy.error(),
            policy_notice: self.shared.policy.notice(),
            ..workspace
        }
    }

    /// The workspace policy in force: the file's, or while the file is invalid the last
    /// good one.
    pub fn policy(&self) -> std::sync::Arc<switchboard_core::Policy> {
        self.shared.policy()
    }

    /// Renames the open workspace (the registry keeps the name).
    pub(crate) fn set_name(&self, name: String) {
        self.shared
            .workspace
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .name = name;
        self.shared.changed(Vec::new());
    }

    /// Writes the event log to `path` as JSON Lines; returns how many events.
    pub async fn export_log(&self, path: &std::path::Path) -> Result<u64, ApiError> {
        self.shared.store.export_log(path).await.map_err(to_api)
    }

    /// The sidebar: every queue with its counts, in display order.
    #[tracing::instrument(skip(self), err)]
    pub async fn list_queues(&self) -> Result<Vec<QueueSummary>, ApiError> {
        let mut queues = self
            .shared
            .store
            .queue_summaries(self.shared.now())
            .await
            .map_err(to_api)?;
        for queue in &mut queues {
            queue.spike = self.shared.spikes.spike(&queue.queue.id);
        }
        Ok(queues)
    }

    /// The conversations of `queue`, waiting ones first (longest waiting first).
    #[tracing::instrument(skip(self), err)]
    pub async fn list_conversations(
        &self,
        queue: QueueId,
    ) -> Result<Vec<ConversationSummary>, ApiError> {
        let mut rows = self
            .shared
            .store
            .conversations_in_queue(&queue, self.shared.now())
            .await
            .map_err(to_api)?;
        self.shared.annotate(&mut rows).await;
        self.shared.fill_reply_windows(&mut rows).await;
        Ok(rows)
    }

    /// One conversation with its items and history, oldest first.
    #[tracing::instrument(skip(self), err)]
    pub async fn get_thread(&self, conversation_id: i64) -> Result<Thread, ApiError> {
        self.shared.thread(conversation_id).await
    }

    /// How fast the brand answered, per queue and per day, over the last `days` days of
    /// this laptop's calendar (today included; 1 to 90), in business time.
    #[tracing::instrument(skip(self), err)]
    pub async fn response_times(&self, days: u32) -> Result<ResponseTimesReport, ApiError> {
        if !(1..=MAX_REPORT_DAYS).contains(&days) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("A report covers 1 to {MAX_REPORT_DAYS} days, not {days}."),
            ));
        }
        let now = self.shared.now();
        let zone = jiff::tz::TimeZone::system();
        let since = ResponseTimesReport::period_start(&zone, days, now);
        let responses = self
            .shared
            .store
            .responses_since(since)
            .await
            .map_err(to_api)?;
        Ok(ResponseTimesReport::build(
            &responses,
            &self.shared.policy(),
            &zone,
            days,
            now,
        ))
    }

    /// A counter that grows with every change (for fronts that poll).
    pub fn change_version(&self) -> u64 {
        self.shared.bus.version()
    }

    /// How syncing goes.
    pub fn sync_status(&self) -> SyncStatus {
        self.shared
            .sync_status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

pub(crate) fn to_api(error: StoreError) -> ApiError {
    match error {
        StoreError::Rejected(reason) => ApiError::new(ErrorCode::InvalidInput, reason.to_string()),
        StoreError::NotFound { what, .. } => ApiError::new(
            ErrorCode::NotFound,
            format!("That {what} no longer exists. Pick another from the list."),
        ),
        other => ApiError::new(
            ErrorCode::Storage,
            format!(
                "Switchboard could not read its local database ({other}). \
                 Try again; if it keeps failing, the log file has details."
            ),
        ),
    }
}
