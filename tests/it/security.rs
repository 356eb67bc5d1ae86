//! Security flags, each checked from inside the container:
//! `/proc/self/status` for capabilities, seccomp and no_new_privs, real
//! syscalls for the seccomp profile, device nodes, groups, namespaces.

use crate::common::Ns;

fn status_field(out: &str, key: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key} in {out}"))
        .trim()
        .to_string()
}

fn status(ns: &Ns, img: &str, flags: &[&str]) -> String {
    ns.run_sh(flags, img, "cat /proc/self/status")
        .ok()
        .to_string()
}

#[test]
fn capabilities_follow_dockers_rules() {
    let ns = Ns::new("sec-caps");
    let img = ns.pull("busybox");
    // docker's default set, to the bit; nothing inheritable or ambient.
    let out = status(&ns, &img, &[]);
    assert_eq!(status_field(&out, "CapEff"), "00000000a80425fb");
    assert_eq!(status_field(&out, "CapBnd"), "00000000a80425fb");
    assert_eq!(status_field(&out, "CapInh"), "0000000000000000");
    assert_eq!(status_field(&out, "CapAmb"), "0000000000000000");
    let out = status(&ns, &img, &["--cap-drop", "ALL"]);
    assert_eq!(status_field(&out, "CapEff"), "0000000000000000");
    // NET_ADMIN is bit 12; CHOWN (bit 0) dropped.
    let out = status(
        &ns,
        &img,
        &["--cap-add", "net_admin", "--cap-drop", "CAP_CHOWN"],
    );
    assert_eq!(status_field(&out, "CapEff"), "00000000a80435fa");
    let out = status(&ns, &img, &["--cap-drop", "ALL", "--cap-add", "KILL"]);
    assert_eq!(status_field(&out, "CapEff"), "0000000000000020");
    ns.berth(&["run", "--rm", "--cap-add", "FLY", &img, "true"])
        .code(125)
        .stderr_has("unknown capability: \"CAP_FLY\"");
}

#[test]
fn default_seccomp_profile_denies_what_privileged_allows() {
    let ns = Ns::new("sec-seccomp");
    let img = ns.pull("busybox");
    let out = status(&ns, &img, &[]);
    assert_eq!(status_field(&out, "Seccomp"), "2");
    // A user namespace needs no capability: only the profile stops it.
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        &img,
        "unshare",
        "-U",
        "true",
    ])
    .code(1)
    .stderr_has("Operation not permitted");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--security-opt",
        "seccomp=unconfined",
        &img,
        "unshare",
        "-U",
        "true",
    ])
    .ok();
    // mount: denied by default, allowed with --privileged (no profile,
    // every capability) and, as docker, with CAP_SYS_ADMIN alone.
    let mount = "mount -t tmpfs t /tmp && unshare -m true && echo done";
    let run = |flags: &[&str]| ns.run_sh(flags, &img, mount);
    run(&[]).code(1).stderr_has("permission denied");
    assert_eq!(run(&["--privileged"]).ok(), "done\n");
    // docker's boolean forms, as the Jenkins example writes it.
    assert_eq!(run(&["--privileged=true"]).ok(), "done\n");
    run(&["--privileged=false"]).code(1);
    assert_eq!(run(&["--cap-add", "SYS_ADMIN"]).ok(), "done\n");
    let out = status(&ns, &img, &["--privileged"]);
    assert_eq!(status_field(&out, "Seccomp"), "0");
    let own = status_field(
        &std::fs::read_to_string("/proc/self/status").unwrap(),
        "CapBnd",
    );
    assert_eq!(status_field(&out, "CapEff"), own);
}

#[test]
fn a_seccomp_profile_file_and_no_new_privileges() {
    let ns = Ns::new("sec-profile");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p.json");
    // docker's format: everything allowed but mkdir/mkdirat.
    std::fs::write(
        &profile,
        r#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}"#,
    )
    .unwrap();
    let opt = format!("seccomp={}", profile.display());
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--security-opt",
        &opt,
        &img,
        "mkdir",
        "/x",
    ])
    .code(1)
    .stderr_has("Operation not permitted");
    // docker: --privileged runs with no profile, even a given one.
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--privileged",
        "--security-opt",
        &opt,
        &img,
        "mkdir",
        "/x",
    ])
    .ok();
    ns.berth(&[
        "run",
        "--rm",
        "--security-opt",
        "seccomp=/nonexistent.json",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("/nonexistent.json");
    std::fs::write(&profile, "{not json").unwrap();
    ns.berth(&["run", "--rm", "--security-opt", &opt, &img, "true"])
        .code(125)
        .stderr_has("seccomp profile");
    let out = status(&ns, &img, &["--security-opt", "no-new-privileges"]);
    assert_eq!(status_field(&out, "NoNewPrivs"), "1");
    let out = status(&ns, &img, &[]);
    assert_eq!(status_field(&out, "NoNewPrivs"), "0");
    ns.berth(&[
        "run",
        "--rm",
        "--security-opt",
        "label=disable",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("not supported yet");
}

#[test]
fn devices_groups_and_init() {
    let ns = Ns::new("sec-devices");
    let img = ns.pull("busybox");
    let out = ns
        .berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            "--device",
            "/dev/zero:/dev/myzero",
            "--device",
            "/dev/kmsg:/dev/k:r",
            "--group-add",
            "1234",
            "--group-add",
            "daemon",
            &img,
            "sh",
            "-c",
            "head -c 2 /dev/myzero | od -An -tx1; echo berth-test > /dev/k || echo denied; id -G",
        ])
        .ok()
        .to_string();
    // /dev/kmsg is not among docker's default devices: only its rule lets
    // the container at it, and `r` does not let it write.
    assert_eq!(out, " 00 00\ndenied\n0 1 1234\n", "{out}");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--device",
        "/dev/kmsg:/dev/k:w",
        &img,
        "sh",
        "-c",
        "echo berth-test > /dev/k",
    ])
    .ok();
    // A cgroup rule alone lets a node made inside at the device.
    let rule = |r: &str| {
        ns.berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            "--device-cgroup-rule",
            r,
            &img,
            "sh",
            "-c",
            "mknod /tmp/k c 1 11 && echo berth-test > /tmp/k && echo wrote",
        ])
    };
    assert_eq!(rule("c 1:11 rwm").ok(), "wrote\n");
    rule("c 1:11 rm").code(1);
    ns.berth(&[
        "run",
        "--rm",
        "--device-cgroup-rule",
        "c 1:11 rx",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("invalid device cgroup rule format");
    ns.berth(&["run", "--rm", "--device", "/etc/hostname", &img, "true"])
        .code(125)
        .stderr_has("not a device node");
    // --init: tini is PID 1 and the command its child.
    let out = ns
        .berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            "--init",
            &img,
            "sh",
            "-c",
            "tr '\\0' ' ' < /proc/1/cmdline; echo; echo $$",
        ])
        .ok()
        .to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "/sbin/docker-init -- sh -c tr '\\0' ' ' < /proc/1/cmdline; echo; echo $$ "
    );
    assert_ne!(lines[1], "1");
}

#[test]
fn pid_ipc_uts_and_cgroup_namespaces() {
    let ns = Ns::new("sec-ns");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "peer",
        "--ipc",
        "shareable",
        "--network",
        "none",
        &img,
        "sleep",
        "300",
    ])
    .ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "private",
        "--network",
        "none",
        &img,
        "sleep",
        "300",
    ])
    .ok();
    // --pid container:peer sees peer's sleep as PID 1.
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--pid",
        "container:peer",
        &img,
        "cat",
        "/proc/1/cmdline",
    ]);
    assert_eq!(out.ok(), "sleep\u{0}300\u{0}");
    let host_ipc = std::fs::read_link("/proc/self/ns/ipc").unwrap();
    let out = ns.berth(&[
        "run",
        "--rm",
        "--ipc",
        "host",
        &img,
        "readlink",
        "/proc/self/ns/ipc",
    ]);
    assert_eq!(out.ok().trim(), host_ipc.to_str().unwrap());
    let peer_ipc = ns
        .berth(&["exec", "peer", "readlink", "/proc/self/ns/ipc"])
        .ok()
        .to_string();
    // The same IPC namespace and the same /dev/shm.
    ns.berth(&["exec", "peer", "sh", "-c", "echo from-peer > /dev/shm/note"])
        .ok();
    let out = ns.berth(&[
        "run",
        "--rm",
        "--ipc",
        "container:peer",
        &img,
        "sh",
        "-c",
        "readlink /proc/self/ns/ipc; cat /dev/shm/note",
    ]);
    assert_eq!(out.ok(), format!("{peer_ipc}from-peer\n"));
    ns.berth(&["run", "--rm", "--ipc", "container:private", &img, "true"])
        .code(125)
        .stderr_has("non-shareable IPC");
    // --pid host: the host's PID 1 is visible.
    let host_init = std::fs::read("/proc/1/cmdline").unwrap();
    let out = ns.berth(&[
        "run",
        "--rm",
        "--pid",
        "host",
        &img,
        "cat",
        "/proc/1/cmdline",
    ]);
    assert_eq!(out.stdout.as_bytes(), host_init.as_slice());
    let host_name = nix::unistd::gethostname().unwrap();
    let out = ns.berth(&["run", "--rm", "--uts", "host", &img, "hostname"]);
    assert_eq!(out.ok().trim(), host_name.to_str().unwrap());
    ns.berth(&["run", "--rm", "--uts", "host", "-h", "x", &img, "true"])
        .code(125)
        .stderr_has("Conflicting options: hostname and the UTS mode");
    ns.berth(&["run", "--rm", "--pid", "container:nope", &img, "true"])
        .code(125)
        .stderr_has("No such container: nope");
    ns.berth(&["rm", "-f", "private"]).ok();
    ns.berth(&["stop", "-t", "0", "peer"]).ok();
    ns.berth(&["run", "--rm", "--pid", "container:peer", &img, "true"])
        .code(125)
        .stderr_has("non running container");
    // Removing the shareable container unmounts its /dev/shm.
    let id = ns
        .berth(&["inspect", "-f", "{{.Id}}", "peer"])
        .ok()
        .trim()
        .to_string();
    let shm = ns.container_dir(&id).join("shm");
    assert!(mounted(&shm), "{} is not a mount", shm.display());
    ns.berth(&["rm", "peer"]).ok();
    assert!(!mounted(&shm));
    // A private cgroup namespace: the container's cgroup is its root.
    let out = ns.berth(&[
        "run",
        "--rm",
        "--cgroupns",
        "private",
        &img,
        "sh",
        "-c",
        "grep -c ':/$' /proc/self/cgroup",
    ]);
    let total = ns
        .berth(&[
            "run",
            "--rm",
            "--cgroupns",
            "private",
            &img,
            "sh",
            "-c",
            "wc -l < /proc/self/cgroup",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(out.ok().trim(), total);
}

/// The container's cgroup as its first process sees it from the host
/// (`0::/path` on v2, the `pids` line on v1).
fn cgroup_of(ns: &Ns, id: &str) -> String {
    let pid = ns
        .berth(&["inspect", "-f", "{{.State.Pid}}", id])
        .ok()
        .trim()
        .to_string();
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    text.lines()
        .find_map(|l| {
            let mut p = l.splitn(3, ':');
            let (_, ctl, path) = (p.next()?, p.next()?, p.next()?);
            (ctl.is_empty() || ctl == "pids").then(|| path.to_string())
        })
        .unwrap()
}

#[test]
fn cgroup_parent_places_the_container() {
    use berth::container::cgroups::Manager;
    let ns = Ns::new("sec-cgparent");
    let img = ns.pull("busybox");
    let manager = crate::common::cgroup_manager();
    let run = |parent: &[&str]| {
        let mut args = vec!["run", "-d", "--network", "none"];
        args.extend_from_slice(parent);
        args.extend_from_slice(&[&img, "sleep", "300"]);
        ns.berth(&args).ok().trim().to_string()
    };
    // Without a parent: the namespace's directory, or systemd's services slice.
    let id = run(&[]);
    let want = match manager {
        Manager::Cgroupfs => format!("/{}/{id}", ns.name),
        Manager::Systemd => format!("/system.slice/berth-{id}.scope"),
    };
    assert_eq!(cgroup_of(&ns, &id), want);
    ns.berth(&["rm", "-f", &id]).ok();
    // systemd wants a slice (no dashes here: a dash nests slices).
    let parent = match manager {
        Manager::Cgroupfs => format!("berth-test-{}", std::process::id()),
        Manager::Systemd => format!("berthtest{}.slice", std::process::id()),
    };
    let id = run(&["--cgroup-parent", &parent]);
    let want = match manager {
        Manager::Cgroupfs => format!("/{parent}/{id}"),
        Manager::Systemd => format!("/{parent}/berth-{id}.scope"),
    };
    assert_eq!(cgroup_of(&ns, &id), want);
    if manager == Manager::Systemd {
        ns.berth(&["run", "--rm", "--cgroup-parent", "nope", &img, "true"])
            .code(125)
            .stderr_has(
                "cgroup-parent for systemd cgroup should be a valid slice named as \"xxx.slice\"",
            );
    }
    ns.berth(&["rm", "-f", &id]).ok();
    for ctl in [
        "pids", "memory", "cpu", "cpuset", "devices", "freezer", "blkio", "cpuacct",
    ] {
        let _ = std::fs::remove_dir(format!("/sys/fs/cgroup/{ctl}/{parent}"));
    }
    let _ = std::fs::remove_dir(format!("/sys/fs/cgroup/{parent}"));
}

fn mounted(path: &std::path::Path) -> bool {
    std::fs::read_to_string("/proc/self/mountinfo")
        .unwrap()
        .lines()
        .any(|l| l.split(' ').nth(4) == Some(path.to_str().unwrap()))
}
