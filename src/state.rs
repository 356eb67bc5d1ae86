//! berth's own files on the host, under `--data-root` (default
//! `/var/lib/berth`): only what containerd cannot hold. Per namespace and
//! container, `<root>/<namespace>/containers/<id>/` holds the files
//! bind-mounted into the container (`hostname`, `hosts`, `resolv.conf`) and,
//! with detached containers, their logs. Everything berth processes must
//! agree on (names, exit codes, times) stays in containerd.
//!
//! The runtime bind-mounts these files by their path, so the data root must
//! be the host's directory: berth inside a container needs it mounted at the
//! same path.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::util;

pub const DEFAULT_DATA_ROOT: &str = "/var/lib/berth";

#[derive(Debug, Clone)]
pub struct DataRoot {
    root: PathBuf,
}

impl DataRoot {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DataRoot { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<root>/<namespace>/containers/<id>`. Both parts are containerd
    /// identifiers, so the path never leaves the root.
    pub fn container_dir(&self, namespace: &str, id: &str) -> Result<PathBuf> {
        for part in [namespace, id] {
            util::validate_identifier(part)
                .map_err(|why| Error::invalid(format!("invalid identifier {part:?}: {why}")))?;
        }
        Ok(self.root.join(namespace).join("containers").join(id))
    }

    /// Creates the container's directory (0700: logs may hold secrets).
    pub fn create_container_dir(&self, namespace: &str, id: &str) -> Result<PathBuf> {
        let dir = self.container_dir(namespace, id)?;
        std::fs::create_dir_all(&dir).map_err(|e| self.io_error(&dir, e))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| self.io_error(&dir, e))?;
        Ok(dir)
    }

    /// Removes the container's files; nothing there is fine.
    pub fn remove_container_dir(&self, namespace: &str, id: &str) -> Result<()> {
        let dir = self.container_dir(namespace, id)?;
        // A shareable IPC container's /dev/shm (a tmpfs): never removed
        // through, only unmounted (not mounted: EINVAL; none: ENOENT).
        let _ = nix::mount::umount2(&dir.join("shm"), nix::mount::MntFlags::MNT_DETACH);
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io_error(&dir, e)),
        }
    }

    /// `err` as berth's own words when it says the runtime could not find
    /// this container's files: berth's data root is not the host's (berth
    /// runs in a container without it mounted).
    pub fn explain_unshared(&self, err: Error, namespace: &str, id: &str) -> Error {
        let Ok(dir) = self.container_dir(namespace, id) else {
            return err;
        };
        if !err.message().contains(&*dir.to_string_lossy()) {
            return err;
        }
        let root = self.root.display();
        Error::new(
            ErrorKind::Unavailable,
            format!(
                "the OCI runtime cannot see berth's files for this container in {}: \
                 berth's data root {root} is not the host's",
                dir.display()
            ),
        )
        .hinted(format!(
            "when berth runs in a container, mount the host's data root at the same path: -v {root}:{root}"
        ))
    }

    fn io_error(&self, path: &Path, e: std::io::Error) -> Error {
        Error::io(format!("berth's data root: {}", path.display()), e).hinted(format!(
            "berth keeps per-container files under --data-root (now {}); it must be writable and, \
             when berth runs in a container, mounted from the host at the same path",
            self.root.display()
        ))
    }
}

/// Writes `data` to `path` atomically (a temporary file in the same
/// directory, then a rename), with `mode`: a reader sees the old file or
/// the new one, never a part. Not synced to disk: what berth writes here is
/// made again when needed, and an fsync per file would cost every `run`.
pub fn write_atomic(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}", util::random_token()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&tmp)?;
        f.write_all(data)?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(format!("writing {}", path.display()), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_dirs_stay_under_the_root() {
        let root = DataRoot::new("/var/lib/berth");
        assert_eq!(
            root.container_dir("default", "abc123").unwrap(),
            PathBuf::from("/var/lib/berth/default/containers/abc123")
        );
        assert!(root.container_dir("..", "abc").is_err());
        assert!(root.container_dir("default", "../x").is_err());
        assert!(root.container_dir("default", "").is_err());
    }

    #[test]
    fn runtime_errors_about_our_files_say_what_to_mount() {
        let root = DataRoot::new("/var/lib/berth");
        let raw = Error::new(
            ErrorKind::Daemon,
            "OCI runtime create failed: error mounting \"/var/lib/berth/ns1/containers/abc/resolv.conf\" \
             to rootfs at \"/etc/resolv.conf\": stat …: no such file or directory",
        );
        let e = root.explain_unshared(raw, "ns1", "abc");
        assert_eq!(e.kind(), ErrorKind::Unavailable);
        assert_eq!(
            e.message(),
            "the OCI runtime cannot see berth's files for this container in \
             /var/lib/berth/ns1/containers/abc: berth's data root /var/lib/berth is not the host's"
        );
        assert!(
            e.hint()
                .unwrap()
                .ends_with("-v /var/lib/berth:/var/lib/berth")
        );
        let other = root.explain_unshared(Error::invalid("something else"), "ns1", "abc");
        assert_eq!(other.message(), "something else");
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("f");
        write_atomic(&p, b"one", 0o644).unwrap();
        write_atomic(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn created_dirs_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let root = DataRoot::new(tmp.path());
        let dir = root.create_container_dir("ns1", "id1").unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        root.remove_container_dir("ns1", "id1").unwrap();
        assert!(!dir.exists());
        root.remove_container_dir("ns1", "id1").unwrap();
    }
}
