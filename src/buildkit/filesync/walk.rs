//! The directory walk behind a file-sync send: entries in the order fsutil
//! expects (depth first, names in byte order, a directory right before its
//! contents), filtered by include and exclude patterns, each with a stat in
//! fsutil's form.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::mode;
use super::patterns::Matcher;
use crate::buildkit::proto::Stat;

/// One entry to send; `source` is set for regular files (their data).
#[derive(Debug)]
pub struct Entry {
    pub stat: Stat,
    pub source: Option<PathBuf>,
}

pub struct Filter {
    pub include: Matcher,
    pub exclude: Matcher,
}

/// Walks `root`, keeping what the filter lets through.
pub fn walk(root: &Path, filter: &Filter) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut links = HashMap::new();
    walk_dir(root, "", filter, &mut out, &mut links)?;
    Ok(out)
}

fn walk_dir(
    dir: &Path,
    rel: &str,
    filter: &Filter,
    out: &mut Vec<Entry>,
    links: &mut HashMap<(u64, u64), String>,
) -> std::io::Result<()> {
    let mut names: Vec<_> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()?;
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    for name in names {
        let Some(name_str) = name.to_str() else {
            continue;
        };
        let path = dir.join(&name);
        let relpath = if rel.is_empty() {
            name_str.to_string()
        } else {
            format!("{rel}/{name_str}")
        };
        let meta = fs::symlink_metadata(&path)?;
        let is_dir = meta.is_dir();
        let excluded = !filter.exclude.is_empty() && filter.exclude.matches(&relpath);
        let included = filter.include.is_empty() || filter.include.matches(&relpath);
        if is_dir {
            let descend = if excluded {
                filter.exclude.has_negation()
            } else {
                included || filter.include.could_match_below(&relpath)
            };
            if !descend {
                continue;
            }
            let at = out.len();
            out.push(Entry {
                stat: stat_of(&relpath, &meta, None),
                source: None,
            });
            walk_dir(&path, &relpath, filter, out, links)?;
            // A directory that is only a parent of what is sent goes only
            // when something below it does.
            if (excluded || !included) && out.len() == at + 1 {
                out.pop();
            }
            continue;
        }
        if excluded || !included {
            continue;
        }
        if meta.file_type().is_socket() {
            continue;
        }
        let mut linkname = None;
        if meta.file_type().is_symlink() {
            linkname = Some(fs::read_link(&path)?.to_string_lossy().into_owned());
        } else if meta.is_file() && meta.nlink() > 1 {
            let key = (meta.dev(), meta.ino());
            if let Some(first) = links.get(&key) {
                let mut stat = stat_of(&relpath, &meta, Some(first.clone()));
                stat.size = 0;
                out.push(Entry { stat, source: None });
                continue;
            }
            links.insert(key, relpath.clone());
        }
        let source = meta.is_file().then(|| path.clone());
        out.push(Entry {
            stat: stat_of(&relpath, &meta, linkname),
            source,
        });
    }
    Ok(())
}

use std::os::unix::fs::FileTypeExt;

fn stat_of(rel: &str, meta: &fs::Metadata, linkname: Option<String>) -> Stat {
    let rdev = meta.rdev();
    let is_dev = meta.file_type().is_block_device() || meta.file_type().is_char_device();
    Stat {
        path: rel.to_string(),
        mode: mode::to_go(meta.mode()),
        // As docker's client: files enter the build owned by root, so
        // COPY without --chown gives root-owned files as with docker.
        uid: 0,
        gid: 0,
        size: if meta.is_file() {
            meta.size() as i64
        } else {
            0
        },
        mod_time: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
        linkname: linkname.unwrap_or_default(),
        devmajor: if is_dev { libc::major(rdev) as i64 } else { 0 },
        devminor: if is_dev { libc::minor(rdev) as i64 } else { 0 },
        xattrs: HashMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.stat.path.as_str()).collect()
    }

    #[test]
    fn order_and_filters() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        for f in [
            "b.txt",
            "a/z.txt",
            "a/b.log",
            "B",
            "node/x.js",
            "keep/in/k.txt",
        ] {
            let p = r.join(f);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, f).unwrap();
        }
        std::os::unix::fs::symlink("b.txt", r.join("link")).unwrap();
        fs::hard_link(r.join("b.txt"), r.join("c-hard")).unwrap();
        let all = walk(
            r,
            &Filter {
                include: Matcher::default(),
                exclude: Matcher::default(),
            },
        )
        .unwrap();
        assert_eq!(
            names(&all),
            [
                "B",
                "a",
                "a/b.log",
                "a/z.txt",
                "b.txt",
                "c-hard",
                "keep",
                "keep/in",
                "keep/in/k.txt",
                "link",
                "node",
                "node/x.js"
            ]
        );
        let link = all.iter().find(|e| e.stat.path == "link").unwrap();
        assert_eq!(link.stat.linkname, "b.txt");
        assert_eq!(link.stat.mode & mode::SYMLINK, mode::SYMLINK);
        let hard = all.iter().find(|e| e.stat.path == "c-hard").unwrap();
        assert_eq!((hard.stat.linkname.as_str(), hard.stat.size), ("b.txt", 0));
        assert!(all.iter().find(|e| e.stat.path == "a").unwrap().stat.mode & mode::DIR != 0);

        let ignored = walk(
            r,
            &Filter {
                include: Matcher::default(),
                exclude: Matcher::new(&["*.log", "node", "keep", "!keep/in/k.txt"]).unwrap(),
            },
        )
        .unwrap();
        assert_eq!(
            names(&ignored),
            [
                "B",
                "a",
                "a/b.log",
                "a/z.txt",
                "b.txt",
                "c-hard",
                "keep",
                "keep/in",
                "keep/in/k.txt",
                "link"
            ],
            "*.log matches at the top only, as with docker"
        );
        let only = walk(
            r,
            &Filter {
                include: Matcher::new(&["keep/in/k.txt", "B"]).unwrap(),
                exclude: Matcher::default(),
            },
        )
        .unwrap();
        assert_eq!(names(&only), ["B", "keep", "keep/in", "keep/in/k.txt"]);
    }
}
