//! Detached containers and their logs: `run -d`, the json-file log kept by
//! berth's binary as containerd's log driver, `logs` and its flags.

use std::time::Duration;

use crate::common::{Ns, wait_for};

fn run_d(ns: &Ns, args: &[&str]) -> String {
    let mut all = vec!["run", "-d"];
    all.extend_from_slice(args);
    let out = ns.berth(&all);
    let id = out.ok().trim().to_string();
    assert!(
        id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "run -d prints the full id: {id:?}"
    );
    id
}

fn status(ns: &Ns, name: &str) -> String {
    ns.berth(&[
        "ps",
        "-a",
        "--filter",
        &format!("name={name}"),
        "--format",
        "{{.Status}}",
    ])
    .ok()
    .trim()
    .to_string()
}

fn wait_exited(ns: &Ns, name: &str) {
    wait_for(&format!("{name} to exit"), 30, || {
        status(ns, name).starts_with("Exited").then_some(())
    });
}

#[test]
fn logs_outlive_the_cli_with_streams_apart() {
    let ns = Ns::new("det-logs");
    let img = ns.pull("busybox");
    let id = run_d(
        &ns,
        &[
            "--name",
            "talker",
            &img,
            "sh",
            "-c",
            "echo out1; echo err1 >&2; echo out2",
        ],
    );
    wait_exited(&ns, "talker");
    let out = ns.berth(&["logs", "talker"]);
    assert_eq!(out.ok(), "out1\nout2\n");
    assert_eq!(out.stderr, "err1\n");
    // docker's json-file format on disk, one record per line.
    let log =
        std::fs::read_to_string(ns.container_dir(&id).join(format!("{id}-json.log"))).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{log}");
    let keys: Vec<&str> = log
        .lines()
        .next()
        .unwrap()
        .split('"')
        .skip(1)
        .step_by(4)
        .collect();
    assert_eq!(keys, ["log", "stream", "time"]);
    let by_stream = |s: &str| {
        lines
            .iter()
            .filter(|l| l["stream"] == s)
            .map(|l| l["log"].as_str().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(by_stream("stdout"), ["out1\n", "out2\n"]);
    assert_eq!(by_stream("stderr"), ["err1\n"]);
    assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn tail_timestamps_since_and_until() {
    let ns = Ns::new("det-tail");
    let img = ns.pull("busybox");
    run_d(
        &ns,
        &[
            "--name",
            "counter",
            &img,
            "sh",
            "-c",
            "for i in 1 2 3 4 5; do echo line$i; done",
        ],
    );
    wait_exited(&ns, "counter");
    assert_eq!(
        ns.berth(&["logs", "--tail", "2", "counter"]).ok(),
        "line4\nline5\n"
    );
    assert_eq!(ns.berth(&["logs", "-n", "0", "counter"]).ok(), "");
    assert_eq!(
        ns.berth(&["logs", "--tail", "all", "counter"])
            .ok()
            .lines()
            .count(),
        5
    );
    let stamped = ns
        .berth(&["logs", "-t", "--tail", "1", "counter"])
        .ok()
        .to_string();
    let (ts, line) = stamped.trim_end().split_once(' ').unwrap();
    assert_eq!(line, "line5");
    // docker's -t: RFC 3339 with always nine digits of fraction.
    assert_eq!(ts.len(), "2024-01-01T00:00:00.000000000Z".len(), "{ts}");
    assert!(ts.ends_with('Z') && ts.as_bytes()[19] == b'.', "{ts}");
    assert_eq!(
        ns.berth(&["logs", "--since", "1h", "counter"])
            .ok()
            .lines()
            .count(),
        5
    );
    assert_eq!(ns.berth(&["logs", "--until", "1h", "counter"]).ok(), "");
    assert_eq!(
        ns.berth(&["logs", "--since", "2100-01-01T00:00:00Z", "counter"])
            .ok(),
        ""
    );
    ns.berth(&["logs", "--tail", "x", "counter"])
        .code(1)
        .stderr_has("tail");
    // --details: docker's attributes (none without the labels/env log
    // options) and a space, after the timestamp.
    assert_eq!(
        ns.berth(&["logs", "--details", "--tail", "2", "counter"])
            .ok(),
        " line4\n line5\n"
    );
    let detailed = ns.berth(&["logs", "--details", "-t", "--tail", "1", "counter"]);
    assert!(detailed.ok().ends_with("Z  line5\n"), "{}", detailed.stdout);
}

#[test]
fn follow_ends_when_the_container_stops() {
    let ns = Ns::new("det-follow");
    let img = ns.pull("busybox");
    run_d(
        &ns,
        &[
            "--name",
            "slow",
            &img,
            "sh",
            "-c",
            "for i in 1 2 3 4; do echo t$i; sleep 0.3; done",
        ],
    );
    let started = std::time::Instant::now();
    let out = ns.berth(&["logs", "-f", "slow"]);
    assert_eq!(out.ok(), "t1\nt2\nt3\nt4\n");
    assert!(started.elapsed() < Duration::from_secs(20));
    // On a stopped container -f prints everything and returns at once.
    assert_eq!(ns.berth(&["logs", "-f", "slow"]).ok(), "t1\nt2\nt3\nt4\n");
    // --tail 0 -f: only what comes after (docker), nothing from before.
    let script = "echo before; sleep 1.5; echo after";
    run_d(&ns, &["--name", "later", &img, "sh", "-c", script]);
    wait_for("later's first line", 20, || {
        ns.berth(&["logs", "later"])
            .stdout
            .contains("before")
            .then_some(())
    });
    assert_eq!(
        ns.berth(&["logs", "-f", "--tail", "0", "later"]).ok(),
        "after\n"
    );
}

#[test]
fn rotation_keeps_max_file_and_follow_crosses_it() {
    let ns = Ns::new("det-rotate");
    let img = ns.pull("busybox");
    let id = run_d(
        &ns,
        &[
            "--name",
            "chatty",
            "--log-opt",
            "max-size=2k",
            "--log-opt",
            "max-file=3",
            &img,
            "sh",
            "-c",
            "i=0; while [ $i -lt 400 ]; do echo line-$i; i=$((i+1)); [ $((i % 25)) = 0 ] && sleep 0.2; done; sleep 1",
        ],
    );
    let follower = ns.spawn(&["logs", "-f", "chatty"]);
    wait_exited(&ns, "chatty");
    let dir = ns.container_dir(&id);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("-json.log"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            format!("{id}-json.log"),
            format!("{id}-json.log.1"),
            format!("{id}-json.log.2")
        ]
    );
    // What is kept ends with the last lines, in order.
    let kept = ns.berth(&["logs", "chatty"]).ok().to_string();
    assert!(
        kept.ends_with("line-398\nline-399\n"),
        "{}",
        &kept[kept.len().saturating_sub(200)..]
    );
    let nums: Vec<u32> = kept
        .lines()
        .map(|l| l.trim_start_matches("line-").parse().unwrap())
        .collect();
    assert!(nums.windows(2).all(|w| w[1] == w[0] + 1));
    // The follower saw every line from its start on, across rotations.
    let done = follower.finish();
    let followed = done.ok().to_string();
    assert!(followed.ends_with("line-399\n"));
    let fnums: Vec<u32> = followed
        .lines()
        .map(|l| l.trim_start_matches("line-").parse().unwrap())
        .collect();
    assert!(
        fnums.windows(2).all(|w| w[1] == w[0] + 1),
        "gap in followed lines"
    );
}

#[test]
fn log_driver_none_and_bad_options() {
    let ns = Ns::new("det-none");
    let img = ns.pull("busybox");
    run_d(
        &ns,
        &["--name", "mute", "--log-driver", "none", &img, "echo", "x"],
    );
    wait_exited(&ns, "mute");
    ns.berth(&["logs", "mute"])
        .code(1)
        .stderr_has("configured logging driver does not support reading");
    ns.berth(&["run", "-d", "--log-driver", "syslog", &img, "true"])
        .code(125)
        .stderr_has("log driver \"syslog\" is not supported yet");
    ns.berth(&["run", "-d", "--log-opt", "max-file=2", &img, "true"])
        .code(125)
        .stderr_has("max-file cannot be used without max-size");
}

#[test]
fn run_d_rm_removes_the_container_when_it_exits() {
    let ns = Ns::new("det-rm");
    let img = ns.pull("busybox");
    let id = run_d(
        &ns,
        &["--rm", "--name", "brief", &img, "sh", "-c", "sleep 1"],
    );
    assert_eq!(status(&ns, "brief").split(' ').next(), Some("Up"));
    wait_for("brief to be removed", 30, || {
        ns.berth(&["ps", "-aq"]).ok().is_empty().then_some(())
    });
    assert!(!ns.container_dir(&id).exists());
}

#[test]
fn attached_output_is_in_the_log_too() {
    let ns = Ns::new("det-attached");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "--name",
        "fg",
        &img,
        "sh",
        "-c",
        "echo shown; echo also >&2",
    ])
    .ok();
    let out = ns.berth(&["logs", "fg"]);
    assert_eq!(out.ok(), "shown\n");
    assert_eq!(out.stderr, "also\n");
}

/// berth runs where its own binary is not on the host (a path only its
/// private mount namespace has): the shim cannot run it as the log driver,
/// so output goes to a plain file, with a warning, and `logs` still works.
#[test]
fn without_berth_on_the_host_logs_fall_back_to_a_raw_file() {
    let ns = Ns::new("det-raw");
    let img = ns.pull("busybox");
    let hidden = tempfile::tempdir().unwrap();
    let script = format!(
        "mount -t tmpfs berth-test {dir} && cp {bin} {dir}/berth && exec {dir}/berth -n {ns} run -d --network none --name raw {img} sh -c 'echo from-raw'",
        dir = hidden.path().display(),
        bin = crate::common::berth_bin().display(),
        ns = ns.name,
    );
    let out = std::process::Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .env("CONTAINERD_ADDRESS", &ns.env.address)
        .env("BERTH_DATA_ROOT", ns.data_root.path())
        .output()
        .unwrap();
    let out = crate::common::Out::from(out);
    assert_eq!(out.ok().trim().len(), 64);
    out.stderr_has("cannot run berth")
        .stderr_has("goes to a plain file");
    wait_exited(&ns, "raw");
    assert_eq!(ns.berth(&["logs", "raw"]).ok(), "from-raw\n");
}
