//! `berth run` (attached) against a real containerd.

use crate::common::Ns;

#[test]
fn echoes_and_passes_exit_codes_through() {
    let ns = Ns::new("run-exit");
    let img = ns.pull("busybox");
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "hello", "world"])
            .ok(),
        "hello world\n"
    );
    ns.berth(&["run", "--rm", &img, "sh", "-c", "exit 7"])
        .code(7);
    ns.berth(&["run", "--rm", &img, "sh", "-c", "exit 255"])
        .code(255);
}

#[test]
fn command_not_found_is_127_and_not_executable_is_126() {
    let ns = Ns::new("run-127");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--rm", &img, "no-such-command"])
        .code(127)
        .stderr_has("executable file not found");
    ns.berth(&["run", "--rm", &img, "/etc/passwd"])
        .code(126)
        .stderr_has("permission denied");
    // --rm cleaned up even though the process never started.
    assert_eq!(ns.berth(&["ps", "-a", "-q"]).ok(), "");
}

#[test]
fn berth_failures_are_125() {
    let ns = Ns::new("run-125");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--bogus-flag", &img]).code(125);
    ns.berth(&[
        "run",
        "--pull",
        "never",
        "127.0.0.1:5000/berth-test/not-pulled",
    ])
    .code(125)
    .stderr_has("No such image: 127.0.0.1:5000/berth-test/not-pulled:latest\n");
    // What berth does not support yet is the CLI's refusal, not the daemon's.
    for verb in ["run", "create"] {
        let out = ns.berth(&[verb, "--storage-opt", "size=1G", &img]);
        out.code(125);
        assert!(
            out.stderr.starts_with(&format!(
                "berth: berth {verb}: --storage-opt is not supported yet\n"
            )),
            "{}",
            out.stderr
        );
    }
    ns.berth(&["run", "-p", "80:80/sctp", &img])
        .code(125)
        .stderr_has("berth: invalid proto: sctp");
    ns.berth(&["run", "--network", "no-such-network", &img, "true"])
        .code(125)
        .stderr_has("network no-such-network not found");
    ns.berth(&["run", "-w", "relative", &img, "true"])
        .code(125)
        .stderr_has("absolute path");
    ns.berth(&["run", "--name", "_bad", &img, "true"])
        .code(125)
        .stderr_has("Invalid container name");
    ns.berth(&["run", "-u", "ghost", &img, "true"])
        .code(125)
        .stderr_has("unable to find user ghost");
    ns.berth(&["run"]).code(125);
}

#[test]
fn flags_after_the_image_belong_to_the_command() {
    let ns = Ns::new("run-args");
    let img = ns.pull("busybox");
    // -c and -i are run flags too; after the image they are the command's.
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "sh", "-c", "echo $0-ok"])
            .ok(),
        "sh-ok\n"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "echo", "-i", "-t"]).ok(),
        "-i -t\n"
    );
}

#[test]
fn environment_workdir_and_hostname() {
    let ns = Ns::new("run-env");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let envfile = dir.path().join("env");
    std::fs::write(&envfile, "# a comment\nFROM_FILE=yes\nOVERRIDE=file\n").unwrap();
    let out = ns
        .cmd()
        .env("PASSED_THROUGH", "from-host")
        .args([
            "run",
            "--rm",
            "--env-file",
            envfile.to_str().unwrap(),
            "-e",
            "OVERRIDE=flag",
            "-e",
            "PASSED_THROUGH",
            "-e",
            "UNSET_ON_HOST",
            "-w",
            "/tmp",
            "--hostname",
            "box1",
            &img,
            "sh",
            "-c",
            "echo $FROM_FILE $OVERRIDE $PASSED_THROUGH ${UNSET_ON_HOST-unset} $(pwd) $(hostname) $HOSTNAME",
        ])
        .output()
        .unwrap();
    assert_eq!(
        crate::common::Out::from(out).ok(),
        "yes flag from-host unset /tmp box1 box1\n"
    );
}

#[test]
fn default_hostname_is_the_short_id() {
    let ns = Ns::new("run-hostname");
    let img = ns.pull("busybox");
    let host = ns
        .berth(&["run", "--name", "hn", &img, "hostname"])
        .ok()
        .trim()
        .to_string();
    let id = ns
        .berth(&["ps", "-a", "--no-trunc", "-q"])
        .ok()
        .trim()
        .to_string();
    assert_eq!(host.len(), 12);
    assert!(id.starts_with(&host), "{id} vs {host}");
}

#[test]
fn users_resolve_from_the_image() {
    let ns = Ns::new("run-user");
    let img = ns.pull("busybox");
    let id = |u: Option<&str>| {
        let mut args = vec!["run", "--rm"];
        if let Some(u) = u {
            args.extend(["-u", u]);
        }
        args.extend([img.as_str(), "id"]);
        ns.berth(&args).ok().trim().to_string()
    };
    // docker lists the primary group first among the groups (moby's
    // getUser), then the user's supplementary groups from /etc/group.
    assert_eq!(id(None), "uid=0(root) gid=0(root) groups=0(root)");
    assert_eq!(
        id(Some("berth")),
        "uid=1000(berth) gid=1000(berth) groups=1000(berth),1001(extra)"
    );
    assert_eq!(
        id(Some("1000")),
        "uid=1000(berth) gid=1000(berth) groups=1000(berth),1001(extra)"
    );
    assert_eq!(
        id(Some("65534")),
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)"
    );
    // An explicit group drops the supplementary ones.
    assert_eq!(
        id(Some("1000:0")),
        "uid=1000(berth) gid=0(root) groups=0(root)"
    );
    assert_eq!(id(Some("4242")), "uid=4242 gid=0(root) groups=0(root)");
    // The image's USER applies when -u is not given.
    let multi = ns.pull("multilayer");
    let out = ns.berth(&["run", "--rm", "--entrypoint", "id", &multi]);
    assert_eq!(
        out.ok().trim(),
        "uid=1000(berth) gid=1000(berth) groups=1000(berth),1001(extra)"
    );
}

#[test]
fn entrypoint_and_cmd_merge_like_docker() {
    let ns = Ns::new("run-entry");
    let img = ns.pull("multilayer");
    // ENTRYPOINT ["/opt/app/run.sh"] CMD ["default-arg"], WORKDIR /data
    assert_eq!(
        ns.berth(&["run", "--rm", &img]).ok(),
        "multilayer default-arg\n"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "x", "y"]).ok(),
        "multilayer x y\n"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "--entrypoint", "pwd", &img]).ok(),
        "/data\n"
    );
    // Whiteouts: b.txt was deleted by the top layer.
    assert_eq!(
        ns.berth(&["run", "--rm", "--entrypoint", "ls", &img, "/data"])
            .ok(),
        "a.txt\n"
    );
    assert_eq!(
        ns.berth(&["run", "--rm", "--entrypoint", "", &img, "echo", "e"])
            .ok(),
        "e\n"
    );
}

#[test]
fn stdin_with_interactive() {
    let ns = Ns::new("run-stdin");
    let img = ns.pull("busybox");
    assert_eq!(
        ns.berth_stdin(&["run", "--rm", "-i", &img, "cat"], "line1\nline2\n")
            .ok(),
        "line1\nline2\n"
    );
    assert_eq!(
        ns.berth_stdin(&["run", "--rm", "-i", &img, "wc", "-l"], "a\nb\nc\n")
            .ok()
            .trim(),
        "3"
    );
    // Without -i the container's stdin is empty.
    assert_eq!(
        ns.berth_stdin(&["run", "--rm", &img, "cat"], "ignored\n")
            .ok(),
        ""
    );
}

#[test]
fn stdout_and_stderr_stay_apart() {
    let ns = Ns::new("run-streams");
    let img = ns.pull("busybox");
    let out = ns.berth(&["run", "--rm", &img, "sh", "-c", "echo out; echo err >&2"]);
    assert_eq!(out.ok(), "out\n");
    assert_eq!(out.stderr, "err\n");
}

#[test]
fn tty_through_a_pseudo_terminal() {
    let ns = Ns::new("run-tty");
    let img = ns.pull("busybox");
    let cmdline = format!(
        "{} -n {} run --rm -it {} sh -c 'tty; exit 3'",
        crate::common::berth_bin().display(),
        ns.name,
        img
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmdline, "/dev/null"])
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("/dev/pts/0"),
        "{out:?}"
    );
    // -it without a terminal is refused like docker does.
    ns.berth(&["run", "--rm", "-it", &img, "true"])
        .code(125)
        .stderr_has("not a TTY");
}

#[test]
fn network_none_and_host() {
    let ns = Ns::new("run-net");
    let img = ns.pull("busybox");
    assert_eq!(
        ns.berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            &img,
            "ls",
            "/sys/class/net"
        ])
        .ok(),
        "lo\n"
    );
    // docker's default is the bridge network: loopback and eth0.
    assert_eq!(
        ns.berth(&["run", "--rm", &img, "ls", "/sys/class/net"])
            .ok(),
        "eth0\nlo\n"
    );
    // The host's own network namespace (the interface list changes while
    // other tests make veths; the namespace does not).
    let host_netns = std::fs::read_link("/proc/self/ns/net").unwrap();
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "host",
        &img,
        "readlink",
        "/proc/self/ns/net",
    ]);
    assert_eq!(out.ok().trim(), host_netns.to_string_lossy());
    let hostname = nix::unistd::gethostname().unwrap().into_string().unwrap();
    assert_eq!(
        ns.berth(&["run", "--rm", "--net", "host", &img, "hostname"])
            .ok()
            .trim(),
        hostname
    );
}

#[test]
fn names_are_unique_and_freed_by_rm() {
    let ns = Ns::new("run-names");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "web", &img, "true"]).ok();
    ns.berth(&["run", "--name", "web", &img, "true"])
        .code(125)
        .stderr_has("The container name \"/web\" is already in use");
    ns.berth(&["rm", "web"]).ok();
    ns.berth(&["run", "--rm", "--name", "web", &img, "true"])
        .ok();
    // --rm freed it again.
    ns.berth(&["run", "--rm", "--name", "web", &img, "true"])
        .ok();
}

#[test]
fn concurrent_runs_with_one_name_get_one_winner() {
    let ns = Ns::new("run-race");
    let img = ns.pull("busybox");
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let mut c = ns.cmd();
            c.args(["run", "--name", "racer", &img, "true"]);
            std::thread::spawn(move || c.output().unwrap().status.code())
        })
        .collect();
    let codes: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == Some(0)).count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == Some(125)).count(),
        3,
        "{codes:?}"
    );
}

#[test]
fn without_rm_the_container_stays_exited() {
    let ns = Ns::new("run-keep");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "kept", &img, "sh", "-c", "exit 3"])
        .code(3);
    let status = ns
        .berth(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
        .ok()
        .to_string();
    assert!(status.starts_with("kept Exited (3) "), "{status}");
    // No task (and no shim) is left behind for a stopped container.
    assert_eq!(ns.ctr(&["tasks", "ls", "-q"]).ok(), "");
}

#[test]
fn signals_are_forwarded() {
    let ns = Ns::new("run-signal");
    let img = ns.pull("busybox");
    let child = ns.spawn(&[
        "run",
        "--rm",
        "--name",
        "sig",
        &img,
        "sh",
        "-c",
        "trap 'exit 42' TERM; echo ready; while true; do sleep 0.1; done",
    ]);
    ns.wait_running("sig");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::SIGTERM,
    )
    .unwrap();
    let out = child.finish();
    assert_eq!(out.code, 42, "{out:?}");
    assert_eq!(out.stdout, "ready\n");
}

#[test]
fn pull_policies() {
    let ns = Ns::new("run-pull");
    let img = ns.env.image("busybox");
    // missing: pulls on first use, with docker's line on stderr.
    ns.berth(&["run", "--rm", &img, "true"]).ok();
    let out = ns.berth(&["run", "--rm", "--pull", "always", &img, "true"]);
    out.ok();
    out.stderr_has("Status: Image is up to date");
    ns.berth(&["run", "--rm", "--pull", "never", &img, "true"])
        .ok();
    let first = Ns::new("run-pull-missing");
    let out = first.berth(&["run", "--rm", &img, "true"]);
    out.ok();
    assert_eq!(
        out.stderr.lines().next(),
        Some(format!("Unable to find image '{img}' locally").as_str())
    );
}

#[test]
fn labels_reach_the_container() {
    let ns = Ns::new("run-labels");
    let img = ns.pull("multilayer");
    ns.berth(&[
        "run",
        "--name",
        "lab",
        "-l",
        "team=blue",
        "-l",
        "flag",
        &img,
    ])
    .ok();
    let out = ns.berth(&[
        "ps",
        "-a",
        "--format",
        "{{.Label \"team\"}}|{{.Label \"org.example.layer\"}}|{{.Label \"flag\"}}",
    ]);
    assert_eq!(out.ok(), "blue|three|\n");
    let filtered = ns.berth(&[
        "ps",
        "-a",
        "--filter",
        "label=flag",
        "--format",
        "{{.Names}}",
    ]);
    assert_eq!(filtered.ok(), "lab\n");
}

#[test]
fn image_labels_cannot_set_containerd_or_berth_labels() {
    // The image's config claims containerd.io/restart.* and berth/name.
    let ns = Ns::new("run-evil-labels");
    let img = ns.pull("evil-labels");
    ns.berth(&["run", "--name", "victim", &img, "true"]).ok();
    let id = ns
        .berth(&["ps", "-aq", "--no-trunc"])
        .ok()
        .trim()
        .to_string();
    let info: serde_json::Value =
        serde_json::from_str(ns.ctr(&["containers", "info", &id]).ok()).unwrap();
    let labels = info["Labels"].as_object().unwrap();
    assert!(
        !labels.keys().any(|k| k.starts_with("containerd.io/")),
        "{labels:?}"
    );
    assert_eq!(labels["berth/name"], "victim");
    assert_eq!(labels["org.example.safe"], "yes");
}

/// berth in a container whose /run/containerd/fifo is not the host's (the
/// Jenkins case), made here with a private mount namespace: the shim cannot
/// open berth's FIFOs. That is berth's failure (125, one line saying what
/// to mount), never 127 and never containerd's raw words alone.
#[test]
fn unreachable_fifo_directory_is_125_with_the_mount_to_add() {
    let ns = Ns::new("run-fifo");
    let img = ns.pull("busybox");
    let script = format!(
        "mkdir -p /run/containerd/fifo && mount -t tmpfs berth-test /run/containerd/fifo && \
         exec {} -n {} run --rm --network none {img} echo never",
        crate::common::berth_bin().display(),
        ns.name
    );
    let out = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(125), "{stderr}");
    assert!(
        stderr.starts_with(
            "berth: containerd's shim cannot open berth's stdio FIFOs in /run/containerd/fifo/"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("Hint: when berth runs in a container, mount the host's FIFO directory: -v /run/containerd/fifo:/run/containerd/fifo"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    // --rm still cleaned up.
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}
