//! Volumes and mounts: named volumes that outlive containers and are
//! filled from the image on first use, anonymous ones (`-v /path`, image
//! `VOLUME`) removed by `rm -v` and `--rm`, `--mount`, `--tmpfs`,
//! `--volumes-from`, inspect's `Mounts`, and the `volume` verbs.

use crate::common::Ns;

/// An image whose /data holds `seed` and is a `VOLUME`.
fn seeded_image(ns: &Ns) -> String {
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "--name",
        "seedsrc",
        "--network",
        "none",
        &img,
        "sh",
        "-c",
        "mkdir -p /data/sub && echo seeded > /data/seed && chown 1:1 /data && chmod 750 /data",
    ])
    .ok();
    let dir = tempfile::tempdir().unwrap();
    let tar = dir.path().join("root.tar");
    let tar = tar.to_str().unwrap();
    ns.berth(&["export", "-o", tar, "seedsrc"]).ok();
    ns.berth(&["rm", "seedsrc"]).ok();
    ns.berth(&[
        "import",
        "--change",
        "VOLUME /data",
        "--change",
        "CMD [\"sh\"]",
        tar,
        "seeded:1",
    ])
    .ok();
    "seeded:1".to_string()
}

fn sh(ns: &Ns, flags: &[&str], img: &str, script: &str) -> String {
    ns.run_sh(flags, img, script).ok().to_string()
}

#[test]
fn a_named_volume_is_filled_from_the_image_once_and_persists() {
    let ns = Ns::new("vol-named");
    let img = seeded_image(&ns);
    // First use: the image's /data is copied in, owner and mode too.
    let out = sh(
        &ns,
        &["-v", "keep:/data"],
        &img,
        "cat /data/seed; stat -c '%u %a' /data; echo new > /data/added",
    );
    assert_eq!(out, "seeded\n1 750\n");
    // Later containers see what earlier ones wrote; no second copy-up.
    let out = sh(&ns, &["-v", "keep:/data"], &img, "rm /data/seed; ls /data");
    assert_eq!(out, "added\nsub\n");
    let out = sh(
        &ns,
        &["--mount", "type=volume,src=keep,dst=/elsewhere,readonly"],
        &img,
        "ls /elsewhere; touch /elsewhere/x 2>/dev/null || echo read-only",
    );
    assert_eq!(out, "added\nsub\nread-only\n");
    // nocopy: an empty new volume stays empty.
    let out = sh(
        &ns,
        &["-v", "bare:/data:nocopy"],
        &img,
        "ls -A /data | wc -l",
    );
    assert_eq!(out.trim(), "0");
    let mp = ns
        .berth(&["volume", "inspect", "-f", "{{.Mountpoint}}", "keep"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        std::fs::read_to_string(format!("{mp}/added")).unwrap(),
        "new\n"
    );
    assert!(
        mp.starts_with(ns.data_root.path().to_str().unwrap()),
        "{mp}"
    );
}

#[test]
fn volume_rm_is_refused_while_a_container_uses_it() {
    let ns = Ns::new("vol-inuse");
    let img = ns.pull("busybox");
    assert_eq!(
        ns.berth(&["volume", "create", "--label", "team=a", "shared"])
            .ok(),
        "shared\n"
    );
    let id = ns
        .berth(&[
            "create",
            "--network",
            "none",
            "-v",
            "shared:/s",
            &img,
            "true",
        ])
        .ok()
        .trim()
        .to_string();
    let out = ns.berth(&["volume", "rm", "shared"]);
    out.code(1).stderr_has(&format!(
        "Error response from daemon: remove shared: volume is in use - [{id}]"
    ));
    // ps finds it by volume name and by destination.
    assert_eq!(
        ns.berth(&["ps", "-aq", "--no-trunc", "--filter", "volume=shared"])
            .ok(),
        format!("{id}\n")
    );
    assert_eq!(
        ns.berth(&["ps", "-aq", "--no-trunc", "--filter", "volume=/s"])
            .ok(),
        format!("{id}\n")
    );
    assert_eq!(
        ns.berth(&["ps", "-aq", "--filter", "volume=other"]).ok(),
        ""
    );
    // -f does not change that (docker's -f only ignores missing volumes).
    ns.berth(&["volume", "rm", "-f", "shared"]).code(1);
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "shared\n");
    assert_eq!(
        ns.berth(&["volume", "ls", "--filter", "dangling=true", "-q"])
            .ok(),
        ""
    );
    ns.berth(&["rm", &id]).ok();
    assert_eq!(ns.berth(&["volume", "rm", "shared"]).ok(), "shared\n");
    ns.berth(&["volume", "rm", "shared"])
        .code(1)
        .stderr_has("no such volume");
}

#[test]
fn rm_v_removes_anonymous_volumes_only_and_rm_flag_too() {
    let ns = Ns::new("vol-anon");
    let img = seeded_image(&ns);
    // The image's VOLUME and -v /cache are anonymous; "named" is not.
    let id = ns
        .berth(&[
            "create",
            "--network",
            "none",
            "-v",
            "/cache",
            "-v",
            "named:/n",
            &img,
        ])
        .ok()
        .trim()
        .to_string();
    let names = ns.berth(&["volume", "ls", "-q"]).ok().to_string();
    assert_eq!(names.lines().count(), 3, "{names}");
    let anon = ns
        .berth(&[
            "inspect",
            "-f",
            "{{range .Mounts}}{{.Destination}}={{.Name}} {{end}}",
            &id,
        ])
        .ok()
        .to_string();
    assert!(
        anon.contains("/cache=") && anon.contains("/data=") && anon.contains("/n=named"),
        "{anon}"
    );
    ns.berth(&["rm", "-v", &id]).ok();
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "named\n");
    // rm without -v keeps them; --rm takes them.
    let id = ns
        .berth(&["create", "--network", "none", "-v", "/cache", &img])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["rm", &id]).ok();
    // named, and the two anonymous ones (-v /cache, the image's /data).
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok().lines().count(), 3);
    ns.berth(&["volume", "prune", "-f"]).ok();
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "named\n");
    ns.berth(&[
        "run",
        "--rm=true",
        "--network",
        "none",
        "-v",
        "/cache",
        &img,
        "true",
    ])
    .ok();
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "named\n");
    // A refused creation leaves no volume behind.
    ns.berth(&[
        "run", "--rm", "-v", "/cache", "-v", "late:/x", "-m", "1m", &img, "true",
    ])
    .code(125);
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "named\n");
}

#[test]
fn tmpfs_mounts_with_size_and_mode() {
    let ns = Ns::new("vol-tmpfs");
    let img = ns.pull("busybox");
    let out = sh(
        &ns,
        &[
            "--tmpfs",
            "/run:size=64k,mode=1770",
            "--mount",
            "type=tmpfs,dst=/scratch,tmpfs-size=1m",
        ],
        &img,
        "grep -E ' /(run|scratch) ' /proc/mounts | cut -d' ' -f2-4 | sort; stat -c %a /run; df -k /run | awk 'NR==2 {print $2}'",
    );
    assert_eq!(
        out,
        "/run tmpfs rw,nosuid,nodev,noexec,relatime,size=64k,mode=1770\n\
         /scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k\n1770\n64\n"
    );
    ns.berth(&["run", "--rm", "--tmpfs", "relative", &img, "true"])
        .code(125)
        .stderr_has("must be absolute");
}

#[test]
fn binds_by_mount_volumes_from_and_inspect_mounts() {
    let ns = Ns::new("vol-from");
    let img = ns.pull("busybox");
    let host = tempfile::tempdir().unwrap();
    std::fs::write(host.path().join("f"), "host-file\n").unwrap();
    let src = host.path().to_str().unwrap();
    let bind = format!("type=bind,source={src},target=/h,readonly");
    ns.berth(&[
        "create",
        "--name",
        "donor",
        "--network",
        "none",
        "--mount",
        &bind,
        "-v",
        "dvol:/d",
        &img,
    ])
    .ok();
    let out = sh(
        &ns,
        &["--volumes-from", "donor:ro"],
        &img,
        "cat /h/f; touch /d/x 2>/dev/null || echo d-read-only",
    );
    assert_eq!(out, "host-file\nd-read-only\n");
    ns.berth(&[
        "run",
        "--rm",
        "--mount",
        "type=bind,src=/nonexistent-berth,dst=/x",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("bind source path does not exist: /nonexistent-berth");
    ns.berth(&["run", "--rm", "-v", "a1:/x", "--tmpfs", "/x", &img, "true"])
        .code(125)
        .stderr_has("Duplicate mount point: /x");
    let mounts = ns
        .berth(&["inspect", "-f", "{{json .Mounts}}", "donor"])
        .ok()
        .to_string();
    let mut mounts: serde_json::Value = serde_json::from_str(&mounts).unwrap();
    // docker's order is its map's: compare them sorted by destination.
    mounts
        .as_array_mut()
        .unwrap()
        .sort_by_key(|m| m["Destination"].as_str().unwrap().to_string());
    let vol_dir = ns
        .berth(&["volume", "inspect", "-f", "{{.Mountpoint}}", "dvol"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(
        mounts,
        serde_json::json!([
            {"Type": "volume", "Name": "dvol", "Source": vol_dir, "Destination": "/d", "Driver": "local",
             "Mode": "z", "RW": true, "Propagation": ""},
            {"Type": "bind", "Source": src, "Destination": "/h", "Mode": "", "RW": false, "Propagation": "rprivate"},
        ])
    );
}

#[test]
fn volume_ls_and_inspect_as_docker_prints_them() {
    let ns = Ns::new("vol-ls");
    ns.berth(&["volume", "create", "v10"]).ok();
    ns.berth(&["volume", "create", "--label", "k=v", "v2"]).ok();
    assert_eq!(
        ns.berth(&["volume", "ls"]).ok(),
        "DRIVER    VOLUME NAME\nlocal     v2\nlocal     v10\n"
    );
    assert_eq!(
        ns.berth(&[
            "volume",
            "ls",
            "--filter",
            "label=k",
            "--format",
            "{{.Name}} {{.Driver}}"
        ])
        .ok(),
        "v2 local\n"
    );
    let doc: serde_json::Value =
        serde_json::from_str(ns.berth(&["volume", "inspect", "v2"]).ok()).unwrap();
    let keys: Vec<&str> = doc[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "CreatedAt",
            "Driver",
            "Labels",
            "Mountpoint",
            "Name",
            "Options",
            "Scope"
        ]
    );
    assert_eq!(doc[0]["Labels"], serde_json::json!({"k": "v"}));
    ns.berth(&["volume", "inspect", "nope"])
        .code(1)
        .stderr_has("get nope: no such volume");
    // prune -a takes unused named volumes too.
    let out = ns.berth(&["volume", "prune", "-a", "-f"]).ok().to_string();
    assert!(out.starts_with("Deleted Volumes:\n"), "{out}");
    assert!(out.contains("v10\n") && out.contains("v2\n"), "{out}");
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "");
}

/// docker's cluster (swarm CSI) volume flags on a node that is not a swarm
/// manager, as berth's never is: docker's daemon's refusal for those that
/// ask for a cluster volume, the rest dropped as docker's CLI drops them,
/// an empty cluster table, `volume update` refused.
#[test]
fn cluster_volume_flags_as_on_a_node_without_swarm() {
    let ns = Ns::new("vol-cluster");
    let refusal = "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.\n";
    for flag in [
        "--group=g",
        "--scope=single",
        "--sharing=none",
        "--availability=active",
        "--type=mount",
        "--limit-bytes=1m",
        "--required-bytes=1m",
    ] {
        let out = ns.berth(&["volume", "create", flag, "cv1"]);
        out.code(1);
        assert_eq!(out.stderr, refusal, "{flag}");
    }
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "");
    // Not counted by docker's CLI: a local volume, the flags dropped.
    let made = ns.berth(&[
        "volume",
        "create",
        "--secret",
        "a=b",
        "--topology-required",
        "r=1",
        "cv2",
    ]);
    assert_eq!(made.ok(), "cv2\n");
    let cluster = ns.berth(&["volume", "ls", "--cluster", "--format", "{{.Name}}"]);
    assert_eq!(
        cluster.ok(),
        "VOLUME NAME   GROUP     DRIVER    AVAILABILITY   STATUS\n"
    );
    assert_eq!(ns.berth(&["volume", "ls", "--cluster", "-q"]).ok(), "");
    let update = ns.berth(&["volume", "update", "--availability", "drain", "cv2"]);
    update.code(1);
    assert_eq!(update.stderr, "Can only update cluster volumes\n");
    ns.berth(&["volume", "update", "nosuch"])
        .code(1)
        .stderr_has("Error response from daemon: get nosuch: no such volume\n");
}
