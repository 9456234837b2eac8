//! Team mode, server side: the team's shared state in PostgreSQL (the laptop side, the
//! replica, is `switchboard_engine`'s `team` module).
//!
//! A *team workspace* keeps the laptop's SQLite store as a replica and shares, through
//! one PostgreSQL database the company already runs, the **shared log** (`events`) and
//! the few things that must be decided in one place: **claims** (who works on a
//! conversation), **poll leases** (which laptop polls a brand account), the team's
//! **members** and **policy**, and **presence**. Laptops connect directly, each person
//! as their own login role; row-level security keeps every team to its own rows. No
//! platform token, refresh token or app password is ever stored here (see [`event`]).
//!
//! - [`schema`]: tables, migrations and why `server_seq` is assigned under a lock.
//! - [`client`]: [`TeamClient`], the shared log (append, read after a server sequence).
//! - [`claims`]: claim leases with fences. [`leases`]: poll leases with fences.
//! - [`policy`]: the team's versioned policy. [`presence`]: who is viewing or replying.
//! - [`members`]: the members, their roles and the team's name. [`seen`]: when each
//!   member's laptop was last connected (heartbeats).
//! - [`wake`]: `LISTEN/NOTIFY` wake-ups. [`connect`]: the TLS rule and the pool.
//! - [`approvals`]: leads' decisions on trainees' replies (the first one wins).
//! - [`admin`]: what the `switchboard-team` command does. [`join_code`]: the join code.
//! - `testing` (feature `test-support`, for tests only): a throwaway PostgreSQL cluster,
//!   fresh test databases and a TCP gate that cuts the network, shared by the team and
//!   engine tests.

pub mod admin;
pub mod approvals;
pub mod claims;
pub mod client;
pub mod connect;
mod error;
pub mod event;
pub mod join_code;
pub mod leases;
pub mod members;
pub mod policy;
pub mod presence;
mod refusal;
pub mod schema;
mod scram;
pub mod seen;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod wake;

pub use approvals::Decided;
pub use claims::ClaimOutcome;
pub use client::{Appended, TeamClient};
pub use error::TeamError;
pub use event::{NewEvent, Stamp, TeamEvent, TeamItem};
pub use join_code::JoinCode;
pub use leases::{BrandAccount, LeaseOutcome, PollCommitted};
pub use members::{Member, PolicyPublished};
pub use policy::PolicyVersion;
pub use presence::{Activity, Presence};
pub use wake::{Wake, Wakeups};
