//! docker's copy-up: when an empty volume is first mounted over a directory
//! the image has, the volume gets that directory's files (owners, modes and
//! times kept) and the directory's own owner and mode.
//!
//! The image is read from its overlay layer directories (containerd's
//! overlay snapshotter's lowerdirs, top first) and merged the way overlayfs
//! merges them, without mounting anything: an upper entry hides lower ones,
//! whiteouts (a character device 0:0 as overlayfs keeps them on disk, or an
//! OCI `.wh.NAME` file) delete lower entries, and an opaque directory
//! (`trusted.overlay.opaque=y`, or a `.wh..wh..opq` file) hides everything
//! lower. Symlinks on the way to the path are resolved inside the image
//! (absolute targets from the image's root), never on the host.
//!
//! Writes go through directory file descriptors only (`mkdirat`, `openat`
//! with `O_EXCL|O_NOFOLLOW`, `symlinkat`), so a symlink planted in the
//! volume by a container already using it can never redirect a write out
//! of the volume. Regular files, directories and symlinks (as links) are
//! copied; hard links become copies; fifos, sockets and device nodes are
//! skipped; extended attributes are not copied.

use std::collections::HashSet;
use std::ffi::{CString, OsStr, OsString};
use std::fs::{File, Metadata};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use nix::fcntl::{AtFlags, Flock, FlockArg, OFlag, openat};
use nix::sys::stat::{Mode, UtimensatFlags, fchmod, futimens, mkdirat, utimensat};
use nix::sys::time::TimeSpec;
use nix::unistd::{Gid, Uid, fchown, fchownat, symlinkat};

use crate::error::{Error, Result};

/// Linux's limit on symlinks followed in one lookup (ELOOP).
const MAX_SYMLINKS: usize = 40;
const OPAQUE_MARKER: &str = ".wh..wh..opq";
const OPAQUE_XATTRS: [&str; 2] = ["trusted.overlay.opaque", "user.overlay.opaque"];

/// Copies the image's directory at `path` (absolute in the container) into
/// the volume directory `dest` when `dest` is empty. `layers` are the
/// image's overlay layer directories, top first. Ok(false) when nothing was
/// done: `dest` not empty, or no directory at `path` in the image (missing,
/// whited out, a file, a symlink loop).
pub fn copy_up(layers: &[PathBuf], path: &str, dest: &Path) -> Result<bool> {
    let dir = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
        .open(dest)
        .map_err(|e| fail(dest.display(), e))?;
    // Two containers starting on one new volume: one copies, the other
    // then finds it not empty.
    let dir = Flock::lock(dir, FlockArg::LockExclusive)
        .map_err(|(_, e)| fail(format!("locking {}", dest.display()), e))?;
    let empty = std::fs::read_dir(dest)
        .map_err(|e| fail(dest.display(), e))?
        .next()
        .is_none();
    if !empty {
        return Ok(false);
    }
    let Some(chain) = resolve(layers, path)? else {
        return Ok(false);
    };
    merge_into(&chain, dir.as_fd())?;
    let top = must_lstat(&chain[0])?;
    fchown(
        dir.as_fd(),
        Some(Uid::from_raw(top.uid())),
        Some(Gid::from_raw(top.gid())),
    )
    .and_then(|_| fchmod(dir.as_fd(), mode_of(&top)))
    .map_err(|e| fail(dest.display(), e))?;
    Ok(true)
}

/// An I/O failure while copying, saying where.
fn fail(what: impl std::fmt::Display, e: impl Into<std::io::Error>) -> Error {
    Error::io(
        format!("copying the image's files into the volume: {what}"),
        e.into(),
    )
}

fn lstat(path: &Path) -> Result<Option<Metadata>> {
    match std::fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(fail(path.display(), e)),
    }
}

/// A layer's entry that `child` just saw (layers do not change).
fn must_lstat(path: &Path) -> Result<Metadata> {
    std::fs::symlink_metadata(path).map_err(|e| fail(path.display(), e))
}

/// overlayfs's whiteout: a character device numbered 0:0.
fn is_whiteout(m: &Metadata) -> bool {
    m.file_type().is_char_device() && m.rdev() == 0
}

/// An OCI whiteout file for `name` in `dir`.
fn has_whiteout_file(dir: &Path, name: &OsStr) -> bool {
    let mut marker = OsString::from(".wh.");
    marker.push(name);
    std::fs::symlink_metadata(dir.join(marker)).is_ok()
}

/// A directory that hides the same directory in lower layers.
fn is_opaque(dir: &Path) -> bool {
    if std::fs::symlink_metadata(dir.join(OPAQUE_MARKER)).is_ok() {
        return true;
    }
    let Ok(cpath) = CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    OPAQUE_XATTRS.iter().any(|attr| {
        let cattr = CString::new(*attr).expect("no NUL in a constant");
        let mut buf = [0u8; 4];
        // SAFETY: both strings are NUL-terminated and buf is ours, its
        // length passed along.
        let n = unsafe {
            libc::lgetxattr(
                cpath.as_ptr(),
                cattr.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        n == 1 && buf[0] == b'y'
    })
}

/// What a name is in the merged image.
enum Entry {
    /// A directory: the layers' directories that merge into it, top first.
    Dir(Vec<PathBuf>),
    Symlink(PathBuf),
    /// A regular file, fifo, device or socket: the topmost layer's.
    Other(PathBuf, Metadata),
    Missing,
}

/// `name` inside the merged directory made of `dirs` (top first).
fn child(dirs: &[PathBuf], name: &OsStr) -> Result<Entry> {
    let mut found = Vec::new();
    for dir in dirs {
        let path = dir.join(name);
        match lstat(&path)? {
            Some(m) if is_whiteout(&m) => break,
            Some(m) if m.is_dir() => {
                let opaque = is_opaque(&path);
                found.push(path);
                if opaque {
                    break;
                }
            }
            // A non-directory is the entry when nothing above it is, and
            // ends the merge of a directory above it.
            Some(m) if found.is_empty() => {
                return Ok(if m.file_type().is_symlink() {
                    Entry::Symlink(path)
                } else {
                    Entry::Other(path, m)
                });
            }
            Some(_) => break,
            None => {}
        }
        // An OCI whiteout hides the name in the layers below this one.
        if has_whiteout_file(dir, name) {
            break;
        }
    }
    Ok(if found.is_empty() {
        Entry::Missing
    } else {
        Entry::Dir(found)
    })
}

/// The image's root: every layer down to the first opaque one.
fn root_chain(layers: &[PathBuf]) -> Vec<PathBuf> {
    let mut chain = Vec::new();
    for layer in layers {
        chain.push(layer.clone());
        if is_opaque(layer) {
            break;
        }
    }
    chain
}

fn components(path: &OsStr) -> impl DoubleEndedIterator<Item = OsString> + '_ {
    path.as_bytes()
        .split(|b| *b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .map(|c| OsString::from_vec(c.to_vec()))
}

/// The layer directories that make up `path` in the merged image, symlinks
/// resolved inside the image; None when it is no directory there.
fn resolve(layers: &[PathBuf], path: &str) -> Result<Option<Vec<PathBuf>>> {
    let root = root_chain(layers);
    // Components still to walk, the next one last.
    let mut pending: Vec<OsString> = components(OsStr::new(path)).rev().collect();
    let mut walked: Vec<OsString> = Vec::new();
    let mut chain = root.clone();
    let mut links = 0;
    while let Some(c) = pending.pop() {
        if c == ".." {
            // `walked` holds directories only: walk them again from the root.
            walked.pop();
            chain = root.clone();
            for w in &walked {
                let Entry::Dir(next) = child(&chain, w)? else {
                    return Ok(None);
                };
                chain = next;
            }
            continue;
        }
        match child(&chain, &c)? {
            Entry::Dir(next) => {
                walked.push(c);
                chain = next;
            }
            Entry::Symlink(link) => {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Ok(None);
                }
                let target = std::fs::read_link(&link).map_err(|e| fail(link.display(), e))?;
                if target.is_absolute() {
                    walked.clear();
                    chain = root.clone();
                }
                pending.extend(components(target.as_os_str()).rev());
            }
            Entry::Other(..) | Entry::Missing => return Ok(None),
        }
    }
    Ok(Some(chain).filter(|c| !c.is_empty()))
}

/// Copies the merged directory made of `dirs` (top first) into `dest`.
fn merge_into(dirs: &[PathBuf], dest: BorrowedFd) -> Result<()> {
    // Names an upper layer decided: copied, or hidden by a whiteout.
    let mut decided: HashSet<OsString> = HashSet::new();
    for (i, dir) in dirs.iter().enumerate() {
        let mut names: Vec<OsString> = std::fs::read_dir(dir)
            .map_err(|e| fail(dir.display(), e))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<std::io::Result<_>>()
            .map_err(|e| fail(dir.display(), e))?;
        names.sort();
        let mut hidden = Vec::new();
        for name in names {
            let bytes = name.as_bytes();
            if let Some(target) = bytes.strip_prefix(b".wh.") {
                // `.wh..wh.*` are markers (opaque, aufs), not whiteouts.
                if !target.starts_with(b".wh.") {
                    hidden.push(OsString::from_vec(target.to_vec()));
                }
                continue;
            }
            if decided.insert(name.clone()) {
                copy_entry(&dirs[i..], &name, dest)?;
            }
        }
        // A layer's whiteouts hide only what lies below it.
        decided.extend(hidden);
    }
    Ok(())
}

fn copy_entry(dirs: &[PathBuf], name: &OsStr, dest: BorrowedFd) -> Result<()> {
    match child(dirs, name)? {
        Entry::Dir(sub) => copy_dir(&sub, name, dest),
        Entry::Symlink(src) => copy_symlink(&src, name, dest),
        Entry::Other(src, m) if m.is_file() => copy_file(&src, &m, name, dest),
        Entry::Other(src, _) => {
            tracing::debug!("copy-up skips {} (not a file)", src.display());
            Ok(())
        }
        Entry::Missing => Ok(()),
    }
}

fn mode_of(m: &Metadata) -> Mode {
    Mode::from_bits_truncate(m.mode() & 0o7777)
}

fn times_of(m: &Metadata) -> (TimeSpec, TimeSpec) {
    (
        TimeSpec::new(m.atime(), m.atime_nsec()),
        TimeSpec::new(m.mtime(), m.mtime_nsec()),
    )
}

/// Owner, then mode (a chown clears set-id bits), then times.
fn apply(fd: BorrowedFd, m: &Metadata) -> nix::Result<()> {
    fchown(
        fd,
        Some(Uid::from_raw(m.uid())),
        Some(Gid::from_raw(m.gid())),
    )?;
    fchmod(fd, mode_of(m))?;
    let (atime, mtime) = times_of(m);
    futimens(fd, &atime, &mtime)
}

fn copy_dir(sub: &[PathBuf], name: &OsStr, parent: BorrowedFd) -> Result<()> {
    let src = &sub[0];
    let m = must_lstat(src)?;
    mkdirat(parent, name, Mode::from_bits_truncate(0o700)).map_err(|e| fail(src.display(), e))?;
    let fd = openat(
        parent,
        name,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| fail(src.display(), e))?;
    merge_into(sub, fd.as_fd())?;
    // Times last: filling the directory changed them.
    apply(fd.as_fd(), &m).map_err(|e| fail(src.display(), e))
}

fn copy_file(src: &Path, m: &Metadata, name: &OsStr, parent: BorrowedFd) -> Result<()> {
    let mut input = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(src)
        .map_err(|e| fail(src.display(), e))?;
    let fd = openat(
        parent,
        name,
        OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::from_bits_truncate(0o600),
    )
    .map_err(|e| fail(src.display(), e))?;
    let mut output = File::from(fd);
    std::io::copy(&mut input, &mut output).map_err(|e| fail(src.display(), e))?;
    apply(output.as_fd(), m).map_err(|e| fail(src.display(), e))
}

fn copy_symlink(src: &Path, name: &OsStr, parent: BorrowedFd) -> Result<()> {
    let m = must_lstat(src)?;
    let target = std::fs::read_link(src).map_err(|e| fail(src.display(), e))?;
    let (atime, mtime) = times_of(&m);
    symlinkat(target.as_os_str(), parent, name)
        .and_then(|_| {
            fchownat(
                parent,
                name,
                Some(Uid::from_raw(m.uid())),
                Some(Gid::from_raw(m.gid())),
                AtFlags::AT_SYMLINK_NOFOLLOW,
            )
        })
        .and_then(|_| {
            utimensat(
                parent,
                name,
                &atime,
                &mtime,
                UtimensatFlags::NoFollowSymlink,
            )
        })
        .map_err(|e| fail(src.display(), e))
}

#[cfg(test)]
#[path = "copyup_tests.rs"]
mod tests;
