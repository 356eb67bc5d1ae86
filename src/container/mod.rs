//! Containers: options, the runtime spec, the lifecycle steps (create,
//! start, record, kill, remove), names, tasks and their stdio, listing.

mod attach;
pub mod binds;
pub mod config;
mod create;
mod detached;
pub mod devices;
mod etc_files;
pub mod exec;
pub mod export;
pub mod inspect;
pub mod labels;
pub mod lifecycle;
pub mod limits;
pub mod list;
pub mod logs;
pub mod mounts;
pub mod names;
pub mod namespaces;
pub mod net;
pub mod options;
mod reap;
pub mod record;
pub mod resolve;
pub mod resources;
pub mod restart;
pub mod run;
pub mod seccomp;
pub mod security;
pub mod signal;
pub mod spec;
mod stop;
mod task;
pub mod throttle;
pub mod top;
pub mod update;
pub mod user;
pub mod volumes;

pub use options::ContainerOptions;
pub use record::ContainerRecord;
