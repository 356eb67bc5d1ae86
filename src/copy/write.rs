//! Writing entries into a directory that acts as their root: each
//! entry's parent is resolved inside it (a symlink an archive made
//! earlier, or one already there, cannot lead out), its last component
//! is never followed (a file replaces a symlink; it does not write
//! through it), and directories get their modes and times last, after
//! their content.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use nix::fcntl::{AtFlags, OFlag, openat};
use nix::sys::stat::{
    Mode, SFlag, UtimensatFlags, fchmod, fchmodat, fstatat, mkdirat, mknodat, utimensat,
};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, UnlinkatFlags, fchownat, linkat, symlinkat, unlinkat};

use super::root::{Root, errno};
use super::{Body, Entry, Kind, Sink, clean_name};

/// Whose files the copies become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The owners the entries carry.
    Keep,
    /// One user and group for every file.
    Fixed(u32, u32),
}

pub struct DirSink {
    root: Root,
    owner: Owner,
    /// Directories written, for their modes and times at the end.
    dirs: Vec<Entry>,
}

fn other(msg: String) -> io::Error {
    io::Error::other(msg)
}

impl DirSink {
    pub fn new(root: Root, owner: Owner) -> DirSink {
        DirSink {
            root,
            owner,
            dirs: Vec::new(),
        }
    }

    /// Gives the directories their modes, owners and times, deepest
    /// first (writing into them changed their times).
    pub fn finish(mut self) -> io::Result<()> {
        let dirs = std::mem::take(&mut self.dirs);
        for d in dirs.iter().rev() {
            let Some((parent, name)) = self.root.parent_of(&d.name)? else {
                continue;
            };
            // Opened without following: a directory swapped for a symlink
            // meanwhile is refused, not followed.
            let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
            let fd =
                openat(parent.as_fd(), name.as_os_str(), flags, Mode::empty()).map_err(errno)?;
            let (u, g) = self.ids(d);
            nix::unistd::fchown(fd.as_fd(), Some(Uid::from_raw(u)), Some(Gid::from_raw(g)))
                .map_err(errno)?;
            fchmod(fd.as_fd(), Mode::from_bits_truncate(d.mode)).map_err(errno)?;
            let t = TimeSpec::new(d.mtime, d.mtime_nsec as i64);
            nix::sys::stat::futimens(fd.as_fd(), &t, &t).map_err(errno)?;
        }
        Ok(())
    }

    fn ids(&self, e: &Entry) -> (u32, u32) {
        match self.owner {
            Owner::Keep => (e.uid, e.gid),
            Owner::Fixed(u, g) => (u, g),
        }
    }

    fn chown(&self, dir: BorrowedFd<'_>, name: &OsStr, e: &Entry) -> io::Result<()> {
        let (u, g) = self.ids(e);
        fchownat(
            dir,
            name,
            Some(Uid::from_raw(u)),
            Some(Gid::from_raw(g)),
            AtFlags::AT_SYMLINK_NOFOLLOW,
        )
        .map_err(errno)
    }

    fn times(&self, dir: BorrowedFd<'_>, name: &OsStr, e: &Entry) -> io::Result<()> {
        let t = TimeSpec::new(e.mtime, e.mtime_nsec as i64);
        utimensat(dir, name, &t, &t, UtimensatFlags::NoFollowSymlink).map_err(errno)
    }

    /// The entry's parent directory (made when missing) and last name.
    fn place(&self, name: &Path) -> io::Result<(OwnedFd, std::ffi::OsString)> {
        let parent = name.parent().unwrap_or(Path::new(""));
        let mut made = PathBuf::new();
        for c in parent.components() {
            made.push(c);
            match self.root.lstat(&made)? {
                Some(st) if st.is_dir() => continue,
                // A symlink is followed inside the root when opened.
                Some(st) if st.is_symlink() => continue,
                Some(_) => return Err(io::Error::from_raw_os_error(libc::ENOTDIR)),
                None => {
                    let (dir, last) = self.root.parent_of(&made)?.expect("a component");
                    match mkdirat(
                        dir.as_fd(),
                        last.as_os_str(),
                        Mode::from_bits_truncate(0o755),
                    ) {
                        Ok(()) | Err(nix::errno::Errno::EEXIST) => {}
                        Err(e) => return Err(errno(e)),
                    }
                }
            }
        }
        self.root
            .parent_of(name)?
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EINVAL))
    }

    /// Clears the way for a non-directory: an existing file or link goes,
    /// an existing directory is an error (docker's rule).
    fn clear(&self, dir: BorrowedFd<'_>, name: &OsStr, e: &Entry) -> io::Result<()> {
        match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(st) if st.st_mode & SFlag::S_IFMT.bits() == SFlag::S_IFDIR.bits() => {
                Err(other(format!(
                    "cannot overwrite directory {:?} with non-directory {:?}",
                    self.root.path().join(&e.name),
                    e.name
                )))
            }
            Ok(_) => unlinkat(dir, name, UnlinkatFlags::NoRemoveDir).map_err(errno),
            Err(nix::errno::Errno::ENOENT) => Ok(()),
            Err(err) => Err(errno(err)),
        }
    }

    fn mkdir(&mut self, dir: BorrowedFd<'_>, name: &OsStr, e: &Entry) -> io::Result<()> {
        match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(st) if st.st_mode & SFlag::S_IFMT.bits() == SFlag::S_IFDIR.bits() => {}
            Ok(_) => {
                return Err(other(format!(
                    "cannot overwrite non-directory {:?} with directory {:?}",
                    self.root.path().join(&e.name),
                    e.name
                )));
            }
            Err(nix::errno::Errno::ENOENT) => {
                mkdirat(dir, name, Mode::from_bits_truncate(0o700)).map_err(errno)?
            }
            Err(err) => return Err(errno(err)),
        }
        self.dirs.push(e.clone());
        Ok(())
    }

    fn file(
        &self,
        dir: BorrowedFd<'_>,
        name: &OsStr,
        e: &Entry,
        body: Option<Body<'_>>,
    ) -> io::Result<u64> {
        let flags =
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
        let fd = openat(dir, name, flags, Mode::from_bits_truncate(0o600)).map_err(errno)?;
        let mut out = File::from(fd);
        let n = match body {
            Some(b) => b.copy_to(&mut out)?,
            None => 0,
        };
        let (u, g) = self.ids(e);
        nix::unistd::fchown(out.as_fd(), Some(Uid::from_raw(u)), Some(Gid::from_raw(g)))
            .map_err(errno)?;
        fchmod(out.as_fd(), Mode::from_bits_truncate(e.mode)).map_err(errno)?;
        let t = TimeSpec::new(e.mtime, e.mtime_nsec as i64);
        nix::sys::stat::futimens(out.as_fd(), &t, &t).map_err(errno)?;
        Ok(n)
    }

    fn link(&self, dir: BorrowedFd<'_>, name: &OsStr, target: &Path) -> io::Result<()> {
        let target = clean_name(target)?;
        let (tdir, tname) = self
            .root
            .parent_of(&target)?
            .ok_or_else(|| other(format!("invalid hard link to {target:?}")))?;
        linkat(tdir.as_fd(), tname.as_os_str(), dir, name, AtFlags::empty()).map_err(errno)
    }
}

impl Sink for DirSink {
    fn put(&mut self, e: &Entry, body: Option<Body<'_>>) -> io::Result<u64> {
        let name = clean_name(&e.name)?;
        if name.as_os_str().is_empty() {
            return Ok(0); // the destination itself
        }
        let e = &Entry { name, ..e.clone() };
        let (dir, last) = self.place(&e.name)?;
        let (dir, last) = (dir.as_fd(), last.as_os_str());
        if e.kind == Kind::Dir {
            return self.mkdir(dir, last, e).map(|()| 0);
        }
        self.clear(dir, last, e)?;
        let node = |kind: SFlag, dev: u64| {
            mknodat(dir, last, kind, Mode::from_bits_truncate(e.mode), dev).map_err(errno)
        };
        match &e.kind {
            Kind::File => return self.file(dir, last, e, body),
            Kind::Hardlink(target) => return self.link(dir, last, target).map(|()| 0),
            Kind::Symlink(target) => symlinkat(target.as_path(), dir, last).map_err(errno)?,
            Kind::Char(dev) => node(SFlag::S_IFCHR, *dev)?,
            Kind::Block(dev) => node(SFlag::S_IFBLK, *dev)?,
            Kind::Fifo => node(SFlag::S_IFIFO, 0)?,
            Kind::Dir => unreachable!("handled above"),
        }
        self.chown(dir, last, e)?;
        if !matches!(e.kind, Kind::Symlink(_)) {
            fchmodat(
                dir,
                last,
                Mode::from_bits_truncate(e.mode),
                nix::sys::stat::FchmodatFlags::NoFollowSymlink,
            )
            .map_err(errno)?;
        }
        self.times(dir, last, e)?;
        Ok(0)
    }
}
