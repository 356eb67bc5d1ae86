//! Restart policies through containerd's restart monitor (testenv runs it
//! with a 1 s interval): containers come back, an explicit stop or kill
//! keeps them stopped, `start` re-arms them, `update --restart` changes
//! them; containerd 1.6 refuses what its monitor cannot do.

use std::time::Duration;

use crate::common::{Ns, wait_for};

/// The connected containerd is 1.7 or newer (policies, restart counts).
fn has_policies(ns: &Ns) -> bool {
    let v = ns
        .berth(&["version", "--format", "{{.Server.Version}}"])
        .ok()
        .to_string();
    !v.starts_with("1.6")
}

fn runs(ns: &Ns, name: &str) -> usize {
    ns.berth(&["logs", name]).ok().matches("run").count()
}

fn wait_runs(ns: &Ns, name: &str, at_least: usize) {
    wait_for(&format!("{name} to have run {at_least} times"), 40, || {
        (runs(ns, name) >= at_least).then_some(())
    });
}

fn inspect(ns: &Ns, name: &str, format: &str) -> String {
    ns.berth(&["inspect", "-f", format, name])
        .ok()
        .trim()
        .to_string()
}

/// Several monitor passes: long enough for an unwanted restart to happen.
fn quiet_period() {
    std::thread::sleep(Duration::from_secs(4));
}

#[test]
fn always_comes_back_until_stopped_and_start_rearms() {
    let ns = Ns::new("restart-always");
    let img = ns.pull("busybox");
    let script = "echo run; sleep 1; exit 3";
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "al",
        "--restart=always",
        &img,
        "sh",
        "-c",
        script,
    ])
    .ok();
    wait_runs(&ns, "al", 3);
    assert_eq!(
        inspect(&ns, "al", "{{.HostConfig.RestartPolicy.Name}}"),
        "always"
    );
    if has_policies(&ns) {
        let count: u64 = inspect(&ns, "al", "{{.RestartCount}}").parse().unwrap();
        assert!(count >= 2, "RestartCount {count}");
    }
    // docker keeps the monitor's labels out of the container's labels.
    assert_eq!(inspect(&ns, "al", "{{json .Config.Labels}}"), "{}");

    // An explicit stop keeps it stopped (nerdctl's come back).
    ns.berth(&["stop", "-t", "1", "al"]).ok();
    let after_stop = runs(&ns, "al");
    quiet_period();
    assert_eq!(inspect(&ns, "al", "{{.State.Status}}"), "exited");
    assert_eq!(runs(&ns, "al"), after_stop);

    // start re-arms it; kill (SIGKILL) keeps it stopped again.
    ns.berth(&["start", "al"]).ok();
    wait_runs(&ns, "al", after_stop + 2);
    // Running or between two restarts: either way it stays down.
    assert_eq!(ns.berth(&["kill", "al"]).ok(), "al\n");
    let after_kill = runs(&ns, "al");
    quiet_period();
    assert_eq!(inspect(&ns, "al", "{{.State.Status}}"), "exited");
    assert_eq!(runs(&ns, "al"), after_kill);
    ns.berth(&["rm", "-f", "al"]).ok();
}

#[test]
fn attached_run_and_update_hand_over_to_the_monitor() {
    let ns = Ns::new("restart-update");
    let img = ns.pull("busybox");
    // docker's attached run returns at the first exit; the policy goes on.
    let out = ns.berth(&[
        "run",
        "--name",
        "att",
        "--restart",
        "unless-stopped",
        &img,
        "sh",
        "-c",
        "echo run; sleep 1",
    ]);
    out.ok();
    assert_eq!(out.stdout, "run\n");
    wait_runs(&ns, "att", 2);
    // update --restart no: it runs out and stays stopped.
    assert_eq!(
        ns.berth(&["update", "--restart", "no", "att"]).ok(),
        "att\n"
    );
    wait_for("att to stop", 20, || {
        (inspect(&ns, "att", "{{.State.Status}}") == "exited").then_some(())
    });
    let stopped = runs(&ns, "att");
    quiet_period();
    assert_eq!(runs(&ns, "att"), stopped);
    assert_eq!(
        inspect(&ns, "att", "{{.HostConfig.RestartPolicy.Name}}"),
        "no"
    );
    // update --restart always on a stopped container: kept for its next start.
    ns.berth(&["update", "--restart=always", "att"]).ok();
    quiet_period();
    assert_eq!(runs(&ns, "att"), stopped);
    ns.berth(&["start", "att"]).ok();
    wait_runs(&ns, "att", stopped + 2);
    ns.berth(&["rm", "-f", "att"]).ok();
    quiet_period();
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}

#[test]
fn on_failure_counts_and_what_1_6_refuses() {
    let ns = Ns::new("restart-onfailure");
    let img = ns.pull("busybox");
    let args = |name: &'static str, policy: &'static str, code: &'static str| {
        let script = format!("echo run; exit {code}");
        let img = img.clone();
        move |ns: &Ns| {
            ns.berth(&[
                "run",
                "-d",
                "--name",
                name,
                "--restart",
                policy,
                &img,
                "sh",
                "-c",
                &script,
            ])
        }
    };
    if !has_policies(&ns) {
        args("fl", "on-failure:2", "3")(&ns)
            .code(125)
            .stderr_has("need containerd 1.7 or newer");
        assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
        return;
    }
    args("fl", "on-failure:2", "3")(&ns).ok();
    args("zero", "on-failure", "0")(&ns).ok();
    wait_runs(&ns, "fl", 3);
    wait_for("fl to give up", 20, || {
        (inspect(&ns, "fl", "{{.State.Status}}") == "exited").then_some(())
    });
    quiet_period();
    // The first run and two restarts; a clean exit is not a failure.
    assert_eq!(runs(&ns, "fl"), 3);
    assert_eq!(
        inspect(&ns, "fl", "{{.RestartCount}} {{.State.ExitCode}}"),
        "2 3"
    );
    assert_eq!(
        inspect(&ns, "fl", "{{json .HostConfig.RestartPolicy}}"),
        r#"{"MaximumRetryCount":2,"Name":"on-failure"}"#
    );
    assert_eq!(runs(&ns, "zero"), 1);
    assert_eq!(inspect(&ns, "zero", "{{.State.Status}}"), "exited");
}

#[test]
fn policy_errors_like_docker() {
    let ns = Ns::new("restart-errors");
    let img = ns.pull("busybox");
    // docker's CLI refuses the pair itself, before its daemon sees the policy.
    for policy in ["always", "bogus"] {
        let both = ns.berth(&["run", "--rm", "--restart", policy, &img, "true"]);
        both.code(125);
        assert_eq!(
            both.stderr,
            "berth: conflicting options: cannot specify both --restart and --rm\n\n\
             Run 'berth run --help' for more information\n"
        );
    }
    ns.berth(&["run", "--restart", "sometimes", &img, "true"])
        .code(125)
        .stderr_has("invalid restart policy: unknown policy 'sometimes'");
    ns.berth(&["run", "--restart", "always:2", &img, "true"])
        .code(125)
        .stderr_has("maximum retry count can only be used with 'on-failure'");
    ns.berth(&["run", "-d", "--rm", "--name", "rm", &img, "sleep", "30"])
        .ok();
    ns.berth(&["update", "--restart", "always", "rm"])
        .code(1)
        .stderr_has("AutoRemove is enabled");
    ns.berth(&["update", "rm"])
        .code(1)
        .stderr_has("you must provide one or more flags");
    // docker's API drops kernel memory limits: nothing to refuse.
    assert_eq!(
        ns.berth(&["update", "--kernel-memory", "1g", "rm"]).ok(),
        "rm\n"
    );
    ns.berth(&["rm", "-f", "rm"]).ok();
}

#[test]
fn terminal_containers_restart_from_containerd_2() {
    let ns = Ns::new("restart-tty");
    let img = ns.pull("busybox");
    let v = ns
        .berth(&["version", "--format", "{{.Server.Version}}"])
        .ok()
        .to_string();
    let run = ns.berth(&[
        "run",
        "-d",
        "-t",
        "--name",
        "tty",
        "--restart",
        "always",
        &img,
        "sh",
        "-c",
        "echo run; sleep 1",
    ]);
    if v.starts_with('1') {
        // 1.x's monitor restarts it without its terminal, which runc refuses.
        run.code(125).stderr_has("need containerd 2.0 or newer");
        assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
        return;
    }
    run.ok();
    wait_runs(&ns, "tty", 3);
    ns.berth(&["rm", "-f", "tty"]).ok();
}
