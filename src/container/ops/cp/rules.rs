//! docker's rules for where a copy lands (moby's `go-archive` copy
//! rules, as docker's CLI and daemon apply them): a trailing `/` says
//! "a directory", a trailing `/.` says "the directory's content", and
//! what already exists at the destination decides the rest.

use std::path::{Component, Path, PathBuf};

/// A path as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// Absolute and cleaned (`..` applied lexically, as docker's
    /// `filepath.Clean`).
    pub clean: PathBuf,
    /// Ends in `/` or `/.`: must be a directory.
    pub asserts_dir: bool,
    /// Ends in `/.` (or is `/`): the directory's content, not itself.
    pub contents: bool,
}

impl Typed {
    /// `raw` made absolute against `cwd` (a container path's is `/`).
    pub fn new(raw: &str, cwd: &Path) -> Typed {
        let contents = raw == "." || raw.ends_with("/.");
        let asserts_dir = contents || raw.ends_with('/');
        let mut clean = PathBuf::from("/");
        let joined = if raw.starts_with('/') {
            PathBuf::from(raw)
        } else {
            cwd.join(raw)
        };
        for c in joined.components() {
            match c {
                Component::Normal(n) => clean.push(n),
                Component::ParentDir => {
                    clean.pop();
                }
                _ => {}
            }
        }
        let contents = contents || clean == Path::new("/");
        Typed {
            clean,
            asserts_dir,
            contents,
        }
    }

    /// The last component ("" for `/`).
    pub fn base(&self) -> PathBuf {
        self.clean
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default()
    }

    pub fn parent(&self) -> PathBuf {
        self.clean.parent().unwrap_or(Path::new("/")).to_path_buf()
    }
}

/// What the destination is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Missing,
    Dir,
    /// A regular file (docker refuses other kinds before this).
    File,
}

/// Where the source's top goes: the directory the copy is written into
/// and the name the top takes there ("" = only its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub dir: PathBuf,
    pub top: PathBuf,
}

/// docker's `PrepareArchiveCopy`. `name` is the source's name in the
/// copy (its base, or the symlink's own name under `-L`).
pub fn plan(
    src: &Typed,
    src_is_dir: bool,
    name: &Path,
    dst: &Typed,
    found: Found,
) -> Result<Plan, &'static str> {
    let top_in_dir = if src.contents {
        PathBuf::new()
    } else {
        name.to_path_buf()
    };
    match found {
        Found::Dir => Ok(Plan {
            dir: dst.clean.clone(),
            top: top_in_dir,
        }),
        Found::File if src_is_dir => Err("cannot copy directory"),
        Found::Missing if !src_is_dir && dst.asserts_dir => Err("no such directory"),
        Found::File | Found::Missing => Ok(Plan {
            dir: dst.parent(),
            top: dst.base(),
        }),
    }
}

/// The bytes docker's summary reports: the size of the tar stream the
/// copy would be (a 512-byte header per entry, content in 512-byte
/// blocks, a long name's extra header, two blocks at the end).
#[derive(Debug, Default, Clone, Copy)]
pub struct TarSize(pub u64);

impl TarSize {
    pub fn add(&mut self, name_len: usize, content: u64) {
        let blocks = |n: u64| n.div_ceil(512) * 512;
        let long = if name_len > 100 {
            512 + blocks(name_len as u64 + 1)
        } else {
            0
        };
        self.0 += 512 + long + blocks(content);
    }

    pub fn total(&self) -> u64 {
        self.0 + 1024
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Typed {
        Typed::new(s, Path::new("/work"))
    }

    fn p(dir: &str, top: &str) -> Result<Plan, &'static str> {
        Ok(Plan {
            dir: dir.into(),
            top: top.into(),
        })
    }

    #[test]
    fn typed_paths_keep_dockers_markers() {
        assert_eq!(t("a/b/").clean, PathBuf::from("/work/a/b"));
        assert!(t("a/b/").asserts_dir && !t("a/b/").contents);
        assert!(t("a/.").contents && t("a/.").asserts_dir);
        assert!(t(".").contents);
        assert!(t("/").contents);
        assert_eq!(t("/x/../y").clean, PathBuf::from("/y"));
        assert_eq!(t("/etc").base(), PathBuf::from("etc"));
    }

    #[test]
    fn where_a_copy_lands_as_docker_decides() {
        let name = |s: &str| PathBuf::from(s);
        // Into an existing directory: under the source's name, or only
        // its content for `SRC/.`.
        assert_eq!(
            plan(&t("/etc"), true, &name("etc"), &t("/out"), Found::Dir),
            p("/out", "etc")
        );
        assert_eq!(
            plan(&t("/etc/."), true, &name("."), &t("/out"), Found::Dir),
            p("/out", "")
        );
        assert_eq!(
            plan(&t("/f"), false, &name("f"), &t("/out/"), Found::Dir),
            p("/out", "f")
        );
        // A directory over a file: refused.
        assert_eq!(
            plan(&t("/etc"), true, &name("etc"), &t("/out/f"), Found::File),
            Err("cannot copy directory")
        );
        // A file over a file: replaced under the destination's name.
        assert_eq!(
            plan(&t("/f"), false, &name("f"), &t("/out/g"), Found::File),
            p("/out", "g")
        );
        // Missing: made under the destination's name (a directory's
        // content goes there, whether or not `/.` was typed).
        assert_eq!(
            plan(
                &t("/etc"),
                true,
                &name("etc"),
                &t("/out/new"),
                Found::Missing
            ),
            p("/out", "new")
        );
        assert_eq!(
            plan(
                &t("/etc/."),
                true,
                &name("."),
                &t("/out/new"),
                Found::Missing
            ),
            p("/out", "new")
        );
        assert_eq!(
            plan(&t("/f"), false, &name("f"), &t("/out/new"), Found::Missing),
            p("/out", "new")
        );
        // A file to a missing `dir/`: docker's "no such directory".
        assert_eq!(
            plan(&t("/f"), false, &name("f"), &t("/out/new/"), Found::Missing),
            Err("no such directory")
        );
        // -L: the link's name, not its target's.
        assert_eq!(
            plan(&t("/tmp/l"), true, &name("l"), &t("/out"), Found::Dir),
            p("/out", "l")
        );
    }

    #[test]
    fn the_summary_counts_a_tar_streams_bytes() {
        // docker: "Successfully copied 2.05kB" for a 75-byte file.
        let mut s = TarSize::default();
        s.add(6, 75);
        assert_eq!(s.total(), 2048);
    }
}
