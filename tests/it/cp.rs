//! `cp`: round trips keep modes, owners and times; docker's path rules
//! and words (recorded from docker CLI 28.2.2 with dockerd 20.10); a
//! container's symlinks and hostile archives never reach the host.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;

use crate::common::{Ns, Out};

fn stat_in(ns: &Ns, c: &str, path: &str) -> String {
    ns.berth(&["exec", c, "stat", "-c", "%u:%g %a %Y %s", path])
        .ok()
        .trim()
        .to_string()
}

fn local_stat(p: &Path) -> String {
    let m = fs::symlink_metadata(p).unwrap();
    format!(
        "{}:{} {:o} {} {}",
        m.uid(),
        m.gid(),
        m.mode() & 0o7777,
        m.mtime(),
        m.size()
    )
}

/// A local tree: a setuid file owned by 1234, a subdirectory with an old
/// time, a symlink, a hard link, a name longer than 100 bytes.
fn local_tree(top: &Path) {
    fs::create_dir_all(top.join("sub")).unwrap();
    fs::write(top.join("sub/exe"), "#!/bin/sh\necho hi\n").unwrap();
    std::os::unix::fs::chown(top.join("sub/exe"), Some(1234), Some(4321)).unwrap();
    fs::set_permissions(top.join("sub/exe"), fs::Permissions::from_mode(0o4751)).unwrap();
    fs::hard_link(top.join("sub/exe"), top.join("hard")).unwrap();
    symlink("sub/exe", top.join("soft")).unwrap();
    fs::write(top.join("n".repeat(120)), "long").unwrap();
    let t = std::process::Command::new("touch")
        .args(["-d", "2020-01-02 03:04:05Z"])
        .arg(top.join("sub"))
        .status()
        .unwrap();
    assert!(t.success());
}

#[test]
fn round_trips_keep_modes_owners_and_times() {
    let ns = Ns::new("cp-trip");
    let img = ns.pull("busybox");
    ns.sleeper("c1", &img);
    ns.berth(&["create", "--name", "c2", "--network", "none", &img, "true"])
        .ok();
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    local_tree(&tree);
    let tree_s = tree.display().to_string();

    for c in ["c1", "c2"] {
        // Into an existing directory: under the source's name; the owners
        // the local files have (docker's, without -a).
        ns.berth(&["cp", &tree_s, &format!("{c}:/tmp")]).ok();
        if c == "c2" {
            ns.berth(&["start", "c2"]).ok();
            ns.berth(&["exec", "c2", "true"]).code(1); // it has exited
            ns.berth(&["rm", "c2"]).ok();
            ns.berth(&[
                "create",
                "--name",
                "c2",
                "--network",
                "none",
                &img,
                "sleep",
                "600",
            ])
            .ok();
            ns.berth(&["cp", &tree_s, "c2:/tmp"]).ok();
            ns.berth(&["start", "c2"]).ok();
        }
        let exe = stat_in(&ns, c, "/tmp/tree/sub/exe");
        assert_eq!(
            exe,
            format!(
                "1234:4321 4751 {} 18",
                fs::metadata(tree.join("sub/exe")).unwrap().mtime()
            )
        );
        assert_eq!(
            stat_in(&ns, c, "/tmp/tree/sub").split(' ').nth(2),
            Some("1577934245")
        );
        let inodes = ns
            .berth(&[
                "exec",
                c,
                "stat",
                "-c",
                "%i",
                "/tmp/tree/hard",
                "/tmp/tree/sub/exe",
            ])
            .ok()
            .to_string();
        let inodes: Vec<&str> = inodes.lines().collect();
        assert_eq!(inodes[0], inodes[1], "the hard link is kept");
        assert_eq!(
            ns.berth(&["exec", c, "readlink", "/tmp/tree/soft"]).ok(),
            "sub/exe\n"
        );
        assert_eq!(
            ns.berth(&["exec", c, "cat", &format!("/tmp/tree/{}", "n".repeat(120))])
                .ok(),
            "long"
        );

        // Out again: with -a the container's owners, without them the
        // user's own (root here); modes and times either way.
        let back = tmp.path().join(format!("back-{c}"));
        ns.berth(&[
            "cp",
            "-a",
            &format!("{c}:/tmp/tree"),
            &back.display().to_string(),
        ])
        .ok();
        assert_eq!(
            local_stat(&back.join("sub/exe")),
            local_stat(&tree.join("sub/exe"))
        );
        assert_eq!(local_stat(&back.join("sub")), local_stat(&tree.join("sub")));
        let plain = tmp.path().join(format!("plain-{c}"));
        ns.berth(&[
            "cp",
            &format!("{c}:/tmp/tree/sub/exe"),
            &plain.display().to_string(),
        ])
        .ok();
        let m = fs::metadata(&plain).unwrap();
        assert_eq!((m.uid(), m.gid(), m.mode() & 0o7777), (0, 0, 0o4751));
    }
}

#[test]
fn trailing_slash_and_dot_follow_dockers_rules() {
    let ns = Ns::new("cp-rules");
    let img = ns.pull("busybox");
    ns.sleeper("c1", &img);
    ns.berth(&[
        "exec",
        "c1",
        "sh",
        "-c",
        "mkdir -p /d/sub && echo a > /d/a && echo b > /d/sub/b",
    ])
    .ok();
    let tmp = tempfile::tempdir().unwrap();
    let at = |p: &str| tmp.path().join(p).display().to_string();
    let list = |p: &str| {
        let mut names: Vec<String> = walk(&tmp.path().join(p));
        names.sort();
        names.join(" ")
    };
    fs::create_dir(tmp.path().join("exists")).unwrap();
    ns.berth(&["cp", "c1:/d", &at("exists")]).ok();
    assert_eq!(list("exists"), "d d/a d/sub d/sub/b");
    ns.berth(&["cp", "c1:/d/.", &at("exists")]).ok();
    assert_eq!(list("exists"), "a d d/a d/sub d/sub/b sub sub/b");
    ns.berth(&["cp", "c1:/d", &at("new")]).ok();
    assert_eq!(list("new"), "a sub sub/b");
    ns.berth(&["cp", "c1:/d/a", &at("file")]).ok();
    ns.berth(&["cp", "c1:/d/sub/b", &at("file")]).ok();
    assert_eq!(fs::read_to_string(tmp.path().join("file")).unwrap(), "b\n");
    // A tar stream: the source's name first, `/.` gives its content.
    let names = |o: &Out| -> Vec<String> {
        let mut a = tar::Archive::new(o.stdout_bytes.as_slice());
        a.entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect()
    };
    assert_eq!(
        names(&ns.berth(&["cp", "c1:/d", "-"])),
        ["d/", "d/a", "d/sub/", "d/sub/b"]
    );
    assert_eq!(names(&ns.berth(&["cp", "c1:/d/a", "-"])), ["a"]);

    // docker's refusals, whole, exit 1.
    let err = |args: &[&str], want: String| {
        let o = ns.berth(args);
        assert_eq!(
            (o.code, o.stderr.as_str(), o.stdout.as_str()),
            (1, want.as_str(), ""),
            "{args:?}"
        );
    };
    fs::write(tmp.path().join("afile"), "x").unwrap();
    err(
        &["cp", "c1:/nosuch", &at("o")],
        "Error response from daemon: Could not find the file /nosuch in container c1\n".into(),
    );
    err(
        &["cp", "nosuchctr:/etc", &at("o")],
        "Error response from daemon: No such container: nosuchctr\n".into(),
    );
    err(
        &["cp", "c1:/d/a", &at("nodir/x")],
        format!(
            "invalid output path: directory \"{}\" does not exist\n",
            at("nodir")
        ),
    );
    err(
        &["cp", "c1:/d/a", &format!("{}/", at("newdir"))],
        "no such directory\n".into(),
    );
    err(
        &["cp", "c1:/d", &at("afile")],
        "cannot copy directory\n".into(),
    );
    err(
        &["cp", &at("nosuch"), "c1:/tmp"],
        format!("lstat {}: no such file or directory\n", at("nosuch")),
    );
    err(
        &["cp", &at("afile"), "c1:/nosuchdir/x"],
        "Error response from daemon: Could not find the file /nosuchdir in container c1\n".into(),
    );
    err(
        &["cp", &at("afile"), "c1:/nosuchdir/"],
        "no such directory\n".into(),
    );
    err(
        &["cp", "c1:/etc", "c2:/tmp"],
        "copying between containers is not supported\n".into(),
    );
    err(
        &["cp", "a", "b"],
        "must specify at least one container source\n".into(),
    );
    let o = ns.berth_stdin_bytes(&["cp", "-", "c1:/d/a"], b"");
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "destination \"c1:/d/a\" must be a directory\n")
    );
    // Nothing was made by the refusals.
    assert!(!tmp.path().join("nodir").exists() && !tmp.path().join("newdir").exists());
    assert_eq!(fs::read_to_string(tmp.path().join("afile")).unwrap(), "x");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn rec(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(base).unwrap().display().to_string());
            if p.is_dir() {
                rec(base, &p, out);
            }
        }
    }
    rec(dir, dir, &mut out);
    out
}

/// The escape corpus on a real container: its symlinks resolve inside
/// its own root on both directions, and hostile archives on stdin land
/// inside the destination directory or are refused.
#[test]
fn a_containers_symlinks_and_hostile_archives_stay_inside() {
    let ns = Ns::new("cp-escape");
    let img = ns.pull("busybox");
    ns.sleeper("c1", &img);
    let host = tempfile::tempdir().unwrap();
    let marker = host.path().join("marker");
    fs::write(&marker, "host").unwrap();
    let m = marker.display().to_string();
    let hdir = host.path().display().to_string();
    // Links a hostile image could hold: to the host's paths, absolute and
    // climbing.
    let script = format!(
        "mkdir -p {hdir} /dest && echo container > {m} && ln -s / /tmp/root && ln -s ../../../../../.. /tmp/up \
         && ln -s {hdir} /tmp/hostdir && ln -s {m} /tmp/hostfile"
    );
    ns.berth(&["exec", "c1", "sh", "-c", &script]).ok();
    let out = host.path().join("out");
    // Out: each link resolves in the container's root.
    for src in ["/tmp/root/{m}", "/tmp/up/{m}", "/tmp/hostdir/marker"] {
        let src = src.replace("{m}", m.trim_start_matches('/'));
        let _ = fs::remove_file(&out);
        ns.berth(&["cp", &format!("c1:{src}"), &out.display().to_string()])
            .ok();
        assert_eq!(fs::read_to_string(&out).unwrap(), "container\n", "{src}");
    }
    // -L on a link to an absolute path: the container's file.
    let _ = fs::remove_file(&out);
    ns.berth(&["cp", "-L", "c1:/tmp/hostfile", &out.display().to_string()])
        .ok();
    assert_eq!(fs::read_to_string(&out).unwrap(), "container\n");
    // In: through the container's links, into the container.
    let src = host.path().join("payload");
    fs::write(&src, "payload").unwrap();
    for dest in ["c1:/tmp/hostdir/", "c1:/tmp/up/tmp/", "c1:/tmp/hostfile"] {
        ns.berth(&["cp", &src.display().to_string(), dest]).ok();
    }
    assert_eq!(
        fs::read_to_string(&marker).unwrap(),
        "host",
        "the host's file is untouched"
    );
    assert_eq!(
        walk(host.path()).len(),
        3,
        "nothing new on the host: {:?}",
        walk(host.path())
    );
    assert_eq!(ns.berth(&["exec", "c1", "cat", &m]).ok(), "payload");

    // Hostile archives into /dest: refused, or written inside /dest.
    let hostile: Vec<Vec<(&str, tar::EntryType, String)>> = vec![
        vec![("../escaped", tar::EntryType::Regular, "x".into())],
        vec![
            ("l", tar::EntryType::Symlink, "/".into()),
            ("l/escaped", tar::EntryType::Regular, "x".into()),
        ],
        vec![
            ("l", tar::EntryType::Symlink, hdir.clone()),
            ("l/escaped", tar::EntryType::Regular, "x".into()),
        ],
        vec![
            ("u", tar::EntryType::Symlink, "../..".into()),
            ("u/escaped", tar::EntryType::Regular, "x".into()),
        ],
        vec![("h", tar::EntryType::Link, "../etc/passwd".into())],
    ];
    for entries in &hostile {
        let o = ns.berth_stdin_bytes(&["cp", "-", "c1:/dest"], &archive(entries));
        let found = ns
            .berth(&[
                "exec",
                "c1",
                "sh",
                "-c",
                "find / -xdev -name escaped 2>/dev/null; true",
            ])
            .ok()
            .to_string();
        assert!(
            found.lines().all(|l| l.starts_with("/dest/")),
            "{entries:?} (exit {}): {found}",
            o.code
        );
        assert!(!host.path().join("escaped").exists());
    }
    assert!(
        ns.berth(&["exec", "c1", "cat", "/etc/passwd"])
            .ok()
            .contains("root:")
    );
}

fn archive(entries: &[(&str, tar::EntryType, String)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(*kind);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(0);
        h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
        if matches!(kind, tar::EntryType::Symlink | tar::EntryType::Link) {
            h.set_link_name(data).unwrap();
            h.set_size(0);
            h.set_cksum();
            b.append(&h, std::io::empty()).unwrap();
        } else {
            h.set_size(data.len() as u64);
            h.set_cksum();
            b.append(&h, data.as_bytes()).unwrap();
        }
    }
    b.into_inner().unwrap()
}

/// A container without a task: docker's daemon mounts its volumes and
/// binds for the copy, so a copy out reads them and a copy in lands in
/// them (the next container on the volume sees it), not in its layer.
#[test]
fn a_stopped_containers_volumes_and_binds_take_part() {
    let ns = Ns::new("cp-volumes");
    let img = ns.pull("busybox");
    let host = tempfile::tempdir().unwrap();
    fs::write(host.path().join("from-host"), "bound\n").unwrap();
    let vol = format!("{}-v", ns.name);
    let on_vol = format!("{vol}:/data");
    let bind = format!("{}:/b:ro", host.path().display());
    let script = "echo kept > /data/in-volume";
    ns.berth(&[
        "run", "--name", "c1", "-v", &on_vol, "-v", &bind, &img, "sh", "-c", script,
    ])
    .ok();
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().to_str().unwrap();
    ns.berth(&["cp", "c1:/data/in-volume", dest]).ok();
    ns.berth(&["cp", "c1:/b/from-host", dest]).ok();
    assert_eq!(
        fs::read_to_string(out.path().join("in-volume")).unwrap(),
        "kept\n"
    );
    assert_eq!(
        fs::read_to_string(out.path().join("from-host")).unwrap(),
        "bound\n"
    );
    // In: into the volume, where the next container on it finds it.
    let local = out.path().join("new");
    fs::write(&local, "copied in\n").unwrap();
    ns.berth(&["cp", local.to_str().unwrap(), "c1:/data/"]).ok();
    let seen = ns.berth(&["run", "--rm", "-v", &on_vol, &img, "cat", "/data/new"]);
    assert_eq!(seen.ok(), "copied in\n");
    // A read-only bind stays read-only, and the host's directory untouched.
    ns.berth(&["cp", local.to_str().unwrap(), "c1:/b/"]).code(1);
    assert!(!host.path().join("new").exists());
    // Never started, its mount point not in the image: made, as docker does.
    let deep = format!("{vol}:/deep/er");
    ns.berth(&["create", "--name", "c2", "-v", &deep, &img, "true"])
        .ok();
    let out2 = tempfile::tempdir().unwrap();
    ns.berth(&["cp", "c2:/deep/er/new", out2.path().to_str().unwrap()])
        .ok();
    assert_eq!(
        fs::read_to_string(out2.path().join("new")).unwrap(),
        "copied in\n"
    );
}
