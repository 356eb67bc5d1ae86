//! Containers, in layers that only import downwards:
//!
//! - `model`: docker's configuration as typed data (`Config`,
//!   `HostConfig`, inspect's document), with `seccomp` and `signal` the
//!   other leaves;
//! - `config`: the flag groups, from `run`'s flags to the model, docker's
//!   daemon's checks and defaults, each group's piece of the spec;
//! - `spec`: the OCI runtime spec, a pure function of the model;
//! - `runtime`: tasks, stdio FIFOs, attached streams;
//! - `store`: berth's records, labels and names in containerd;
//! - `ops`: what verbs call (create, start, stop, exec, inspect, ...).

pub(crate) mod caps;
pub mod cgroups;
pub mod config;
pub mod detach;
pub mod model;
pub mod ops;
pub(crate) mod runtime;
pub(crate) mod seccomp;
pub mod signal;
pub(crate) mod spec;
pub(crate) mod store;

pub use config::ContainerFlags;
pub use runtime::keeper;
pub use store::record::ContainerRecord;
