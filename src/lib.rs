#![recursion_limit = "256"]
//! berth: a docker-compatible frontend for containerd.
//!
//! The library does the work and returns data; it never prints and never
//! exits. The `berth` binary (cmd/) parses flags, calls one library function
//! per verb, formats the result and maps errors to docker's exit codes.

pub mod build;
pub mod buildkit;
pub mod client;
pub mod complete;
pub mod config;
pub mod container;
pub mod copy;
pub mod error;
pub mod events;
pub mod filters;
pub mod format;
pub mod gotmpl;
pub mod host;
pub mod image;
pub mod info;
pub mod lease;
pub mod logs;
pub mod mount;
pub mod network;
pub mod server;
pub mod snapshots;
pub mod state;
pub mod system;
pub mod units;
pub mod util;
pub mod volume;

pub use client::Client;
pub use error::{Error, ErrorKind, Result};
