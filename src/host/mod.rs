//! berth away from the host: run in a container (a Jenkins or GitLab job
//! with only containerd's socket mounted), berth does the host's part of a
//! verb (network namespaces, CNI and iptables, its per-container files,
//! the shims' FIFOs, the log driver, `top`'s process list) through a
//! helper task that containerd runs on the host for the length of one
//! command (`helper`).
//!
//! The two sides:
//! - the caller, berth in its container, finds itself among containerd's
//!   containers (`locate`) and runs its own command line again as the
//!   helper task, its stdio passed through FIFOs that the shim opens by
//!   `/proc/<pid>/root/…` of the caller's container;
//! - the helper, berth started as `berth __host ARGS…` in the host's pid and
//!   network namespaces, joins the shim's mount namespace (`enter`) and is
//!   then berth on the host, except that paths the user named (bind
//!   sources, `--env-file`, `--cidfile`, the docker config) are the
//!   caller's (`caller_path`).

mod enter;
mod helper;
mod locate;
mod paths;

pub use enter::{HOST_VERB, detach, enter, outlive_helper};
pub use helper::{HelperIo, run_on_host};
pub use locate::{Caller, Place, locate};
pub use paths::{
    bind_source, caller_path, containerd_address, host_binary, in_helper, local_side,
    runtime_bounding, working_dir,
};

/// Set to `off` to keep berth from using a helper task (berth in a
/// container that has the host's directories and namespaces itself).
pub const HELPER_ENV: &str = "BERTH_HOST_HELPER";
