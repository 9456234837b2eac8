//! **Unsettled replies** at Meta: the shared memory of
//! [`switchboard_platforms::settling`], scoped to one account. A reply's idempotency key
//! is unsettled when its `POST` may have been applied at Meta although Switchboard does
//! not know it — the request timed out, the connection dropped after the request was
//! sent, Meta answered with a server error, or its answer could not be read.
//!
//! A retry of an unsettled key reads the conversation a few times before posting again
//! (see [`super`]); a posted or found reply settles its key. Every
//! [`crate::MetaProvider`] of the same account (same Graph address, platform and account
//! id) in this process shares the memory, so a retry that goes through another client of
//! the account (the engine keeps one with and one without the human-agent tag, and may
//! rebuild them) still knows the attempt.

pub(crate) use switchboard_platforms::settling::Unsettled;

/// What names one account: its Graph address, platform and account id.
pub(crate) fn scope(graph: &str, platform: &str, account: &str) -> String {
    format!("meta {graph} {platform}:{account}")
}
