//! The helper's first step: from its own small root to the host's.

use std::path::PathBuf;

use nix::sched::CloneFlags;

use crate::error::{Error, ErrorKind, Result};

/// argv[1] of the helper task: `berth __host ARGS…` runs ARGS on the host.
pub const HOST_VERB: &str = "__host";
/// The caller's root as the host sees it (`/proc/<pid>/root`).
pub const CALLER_ROOT_ENV: &str = "BERTH_CALLER_ROOT";
/// The caller's working directory, in its own view.
pub const CALLER_CWD_ENV: &str = "BERTH_CALLER_CWD";
/// The caller's container: `<namespace>/<id>`.
pub const CALLER_ENV: &str = "BERTH_CALLER";
/// The caller's bind mounts, JSON `[[destination, source], …]`.
pub const CALLER_BINDS_ENV: &str = "BERTH_CALLER_BINDS";

/// Joins the mount namespace of the shim that started this task (the
/// host's, as containerd and runc see it) and moves to the caller's
/// working directory. The task shares the host's pid and network
/// namespaces already. Must run before any thread is started: the kernel
/// refuses a mount namespace change to a process that shares its
/// filesystem attributes.
pub fn enter() -> Result<()> {
    let root = std::env::var_os(CALLER_ROOT_ENV)
        .map(PathBuf::from)
        .ok_or_else(|| Error::invalid(format!("{HOST_VERB} needs {CALLER_ROOT_ENV}")))?;
    let shim = nix::unistd::getppid();
    // The shim was started with containerd's socket as a host path.
    let cmdline = std::fs::read(format!("/proc/{shim}/cmdline")).unwrap_or_default();
    if let Some(address) = shim_address(&cmdline) {
        super::paths::set_containerd_address(address);
    }
    if let Some(set) = bounding_of(&format!("/proc/{shim}/status")) {
        super::paths::set_runtime_bounding(set);
    }
    let ns = format!("/proc/{shim}/ns/mnt");
    let fd = std::fs::File::open(&ns).map_err(|e| Error::io(format!("opening {ns}"), e))?;
    nix::sched::setns(fd, CloneFlags::CLONE_NEWNS).map_err(|e| {
        Error::new(
            ErrorKind::Unavailable,
            format!("joining the host's mount namespace ({ns}): {e}"),
        )
    })?;
    let task_dir = std::fs::read_link(format!("/proc/{shim}/cwd"))
        .ok()
        .and_then(|bundle| Some(bundle.parent()?.parent()?.to_path_buf()));
    let rootfs = match (task_dir, std::env::var(CALLER_ENV)) {
        (Some(dir), Ok(caller)) => Some(dir.join(caller).join("rootfs")),
        _ => None,
    };
    let binds = std::env::var(CALLER_BINDS_ENV)
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    super::paths::set_caller_mounts(super::paths::CallerMounts { rootfs, binds });
    let cwd = std::env::var_os(CALLER_CWD_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"));
    let here = super::paths::resolve_in(&root, &cwd);
    // A working directory the host cannot reach leaves the helper at `/`.
    let _ = std::env::set_current_dir(&here).or_else(|_| std::env::set_current_dir("/"));
    super::paths::set_caller(root, cwd);
    Ok(())
}

/// A process's capability bounding set.
fn bounding_of(status: &str) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let hex = text.lines().find_map(|l| l.strip_prefix("CapBnd:"))?;
    u64::from_str_radix(hex.trim(), 16).ok()
}

/// containerd's socket from a shim's command line (`-address PATH`).
fn shim_address(cmdline: &[u8]) -> Option<PathBuf> {
    let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
    let at = args
        .iter()
        .position(|a| *a == b"-address" || *a == b"--address")?;
    let value = std::str::from_utf8(args.get(at + 1)?).ok()?;
    value.starts_with('/').then(|| PathBuf::from(value))
}

/// Makes `cmd` a process that outlives berth and its terminal: its own
/// session, and none of the descriptors berth inherited (a CI runner's
/// pipes would otherwise stay open as long as it runs; they close at the
/// exec: CLOSE_RANGE_CLOEXEC, Linux 5.11, older kernels keep them).
pub fn detach(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid and close_range are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            libc::syscall(
                libc::SYS_close_range,
                3u32,
                u32::MAX,
                libc::CLOSE_RANGE_CLOEXEC,
            );
            Ok(())
        });
    }
}

/// Moves process `pid` out of the helper's cgroups, to each hierarchy's
/// root, so that it outlives the helper (`run -d --rm`'s remover): the
/// shim kills what is left in the cgroup of a task without a pid
/// namespace when its first process exits. Best effort.
pub fn outlive_helper(pid: u32) {
    let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/cgroup")) else {
        return;
    };
    for line in text.lines() {
        let controllers = line.split(':').nth(1).unwrap_or("");
        let dir = match controllers {
            "" => "/sys/fs/cgroup".to_string(),
            c => format!("/sys/fs/cgroup/{}", c.trim_start_matches("name=")),
        };
        let _ = std::fs::write(format!("{dir}/cgroup.procs"), pid.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shim_names_containerds_socket() {
        let cmdline = b"/usr/bin/containerd-shim-runc-v2\0-namespace\0ci\0-address\0/run/containerd/containerd.sock\0";
        assert_eq!(
            shim_address(cmdline),
            Some(PathBuf::from("/run/containerd/containerd.sock"))
        );
        assert_eq!(
            shim_address(b"/usr/bin/containerd-shim-runc-v2\0-id\0x\0"),
            None
        );
    }
}
