//! Named network namespaces, as `ip netns` keeps them: a file under
//! /run/netns with the namespace bind-mounted on it, so it outlives every
//! process in it. A container's spec names the file; runc joins it at
//! every start, including the starts containerd's restart monitor makes
//! without berth, so the network needs no hook binary on the host.
//! Loopback is brought up as the namespace is made.

use std::path::{Path, PathBuf};

use nix::mount::{MntFlags, MsFlags, mount, umount2};
use nix::sched::{CloneFlags, unshare};

use crate::error::{Error, Result};

pub const NETNS_DIR: &str = "/run/netns";

/// The namespace file for a container.
pub fn path_for(container_id: &str) -> PathBuf {
    Path::new(NETNS_DIR).join(format!(
        "berth-{}",
        &container_id[..container_id.len().min(16)]
    ))
}

fn failed(what: &str, path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(
        crate::error::ErrorKind::Io,
        format!("{what} network namespace {}: {e}", path.display()),
    )
}

/// /run/netns as `ip netns` prepares it: a shared mount, so namespaces
/// mounted under it later are seen (and unmounted) everywhere.
fn prepare_dir() -> Result<()> {
    let dir = Path::new(NETNS_DIR);
    std::fs::create_dir_all(dir).map_err(|e| failed("creating the directory for", dir, e))?;
    let shared = MsFlags::MS_SHARED | MsFlags::MS_REC;
    if mount(None::<&str>, dir, None::<&str>, shared, None::<&str>).is_ok() {
        return Ok(());
    }
    mount(
        Some(dir),
        dir,
        None::<&str>,
        MsFlags::MS_BIND | MsFlags::MS_REC,
        None::<&str>,
    )
    .map_err(|e| failed("bind-mounting the directory for", dir, e))?;
    mount(None::<&str>, dir, None::<&str>, shared, None::<&str>)
        .map_err(|e| failed("sharing the directory for", dir, e))
}

/// Creates a new network namespace at `path` (which must not exist).
pub fn create(path: &Path) -> Result<()> {
    prepare_dir()?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| failed("creating", path, e))?;
    let target = path.to_path_buf();
    // A thread of its own enters the new namespace and leaves it behind
    // mounted; the rest of berth stays where it is.
    let made = std::thread::spawn(move || -> nix::Result<()> {
        unshare(CloneFlags::CLONE_NEWNET)?;
        loopback_up()?;
        mount(
            Some("/proc/thread-self/ns/net"),
            &target,
            None::<&str>,
            MsFlags::MS_BIND,
            None::<&str>,
        )
    })
    .join()
    .unwrap_or(Err(nix::Error::EIO));
    if let Err(e) = made {
        let _ = std::fs::remove_file(path);
        return Err(failed("creating", path, e));
    }
    Ok(())
}

/// Sets `lo` up in the calling thread's network namespace (what CNI's
/// loopback plugin does, without a process).
fn loopback_up() -> nix::Result<()> {
    // SAFETY: a socket used only for the two ioctls below and closed; the
    // ifreq is zeroed, named "lo", and only its flags are read and written.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(nix::Error::last());
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        for (dst, src) in req.ifr_name.iter_mut().zip(b"lo") {
            *dst = *src as libc::c_char;
        }
        let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req);
        if rc == 0 {
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            rc = libc::ioctl(fd, libc::SIOCSIFFLAGS, &req);
        }
        let err = nix::Error::last();
        libc::close(fd);
        if rc != 0 {
            return Err(err);
        }
    }
    Ok(())
}

/// Unmounts and removes the namespace file; nothing there is fine.
pub fn remove(path: &Path) -> Result<()> {
    match umount2(path, MntFlags::MNT_DETACH) {
        Ok(()) | Err(nix::Error::EINVAL) | Err(nix::Error::ENOENT) => {}
        Err(e) => return Err(failed("unmounting", path, e)),
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(failed("removing", path, e)),
    }
}

/// Whether `path` has a namespace mounted on it (not just the empty file).
pub fn exists(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(path), std::fs::metadata(NETNS_DIR)) {
        // A bind-mounted nsfs file lives on another device than its dir.
        (Ok(f), Ok(d)) => f.dev() != d.dev(),
        _ => false,
    }
}
