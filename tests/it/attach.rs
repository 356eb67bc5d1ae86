//! `attach`, the detach keys and `start -a` on a running container, under a
//! real terminal where a person would use them; docker's words and exit
//! codes as recorded from docker CLI 28.2.2 with dockerd 20.10.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::Duration;

use crate::common::Ns;
use crate::common::pty::Pty;

const T: Duration = Duration::from_secs(20);

fn on_terminal(ns: &Ns, args: &[&str]) -> Pty {
    let mut cmd = ns.cmd();
    cmd.args(args);
    Pty::spawn(cmd)
}

/// Until the container's log shows `text`.
fn wait_for_log(ns: &Ns, name: &str, text: &str) {
    for _ in 0..200 {
        if ns.berth(&["logs", name]).stdout.contains(text) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{name} never logged {text:?}");
}

fn status(ns: &Ns, name: &str) -> String {
    let out = ns.berth(&[
        "inspect",
        "-f",
        "{{.State.Status}} {{.State.ExitCode}}",
        name,
    ]);
    out.ok().trim().to_string()
}

#[test]
fn attach_detach_and_reattach_under_a_terminal() {
    let ns = Ns::new("attach-tty");
    let img = ns.pull("busybox");
    ns.berth(&["run", "-dit", "--name", "sh1", &img, "sh"]).ok();
    let mut a = on_terminal(&ns, &["attach", "sh1"]);
    // What is typed reaches the shell, what it prints comes back.
    a.send(b"echo one-$((40+2))\r");
    a.expect("one-42", T);
    a.send(b"\x10\x11");
    let (code, seen) = a.finish(T);
    assert_eq!(code, 1, "{seen}");
    assert!(seen.ends_with("read escape sequence\n"), "{seen:?}");
    assert_eq!(status(&ns, "sh1"), "running 0");
    // Joined again: the same shell (its variable), then its exit code.
    let mut a = on_terminal(&ns, &["attach", "sh1"]);
    a.send(b"X=kept; echo got-$X\r");
    a.expect("got-kept", T);
    a.send(b"exit 3\r");
    let (code, seen) = a.finish(T);
    assert_eq!(code, 3, "{seen}");
    assert_eq!(status(&ns, "sh1"), "exited 3");
    // Both sessions are in its log.
    let logs = ns.berth(&["logs", "sh1"]).ok().replace('\r', "");
    assert!(
        logs.contains("one-42\n") && logs.contains("got-kept\n"),
        "{logs}"
    );
}

#[test]
fn run_it_detaches_silently_and_attach_resumes_it() {
    let ns = Ns::new("attach-run-it");
    let img = ns.pull("busybox");
    let mut r = on_terminal(&ns, &["run", "-it", "--name", "r1", &img, "sh"]);
    r.expect("/ # ", T);
    r.send(b"echo first-$((1+1))\r");
    r.expect("first-2", T);
    // Custom keys work too; docker's run says nothing and exits 0.
    r.send(b"\x10\x11");
    let (code, seen) = r.finish(T);
    assert_eq!(code, 0, "{seen}");
    assert!(!seen.contains("escape"), "{seen}");
    assert_eq!(status(&ns, "r1"), "running 0");
    let mut a = on_terminal(&ns, &["attach", "--detach-keys", "ctrl-a,x", "r1"]);
    // The shell's answer, not the terminal's echo of what was typed: berth
    // has the terminal raw (it read the line) before the keys are sent.
    a.send(b"echo again-$((2+3))\r");
    a.expect("again-5", T);
    // ctrl-a alone is held back until the x that completes the keys.
    a.send(b"\x01");
    a.send(b"x");
    let (code, seen) = a.finish(T);
    assert_eq!(
        (code, seen.ends_with("read escape sequence\n")),
        (1, true),
        "{seen}"
    );
    let mut a = on_terminal(&ns, &["attach", "r1"]);
    a.send(b"exit 5\r");
    assert_eq!(a.finish(T).0, 5);
    assert_eq!(status(&ns, "r1"), "exited 5");
}

#[test]
fn exec_it_detaches_with_the_keys_and_leaves_the_process() {
    let ns = Ns::new("attach-exec-it");
    let img = ns.pull("busybox");
    ns.sleeper("ex1", &img);
    let mut e = on_terminal(&ns, &["exec", "-it", "ex1", "sh"]);
    e.send(b"echo in-exec; sleep 123\r");
    e.expect("in-exec\n", T);
    e.send(b"\x10\x11");
    let (code, seen) = e.finish(T);
    assert_eq!(code, 1, "{seen}");
    assert!(seen.ends_with("read escape sequence\n"), "{seen:?}");
    let top = ns.berth(&["top", "ex1"]);
    assert!(top.ok().contains("sleep 123"), "{}", top.stdout);
}

#[test]
fn attach_without_a_terminal_streams_both_ways() {
    let ns = Ns::new("attach-pipe");
    let img = ns.pull("busybox");
    ns.berth(&["run", "-di", "--name", "cat1", &img, "cat"])
        .ok();
    let mut child = ns
        .cmd()
        .args(["attach", "cat1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    stdin.write_all(b"through-cat\n").unwrap();
    let mut got = [0u8; 12];
    stdout.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"through-cat\n");
    // The end of this input is not the container's: it still reads.
    drop(stdin);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(&ns, "cat1"), "running 0");
    ns.berth(&["kill", "cat1"]).ok();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(137));
}

#[test]
fn signals_are_proxied_unless_told_not_to() {
    let ns = Ns::new("attach-sig");
    let img = ns.pull("busybox");
    let script = "trap 'echo got-usr1; exit 9' USR1; echo ready; while :; do sleep 0.1; done";
    ns.berth(&["run", "-d", "--name", "t1", &img, "sh", "-c", script])
        .ok();
    wait_for_log(&ns, "t1", "ready");
    // Not interactive: attach follows its output; the signal goes through.
    let attach = ns.spawn(&["attach", "t1"]);
    std::thread::sleep(Duration::from_millis(500));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(attach.id() as i32),
        nix::sys::signal::Signal::SIGUSR1,
    )
    .unwrap();
    let out = attach.finish();
    assert_eq!((out.code, out.stdout.as_str()), (9, "got-usr1\n"));
    ns.berth(&["run", "-d", "--name", "t2", &img, "sh", "-c", script])
        .ok();
    wait_for_log(&ns, "t2", "ready");
    let attach = ns.spawn(&["attach", "--sig-proxy=false", "t2"]);
    std::thread::sleep(Duration::from_millis(500));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(attach.id() as i32),
        nix::sys::signal::Signal::SIGUSR1,
    )
    .unwrap();
    let _ = attach.finish();
    assert_eq!(status(&ns, "t2"), "running 0");
}

#[test]
fn attach_refuses_in_dockers_words() {
    let ns = Ns::new("attach-refuse");
    let img = ns.pull("busybox");
    ns.berth(&["create", "--name", "made", &img, "true"]).ok();
    let out = ns.berth(&["attach", "made"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "You cannot attach to a stopped container, start it first\n"
        )
    );
    ns.berth(&["run", "-dit", "--name", "p1", &img, "sh"]).ok();
    ns.berth(&["pause", "p1"]).ok();
    let out = ns.berth(&["attach", "p1"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "You cannot attach to a paused container, unpause it first\n"
        )
    );
    ns.berth(&["unpause", "p1"]).ok();
    // A terminal container needs a terminal to type on (docker checks this
    // even when it has no stdin to take).
    let out = ns.berth(&["attach", "p1"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (1, "the input device is not a TTY\n")
    );
    let out = ns.berth(&["attach", "--detach-keys", "bogus", "--no-stdin", "p1"]);
    assert_eq!(out.code, 1);
    out.stderr_has("Invalid escape keys (bogus) provided");
    ns.berth(&["attach", "nosuch"])
        .code(1)
        .stderr_has("No such container: nosuch");
}

#[test]
fn start_a_joins_a_running_container() {
    let ns = Ns::new("attach-start-a");
    let img = ns.pull("busybox");
    let script = "echo ready; read line; echo \"read:$line\"; exit 4";
    ns.berth(&["run", "-di", "--name", "s1", &img, "sh", "-c", script])
        .ok();
    wait_for_log(&ns, "s1", "ready");
    let out = ns.berth_stdin(&["start", "-a", "-i", "s1"], "typed\n");
    assert_eq!((out.code, out.stdout.as_str()), (4, "read:typed\n"));
}
