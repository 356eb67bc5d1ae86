//! `run -a/--attach`: only the chosen streams reach the user (the log
//! keeps everything), docker's refusals.

use crate::common::Ns;

#[test]
fn only_the_attached_streams_are_shown() {
    let ns = Ns::new("run-attach");
    let img = ns.pull("busybox");
    let script = "echo out; echo err >&2";
    let run = |streams: &[&str]| {
        let mut args = vec!["run", "--network", "none"];
        for s in streams {
            args.extend_from_slice(&["-a", s]);
        }
        args.extend_from_slice(&[&img, "sh", "-c", script]);
        let o = ns.berth(&args);
        o.ok();
        (o.stdout.clone(), o.stderr.clone())
    };
    assert_eq!(run(&[]), ("out\n".into(), "err\n".into()));
    assert_eq!(run(&["stdout"]), ("out\n".into(), String::new()));
    assert_eq!(run(&["STDERR"]), (String::new(), "err\n".into()));
    assert_eq!(run(&["stdout", "stderr"]), ("out\n".into(), "err\n".into()));
    // What was not shown is still in the log.
    let last = ns.berth(&["ps", "-lq"]).ok().trim().to_string();
    let o = ns.berth(&["logs", &last]);
    assert_eq!((o.ok(), o.stderr.as_str()), ("out\n", "err\n"));
    // -a stdin with -i: the input reaches the container, only stdout shows.
    let o = ns.berth_stdin(
        &[
            "run",
            "--rm",
            "-i",
            "-a",
            "stdin",
            "-a",
            "stdout",
            "--network",
            "none",
            &img,
            "sh",
            "-c",
            "cat; echo gone >&2",
        ],
        "piped\n",
    );
    assert_eq!((o.ok(), o.stderr.as_str()), ("piped\n", ""));
    let attached = ns
        .berth(&[
            "inspect",
            "-f",
            "{{.Config.AttachStdin}} {{.Config.AttachStdout}} {{.Config.AttachStderr}}",
            &last,
        ])
        .ok()
        .to_string();
    assert_eq!(attached, "false true true\n");
}

#[test]
fn dockers_refusals() {
    let ns = Ns::new("run-attach-no");
    let img = ns.pull("busybox");
    let o = ns.berth(&["run", "-d", "-a", "stdout", &img, "true"]);
    o.code(125).stderr_has("Conflicting options: -a and -d");
    let o = ns.berth(&["run", "-a", "stdwhat", &img, "true"]);
    o.code(125)
        .stderr_has("invalid argument \"stdwhat\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}
