//! `exec`: exit codes passed through (126/127 when the command cannot run),
//! environment, user and directory, stdin with -i, -d, a terminal with -t
//! (size and resize), --privileged, and docker's errors.

use crate::common::Ns;

fn sleeper(ns: &Ns, name: &str, extra: &[&str]) {
    let img = ns.pull("busybox");
    let mut args = vec!["run", "-d", "--name", name];
    args.extend_from_slice(extra);
    args.extend([img.as_str(), "sleep", "300"]);
    ns.berth(&args).ok();
}

#[test]
fn exit_codes_pass_through() {
    let ns = Ns::new("exec-codes");
    sleeper(&ns, "ex", &[]);
    ns.berth(&["exec", "ex", "true"]).ok();
    ns.berth(&["exec", "ex", "sh", "-c", "exit 3"]).code(3);
    ns.berth(&["exec", "ex", "/etc/passwd"])
        .code(126)
        .stderr_has("permission denied");
    ns.berth(&["exec", "ex", "nosuch"])
        .code(127)
        .stderr_has("executable file not found");
    // stdout and stderr stay apart.
    let out = ns.berth(&["exec", "ex", "sh", "-c", "echo out; echo err >&2; exit 2"]);
    out.code(2);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str()),
        ("out\n", "err\n")
    );
}

#[test]
fn environment_user_and_directory() {
    let ns = Ns::new("exec-env");
    sleeper(&ns, "ex", &["-e", "BASE=1", "-e", "DROP=x", "-w", "/tmp"]);
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join("env");
    std::fs::write(&env_file, "# comment\nFROMFILE=f\nA=file\n").unwrap();
    let out = ns.berth(&[
        "exec",
        "--env-file",
        env_file.to_str().unwrap(),
        "-e",
        "A=flag",
        "-e",
        "DROP",
        "ex",
        "sh",
        "-c",
        "echo $BASE $FROMFILE $A ${DROP-unset}; pwd; id -u",
    ]);
    // The container's environment and directory, the flags on top; a bare
    // name unset where berth runs unsets it.
    assert_eq!(out.ok(), "1 f flag unset\n/tmp\n0\n");
    let out = ns.berth(&[
        "exec", "-u", "nobody", "-w", "/", "ex", "sh", "-c", "id; pwd",
    ]);
    assert_eq!(
        out.ok(),
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/\n"
    );
    assert_eq!(
        ns.berth(&["exec", "-u", "1000:1000", "ex", "id", "-g"])
            .ok(),
        "1000\n"
    );
    ns.berth(&["exec", "-u", "nobodyatall", "ex", "true"])
        .code(126)
        .stderr_has("nobodyatall");
}

#[test]
fn stdin_detach_and_privileged() {
    let ns = Ns::new("exec-io");
    sleeper(&ns, "ex", &[]);
    assert_eq!(
        ns.berth_stdin(&["exec", "-i", "ex", "sh", "-c", "tr a-z A-Z"], "hello\n")
            .ok(),
        "HELLO\n"
    );
    // Without -i the command gets no input (EOF at once).
    assert_eq!(ns.berth_stdin(&["exec", "ex", "cat"], "ignored\n").ok(), "");
    // -d returns at once; the command goes on.
    let t = std::time::Instant::now();
    assert_eq!(
        ns.berth(&["exec", "-d", "ex", "sh", "-c", "sleep 1; touch /tmp/done"])
            .ok(),
        ""
    );
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    crate::common::wait_for("the detached exec", 10, || {
        ns.berth(&["exec", "ex", "test", "-e", "/tmp/done"])
            .code
            .eq(&0)
            .then_some(())
    });
    // --privileged: every capability berth itself may hold.
    let caps = |args: &[&str]| {
        let mut a = vec!["exec"];
        a.extend_from_slice(args);
        a.extend(["ex", "sh", "-c", "grep CapEff /proc/self/status"]);
        ns.berth(&a)
            .ok()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    };
    let own = std::fs::read_to_string("/proc/self/status").unwrap();
    let own_bounding = own
        .lines()
        .find_map(|l| l.strip_prefix("CapBnd:"))
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(caps(&["--privileged"]), own_bounding);
    assert_eq!(caps(&[]), "00000000a80425fb", "docker's default set");
}

#[test]
fn errors_like_docker() {
    let ns = Ns::new("exec-errors");
    sleeper(&ns, "ex", &[]);
    let id = ns
        .berth(&["inspect", "-f", "{{.Id}}", "ex"])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["pause", "ex"]).ok();
    // docker names the container as it was typed.
    for typed in ["ex", &id[..12]] {
        let paused = ns.berth(&["exec", typed, "true"]);
        paused.code(1);
        assert_eq!(
            paused.stderr,
            format!(
                "Error response from daemon: Container {typed} is paused, unpause the container before exec\n"
            )
        );
    }
    ns.berth(&["unpause", "ex"]).ok();
    ns.berth(&["stop", "-t", "0", "ex"]).ok();
    let stopped = ns.berth(&["exec", "ex", "true"]);
    stopped.code(1);
    assert_eq!(
        stopped.stderr,
        format!("Error response from daemon: container {id} is not running\n")
    );
    let ghost = ns.berth(&["exec", "ghost", "true"]);
    ghost.code(1);
    assert_eq!(
        ghost.stderr,
        "Error response from daemon: No such container: ghost\n"
    );
}

/// Runs `berth exec -t ...` inside `script`'s pseudo-terminal, whose size
/// is set first; `resize`: a background step resizes it after a second.
fn in_pty(ns: &Ns, exec_args: &str, resize: bool) -> (i32, String) {
    let resizer = "import fcntl, termios, struct, os, time\n\
        time.sleep(1)\n\
        fd = os.open('/dev/tty', os.O_RDWR)\n\
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 120, 0, 0))\n";
    let dir = tempfile::tempdir().unwrap();
    let py = dir.path().join("resize.py");
    std::fs::write(&py, resizer).unwrap();
    let bg = if resize {
        format!("python3 {} & ", py.display())
    } else {
        String::new()
    };
    ns.in_pty(&format!(
        "stty rows 30 cols 100; {bg}{{berth}} exec {exec_args}"
    ))
}

#[test]
fn terminal_size_resize_and_exit_code() {
    let ns = Ns::new("exec-tty");
    sleeper(&ns, "ex", &[]);
    let (code, out) = in_pty(
        &ns,
        "-t ex sh -c 'tty; echo $TERM; stty size; exit 4'",
        false,
    );
    assert_eq!(code, 4, "{out}");
    assert_eq!(out, "/dev/pts/0\nxterm\n30 100\n");
    // SIGWINCH on berth's terminal resizes the process's.
    let (code, out) = in_pty(&ns, "-t ex sh -c 'stty size; sleep 2; stty size'", true);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "30 100\n40 120\n");
}
