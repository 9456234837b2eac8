//! What people do with a conversation: claim, release, hand off with a note, add a note,
//! mark done with a reason, reopen, snooze. Each is one event in the log, recorded under
//! the person using this laptop, and returns the conversation as it now stands.

use switchboard_core::{ApiError, DoneReason, ErrorCode, EventKind, QueueId, Thread};

use crate::planner::PolicyPlanner;
use crate::{api::to_api, Engine};

/// Longest note accepted, in characters.
const MAX_NOTE_CHARS: usize = 5_000;
/// Longest snooze, in minutes (one week).
const MAX_SNOOZE_MINUTES: u32 = 7 * 24 * 60;

impl Engine {
    /// The person using this laptop takes conversation `id` on.
    pub async fn claim(&self, id: i64) -> Result<Thread, ApiError> {
        self.act(id, EventKind::Claimed).await
    }

    /// Lets conversation `id` go.
    pub async fn release(&self, id: i64) -> Result<Thread, ApiError> {
        self.act(id, EventKind::Released).await
    }

    /// Moves conversation `id` to `queue` with a note the next person sees first.
    pub async fn hand_off(
        &self,
        id: i64,
        queue: QueueId,
        note: String,
    ) -> Result<Thread, ApiError> {
        self.hand_off_to(id, queue, note, None).await
    }

    /// Moves conversation `id` to `queue` with a note, and in a team to one teammate
    /// (`to_member`, their id) as well, who is notified on their own laptop.
    pub async fn hand_off_to(
        &self,
        id: i64,
        queue: QueueId,
        note: String,
        to_member: Option<String>,
    ) -> Result<Thread, ApiError> {
        let policy = self.shared.policy();
        if !policy.queues().iter().any(|q| q.id == queue) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("There is no queue `{}` in this workspace.", queue.0),
            ));
        }
        let note = checked_note(note)?;
        // The window's "anyone in the queue" is an empty choice.
        let to_member = to_member
            .map(|member| member.trim().to_owned())
            .filter(|member| !member.is_empty());
        if let Some(member) = &to_member {
            // The team's members: as the team database said last, or a simulated team's.
            let members = match (&self.shared.team, self.shared.team_live()) {
                (Some(replica), _) => Some(replica.membership.members(replica).await),
                (None, Some(live)) => Some(live.members.clone()),
                (None, None) => None,
            };
            match members {
                None => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidInput,
                        "Handing off to a person is for team workspaces: hand it off to the \
                         queue.",
                    ))
                }
                Some(members) if members.is_empty() => {
                    return Err(ApiError::new(
                        ErrorCode::Platform,
                        "The team's members cannot be read now (the team database cannot be \
                         reached): hand it off to the queue, or try again once you are online.",
                    ))
                }
                Some(members) if !members.iter().any(|m| m.login_role == *member) => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "`{member}` is not a member of the team (any more): choose someone \
                             from the list, or hand it off to the queue."
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
        self.act(
            id,
            EventKind::HandedOff {
                to: queue,
                note,
                to_member,
            },
        )
        .await
    }

    /// Adds an internal note to conversation `id`.
    pub async fn add_note(&self, id: i64, note: String) -> Result<Thread, ApiError> {
        let note = checked_note(note)?;
        self.act(id, EventKind::NoteAdded { note }).await
    }

    /// Takes conversation `id` out of its queue until the customer writes again.
    pub async fn mark_done(&self, id: i64, reason: DoneReason) -> Result<Thread, ApiError> {
        self.act(id, EventKind::MarkedDone { reason }).await
    }

    /// Puts conversation `id` back into its queue.
    pub async fn reopen(&self, id: i64) -> Result<Thread, ApiError> {
        self.act(id, EventKind::Reopened).await
    }

    /// Pauses conversation `id`'s response clock for `minutes`.
    pub async fn snooze(&self, id: i64, minutes: u32) -> Result<Thread, ApiError> {
        if minutes == 0 || minutes > MAX_SNOOZE_MINUTES {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "A snooze lasts from 1 minute to 7 days.",
            ));
        }
        let until = self.shared.now().plus_millis(i64::from(minutes) * 60_000);
        self.act(id, EventKind::Snoozed { until }).await
    }

    async fn act(&self, id: i64, kind: EventKind) -> Result<Thread, ApiError> {
        let shared = &self.shared;
        // In a team, the team database decides who gets a claim.
        if let (Some(replica), EventKind::Claimed) = (&shared.team, &kind) {
            crate::team::claims::claim(shared, replica, id).await?;
            return shared.thread(id).await;
        }
        // In the demo team, a simulated teammate may hold it or be about to take it.
        if let (Some(demo), EventKind::Claimed) = (shared.demo_team.get(), &kind) {
            demo.before_claim(shared, id).await?;
        }
        let gives_back = matches!(kind, EventKind::Released | EventKind::HandedOff { .. });
        let policy = shared.policy();
        let now = shared.now();
        shared
            .store
            .record_action(id, &shared.me, kind, now, &PolicyPlanner(&policy))
            .await
            .map_err(to_api)?;
        shared.recorded(vec![id]);
        if let (Some(replica), true) = (&shared.team, gives_back) {
            crate::team::claims::give_back(shared, replica, id).await;
        }
        shared.thread(id).await
    }
}

fn checked_note(note: String) -> Result<String, ApiError> {
    checked_text(note, MAX_NOTE_CHARS, "Write a note first.", "A note")
}

/// `text` trimmed, refused when empty (`empty`) or longer than `max` characters.
pub(crate) fn checked_text(
    text: String,
    max: usize,
    empty: &str,
    what: &str,
) -> Result<String, ApiError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidInput, empty));
    }
    if text.chars().count() > max {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{what} can be at most {max} characters."),
        ));
    }
    Ok(text)
}
