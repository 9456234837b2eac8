//! Test support: the local Bluesky network, people acting on it, and a fake server for
//! faults a real one will not produce on demand.
#![allow(dead_code)]

pub mod actors;
pub mod fake_server;
pub mod network;
