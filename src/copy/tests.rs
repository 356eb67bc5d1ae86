//! The copy machinery on real directories: round trips keep what they
//! should, and a corpus of hostile archives and symlink layouts never
//! writes outside the destination.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use super::*;

/// An archive built entry by entry (names as given, unchecked).
fn archive(entries: &[(&str, tar::EntryType, &str)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        let bytes = name.as_bytes();
        h.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        match kind {
            tar::EntryType::Symlink | tar::EntryType::Link => {
                h.set_link_name(data).unwrap();
                h.set_size(0);
                h.set_cksum();
                b.append(&h, std::io::empty()).unwrap();
            }
            _ => {
                h.set_size(data.len() as u64);
                h.set_cksum();
                b.append(&h, data.as_bytes()).unwrap();
            }
        }
    }
    b.into_inner().unwrap()
}

struct Place {
    _tmp: tempfile::TempDir,
    outer: PathBuf,
    dest: PathBuf,
}

fn place() -> Place {
    let tmp = tempfile::tempdir().unwrap();
    let outer = tmp.path().to_path_buf();
    let dest = outer.join("dest");
    fs::create_dir(&dest).unwrap();
    fs::write(outer.join("victim"), "precious").unwrap();
    fs::create_dir(outer.join("vdir")).unwrap();
    Place {
        _tmp: tmp,
        outer,
        dest,
    }
}

/// Every path under `outer` but outside `dest`, with its content.
fn outside(p: &Place) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    fn rec(dir: &Path, p: &Place, out: &mut Vec<(PathBuf, String)>) {
        for e in fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.starts_with(&p.dest) {
                continue;
            }
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.push((path.clone(), String::new()));
                rec(&path, p, out);
            } else {
                out.push((path.clone(), fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    rec(&p.outer, p, &mut out);
    out.sort();
    out
}

fn extract(p: &Place, tar: &[u8]) -> std::io::Result<()> {
    let mut sink = DirSink::new(Root::open(&p.dest)?, Owner::Keep);
    read_tar(tar, &mut sink)?;
    sink.finish()
}

use tar::EntryType::{Directory as D, Link as H, Regular as F, Symlink as L};

#[test]
fn hostile_archives_never_write_outside_the_destination() {
    type Case<'a> = (&'a str, Vec<(&'a str, tar::EntryType, &'a str)>);
    let corpus: Vec<Case> = vec![
        ("dot-dot", vec![("../victim", F, "pwned")]),
        ("deep dot-dot", vec![("a/../../victim", F, "pwned")]),
        (
            "dot-slash dot-dot",
            vec![("./../../../../victim", F, "pwned")],
        ),
        ("absolute name", vec![("/victim", F, "pwned")]),
        (
            "absolute link then through it",
            vec![("l", L, "/"), ("l/victim", F, "pwned")],
        ),
        (
            "relative link up then through it",
            vec![("l", L, "../.."), ("l/victim", F, "pwned")],
        ),
        (
            "link to the outer dir",
            vec![("l", L, "PLACE"), ("l/victim", F, "pwned")],
        ),
        (
            "link then a dir through it",
            vec![("l", L, ".."), ("l/vdir", D, ""), ("l/vdir/x", F, "pwned")],
        ),
        (
            "link to a file then the file",
            vec![("l", L, "../victim"), ("l", F, "pwned")],
        ),
        (
            "chained links",
            vec![("a", L, "b"), ("b", L, "../"), ("a/victim", F, "pwned")],
        ),
        ("hard link out", vec![("h", H, "../victim")]),
        (
            "hard link through a link",
            vec![("l", L, ".."), ("h", H, "l/victim"), ("h", F, "pwned")],
        ),
        (
            "link named like a parent",
            vec![("d", L, "/"), ("d/d/d/victim", F, "pwned")],
        ),
    ];
    for (what, entries) in corpus {
        let p = place();
        let before = outside(&p);
        let outer = p.outer.display().to_string();
        let entries: Vec<(&str, tar::EntryType, String)> = entries
            .iter()
            .map(|(n, k, d)| (*n, *k, d.replace("PLACE", &outer)))
            .collect();
        let borrowed: Vec<(&str, tar::EntryType, &str)> = entries
            .iter()
            .map(|(n, k, d)| (*n, *k, d.as_str()))
            .collect();
        let result = extract(&p, &archive(&borrowed));
        assert_eq!(outside(&p), before, "{what}: wrote outside the destination");
        // Names that only look outside land inside instead.
        if matches!(
            what,
            "absolute name" | "absolute link then through it" | "relative link up then through it"
        ) {
            assert!(result.is_ok(), "{what}: {result:?}");
            assert_eq!(
                fs::read_to_string(p.dest.join("victim")).unwrap(),
                "pwned",
                "{what}"
            );
        }
        if what.contains("dot-dot") || what == "hard link out" {
            assert!(result.is_err(), "{what}: accepted");
        }
        assert_eq!(
            fs::read_to_string(p.outer.join("victim")).unwrap(),
            "precious",
            "{what}"
        );
    }
}

#[test]
fn existing_symlinks_in_the_destination_are_replaced_not_followed() {
    let p = place();
    symlink(p.outer.join("victim"), p.dest.join("f")).unwrap();
    symlink(p.outer.join("vdir"), p.dest.join("d")).unwrap();
    extract(&p, &archive(&[("f", F, "new")])).unwrap();
    assert_eq!(
        fs::read_to_string(p.outer.join("victim")).unwrap(),
        "precious"
    );
    assert_eq!(fs::read_to_string(p.dest.join("f")).unwrap(), "new");
    // A directory entry over a symlink is docker's "cannot overwrite" error.
    let err = extract(&p, &archive(&[("d", D, "")])).unwrap_err();
    assert!(
        err.to_string().contains("cannot overwrite non-directory"),
        "{err}"
    );
    assert!(fs::read_dir(p.outer.join("vdir")).unwrap().next().is_none());
}

#[test]
fn a_walk_keeps_to_its_root_and_does_not_follow_links_inside() {
    let p = place();
    let root = p.dest.join("root");
    fs::create_dir_all(root.join("etc")).unwrap();
    fs::write(root.join("etc/inside"), "in").unwrap();
    symlink("/etc", root.join("abs")).unwrap();
    symlink("../../..", root.join("up")).unwrap();
    let r = Root::open(&root).unwrap();
    // -L on an absolute link: followed inside the root.
    let mut names = Names(Vec::new());
    walk(&r, Path::new("abs"), Path::new("abs"), true, &mut names).unwrap();
    assert_eq!(names.0, ["abs/", "abs/inside"]);
    // `up` climbs to the root, never above it.
    let mut names = Names(Vec::new());
    walk(&r, Path::new("up/etc"), Path::new("x"), true, &mut names).unwrap();
    assert_eq!(names.0, ["x/", "x/inside"]);
    // Without -L the link itself is the copy.
    let mut names = Names(Vec::new());
    walk(&r, Path::new("abs"), Path::new("abs"), false, &mut names).unwrap();
    assert_eq!(names.0, ["abs -> /etc"]);
}

struct Names(Vec<String>);

impl Sink for Names {
    fn put(&mut self, e: &Entry, _: Option<Body<'_>>) -> std::io::Result<u64> {
        let n = e.name.display().to_string();
        self.0.push(match &e.kind {
            Kind::Dir => format!("{n}/"),
            Kind::Symlink(t) => format!("{n} -> {}", t.display()),
            _ => n,
        });
        Ok(0)
    }
}

#[test]
fn a_round_trip_through_tar_keeps_modes_owners_times_and_links() {
    let p = place();
    let src = p.outer.join("src");
    fs::create_dir_all(src.join("sub")).unwrap();
    fs::write(src.join("sub/exe"), "#!/bin/sh\n").unwrap();
    fs::set_permissions(src.join("sub/exe"), fs::Permissions::from_mode(0o4751)).unwrap();
    fs::hard_link(src.join("sub/exe"), src.join("hard")).unwrap();
    symlink("sub/exe", src.join("soft")).unwrap();
    let long = "n".repeat(150);
    fs::write(src.join(&long), "long").unwrap();
    nix::unistd::mkfifo(
        &src.join("fifo"),
        nix::sys::stat::Mode::from_bits_truncate(0o640),
    )
    .unwrap();
    std::os::unix::fs::lchown(src.join("soft"), Some(1234), Some(4321)).unwrap();
    std::os::unix::fs::chown(src.join("sub/exe"), Some(1234), Some(4321)).unwrap();
    fs::set_permissions(src.join("sub/exe"), fs::Permissions::from_mode(0o4751)).unwrap();
    let t = nix::sys::time::TimeSpec::new(1_000_000_000, 0);
    nix::sys::stat::utimensat(
        nix::fcntl::AT_FDCWD,
        &src.join("sub"),
        &t,
        &t,
        nix::sys::stat::UtimensatFlags::NoFollowSymlink,
    )
    .unwrap();

    let mut tar = TarSink::new(Vec::new());
    let bytes = walk(
        &Root::open(&p.outer).unwrap(),
        Path::new("src"),
        Path::new("copy"),
        false,
        &mut tar,
    )
    .unwrap();
    assert_eq!(bytes, 10 + 4);
    let tar = tar.finish().unwrap();
    let mut sink = DirSink::new(Root::open(&p.dest).unwrap(), Owner::Keep);
    read_tar(&tar[..], &mut sink).unwrap();
    sink.finish().unwrap();

    let out = p.dest.join("copy");
    let exe = fs::metadata(out.join("sub/exe")).unwrap();
    assert_eq!(
        (exe.mode() & 0o7777, exe.uid(), exe.gid()),
        (0o4751, 1234, 4321)
    );
    assert_eq!(
        exe.ino(),
        fs::metadata(out.join("hard")).unwrap().ino(),
        "hard link kept"
    );
    assert_eq!(
        fs::read_link(out.join("soft")).unwrap(),
        Path::new("sub/exe")
    );
    assert_eq!(fs::symlink_metadata(out.join("soft")).unwrap().uid(), 1234);
    assert_eq!(fs::read_to_string(out.join(&long)).unwrap(), "long");
    assert!(
        fs::symlink_metadata(out.join("fifo"))
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
    assert_eq!(
        fs::metadata(out.join("sub")).unwrap().mtime(),
        1_000_000_000
    );

    // Fixed owners: every file becomes theirs.
    let again = p.outer.join("again");
    fs::create_dir(&again).unwrap();
    let mut sink = DirSink::new(Root::open(&again).unwrap(), Owner::Fixed(7, 8));
    walk(
        &Root::open(&p.outer).unwrap(),
        Path::new("src"),
        Path::new(""),
        false,
        &mut sink,
    )
    .unwrap();
    sink.finish().unwrap();
    let exe = fs::metadata(again.join("sub/exe")).unwrap();
    assert_eq!((exe.uid(), exe.gid(), exe.mode() & 0o7777), (7, 8, 0o4751));
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for fs::FileType {
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}
