//! The running side of a container: its task and processes through
//! containerd's Tasks service, their stdio FIFOs, and the copying of
//! attached streams. Knows nothing of docker's configuration.

pub mod attach;
pub mod input;
pub mod keeper;
pub mod metrics;
pub mod task;
