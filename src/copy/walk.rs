//! Reading a tree under a root: every directory is opened once and its
//! children are opened relative to it without following symlinks, so a
//! tree that changes while it is read cannot lead the walk elsewhere.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use nix::dir::Dir;
use nix::fcntl::{AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{FileStat, Mode, SFlag, fstat, fstatat};
use nix::sys::statfs::fstatfs;

use super::root::{Root, errno};
use super::{Body, Entry, Kind, Sink};

/// Kernel file systems whose files are not a container's data: a
/// running container's `/proc` and `/sys` show up as empty directories,
/// as in its image.
const PSEUDO_FS: [i64; 9] = [
    0x9fa0,      // proc
    0x6265_6572, // sysfs
    0x0027_e0eb, // cgroup
    0x6367_7270, // cgroup2
    0x1cd1,      // devpts
    0x1980_0202, // mqueue
    0x6462_6720, // debugfs
    0x7363_6673, // securityfs
    0x7472_6163, // tracefs
];

/// Walks `rel` under `root` and hands every entry to `sink`, parents
/// before their children. The top is named `top` (its children
/// `top/...`); an empty `top` leaves the top itself out and names its
/// children by their own names (docker's `SRC/.`). `follow` follows a
/// symlink at `rel` itself (docker's `-L`). Returns the content bytes.
pub fn walk(
    root: &Root,
    rel: &Path,
    top: &Path,
    follow: bool,
    sink: &mut dyn Sink,
) -> io::Result<u64> {
    let st = if follow {
        root.stat(rel)?
    } else {
        root.lstat(rel)?
    };
    let st = st
        .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))?
        .0;
    let mut w = Walker {
        sink,
        links: HashMap::new(),
        bytes: 0,
    };
    if kind_of(&st) == SFlag::S_IFDIR {
        let dir = root.open_at(rel, OFlag::O_RDONLY | OFlag::O_DIRECTORY, follow)?;
        let st = fstat(dir.as_fd()).map_err(errno)?;
        if !top.as_os_str().is_empty() {
            w.put(&entry(top, Kind::Dir, &st), None)?;
        }
        w.dir(dir, top)?;
    } else if top.as_os_str().is_empty() {
        return Err(io::Error::from_raw_os_error(libc::ENOTDIR));
    } else if follow {
        w.followed(root, rel, top, &st)?;
    } else {
        let (parent, name) = root
            .parent_of(rel)?
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))?;
        w.child(parent.as_fd(), &name, top, st)?;
    }
    Ok(w.bytes)
}

struct Walker<'s> {
    sink: &'s mut dyn Sink,
    /// Files with more than one link: (device, inode) -> first name.
    links: HashMap<(u64, u64), PathBuf>,
    bytes: u64,
}

fn kind_of(st: &FileStat) -> SFlag {
    SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits())
}

fn entry(name: &Path, kind: Kind, st: &FileStat) -> Entry {
    Entry {
        name: name.to_path_buf(),
        kind,
        mode: st.st_mode & 0o7777,
        uid: st.st_uid,
        gid: st.st_gid,
        mtime: st.st_mtime,
        mtime_nsec: st.st_mtime_nsec.clamp(0, 999_999_999) as u32,
        size: st.st_size.max(0) as u64,
    }
}

impl Walker<'_> {
    fn put(&mut self, e: &Entry, body: Option<Body<'_>>) -> io::Result<()> {
        self.bytes += self.sink.put(e, body)?;
        Ok(())
    }

    fn dir(&mut self, dir: OwnedFd, name: &Path) -> io::Result<()> {
        if fstatfs(dir.as_fd()).is_ok_and(|s| PSEUDO_FS.contains(&{ s.filesystem_type().0 })) {
            return Ok(());
        }
        let reader = dir.try_clone()?;
        let mut children: Vec<Vec<u8>> = Dir::from_fd(reader)
            .map_err(errno)?
            .iter()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_bytes().to_vec())
            .filter(|n| n.as_slice() != b"." && n.as_slice() != b"..")
            .collect();
        children.sort();
        for child in &children {
            let child = OsStr::from_bytes(child);
            let st = match fstatat(dir.as_fd(), child, AtFlags::AT_SYMLINK_NOFOLLOW) {
                Ok(st) => st,
                // Gone since the listing (a running container's tree).
                Err(nix::errno::Errno::ENOENT) => continue,
                Err(e) => return Err(errno(e)),
            };
            self.child(dir.as_fd(), child, &name.join(child), st)?;
        }
        Ok(())
    }

    fn child(
        &mut self,
        dir: std::os::fd::BorrowedFd<'_>,
        child: &OsStr,
        name: &Path,
        st: FileStat,
    ) -> io::Result<()> {
        let kind = match kind_of(&st) {
            SFlag::S_IFDIR => {
                let fd = openat(
                    dir,
                    child,
                    OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
                    Mode::empty(),
                )
                .map_err(errno)?;
                self.put(&entry(name, Kind::Dir, &st), None)?;
                return self.dir(fd, name);
            }
            SFlag::S_IFREG => {
                if let Some(first) = self.first_link(name, &st) {
                    Kind::Hardlink(first)
                } else {
                    let fd = openat(
                        dir,
                        child,
                        OFlag::O_RDONLY | OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC,
                        Mode::empty(),
                    )
                    .map_err(errno)?;
                    let mut file = File::from(fd);
                    return self.put(&entry(name, Kind::File, &st), Some(Body::File(&mut file)));
                }
            }
            SFlag::S_IFLNK => Kind::Symlink(PathBuf::from(readlinkat(dir, child).map_err(errno)?)),
            SFlag::S_IFCHR => Kind::Char(st.st_rdev),
            SFlag::S_IFBLK => Kind::Block(st.st_rdev),
            SFlag::S_IFIFO => Kind::Fifo,
            // Sockets are not copied (as docker's archives leave them out).
            _ => return Ok(()),
        };
        self.put(&entry(name, kind, &st), None)
    }

    /// The top of the copy reached through a symlink (`-L`): what it
    /// leads to, opened through it (inside the root).
    fn followed(&mut self, root: &Root, rel: &Path, top: &Path, st: &FileStat) -> io::Result<()> {
        let kind = match kind_of(st) {
            SFlag::S_IFREG => {
                let fd = root.open_at(rel, OFlag::O_RDONLY | OFlag::O_NONBLOCK, true)?;
                let mut file = File::from(fd);
                return self.put(&entry(top, Kind::File, st), Some(Body::File(&mut file)));
            }
            SFlag::S_IFCHR => Kind::Char(st.st_rdev),
            SFlag::S_IFBLK => Kind::Block(st.st_rdev),
            SFlag::S_IFIFO => Kind::Fifo,
            _ => return Ok(()),
        };
        self.put(&entry(top, kind, st), None)
    }

    fn first_link(&mut self, name: &Path, st: &FileStat) -> Option<PathBuf> {
        if st.st_nlink < 2 {
            return None;
        }
        let key = (st.st_dev, st.st_ino);
        match self.links.get(&key) {
            Some(first) => Some(first.clone()),
            None => {
                self.links.insert(key, name.to_path_buf());
                None
            }
        }
    }
}
