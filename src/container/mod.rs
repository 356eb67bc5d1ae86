//! Containers: options, the runtime spec, the lifecycle steps (create,
//! start, record, kill, remove), names, tasks and their stdio, listing.

mod attach;
mod create;
mod etc_files;
pub mod labels;
pub mod lifecycle;
pub mod list;
pub mod names;
pub mod options;
pub mod record;
pub mod resolve;
pub mod run;
pub mod spec;
mod task;
pub mod user;

pub use options::ContainerOptions;
pub use record::ContainerRecord;
