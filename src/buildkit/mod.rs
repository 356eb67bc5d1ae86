//! BuildKit's client protocol, self-contained: the Control API (solve,
//! status, workers), the session buildkitd calls back into (file sync of
//! contexts, exporter output, credentials, secrets, ssh) and the progress
//! model. Nothing here knows about berth's verbs or containerd.

pub mod control;
pub mod filesync;
mod h2grpc;
pub mod proto;
pub mod session;
mod ssh;

pub use control::{Address, Control};
pub use session::{ExportSink, Session, SessionConfig};
