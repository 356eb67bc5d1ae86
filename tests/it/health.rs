//! Health checks (`--health-*`, an image's `HEALTHCHECK`): docker's
//! states, `ps` words, `inspect`'s `State.Health`, `ps --filter health=`
//! and `health_status` events, checked against what docker 20.10 with
//! CLI 28 did for the same steps.

use crate::common::{Ns, wait_for};

fn health(ns: &Ns, name: &str) -> serde_json::Value {
    let out = ns
        .berth(&["inspect", "-f", "{{json .State.Health}}", name])
        .ok()
        .to_string();
    serde_json::from_str(&out).unwrap()
}

fn wait_status(ns: &Ns, name: &str, want: &str) -> serde_json::Value {
    wait_for(&format!("{name} to be {want}"), 30, || {
        let h = health(ns, name);
        (h["Status"] == want).then_some(h)
    })
}

fn status(ns: &Ns, name: &str) -> String {
    ns.berth(&[
        "ps",
        "-a",
        "--filter",
        &format!("name=^{name}$"),
        "--format",
        "{{.Status}}",
    ])
    .ok()
    .trim()
    .to_string()
}

fn names_with(ns: &Ns, health: &str) -> String {
    ns.berth(&[
        "ps",
        "-a",
        "--filter",
        &format!("health={health}"),
        "--format",
        "{{.Names}}",
    ])
    .ok()
    .to_string()
}

#[test]
fn a_check_goes_starting_unhealthy_healthy_and_unhealthy_when_stopped() {
    let ns = Ns::new("health");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.json");
    let _w = crate::events::watch(&ns, &["--format", "{{json .}}"], &file);
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "h1",
        "--network",
        "none",
        "--health-cmd",
        "test -f /tmp/ok",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        "--health-timeout",
        "2s",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "plain",
        "--network",
        "none",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    // At once: starting, no result yet (docker's first check waits an interval).
    assert!(
        status(&ns, "h1").ends_with("(health: starting)"),
        "{}",
        status(&ns, "h1")
    );
    let h = health(&ns, "h1");
    assert_eq!(h["FailingStreak"], 0);
    assert_eq!(h["Log"], serde_json::json!([]));
    assert_eq!(names_with(&ns, "starting"), "h1\n");
    let h = wait_status(&ns, "h1", "unhealthy");
    assert!(h["FailingStreak"].as_u64().unwrap() >= 2, "{h}");
    let last = &h["Log"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["ExitCode"], 1);
    assert!(last["Start"].as_str().unwrap().ends_with('Z'), "{last}");
    assert!(status(&ns, "h1").ends_with("(unhealthy)"));
    ns.berth(&["exec", "h1", "touch", "/tmp/ok"]).ok();
    let h = wait_status(&ns, "h1", "healthy");
    assert_eq!(h["FailingStreak"], 0);
    assert!(status(&ns, "h1").ends_with("(healthy)"));
    assert_eq!(names_with(&ns, "healthy"), "h1\n");
    assert_eq!(names_with(&ns, "none"), "plain\n");
    assert!(!status(&ns, "plain").contains('('));
    // The log keeps the last five.
    wait_for("six checks", 20, || {
        let h = health(&ns, "h1");
        (h["Log"].as_array().unwrap().len() == 5 && h["Log"][0]["ExitCode"] == 0).then_some(())
    });
    // Stopped: docker says unhealthy, keeps the streak and the log.
    ns.berth(&["stop", "-t", "1", "h1"]).ok();
    let h = health(&ns, "h1");
    assert_eq!(h["Status"], "unhealthy");
    assert_eq!(h["Log"].as_array().unwrap().len(), 5);
    assert!(status(&ns, "h1").starts_with("Exited ("));
    assert_eq!(names_with(&ns, "unhealthy"), "h1\n");
    // Started again: starting, no streak, the log kept.
    ns.berth(&["start", "h1"]).ok();
    let h = health(&ns, "h1");
    assert_eq!(
        (h["Status"].as_str(), h["FailingStreak"].as_u64()),
        (Some("starting"), Some(0))
    );
    assert_eq!(h["Log"].as_array().unwrap().len(), 5);
    ns.berth(&["rm", "-f", "h1", "plain"]).ok();
    let events = std::fs::read_to_string(&file).unwrap();
    let actions: Vec<String> = events
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["Actor"]["Attributes"]["name"] == "h1")
        .filter_map(|e| e["Action"].as_str().map(str::to_string))
        .filter(|a| a.starts_with("health_status"))
        .collect();
    // Only changes are published: never for the start's `starting`.
    assert_eq!(
        &actions[..2],
        ["health_status: unhealthy", "health_status: healthy"],
        "{actions:?}"
    );
    assert!(events.contains("exec_create: /bin/sh -c test -f /tmp/ok"));
}

#[test]
fn a_timed_out_check_is_killed_and_its_output_kept() {
    let ns = Ns::new("health-timeout");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "slow",
        "--network",
        "none",
        "--health-cmd",
        "echo started; sleep 30",
        "--health-timeout",
        "1s",
        "--health-interval",
        "1s",
        &img,
        "sleep",
        "600",
    ])
    .ok();
    let log = wait_for("a timed-out check", 30, || {
        let h = health(&ns, "slow");
        h["Log"].as_array().and_then(|l| l.first().cloned())
    });
    assert_eq!(log["ExitCode"], -1);
    assert_eq!(
        log["Output"],
        "Health check exceeded timeout (1s): started\n"
    );
    // The check's process is gone: only the container's sleep is left.
    let top = ns.berth(&["top", "slow"]).ok().to_string();
    assert!(!top.contains("sleep 30"), "{top}");
    ns.berth(&["rm", "-f", "slow"]).ok();
}

#[test]
fn flags_merge_with_the_images_healthcheck_and_dockers_refusals() {
    let ns = Ns::new("health-flags");
    let img = ns.pull("busybox");
    ns.berth(&["create", "--name", "base", &img]).ok();
    ns.berth(&[
        "commit",
        "--change",
        "HEALTHCHECK --interval=1s --retries=4 CMD [\"true\"]",
        "base",
        "checked:1",
    ])
    .ok();
    let cfg = |name: &str| {
        ns.berth(&["inspect", "-f", "{{json .Config.Healthcheck}}", name])
            .ok()
            .trim()
            .to_string()
    };
    // The image's check runs: healthy after its first interval.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "img",
        "--network",
        "none",
        "checked:1",
        "sleep",
        "600",
    ])
    .ok();
    wait_status(&ns, "img", "healthy");
    let parsed = |s: String| serde_json::from_str::<serde_json::Value>(&s).unwrap();
    assert_eq!(
        parsed(cfg("img")),
        serde_json::json!({"Test": ["CMD", "true"], "Interval": 1_000_000_000i64, "Retries": 4})
    );
    // --no-healthcheck keeps the image's other fields (docker's merge).
    ns.berth(&["create", "--name", "off", "--no-healthcheck", "checked:1"])
        .ok();
    assert_eq!(
        parsed(cfg("off")),
        serde_json::json!({"Test": ["NONE"], "Interval": 1_000_000_000i64, "Retries": 4})
    );
    // Timings alone take the image's test.
    ns.berth(&[
        "create",
        "--name",
        "slower",
        "--health-interval",
        "2s",
        "checked:1",
    ])
    .ok();
    assert_eq!(
        parsed(cfg("slower")),
        serde_json::json!({"Test": ["CMD", "true"], "Interval": 2_000_000_000i64, "Retries": 4})
    );
    // A created container has no State.Health and counts as none.
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{json .State.Health}}", "slower"])
            .ok(),
        "null\n"
    );
    let o = ns.berth(&["run", "--no-healthcheck", "--health-cmd", "true", &img]);
    o.code(125)
        .stderr_has("--no-healthcheck conflicts with --health-* options");
    let o = ns.berth(&["create", "--health-retries", "-1", &img]);
    o.code(125)
        .stderr_has("--health-retries cannot be negative");
    let o = ns.berth(&["create", "--health-interval", "500us", &img]);
    o.code(1)
        .stderr_has("Interval in Healthcheck cannot be less than 1ms");
    let o = ns.berth(&["ps", "--filter", "health=foo"]);
    o.code(1)
        .stderr_has("Unrecognised filter value for health: foo");
    ns.berth(&["rm", "-f", "base", "img", "off", "slower"]).ok();
    ns.berth(&["rmi", "checked:1"]).ok();
}

/// A task the restart monitor starts again is checked too: `starting`
/// again, then healthy, with the run's checks in the log.
#[test]
fn checks_follow_the_restart_monitor() {
    let ns = Ns::new("health-restart");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "r1",
        "--network",
        "none",
        "--restart",
        "always",
        "--health-cmd",
        "true",
        "--health-interval",
        "1s",
        &img,
        "sh",
        "-c",
        "echo run; sleep 3; exit 3",
    ])
    .ok();
    wait_status(&ns, "r1", "healthy");
    // A second run (its log says so; containerd 1.6 keeps no restart count).
    wait_for("a restart", 60, || {
        let runs = ns.berth(&["logs", "r1"]).ok().matches("run").count();
        (runs >= 2).then_some(())
    });
    let last_start = |ns: &Ns| {
        let h = health(ns, "r1");
        h["Log"]
            .as_array()
            .and_then(|l| l.last())
            .and_then(|r| r["Start"].as_str().map(str::to_string))
    };
    let before = last_start(&ns).unwrap_or_default();
    // The monitor outlived the first task: the new run is checked.
    wait_for("a check after the restart", 30, || {
        let now = last_start(&ns)?;
        (now > before && health(&ns, "r1")["Status"] == "healthy").then_some(())
    });
    ns.berth(&["rm", "-f", "r1"]).ok();
}
