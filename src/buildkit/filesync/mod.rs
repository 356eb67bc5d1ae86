//! fsutil's DiffCopy protocol: sending a local directory to buildkitd
//! (build contexts) and receiving one from it (the local exporter).

pub mod mode;
pub mod patterns;
pub mod receive;
pub mod send;
pub mod walk;
