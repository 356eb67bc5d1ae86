//! A container without a task, for a copy: its volumes and binds over its
//! mounted snapshot, as docker's daemon mounts a stopped container's mount
//! points for `cp` (so a copy out reads what the container would see, and
//! a copy in lands in the volume, not under it). Parents first; each
//! destination resolved inside the container's root and made when missing
//! (a directory, or an empty file for a file bind, as docker makes a mount
//! point); read-only ones stay read-only. They go with the snapshot's
//! mount: its lazy unmount takes the whole tree.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use nix::fcntl::OFlag;
use nix::mount::{MsFlags, mount};
use nix::sys::stat::Mode;

use crate::container::model::{MountEntry, MountKind};
use crate::copy::Root;
use crate::error::{Error, Result};

/// Mounts the bind and volume entries of `mounts` inside `root`.
pub(super) fn mount_points(root: &Root, mounts: &[MountEntry]) -> Result<()> {
    let mut points: Vec<&MountEntry> = mounts
        .iter()
        .filter(|m| matches!(m.kind, MountKind::Bind | MountKind::Volume))
        .filter(|m| !m.source.is_empty() && Path::new(&m.source).exists())
        .collect();
    points.sort_by_key(|m| Path::new(&m.destination).components().count());
    for m in points {
        mount_one(root, m).map_err(|e| {
            Error::io(
                format!("mounting {} on {} for the copy", m.source, m.destination),
                e,
            )
        })?;
    }
    Ok(())
}

fn at(fd: &OwnedFd) -> String {
    format!("/proc/self/fd/{}", fd.as_raw_fd())
}

fn mount_one(root: &Root, m: &MountEntry) -> io::Result<()> {
    let dest = Path::new(&m.destination);
    let dir = Path::new(&m.source).is_dir();
    let point = mount_point(root, dest, dir)?;
    let bind = MsFlags::MS_BIND | MsFlags::MS_REC;
    mount(
        Some(m.source.as_str()),
        at(&point).as_str(),
        None::<&str>,
        bind,
        None::<&str>,
    )
    .map_err(|e| io::Error::from_raw_os_error(e as i32))?;
    if m.read_only {
        // The mount itself now (the point's descriptor is what lies under it).
        let mounted = root.open_at(dest, OFlag::O_PATH, true)?;
        let ro = MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY;
        mount(
            None::<&str>,
            at(&mounted).as_str(),
            None::<&str>,
            ro,
            None::<&str>,
        )
        .map_err(|e| io::Error::from_raw_os_error(e as i32))?;
    }
    Ok(())
}

/// The destination inside the root, made when missing.
fn mount_point(root: &Root, dest: &Path, dir: bool) -> io::Result<OwnedFd> {
    match root.open_at(dest, OFlag::O_PATH, true) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        found => return found,
    }
    let parts: Vec<Component> = dest
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    let mut so_far = PathBuf::new();
    for (i, part) in parts.iter().enumerate() {
        so_far.push(part);
        if root.open_at(&so_far, OFlag::O_PATH, true).is_ok() {
            continue;
        }
        let Some((parent, name)) = root.parent_of(&so_far)? else {
            continue;
        };
        if i + 1 == parts.len() && !dir {
            let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_WRONLY | OFlag::O_CLOEXEC;
            nix::fcntl::openat(
                &parent,
                name.as_os_str(),
                flags,
                Mode::from_bits_truncate(0o644),
            )
            .map_err(|e| io::Error::from_raw_os_error(e as i32))?;
        } else {
            nix::sys::stat::mkdirat(&parent, name.as_os_str(), Mode::from_bits_truncate(0o755))
                .map_err(|e| io::Error::from_raw_os_error(e as i32))?;
        }
    }
    root.open_at(dest, OFlag::O_PATH, true)
}
