//! The team's side of each conversation the window shows ([`ConversationTeam`]): who
//! has it ("Claimed by Ana · 12 m", "Claim pending", "Claim lost" with why) and which
//! teammates are on it right now ("Bob is replying").
//!
//! Every conversation row and thread the engine answers with passes through
//! [`Shared::annotate`] / [`Shared::thread`] (actions that answer with the thread too).
//! Outside a team nothing is added. The claim comes from the conversation (its
//! `claimed_by`) and this laptop's claim records (pending or lost); names and presence
//! from the live team snapshot ([`super::live`]), whoever filled it.
//!
//! - **since**: when the holder's `claimed` event was recorded, read from the
//!   conversation's history once per holder and kept ([`super::live::LiveSlot`]);
//! - a **lost** claim is explained with the winner's claim time against the moment this
//!   laptop asked (noted while the claim was pending): "Ana claimed this 3 s before you".

use std::collections::HashMap;

use switchboard_core::{
    ApiError, ClaimState, ClaimView, ConversationSummary, ConversationTeam, HistoryEntry,
    PresenceView, Thread, Timestamp,
};
use switchboard_store::TeamClaimStatus;

use super::live::TeamLive;
use crate::api::to_api;
use crate::Shared;

/// The history kind of a claim.
const CLAIMED: &str = "claimed";

/// One of this laptop's pending or lost claims.
struct Record {
    status: TeamClaimStatus,
    /// Who holds it instead (lost).
    holder: Option<String>,
    /// When this laptop asked for it, if known.
    asked: Option<Timestamp>,
}

/// Hand-offs to a person name them in the history by their name, not their login role
/// (the log keeps the id: "Handed off to sales — sb_priya_…: …").
fn name_handoff_targets(history: &mut [HistoryEntry], members: &[switchboard_team::Member]) {
    for entry in history.iter_mut().filter(|e| e.kind == "handed_off") {
        for member in members {
            let id = format!(" — {}: ", member.login_role);
            if entry.detail.contains(&id) {
                entry.detail = entry
                    .detail
                    .replacen(&id, &format!(" — {}: ", member.name), 1);
                break;
            }
        }
    }
}

/// This laptop's pending and lost claims, by conversation id.
type Records = HashMap<i64, Record>;

impl Shared {
    /// Conversation `id` with its items and history, as the window shows it.
    pub(crate) async fn thread(&self, id: i64) -> Result<Thread, ApiError> {
        let mut thread = self.store.thread(id, self.now()).await.map_err(to_api)?;
        let history = std::mem::take(&mut thread.history);
        self.annotate_with(
            std::slice::from_mut(&mut thread.conversation),
            Some(&history),
        )
        .await;
        thread.history = history;
        thread.reply_limit = self.reply_limit_of(&thread.conversation).await;
        self.fill_reply_windows(std::slice::from_mut(&mut thread.conversation))
            .await;
        if let Some(live) = self.team_live() {
            name_handoff_targets(&mut thread.history, &live.members);
        }
        Ok(thread)
    }

    /// Adds the team's side to `rows` (in a team workspace; nothing otherwise).
    pub(crate) async fn annotate(&self, rows: &mut [ConversationSummary]) {
        self.annotate_with(rows, None).await;
    }

    async fn annotate_with(
        &self,
        rows: &mut [ConversationSummary],
        history: Option<&[HistoryEntry]>,
    ) {
        let live = match (self.team_live(), &self.team) {
            (Some(live), _) => live,
            (None, Some(replica)) => std::sync::Arc::new(TeamLive {
                me: replica.member.clone(),
                ..TeamLive::default()
            }),
            (None, None) => return,
        };
        let records = self.claim_records().await;
        let now = self.now();
        for row in rows.iter_mut() {
            let claim = self
                .claim_of(&live, row, records.get(&row.id), history)
                .await;
            let presence = live
                .presence_on(row.id, now)
                .into_iter()
                .map(|(member, activity)| PresenceView {
                    member: member.to_owned(),
                    name: live.name_of(member),
                    activity,
                })
                .collect();
            row.team = Some(ConversationTeam { claim, presence });
        }
    }

    /// This laptop's pending and lost claims (a team workspace's replica only); notes
    /// when each pending one was asked.
    async fn claim_records(&self) -> Records {
        let mut records = Records::new();
        // A replica's, or the demo team's (its lost claims).
        if self.team.is_none() && self.demo_team.get().is_none() {
            return records;
        }
        for status in [TeamClaimStatus::Pending, TeamClaimStatus::Lost] {
            let Ok(claims) = self.store.team_claims(status).await else {
                continue;
            };
            for claim in claims {
                if status == TeamClaimStatus::Pending {
                    self.team_live
                        .note_asked(&claim.thread_key, claim.updated_at);
                }
                if let Ok(Some(id)) = self.store.conversation_id(&claim.thread_key).await {
                    let asked = self.team_live.asked(&claim.thread_key);
                    records.insert(
                        id,
                        Record {
                            status,
                            holder: claim.holder,
                            asked,
                        },
                    );
                }
            }
        }
        records
    }

    /// The claim of `row`.
    async fn claim_of(
        &self,
        live: &TeamLive,
        row: &ConversationSummary,
        record: Option<&Record>,
        history: Option<&[HistoryEntry]>,
    ) -> Option<ClaimView> {
        let me = live.me.as_str();
        if let Some(holder) = row.claimed_by.as_deref() {
            if live.member(holder).is_none() {
                self.team_live.note_unknown_member(); // a newcomer: read the members again
            }
        }
        match (row.claimed_by.as_deref(), record) {
            (holder, Some(pending))
                if pending.status == TeamClaimStatus::Pending && holder != Some(me) =>
            {
                Some(ClaimView {
                    member: me.to_owned(),
                    name: live.name_of(me),
                    mine: true,
                    since: pending.asked.unwrap_or(row.last_activity_at),
                    state: ClaimState::Pending,
                    explanation: None,
                })
            }
            (Some(holder), Some(lost))
                if lost.status == TeamClaimStatus::Lost
                    && holder != me
                    && lost.holder.as_deref().is_none_or(|w| w == holder) =>
            {
                let since = self.claimed_since(row, holder, history).await;
                let name = live.name_of(holder);
                Some(ClaimView {
                    member: holder.to_owned(),
                    explanation: Some(lost_explanation(&name, since, lost.asked)),
                    name,
                    mine: false,
                    since,
                    state: ClaimState::Lost,
                })
            }
            (Some(holder), _) => Some(ClaimView {
                member: holder.to_owned(),
                name: live.name_of(holder),
                mine: holder == me,
                since: self.claimed_since(row, holder, history).await,
                state: ClaimState::Held,
                explanation: None,
            }),
            (None, _) => None,
        }
    }

    /// When `holder`'s claim on `row` was recorded: from `history` when given, else from
    /// the conversation's history (read once per holder, then kept).
    async fn claimed_since(
        &self,
        row: &ConversationSummary,
        holder: &str,
        history: Option<&[HistoryEntry]>,
    ) -> Timestamp {
        let from = |history: &[HistoryEntry]| {
            history
                .iter()
                .rev()
                .find(|e| e.kind == CLAIMED && e.by.as_deref() == Some(holder))
                .map(|e| e.at)
        };
        if let Some(history) = history {
            if let Some(at) = from(history) {
                self.team_live.note_since(row.id, holder, at);
                return at;
            }
        }
        if let Some(at) = self.team_live.since(row.id, holder) {
            return at;
        }
        let read = self.store.history(row.id).await.ok();
        let at = read.as_deref().and_then(from);
        match at {
            Some(at) => {
                self.team_live.note_since(row.id, holder, at);
                at
            }
            None => row.last_activity_at,
        }
    }
}

/// Why a claim was lost, in plain words.
fn lost_explanation(winner: &str, won_at: Timestamp, asked_at: Option<Timestamp>) -> String {
    let Some(asked_at) = asked_at else {
        return format!("{winner} claimed this first");
    };
    let ahead = asked_at.millis() - won_at.millis();
    if ahead < 0 {
        return format!("{winner}'s claim reached the team first, while you were offline");
    }
    let seconds = ahead / 1000;
    let gap = if seconds < 60 {
        format!("{seconds} s")
    } else if seconds < 3600 {
        format!("{} m", seconds / 60)
    } else {
        format!("{} h", seconds / 3600)
    };
    format!("{winner} claimed this {gap} before you")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_claim_is_explained_in_plain_words() {
        assert_eq!(
            lost_explanation("Ana", Timestamp(10_000), Some(Timestamp(13_400))),
            "Ana claimed this 3 s before you"
        );
        assert_eq!(
            lost_explanation("Ana", Timestamp(0), Some(Timestamp(125_000))),
            "Ana claimed this 2 m before you"
        );
        assert_eq!(
            lost_explanation("Ana", Timestamp(0), None),
            "Ana claimed this first"
        );
        assert!(lost_explanation("Ana", Timestamp(5), Some(Timestamp(1)))
            .contains("while you were offline"));
    }

    #[test]
    fn a_hand_off_to_a_person_names_them() {
        let entry = |detail: &str| HistoryEntry {
            seq: 1,
            at: Timestamp(0),
            kind: "handed_off".into(),
            by: Some("sb_bob".into()),
            detail: detail.into(),
        };
        let mut history = vec![
            entry("Handed off to sales — sb_priya_1: wants 40 kg"),
            entry("Handed off to sales: no person — sb_priya_1: stays"),
        ];
        history[1].kind = "note_added".into();
        let priya = switchboard_team::Member {
            login_role: "sb_priya_1".into(),
            name: "Priya Shah".into(),
            queues: vec!["sales".into()],
            lead: true,
            trainee: false,
        };
        name_handoff_targets(&mut history, &[priya]);
        assert_eq!(
            history[0].detail,
            "Handed off to sales — Priya Shah: wants 40 kg"
        );
        assert_eq!(
            history[1].detail, "Handed off to sales: no person — sb_priya_1: stays",
            "only hand-offs are touched"
        );
    }
}
