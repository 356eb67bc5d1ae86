//! One item of a copied tree, whatever it came from.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Symlink(PathBuf),
    /// A hard link to an earlier entry of the same copy (its name).
    Hardlink(PathBuf),
    Char(u64),
    Block(u64),
    Fifo,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative, normal components only (see [`clean_name`]).
    pub name: PathBuf,
    pub kind: Kind,
    /// Permission bits with setuid, setgid and sticky.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: i64,
    pub mtime_nsec: u32,
    /// A regular file's length.
    pub size: u64,
}

/// A regular file's content: an open file (copied with
/// `copy_file_range` when the sink is a file too) or any stream.
pub enum Body<'a> {
    File(&'a mut File),
    Stream(&'a mut dyn Read),
}

impl Body<'_> {
    pub fn copy_to(self, out: &mut File) -> io::Result<u64> {
        match self {
            Body::File(f) => io::copy(f, out),
            Body::Stream(r) => io::copy(r, out),
        }
    }

    pub fn reader(&mut self) -> &mut dyn Read {
        match self {
            Body::File(f) => *f,
            Body::Stream(r) => *r,
        }
    }
}

/// An archive's entry name as a relative path of normal components:
/// leading `/` and `.` dropped, `..` applied, and refused when it would
/// climb above the top (docker's "breakout" archives).
pub fn clean_name(raw: &Path) -> io::Result<PathBuf> {
    let mut out = PathBuf::new();
    for c in raw.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                if !out.pop() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("archive entry {:?} points outside the destination", raw),
                    ));
                }
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_below_the_top() {
        let ok = |s: &str| clean_name(Path::new(s)).unwrap();
        assert_eq!(ok("./a/b"), PathBuf::from("a/b"));
        assert_eq!(ok("/etc/passwd"), PathBuf::from("etc/passwd"));
        assert_eq!(ok("a/../b"), PathBuf::from("b"));
        assert_eq!(ok("./"), PathBuf::new());
        for bad in ["../x", "a/../../x", "/../etc", "./../../../../etc/cron.d/x"] {
            assert!(clean_name(Path::new(bad)).is_err(), "{bad}");
        }
    }
}
