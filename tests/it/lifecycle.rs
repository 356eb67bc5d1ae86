//! The lifecycle verbs: create, start, stop, restart, kill, wait, rename,
//! pause, top, port, container prune; several containers at once
//! and docker's per-container errors.

use std::time::{Duration, Instant};

use crate::common::{Ns, wait_for};

/// Waits until the container has printed `ready` `times` times: a trap set
/// before that line is in place when a signal arrives.
fn ready(ns: &Ns, name: &str, times: usize) {
    wait_for("the container to set its trap", 20, || {
        (ns.berth(&["logs", name]).ok().matches("ready").count() >= times).then_some(())
    });
}

fn status(ns: &Ns, name: &str) -> String {
    ns.berth(&["inspect", "-f", "{{.State.Status}}", name])
        .ok()
        .trim()
        .to_string()
}

#[test]
fn create_then_start_and_start_a() {
    let ns = Ns::new("lc-create");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&[
            "create",
            "--name",
            "c1",
            &img,
            "sh",
            "-c",
            "echo hi; exit 4",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(status(&ns, "c1"), "created");
    assert_eq!(
        ns.berth(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
            .ok(),
        "c1 Created\n"
    );
    // start -a: attached, exits with the container's code.
    let out = ns.berth(&["start", "-a", "c1"]);
    out.code(4);
    assert_eq!(out.stdout, "hi\n");
    assert_eq!(ns.berth(&["wait", "c1"]).ok(), "4\n");
    // start: detached, prints the argument as given.
    assert_eq!(ns.berth(&["start", "c1"]).ok(), "c1\n");
    wait_for("c1 to exit", 20, || {
        (status(&ns, "c1") == "exited").then_some(())
    });
    assert_eq!(ns.berth(&["logs", "c1"]).ok(), "hi\nhi\n");
}

#[test]
fn stop_uses_the_stop_signal_then_sigkill() {
    let ns = Ns::new("lc-stop");
    let img = ns.pull("busybox");
    // sh as pid 1 ignores SIGTERM: stop must fall back to SIGKILL.
    ns.berth(&["run", "-d", "--name", "stubborn", &img, "sleep", "300"])
        .ok();
    let t = Instant::now();
    assert_eq!(
        ns.berth(&["stop", "-t", "1", "stubborn"]).ok(),
        "stubborn\n"
    );
    assert!(t.elapsed() >= Duration::from_secs(1) && t.elapsed() < Duration::from_secs(10));
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{.State.Status}} {{.State.ExitCode}}",
            "stubborn"
        ])
        .ok(),
        "exited 137\n"
    );
    // A trap on the chosen signal exits cleanly, at once.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "polite",
        "--stop-signal",
        "USR1",
        &img,
        "sh",
        "-c",
        "trap 'exit 7' USR1; echo ready; while true; do sleep 0.1; done",
    ])
    .ok();
    ready(&ns, "polite", 1);
    let t = Instant::now();
    ns.berth(&["stop", "polite"]).ok();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert_eq!(ns.berth(&["wait", "polite"]).ok(), "7\n");
    // Stopping a stopped container is fine; no shim stays behind.
    assert_eq!(ns.berth(&["stop", "polite"]).ok(), "polite\n");
    assert_eq!(ns.ctr(&["tasks", "ls", "-q"]).ok(), "");
}

#[test]
fn kill_restart_and_errors_for_each_container() {
    let ns = Ns::new("lc-kill");
    let img = ns.pull("busybox");
    let trap = "trap 'exit 5' TERM; echo ready; while :; do sleep 0.1; done";
    ns.berth(&["run", "-d", "--name", "k1", &img, "sh", "-c", trap])
        .ok();
    ns.berth(&["run", "-d", "--name", "k2", &img, "sleep", "300"])
        .ok();
    let out = ns.berth(&["kill", "k1", "ghost", "k2"]);
    out.code(1);
    assert_eq!(out.stdout, "k1\nk2\n");
    assert_eq!(
        out.stderr,
        "Error response from daemon: No such container: ghost\n"
    );
    assert_eq!(ns.berth(&["wait", "k1", "k2"]).ok(), "137\n137\n");
    let id = ns
        .berth(&["inspect", "-f", "{{.Id}}", "k1"])
        .ok()
        .trim()
        .to_string();
    let again = ns.berth(&["kill", "k1"]);
    again.code(1);
    assert_eq!(
        again.stderr,
        format!(
            "Error response from daemon: cannot kill container: k1: container {id} is not running\n"
        )
    );
    assert_eq!(ns.berth(&["restart", "-t", "0", "k1"]).ok(), "k1\n");
    assert_eq!(status(&ns, "k1"), "running");
    ready(&ns, "k1", 2);
    assert_eq!(ns.berth(&["kill", "-s", "TERM", "k1"]).ok(), "k1\n");
    assert_eq!(ns.berth(&["wait", "k1"]).ok(), "5\n");
    ns.berth(&["kill", "-s", "NOPE", "k2"])
        .code(1)
        .stderr_has("Invalid signal: NOPE");
}

#[test]
fn rename_pause_top_port() {
    let ns = Ns::new("lc-misc");
    let img = ns.pull("busybox");
    ns.berth(&["run", "-d", "--name", "old", &img, "sleep", "300"])
        .ok();
    ns.berth(&["rename", "old", "new"]).ok();
    assert_eq!(ns.berth(&["ps", "--format", "{{.Names}}"]).ok(), "new\n");
    ns.berth(&["run", "--rm", "--name", "old", &img, "true"])
        .ok();
    ns.berth(&["rename", "new", "new"])
        .code(1)
        .stderr_has("same name");
    ns.berth(&["pause", "new"]).ok();
    assert_eq!(status(&ns, "new"), "paused");
    ns.berth(&["pause", "new"])
        .code(1)
        .stderr_has("is already paused");
    ns.berth(&["unpause", "new"]).ok();
    ns.berth(&["unpause", "new"])
        .code(1)
        .stderr_has("is not paused");
    // top with ps options, as docker-workflow calls it.
    let top = ns
        .berth(&["top", "new", "-eo", "pid,comm"])
        .ok()
        .to_string();
    let lines: Vec<&str> = top.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["PID", "COMMAND"]
    );
    assert_eq!(lines.len(), 2, "{top}");
    assert!(lines[1].trim_end().ends_with("sleep"), "{top}");
    let full = ns.berth(&["top", "new"]).ok().to_string();
    assert!(
        full.starts_with("UID ") && full.contains("sleep 300"),
        "{full}"
    );
    // No published ports yet: nothing to print.
    assert_eq!(ns.berth(&["port", "new"]).ok(), "");
    ns.berth(&["port", "new", "80"])
        .code(1)
        .stderr_has("No public port '80/tcp' published for new");
    ns.berth(&["rm", "-f", "new"]).ok();
    ns.berth(&["top", "ghost"])
        .code(1)
        .stderr_has("No such container: ghost");
}

#[test]
fn container_prune_removes_only_stopped_ones() {
    let ns = Ns::new("lc-prune");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "done1", &img, "true"]).ok();
    ns.berth(&["run", "--name", "done2", "-l", "keep=yes", &img, "true"])
        .ok();
    ns.berth(&["run", "-d", "--name", "alive", &img, "sleep", "300"])
        .ok();
    let done1 = ns
        .berth(&["inspect", "-f", "{{.Id}}", "done1"])
        .ok()
        .trim()
        .to_string();
    let out = ns
        .berth(&["container", "prune", "-f", "--filter", "label!=keep=yes"])
        .ok()
        .to_string();
    assert!(
        out.starts_with(&format!(
            "Deleted Containers:\n{done1}\n\nTotal reclaimed space: "
        )),
        "{out}"
    );
    let mut left: Vec<String> = ns
        .berth(&["ps", "-a", "--format", "{{.Names}}"])
        .ok()
        .lines()
        .map(String::from)
        .collect();
    left.sort();
    assert_eq!(left, ["alive", "done2"]);
    // Without -f it asks; anything but y keeps everything.
    let asked = ns.berth_stdin(&["container", "prune"], "n\n");
    asked.ok();
    assert!(
        asked
            .stderr
            .contains("Are you sure you want to continue? [y/N]")
    );
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 2);
    ns.berth(&["rm", "-f", "alive"]).ok();
}

#[test]
fn fifty_concurrent_runs_with_one_name_leave_one_container() {
    let ns = Ns::new("lc-race");
    let img = ns.pull("busybox");
    let handles: Vec<_> = (0..50)
        .map(|_| {
            let mut c = ns.cmd();
            c.args(["run", "-d", "--name", "same", &img, "sleep", "60"]);
            std::thread::spawn(move || c.output().unwrap())
        })
        .collect();
    let outs: Vec<_> = handles
        .into_iter()
        .map(|h| crate::common::Out::from(h.join().unwrap()))
        .collect();
    let winners = outs.iter().filter(|o| o.code == 0).count();
    assert_eq!(winners, 1);
    for o in outs.iter().filter(|o| o.code != 0) {
        assert_eq!(o.code, 125, "{o:?}");
        assert!(o.stderr.contains("is already in use"), "{}", o.stderr);
    }
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    ns.berth(&["rm", "-f", "same"]).ok();
    assert!(!ns.ctr(&["leases", "ls"]).ok().contains("berth-name"));
    assert_eq!(
        ns.ctr(&["snapshots", "ls"])
            .ok()
            .lines()
            .filter(|l| l.contains("Active"))
            .count(),
        0
    );
}

#[test]
fn cidfile_is_written_and_refused_when_present() {
    let ns = Ns::new("lc-cidfile");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cid");
    let id = ns
        .berth(&[
            "run",
            "-d",
            "--cidfile",
            f.to_str().unwrap(),
            &img,
            "sleep",
            "60",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), id);
    ns.berth(&["run", "-d", "--cidfile", f.to_str().unwrap(), &img, "true"])
        .code(125)
        .stderr_has("Container ID file found");
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    // A file that cannot be written: no container, no new volume stays.
    let unwritable = dir.path().join("no-such-dir/cid");
    ns.berth(&[
        "create",
        "-v",
        "/data",
        "--cidfile",
        unwritable.to_str().unwrap(),
        &img,
    ])
    .code(1);
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    assert_eq!(ns.berth(&["volume", "ls", "-q"]).ok(), "");
    ns.berth(&["rm", "-f", &id]).ok();
}
