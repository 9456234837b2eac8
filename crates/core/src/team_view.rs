//! What the window shows of a **team workspace** (one shared through the team's
//! PostgreSQL database): the link to the team, its members, who is on a conversation
//! right now, and a join code's preview.
//!
//! Terms:
//! - a **member** is a person of the team, named by their login role (`id`, what the
//!   shared log's `author` says) and shown by their name; their **queues** (roles) come
//!   from the team, and a **lead** sees and is escalated everything of the queues they
//!   lead; a **trainee**'s replies wait for a lead's approval before they are posted;
//! - **presence** is who has a conversation open (viewing) or is writing a reply in it
//!   (replying), right now: it expires within seconds when they stop or their laptop
//!   sleeps;
//! - a **claim** is decided by the team database: held by someone, *pending* while this
//!   laptop is offline, or *lost* when the database gave it to someone else first.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{QueueId, Timestamp};

/// How this laptop's link to the team stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// In step with the team.
    Online,
    /// Connected, folding in events it has not seen yet.
    CatchingUp,
    /// The team database cannot be reached; work goes on and is sent on reconnect.
    Offline,
}

/// The header's view of the link to the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamLink {
    /// Online, catching up or offline.
    pub state: LinkState,
    /// Since when the database could not be reached (offline only).
    pub offline_since: Option<Timestamp>,
    /// Events of the team still to fold in (catching up).
    pub behind: u32,
    /// This laptop's actions not yet accepted by the team database.
    pub unsent: u32,
    /// The last failure, in plain words (offline only).
    pub error: Option<String>,
}

/// One member of the team, as the members panel shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamMemberView {
    /// Their id in the team (login role): what claims, hand-offs and the log name.
    pub id: String,
    /// Their name.
    pub name: String,
    /// The queues they work (their roles).
    pub queues: Vec<QueueId>,
    /// Whether they lead (sees every queue, gets escalations, approves trainees).
    pub lead: bool,
    /// Whether their replies wait for a lead's approval.
    pub trainee: bool,
    /// Whether one of their laptops is connected now.
    pub online: bool,
    /// When one of their laptops was last connected.
    pub last_seen: Option<Timestamp>,
}

/// A version of the team policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PolicyVersionView {
    /// Its number (1, 2, …).
    pub version: u32,
    /// The name of the lead who published it.
    pub by: String,
    /// When.
    pub at: Timestamp,
}

/// The team of a team workspace, for the header and the members panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TeamView {
    /// The team's name.
    pub team_name: String,
    /// The person at this laptop.
    pub me: TeamMemberView,
    /// How the link to the team stands.
    pub link: TeamLink,
    /// Every member, by name (this person included).
    pub members: Vec<TeamMemberView>,
    /// The team policy in force.
    pub policy: Option<PolicyVersionView>,
    /// Trainees' replies waiting for a lead's approval (counted for leads only).
    pub awaiting_approval: u32,
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// Held (by this person or a teammate).
    Held,
    /// Asked for while offline: decided when the team database is reachable again.
    Pending,
    /// Asked for while offline, and the database gave it to someone else first.
    Lost,
}

/// Who has a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClaimView {
    /// The holder's id (login role), or this person's own for a pending claim.
    pub member: String,
    /// The holder's name.
    pub name: String,
    /// Whether it is this person.
    pub mine: bool,
    /// Since when.
    pub since: Timestamp,
    /// Held, pending or lost.
    pub state: ClaimState,
    /// Plain words for a lost claim ("Ana claimed this 3 s before you").
    pub explanation: Option<String>,
}

/// What a teammate is doing on a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Has it open.
    Viewing,
    /// Is writing a reply.
    Replying,
}

/// One teammate on a conversation right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PresenceView {
    /// Their id (login role).
    pub member: String,
    /// Their name.
    pub name: String,
    /// Viewing or replying.
    pub activity: Activity,
}

/// The team's side of a conversation: its claim and who is on it now (teammates only,
/// never this person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationTeam {
    /// Who has it, if anyone.
    pub claim: Option<ClaimView>,
    /// Teammates viewing or replying right now.
    pub presence: Vec<PresenceView>,
}

/// What a join code leads to, shown before the person confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JoinPreview {
    /// The team's name.
    pub team_name: String,
    /// The database server (host and port), so the person knows where it connects.
    pub server: String,
    /// The person the code is for.
    pub member_name: String,
    /// Their queues.
    pub queues: Vec<QueueId>,
    /// Whether they lead.
    pub lead: bool,
    /// Whether their replies need a lead's approval.
    pub trainee: bool,
}
