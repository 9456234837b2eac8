//! Team mode end to end: many laptops (each its own engine, replica and keychain) on one
//! throwaway PostgreSQL (see `switchboard_team::testing`).
//!
//! - `one_winner`: 50 laptops race for one claim, 200 rounds.
//! - `propagation`: hand-offs with notes reach the other laptop's queue and notifications.
//! - `join`: joining from the console, and what a bad code says.
//! - `policy`: a lead's policy edit reaches every laptop; a member's is refused.
//! - `offline`: a laptop that cannot reach the database keeps working and merges later.
//! - `missed_wakeups`: the listening connection is killed again and again while events
//!   flow; every replica ends the same.
//! - `collision`: a teammate's reply or live claim holds a reply back until sent anyway.
//! - `handoff_person`: a hand-off to a person notifies that person on their laptop.
//! - `approval`: a trainee's reply is posted once a lead approves it (exactly once), never
//!   when rejected.
//! - `approval_guardrails`: the trainee's guardrail confirmations go with the approved
//!   reply; a lead's edit is checked, a blocked rule refuses the approval.
//! - `saved_replies`: a saved reply made on one laptop appears on the other; archiving
//!   reaches back.

#![allow(clippy::print_stdout)] // the tests print what they measured

mod approval;
mod approval_guardrails;
mod collision;
mod failover;
mod handoff_person;
mod join;
mod laptops;
mod missed_wakeups;
mod offline;
mod one_poller;
mod one_winner;
mod policy;
mod presence;
mod propagation;
mod roles;
mod saved_replies;
mod team_view;
