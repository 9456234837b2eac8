//! The throwaway PostgreSQL of the team tests: `switchboard_team::testing` (feature
//! `test-support`), one cluster per test run, one fresh database per test.

pub use switchboard_team::testing::*;
