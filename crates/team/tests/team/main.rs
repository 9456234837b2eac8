//! The team database against a throwaway PostgreSQL (see `tests/support`): exactly one
//! winner per claim race, no skipped rows for readers, fences, isolation between teams
//! and members, no token in the database, wake-ups, and the administrator's command.

#[path = "../support/mod.rs"]
mod support;

mod admin_cli;
mod claims;
mod fences;
mod gate;
mod isolation;
mod no_skipped_rows;
mod no_token;
mod plain_administrator;
mod policy_presence;
mod seen_presence;
mod tls;
mod wakeups;
