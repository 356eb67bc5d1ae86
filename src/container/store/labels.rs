//! Label keys berth writes on containerd containers. One place, so `ps`,
//! `rm` and `inspect` read what `run` wrote.

/// Every label berth writes starts with this.
pub const BERTH_PREFIX: &str = "berth/";

/// The container's docker name (without the leading '/').
pub const NAME: &str = "berth/name";
/// Published ports as `ps` shows them.
pub const PORTS: &str = "berth/ports";
/// The image as the user typed it (docker's `.Config.Image`).
pub const IMAGE: &str = "berth/image";
/// RFC 3339 time the task was last started.
pub const STARTED_AT: &str = "berth/started-at";
/// RFC 3339 time and exit code of the last run, recorded when berth
/// deleted the task (so no shim stays behind for a stopped container).
pub const FINISHED_AT: &str = "berth/finished-at";
pub const EXIT_CODE: &str = "berth/exit-code";
/// Why the last start failed (docker's `State.Error`), until one succeeds.
pub const START_ERROR: &str = "berth/error";
/// The volumes (named and anonymous) the container mounts, comma-separated:
/// what `volume rm` and `volume prune` check for use.
pub const VOLUMES: &str = "berth/volumes";

/// containerd does not store labels with empty values; docker's valueless
/// `-l key` labels are kept here, comma-separated, and restored on read.
pub const EMPTY_VALUED: &str = "berth/empty-labels";

/// Prefixes an image may never set on a container: containerd acts on its
/// own labels (e.g. the restart monitor), and berth trusts its own.
const RESERVED_PREFIXES: &[&str] = &["containerd.io/", "berth/", "io.containerd.", "nerdctl/"];

pub fn is_reserved(key: &str) -> bool {
    RESERVED_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// containerd's restart monitor's labels: it watches containers with
/// `status=running`, asks `policy` (1.7+), logs restarted tasks to
/// `loguri`, keeps a count (1.7+), and skips `unless-stopped` ones
/// explicitly stopped.
pub const RESTART_STATUS: &str = "containerd.io/restart.status";
pub const RESTART_POLICY: &str = "containerd.io/restart.policy";
pub const RESTART_LOG_URI: &str = "containerd.io/restart.loguri";
pub const RESTART_EXPLICITLY_STOPPED: &str = "containerd.io/restart.explicitly-stopped";
pub const RESTART_COUNT: &str = "containerd.io/restart.count";

/// Labels that are containerd's restart bookkeeping, not the user's.
pub fn is_monitor_label(key: &str) -> bool {
    key.starts_with("containerd.io/restart.")
}
