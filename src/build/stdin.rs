//! `build -` (and `-f -`): what comes on stdin is either a tar of the
//! context or a Dockerfile alone. A tar is unpacked into a private
//! temporary directory that is removed afterwards; nothing is written
//! outside it (no absolute paths, no `..`, never through a symlink).

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncRead, AsyncReadExt};

use crate::error::{Error, ErrorKind, Result};
use crate::image::archive::tar;
use crate::util::RealDirs;

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(purpose: &str) -> Result<TempDir> {
        let path =
            std::env::temp_dir().join(format!("berth-{purpose}-{}", crate::util::random_token()));
        // Private: a context may hold setuid files, kept for the build.
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
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
    let mut dirs = RealDirs::default();
    let mut dir_modes: Vec<(String, u32)> = Vec::new();
    while let Some((h, mut body)) = r.next().await.map_err(io)? {
        let rel = h
            .path
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string();
        if rel.is_empty() || rel == "." {
            continue;
        }
        if !inside(&rel) {
            return Err(io(format!("entry {:?} points outside the context", h.path)));
        }
        dirs.make_parents(dest, &rel).map_err(io)?;
        let target = dest.join(&rel);
        match h.kind {
            b'5' => {
                dirs.make(dest, &rel).map_err(io)?;
                dir_modes.push((rel, h.mode));
            }
            b'2' => {
                dirs.clear(dest, &rel);
                std::os::unix::fs::symlink(&h.linkname, &target).map_err(io)?;
            }
            b'1' => {
                // The first name must be reached through directories of
                // this context only (never a symlink it holds).
                let from = h.linkname.trim_start_matches("./");
                let parent_real = from.rsplit_once('/').is_none_or(|(p, _)| dirs.contains(p));
                if !inside(from) || !parent_real {
                    return Err(io(format!(
                        "hard link {:?} points outside the context",
                        h.path
                    )));
                }
                dirs.clear(dest, &rel);
                std::fs::hard_link(dest.join(from), &target).map_err(io)?;
            }
            _ if h.is_file() => {
                dirs.clear(dest, &rel);
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
    // Deepest first, so a read-only directory does not stop its children;
    // only directories still there (one replaced by a symlink is not).
    for (rel, mode) in dir_modes.iter().rev() {
        if dirs.contains(rel) {
            set_mode(&dest.join(rel), *mode | 0o700)?;
        }
    }
    Ok(())
}

/// A relative, clean path: no leading `/`, no `..`, no empty part.
fn inside(rel: &str) -> bool {
    !rel.starts_with('/') && !rel.split('/').any(|c| c == ".." || c.is_empty())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o7777)).map_err(io)
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

    /// A directory, then a symlink of the same name to outside, then
    /// entries under it, then a hard link through it: nothing outside is
    /// written, linked or chmod-ed.
    #[tokio::test]
    async fn a_directory_replaced_by_a_symlink_is_not_written_through() {
        use crate::image::archive::tar::testing::entry_with_mode;
        use std::os::unix::fs::PermissionsExt;
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        std::fs::set_permissions(outside.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
        let out = outside.path().to_str().unwrap();
        let mut t = entry_with_mode("d", b"", b'5', "", 0o777);
        t.extend(entry_with_mode("d/sub", b"", b'5', "", 0o777));
        t.extend(entry_with_mode("d", b"", b'2', out, 0o777));
        t.extend(entry_with_mode("d/planted", b"x", b'0', "", 0o644));
        t.extend(vec![0u8; 1024]);
        let StdinInput::Context(d) = read(&t[..]).await.unwrap() else {
            panic!("a tar is a context")
        };
        assert!(!outside.path().join("planted").exists());
        assert!(!outside.path().join("sub").exists());
        let mode = std::fs::metadata(outside.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o7777,
            0o711,
            "the outside directory's mode is untouched"
        );
        assert!(d.path().join("d/planted").is_file());

        let mut t = entry_with_mode("l", b"", b'2', out, 0o777);
        t.extend(entry_with_mode("h", b"", b'1', "l/secret", 0o644));
        t.extend(vec![0u8; 1024]);
        assert!(read(&t[..]).await.is_err(), "a hard link through a symlink");
    }

    #[tokio::test]
    async fn the_context_directory_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let t = tar_of(&[("Dockerfile", b"FROM scratch\n", b'0', "")]);
        let StdinInput::Context(d) = read(&t[..]).await.unwrap() else {
            panic!("a tar is a context")
        };
        let mode = std::fs::metadata(d.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
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
