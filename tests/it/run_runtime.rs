//! `--runtime`, `--annotation`, and the settings docker takes on Linux in
//! their default form only (`--userns`, `--isolation`, `--volume-driver`).

use crate::common::Ns;

#[test]
fn runtime_and_annotations_reach_containerd() {
    let ns = Ns::new("run-runtime");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&[
            "create",
            "--name",
            "c1",
            "--network",
            "none",
            "--runtime",
            "runc",
            "--annotation",
            "org.example/a=1",
            "--annotation",
            "org.example/empty",
            "--userns",
            "host",
            "--isolation",
            "default",
            "--volume-driver",
            "local",
            &img,
            "echo",
            "ran",
        ])
        .ok()
        .trim()
        .to_string();
    let info: serde_json::Value =
        serde_json::from_str(ns.ctr(&["containers", "info", &id]).ok()).unwrap();
    assert_eq!(info["Runtime"]["Name"], "io.containerd.runc.v2");
    assert_eq!(
        info["Spec"]["annotations"],
        serde_json::json!({"org.example/a": "1", "org.example/empty": ""})
    );
    assert_eq!(
        ns.berth(&[
            "inspect", "-f",
            "{{.HostConfig.Runtime}} {{.HostConfig.UsernsMode}} {{.HostConfig.Isolation}} {{.HostConfig.VolumeDriver}} {{index .HostConfig.Annotations \"org.example/a\"}}",
            "c1",
        ])
        .ok(),
        "runc host default local 1\n"
    );
    assert_eq!(ns.berth(&["start", "-a", "c1"]).ok(), "ran\n");
    // A shim by containerd's name runs too; one not installed fails at start.
    assert_eq!(
        ns.berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            "--runtime",
            "io.containerd.runc.v2",
            &img,
            "echo",
            "v2"
        ])
        .ok(),
        "v2\n"
    );
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--runtime",
        "io.containerd.nope.v1",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("containerd-shim-nope-v1");
    ns.berth(&["rm", "c1"]).ok();
}

#[test]
fn dockers_refusals_of_other_values() {
    let ns = Ns::new("run-runtime-no");
    let img = ns.pull("busybox");
    let refused = |flag: &str, value: &str, words: &str| {
        ns.berth(&["run", "--rm", flag, value, &img, "true"])
            .code(125)
            .stderr_has(words);
    };
    refused("--runtime", "crun", "unknown or invalid runtime name: crun");
    refused("--userns", "remap", "--userns: invalid USER mode");
    refused(
        "--isolation",
        "hyperv",
        "Invalid isolation: \"hyperv\" - linux only supports 'default'",
    );
    refused(
        "--volume-driver",
        "nfs",
        "error looking up volume plugin nfs: plugin \"nfs\" not found",
    );
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "", "nothing was created");
}

/// `--blkio-weight`/`--blkio-weight-device` as docker's daemon takes them
/// on a kernel without BFQ (this machine's: no weight files in the blkio
/// cgroup): a warning, the weight discarded; `update` the same on stdout.
/// The Windows-only flags are refused with docker's CLI's words.
#[test]
fn weights_without_bfq_and_windows_only_flags_are_dockers() {
    let ns = Ns::new("run-weights");
    let img = ns.pull("busybox");
    let has_weights = ["blkio.weight", "blkio.bfq.weight"].iter().any(|f| {
        std::path::Path::new("/sys/fs/cgroup/blkio")
            .join(f)
            .exists()
    });
    assert!(
        !has_weights,
        "this test describes a kernel without block-I/O weights; this one has them"
    );
    let o = ns.berth(&[
        "create",
        "--name",
        "w1",
        "--blkio-weight",
        "300",
        "--blkio-weight-device",
        "/dev/null:300",
        &img,
    ]);
    o.ok();
    assert_eq!(
        o.stderr,
        "WARNING: Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.\n\
         WARNING: Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.\n"
    );
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{.HostConfig.BlkioWeight}} {{json .HostConfig.BlkioWeightDevice}}",
            "w1"
        ])
        .ok(),
        "0 []\n"
    );
    ns.berth(&["run", "--rm", "--blkio-weight-device", "vda:300", &img, "true"])
        .code(125)
        .stderr_has("invalid argument \"vda:300\" for \"--blkio-weight-device\" flag: bad format for device path: vda:300");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "u1",
        "--network",
        "none",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    let o = ns.berth(&["update", "--blkio-weight", "300", "u1"]);
    assert_eq!(
        o.ok(),
        "u1\nYour kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.\n"
    );
    for (flag, value) in [("--cpu-count", "2"), ("--io-maxiops", "10")] {
        let o = ns.berth(&["run", "--rm", flag, value, &img, "true"]);
        assert_eq!(
            (o.code, o.stderr.as_str()),
            (1, format!("\"{flag}\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux\n").as_str())
        );
    }
    ns.berth(&["rm", "-f", "w1", "u1"]).ok();
}

/// `--kernel-memory`: docker's API dropped it in 1.42; its daemon takes
/// the flag and sets nothing, and so does berth (a bad size is still an
/// error).
#[test]
fn kernel_memory_is_taken_and_dropped_as_docker_does() {
    let ns = Ns::new("run-kmem");
    let img = ns.pull("busybox");
    let o = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--kernel-memory",
        "10m",
        &img,
        "echo",
        "ran",
    ]);
    assert_eq!((o.ok(), o.stderr.as_str()), ("ran\n", ""));
    ns.berth(&["run", "--rm", "--kernel-memory", "lots", &img, "true"])
        .code(125)
        .stderr_has("invalid argument \"lots\" for \"--kernel-memory\" flag");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "k1",
        "--network",
        "none",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    assert_eq!(
        ns.berth(&["update", "--kernel-memory", "20m", "k1"]).ok(),
        "k1\n"
    );
    ns.berth(&["rm", "-f", "k1"]).ok();
}
