//! `build -` (and `-f -`): what comes on stdin is either a tar of the
//! context or a Dockerfile alone. A tar is unpacked into a private
//! temporary directory that is removed afterwards; nothing is written
//! outside it (no absolute paths, no `..`, never through a symlink).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::error::{Error, ErrorKind, Result};
use crate::image::archive::tar;
use crate::util;

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(purpose: &str) -> Result<TempDir> {
        let path =
            std::env::temp_dir().join(format!("berth-{purpose}-{}", crate::util::random_token()));
        std::fs::create_dir(&path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        Ok(TempDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub enum StdinInput {
    /// A context tarball, unpacked here.
    Context(TempDir),
    /// A Dockerfile, written as `Dockerfile` in an otherwise empty dir.
    Dockerfile(TempDir),
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("reading the build context from stdin: {e}"),
    )
}

/// Reads all of stdin: a tar becomes a context directory, anything else
/// is taken as a Dockerfile.
pub async fn read<R: AsyncRead + Unpin>(mut input: R) -> Result<StdinInput> {
    let mut head = vec![0u8; 512];
    let mut got = 0;
    while got < head.len() {
        let n = input.read(&mut head[got..]).await.map_err(io)?;
        if n == 0 {
            break;
        }
        got += n;
    }
    head.truncate(got);
    let dir = TempDir::new("context")?;
    if tar::is_header(&head) {
        let chained = std::io::Cursor::new(head).chain(input);
        extract(chained, dir.path()).await?;
        Ok(StdinInput::Context(dir))
    } else {
        let mut rest = Vec::new();
        input.read_to_end(&mut rest).await.map_err(io)?;
        head.extend(rest);
        std::fs::write(dir.path().join("Dockerfile"), head).map_err(io)?;
        Ok(StdinInput::Dockerfile(dir))
    }
}

/// Writes stdin to `Dockerfile` in a new directory (`-f -`).
pub async fn dockerfile<R: AsyncRead + Unpin>(mut input: R) -> Result<TempDir> {
    let mut data = Vec::new();
    input.read_to_end(&mut data).await.map_err(io)?;
    let dir = TempDir::new("dockerfile")?;
    std::fs::write(dir.path().join("Dockerfile"), data).map_err(io)?;
    Ok(dir)
}

/// Unpacks the tar on `input` into `dest`, with the entries' permission
/// bits (an executable script stays executable); directories get theirs
/// once their contents are in.
async fn extract<R: AsyncRead + Unpin>(input: R, dest: &Path) -> Result<()> {
    let mut r = tar::Reader::new(input).map_err(io)?;
    let mut dirs: HashSet<String> = HashSet::new();
    let mut dir_modes: Vec<(PathBuf, u32)> = Vec::new();
    while let Some((h, mut body)) = r.next().await.map_err(io)? {
        let rel = h
            .path
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if rel.is_empty() || rel == "." {
            continue;
        }
        if rel.starts_with('/') || rel.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(io(format!("entry {:?} points outside the context", h.path)));
        }
        ensure_parents(dest, &rel, &mut dirs)?;
        let target = dest.join(&rel);
        match h.kind {
            b'5' => {
                util::real_dir(&target).map_err(io)?;
                dir_modes.push((target, h.mode));
                dirs.insert(rel);
            }
            b'2' => {
                util::remove_any(&target);
                std::os::unix::fs::symlink(&h.linkname, &target).map_err(io)?;
            }
            b'1' => {
                let from = h.linkname.trim_start_matches("./");
                if from.starts_with('/') || from.split('/').any(|c| c == "..") {
                    return Err(io(format!(
                        "hard link {:?} points outside the context",
                        h.path
                    )));
                }
                util::remove_any(&target);
                std::fs::hard_link(dest.join(from), &target).map_err(io)?;
            }
            _ if h.is_file() => {
                util::remove_any(&target);
                let mut f = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&target)
                    .await
                    .map_err(io)?;
                tokio::io::copy(&mut body, &mut f).await.map_err(io)?;
                set_mode(&target, h.mode)?;
            }
            _ => {} // devices, fifos: not part of a build context
        }
    }
    // Deepest first, so a read-only directory does not stop its children.
    for (dir, mode) in dir_modes.iter().rev() {
        set_mode(dir, *mode | 0o700)?;
    }
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o7777)).map_err(io)
}

/// Parents of `rel` must be real directories (made here when missing),
/// never symlinks: writing through one could leave the context.
fn ensure_parents(dest: &Path, rel: &str, dirs: &mut HashSet<String>) -> Result<()> {
    let comps: Vec<&str> = rel.split('/').collect();
    for i in 1..comps.len() {
        let parent = comps[..i].join("/");
        if dirs.contains(&parent) {
            continue;
        }
        util::real_dir(&dest.join(&parent)).map_err(io)?;
        dirs.insert(parent);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::archive::tar::testing::tar_of;

    #[tokio::test]
    async fn tar_context_and_plain_dockerfile() {
        let t = tar_of(&[
            ("Dockerfile", b"FROM scratch\n", b'0', ""),
            ("src/a.txt", b"a", b'0', ""),
            ("link", b"", b'2', "src/a.txt"),
        ]);
        let StdinInput::Context(d) = read(&t[..]).await.unwrap() else {
            panic!("a tar is a context")
        };
        assert_eq!(std::fs::read(d.path().join("src/a.txt")).unwrap(), b"a");
        assert_eq!(
            std::fs::read_link(d.path().join("link")).unwrap(),
            Path::new("src/a.txt")
        );
        let kept = d.path().to_path_buf();
        drop(d);
        assert!(!kept.exists(), "removed when dropped");

        let StdinInput::Dockerfile(d) = read(&b"FROM scratch\nCOPY . /\n"[..]).await.unwrap()
        else {
            panic!("text is a Dockerfile")
        };
        assert_eq!(
            std::fs::read(d.path().join("Dockerfile")).unwrap(),
            b"FROM scratch\nCOPY . /\n"
        );
    }

    #[tokio::test]
    async fn hostile_tars_stay_inside() {
        for bad in [
            tar_of(&[("../evil", b"x", b'0', "")]),
            tar_of(&[("/etc/evil", b"x", b'0', "")]),
            tar_of(&[("h", b"", b'1', "../../etc/passwd")]),
        ] {
            assert!(read(&bad[..]).await.is_err());
        }
        // A symlink to outside, then a file "through" it: the file replaces
        // nothing outside, because parents are made real directories.
        let t = tar_of(&[("d", b"", b'2', "/tmp"), ("d/escaped", b"x", b'0', "")]);
        let StdinInput::Context(d) = read(&t[..]).await.unwrap() else {
            panic!()
        };
        assert!(
            std::fs::symlink_metadata(d.path().join("d"))
                .unwrap()
                .is_dir()
        );
        assert!(!Path::new("/tmp/escaped").exists());
    }

    /// A tar context keeps its files' modes (an executable script stays
    /// executable) and link targets of any length.
    #[tokio::test]
    async fn modes_and_long_link_targets_survive() {
        use crate::image::archive::tar::testing::entry_with_mode;
        use std::os::unix::fs::PermissionsExt;
        let target = "src/".to_string() + &"t".repeat(150);
        let mut t = entry_with_mode("run.sh", b"#!/bin/sh\n", b'0', "", 0o755);
        t.extend(entry_with_mode("bin", b"", b'5', "", 0o750));
        t.extend(entry_with_mode("secret", b"s", b'0', "", 0o600));
        t.extend(entry_with_mode(
            "././@LongLink",
            target.as_bytes(),
            b'K',
            "",
            0o644,
        ));
        t.extend(entry_with_mode("long", b"", b'2', "cut", 0o777));
        t.extend(vec![0u8; 1024]);
        let StdinInput::Context(d) = read(&t[..]).await.unwrap() else {
            panic!("a tar is a context")
        };
        let mode = |p: &str| {
            std::fs::metadata(d.path().join(p))
                .unwrap()
                .permissions()
                .mode()
                & 0o7777
        };
        assert_eq!(
            (mode("run.sh"), mode("bin"), mode("secret")),
            (0o755, 0o750, 0o600)
        );
        assert_eq!(
            std::fs::read_link(d.path().join("long")).unwrap(),
            Path::new(&target)
        );
    }
}
