//! For tests only (the `test-support` feature): a throwaway PostgreSQL and the tools
//! the team and engine tests share. Never enabled in the app.
//!
//! - [`mod@cluster`]: the throwaway cluster, one per test run, shared by its processes.
//! - [`mod@database`]: a *test database*, fresh for each test, with its administrator
//!   ([`TestDb`]): teams, members, their clients, and the members' connections.
//! - [`mod@gate`]: [`TcpGate`], a loopback forwarder to cut the network and give it back.
//!
//! Everything here panics on failure, with a message saying what failed: it runs in
//! tests.

pub mod cluster;
pub mod database;
pub mod gate;

pub use cluster::{cluster, Cluster};
pub use database::{database, database_with_plain_administrator, TestDb, ADMIN_APPLICATION_NAME};
pub use gate::TcpGate;
