//! Containers: the runtime spec, creation, names, tasks and their stdio,
//! listing and removal.

pub mod attach;
pub mod create;
pub mod labels;
pub mod list;
pub mod names;
pub mod remove;
pub mod resolve;
pub mod spec;
pub mod task;
pub mod user;
