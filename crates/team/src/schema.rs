//! The team database's schema: one PostgreSQL schema, `switchboard`, created and updated
//! by [`migrate`] (sqlx migrations in `crates/team/migrations`).
//!
//! # Tables
//! `teams`, `members` (name, email, queues, lead flag, login role), `events` (the shared
//! log), `items` (each platform item once per team), `claims` (one row per conversation),
//! `poll_leases` (one row per brand account), `policy` (versioned TOML) and `presence`
//! (who is viewing or replying, short expiry). Every table has `team_id`, and row-level
//! security is enabled and forced on each; see the migration for the policies.
//!
//! # Why `server_seq` is assigned under a per-team lock
//! A laptop pulls "every event after `server_seq` N" and then moves its cursor to the
//! largest number it saw. With a plain `bigserial`, numbers are handed out when a row is
//! *inserted*, but rows become visible when their transaction *commits*, and those orders
//! differ: transaction A takes 41, transaction B takes 42 and commits first, a reader sees
//! 42, moves its cursor to 42, and A's row 41 — committed a moment later — is never read
//! by that reader. Here a `BEFORE INSERT` trigger takes
//! `pg_advisory_xact_lock(<events>, hashtext(team))` and assigns `max(server_seq) + 1` for
//! the team; the lock is held until the transaction ends, so the next writer of the same
//! team waits and numbers its rows after the previous commit is visible. Within a team,
//! commit order is therefore `server_seq` order and a reader that has seen N has already
//! seen everything below N. The lock is per transaction (never per session: laptops sleep
//! and poolers break session locks) and per team (teams do not wait on each other).
//! Locks on claim and lease rows are always taken *before* this lock, so writers cannot
//! deadlock on it.

use sqlx::migrate::Migrator;
use sqlx::PgPool;

use crate::TeamError;

/// The schema's migrations, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The PostgreSQL schema every table lives in.
pub const SCHEMA: &str = "switchboard";

/// Creates the `switchboard` schema when missing and applies the migrations not yet
/// applied. `pool` must be the administrator's, connected with `search_path=switchboard`
/// so that sqlx's bookkeeping table lives in the same schema.
pub async fn migrate(pool: &PgPool) -> Result<(), TeamError> {
    sqlx::query("CREATE SCHEMA IF NOT EXISTS switchboard")
        .execute(pool)
        .await?;
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// The name of the group role whose members belong to `team` (membership is what
/// `switchboard.current_team()` checks).
pub fn team_role(team: uuid::Uuid) -> String {
    format!("switchboard_team_{}", team.simple())
}

/// The `LISTEN` channel that wakes the readers of `team`.
pub fn team_channel(team: uuid::Uuid) -> String {
    format!("switchboard_{}", team.simple())
}
