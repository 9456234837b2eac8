//! The team in the window: the team's view (members, link, policy version) and this
//! person's presence on conversations.
//!
//! - A member is **online** when one of their laptops was connected within
//!   [`ONLINE_WITHIN`] (its heartbeat) or they are on a conversation right now; **last
//!   seen** is their latest heartbeat.
//! - **Awaiting approval** counts trainees' replies no lead decided yet, for a lead only.
//! - The **link** is offline while the team database cannot be reached, *catching up*
//!   while the replica is folding in a backlog of the log, online otherwise; **unsent**
//!   counts this laptop's actions the database has not accepted yet.
//!
//! Both read the live team snapshot ([`super::live`]), whoever filled it (the replica or
//! a simulated team).

use switchboard_core::{
    Activity, ApiError, ErrorCode, LinkState, QueueId, TeamLink, TeamMemberView, TeamView,
    Timestamp,
};

use super::live::{Member, TeamLive, ONLINE_WITHIN, PRESENCE_TTL};
use crate::api::to_api;
use crate::Engine;

impl Engine {
    /// In a team workspace: the team, its members and the link's state; `None` otherwise.
    pub async fn team_view(&self) -> Result<Option<TeamView>, ApiError> {
        let shared = &self.shared;
        let live = match (shared.team_live(), &shared.team) {
            (Some(live), _) => live,
            // Not read yet (the database has not answered since the workspace opened).
            (None, Some(replica)) => std::sync::Arc::new(TeamLive {
                me: replica.member.clone(),
                ..TeamLive::default()
            }),
            (None, None) => return Ok(None),
        };
        let now = shared.now();
        let mut status = shared.team.as_ref().map(|replica| replica.status());
        if let Some(status) = status.as_mut() {
            // Counted now: the replica's own count is only updated when an exchange works,
            // and what waits matters most while offline.
            if let Ok(unsent) = shared.store.team_outbox_len().await {
                status.unpushed = unsent;
            }
        }
        let link = match &status {
            None => TeamLink {
                state: LinkState::Online,
                offline_since: None,
                behind: 0,
                unsent: 0,
                error: None,
            },
            Some(status) => TeamLink {
                state: if !status.online {
                    LinkState::Offline
                } else if status.behind > 0 {
                    LinkState::CatchingUp
                } else {
                    LinkState::Online
                },
                offline_since: if status.online {
                    None
                } else {
                    status.offline_since
                },
                behind: u32::try_from(status.behind.max(0)).unwrap_or(u32::MAX),
                unsent: u32::try_from(status.unpushed.max(0)).unwrap_or(u32::MAX),
                error: if status.online {
                    None
                } else {
                    status.error.clone()
                },
            },
        };
        let i_am_online = status.as_ref().is_none_or(|s| s.online);
        let view_of = |m: &Member| member_view(&live, m, now, i_am_online);
        let members: Vec<TeamMemberView> = live.members.iter().map(view_of).collect();
        let me = members
            .iter()
            .find(|m| m.id == live.me)
            .cloned()
            .unwrap_or_else(|| TeamMemberView {
                id: live.me.clone(),
                name: live.me.clone(),
                queues: Vec::new(),
                lead: false,
                trainee: false,
                online: i_am_online,
                last_seen: live.seen.get(&live.me).copied(),
            });
        // Trainees' replies waiting for a lead: counted for leads only (they decide).
        let awaiting_approval = if me.lead {
            match shared.store.awaiting_approvals().await {
                Ok(awaiting) => u32::try_from(awaiting.len()).unwrap_or(u32::MAX),
                Err(e) => {
                    tracing::debug!(error = %e, "could not count the replies awaiting approval");
                    0
                }
            }
        } else {
            0
        };
        Ok(Some(TeamView {
            team_name: live.team_name.clone(),
            me,
            link,
            members,
            policy: live.policy.clone(),
            awaiting_approval,
        }))
    }

    /// Tells teammates what this person is doing on conversation `conversation_id`
    /// (`None`: nothing). Does nothing outside a team. Presence is best-effort: the window
    /// ignores a failure and announces again a few seconds later.
    pub async fn set_presence(
        &self,
        conversation_id: Option<i64>,
        activity: Option<Activity>,
    ) -> Result<(), ApiError> {
        let Some(replica) = &self.shared.team else {
            // The demo team's teammates follow what the person has open.
            if let Some(demo) = self.shared.demo_team.get() {
                demo.set_my_presence(conversation_id, activity);
            }
            return Ok(());
        };
        let done = match (conversation_id, activity) {
            (Some(id), Some(activity)) => {
                let thread = self.shared.store.thread_key(id).await.map_err(to_api)?;
                let activity = match activity {
                    Activity::Viewing => switchboard_team::Activity::Viewing,
                    Activity::Replying => switchboard_team::Activity::Replying,
                };
                replica
                    .client
                    .announce(&thread, activity, PRESENCE_TTL)
                    .await
            }
            _ => replica.client.leave().await,
        };
        done.map_err(|e| {
            tracing::debug!(error = %e, "could not tell the team this person's presence");
            ApiError::new(
                ErrorCode::Platform,
                "Your teammates could not be told what you are working on (the team \
                 database did not answer); it is tried again in a few seconds.",
            )
        })
    }
}

/// Member `m` as the members panel shows them.
fn member_view(live: &TeamLive, m: &Member, now: Timestamp, i_am_online: bool) -> TeamMemberView {
    let last_seen = live.seen.get(&m.login_role).copied();
    let recently = last_seen
        .is_some_and(|seen| now.millis() - seen.millis() <= ONLINE_WITHIN.as_millis() as i64);
    let present = live
        .presence
        .iter()
        .any(|p| p.member == m.login_role && p.until > now);
    let mine = m.login_role == live.me;
    TeamMemberView {
        id: m.login_role.clone(),
        name: m.name.clone(),
        queues: m.queues.iter().cloned().map(QueueId).collect(),
        lead: m.lead,
        trainee: m.trainee,
        online: if mine {
            i_am_online
        } else {
            recently || present
        },
        last_seen,
    }
}
