//! Mounting a containerd mount list (a snapshot's) on a directory of the
//! host, for the verbs that read or write a container's files while it
//! has no running task (`cp`, `diff`). The mount goes when the guard is
//! dropped.

use std::path::{Path, PathBuf};

use containerd_client::types::Mount;
use nix::mount::{MntFlags, MsFlags, mount, umount2};

use crate::error::{Error, Result};

/// A mounted tree; unmounted (lazily) and its directory removed on drop.
#[derive(Debug)]
pub struct Mounted {
    dir: PathBuf,
    layers: usize,
}

impl Mounted {
    pub fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        for _ in 0..self.layers {
            let _ = umount2(&self.dir, MntFlags::MNT_DETACH);
        }
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// Flags and the data string of a mount's options.
fn options(m: &Mount) -> (MsFlags, String) {
    let mut flags = MsFlags::empty();
    let mut data = Vec::new();
    for o in &m.options {
        match o.as_str() {
            "ro" => flags |= MsFlags::MS_RDONLY,
            "rw" => {}
            "bind" => flags |= MsFlags::MS_BIND,
            "rbind" => flags |= MsFlags::MS_BIND | MsFlags::MS_REC,
            "nosuid" => flags |= MsFlags::MS_NOSUID,
            "nodev" => flags |= MsFlags::MS_NODEV,
            "noexec" => flags |= MsFlags::MS_NOEXEC,
            other => data.push(other),
        }
    }
    (flags, data.join(","))
}

/// Mounts `mounts` (in order, each over the last) on a new directory
/// under `parent`.
pub fn mount_all(mounts: &[Mount], parent: &Path) -> Result<Mounted> {
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    let dir = parent.join(crate::util::random_token());
    std::fs::create_dir(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut guard = Mounted { dir, layers: 0 };
    if mounts.is_empty() {
        return Err(Error::invalid("the container's snapshot has no mounts"));
    }
    for m in mounts {
        let (flags, data) = options(m);
        let fstype = if flags.contains(MsFlags::MS_BIND) {
            None
        } else {
            Some(m.r#type.as_str())
        };
        let data = (!data.is_empty()).then_some(data.as_str());
        mount(Some(m.source.as_str()), &guard.dir, fstype, flags, data).map_err(|e| {
            Error::io(
                format!("mounting the container's {} snapshot", m.r#type),
                std::io::Error::from_raw_os_error(e as i32),
            )
        })?;
        guard.layers += 1;
        if flags.contains(MsFlags::MS_BIND) && flags.contains(MsFlags::MS_RDONLY) {
            let ro = MsFlags::MS_BIND | MsFlags::MS_REMOUNT | MsFlags::MS_RDONLY;
            mount(None::<&str>, &guard.dir, None::<&str>, ro, None::<&str>).map_err(|e| {
                Error::io(
                    "remounting read-only",
                    std::io::Error::from_raw_os_error(e as i32),
                )
            })?;
        }
    }
    Ok(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_split_into_flags_and_data() {
        let m = Mount {
            r#type: "overlay".into(),
            source: "overlay".into(),
            options: vec!["index=off".into(), "ro".into(), "lowerdir=/a:/b".into()],
            ..Default::default()
        };
        let (flags, data) = options(&m);
        assert_eq!(flags, MsFlags::MS_RDONLY);
        assert_eq!(data, "index=off,lowerdir=/a:/b");
    }
}
