//! Containers: options, the runtime spec, the lifecycle steps (create,
//! start, record, kill, remove), names, tasks and their stdio, listing.

mod attach;
pub mod binds;
pub mod config;
mod create;
mod detached;
mod etc_files;
pub mod exec;
pub mod export;
pub mod inspect;
pub mod labels;
pub mod lifecycle;
pub mod list;
pub mod logs;
pub mod names;
pub mod net;
pub mod options;
mod reap;
pub mod record;
pub mod resolve;
pub mod restart;
pub mod run;
pub mod signal;
pub mod spec;
mod stop;
mod task;
pub mod top;
pub mod user;

pub use options::ContainerOptions;
pub use record::ContainerRecord;
