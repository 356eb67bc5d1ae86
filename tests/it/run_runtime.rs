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
