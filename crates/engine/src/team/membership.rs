//! The team's members as this laptop last read them: who leads, who is a trainee, which
//! queues each works. Read from the team database at most once a minute (or when
//! [`Membership::forget`] says so); while it cannot be read, the last good list stands.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use switchboard_team::Member;

use super::Replica;

/// How long the members are trusted before they are read again.
const MEMBERSHIP_TTL: Duration = Duration::from_secs(60);

/// The members, as last read from the team.
#[derive(Default)]
pub(crate) struct Membership(Mutex<Option<(Instant, Vec<Member>)>>);

impl Membership {
    /// Every current member, by name; empty when they were never read and cannot be now.
    pub async fn members(&self, replica: &Replica) -> Vec<Member> {
        if let Some((read, members)) = &*self.lock() {
            if read.elapsed() < MEMBERSHIP_TTL {
                return members.clone();
            }
        }
        match replica.client.members().await {
            Ok(members) => {
                *self.lock() = Some((Instant::now(), members.clone()));
                members
            }
            Err(e) => {
                tracing::info!(error = %e, "could not read the team's members");
                self.lock()
                    .as_ref()
                    .map(|(_, members)| members.clone())
                    .unwrap_or_default()
            }
        }
    }

    /// The member `login_role`, if they are one.
    pub async fn member(&self, replica: &Replica, login_role: &str) -> Option<Member> {
        self.members(replica)
            .await
            .into_iter()
            .find(|m| m.login_role == login_role)
    }

    /// The person at this laptop, if the team still has them.
    pub async fn me(&self, replica: &Replica) -> Option<Member> {
        self.member(replica, &replica.member).await
    }

    /// The name of member `login_role` (their id when unknown).
    pub async fn name_of(&self, replica: &Replica, login_role: &str) -> String {
        self.member(replica, login_role)
            .await
            .map_or_else(|| login_role.to_owned(), |m| m.name)
    }

    /// Reads the members again at the next question.
    pub fn forget(&self) {
        *self.lock() = None;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Instant, Vec<Member>)>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
