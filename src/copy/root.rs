//! A directory every path is resolved inside: openat2 with
//! `RESOLVE_IN_ROOT` (absolute symlinks and `..` start from and stop at
//! the root) and no magic links (`/proc/<pid>/root` in a container's
//! tree cannot lead out).

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use nix::fcntl::{OFlag, OpenHow, ResolveFlag, open, openat2};
use nix::sys::stat::{FileStat, Mode, SFlag, fstat, fstatat};

/// What `lstat`/`stat` tell about a path.
#[derive(Debug, Clone, Copy)]
pub struct Stat(pub FileStat);

impl Stat {
    fn kind(&self) -> SFlag {
        SFlag::from_bits_truncate(self.0.st_mode & SFlag::S_IFMT.bits())
    }
    pub fn is_dir(&self) -> bool {
        self.kind() == SFlag::S_IFDIR
    }
    pub fn is_file(&self) -> bool {
        self.kind() == SFlag::S_IFREG
    }
    pub fn is_symlink(&self) -> bool {
        self.kind() == SFlag::S_IFLNK
    }
    pub fn size(&self) -> u64 {
        self.0.st_size.max(0) as u64
    }
}

pub struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

pub(super) fn errno(e: nix::errno::Errno) -> io::Error {
    io::Error::from_raw_os_error(e as i32)
}

fn in_root() -> ResolveFlag {
    ResolveFlag::RESOLVE_IN_ROOT | ResolveFlag::RESOLVE_NO_MAGICLINKS
}

impl Root {
    /// Opens `path` (resolved as usual: it is the caller's own choice).
    pub fn open(path: &Path) -> io::Result<Root> {
        let fd = open(
            path,
            OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(errno)?;
        Ok(Root {
            fd,
            path: path.to_path_buf(),
        })
    }

    /// The directory `rel` under this root, as a root of its own.
    pub fn sub(&self, rel: &Path) -> io::Result<Root> {
        let fd = self.open_at(rel, OFlag::O_PATH | OFlag::O_DIRECTORY, true)?;
        Ok(Root {
            fd,
            path: self.path.join(rel.strip_prefix("/").unwrap_or(rel)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    /// Opens `rel` inside the root; `follow` decides whether a symlink
    /// as its last component is followed (inside the root too).
    pub fn open_at(&self, rel: &Path, flags: OFlag, follow: bool) -> io::Result<OwnedFd> {
        let mut flags = flags | OFlag::O_CLOEXEC;
        if !follow {
            flags |= OFlag::O_NOFOLLOW;
        }
        let rel = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let how = OpenHow::new().flags(flags).resolve(in_root());
        openat2(self.fd.as_fd(), rel, how).map_err(errno)
    }

    /// The directory holding `rel` (resolved inside the root) and `rel`'s
    /// last component; None for the root itself.
    pub fn parent_of(&self, rel: &Path) -> io::Result<Option<(OwnedFd, OsString)>> {
        let clean = super::clean_name(rel)?;
        let Some(name) = clean.file_name().map(|n| n.to_os_string()) else {
            return Ok(None);
        };
        let parent = clean.parent().unwrap_or(Path::new(""));
        let fd = self.open_at(parent, OFlag::O_PATH | OFlag::O_DIRECTORY, true)?;
        Ok(Some((fd, name)))
    }

    /// `lstat` inside the root; None when it does not exist.
    pub fn lstat(&self, rel: &Path) -> io::Result<Option<Stat>> {
        let found = match self.parent_of(rel) {
            Ok(Some((dir, name))) => fstatat(
                dir.as_fd(),
                name.as_os_str(),
                nix::fcntl::AtFlags::AT_SYMLINK_NOFOLLOW,
            ),
            Ok(None) => fstat(self.fd.as_fd()),
            Err(e) => return not_found_is_none(e),
        };
        match found {
            Ok(st) => Ok(Some(Stat(st))),
            Err(e) => not_found_is_none(errno(e)),
        }
    }

    /// `stat` inside the root (symlinks followed, inside it).
    pub fn stat(&self, rel: &Path) -> io::Result<Option<Stat>> {
        match self.open_at(rel, OFlag::O_PATH, true) {
            Ok(fd) => Ok(Some(Stat(fstat(fd.as_fd()).map_err(errno)?))),
            Err(e) => not_found_is_none(e),
        }
    }

    pub fn readlink(&self, rel: &Path) -> io::Result<PathBuf> {
        let Some((dir, name)) = self.parent_of(rel)? else {
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        };
        let target = nix::fcntl::readlinkat(dir.as_fd(), name.as_os_str()).map_err(errno)?;
        Ok(PathBuf::from(target))
    }
}

fn not_found_is_none<T>(e: io::Error) -> io::Result<Option<T>> {
    match e.raw_os_error() {
        Some(libc::ENOENT) => Ok(None),
        _ => Err(e),
    }
}
