//! Unit tests of `task.rs`.
use super::*;

#[test]
fn classifies_start_failures_like_docker() {
    let e = start_error(tonic::Status::unknown(
        "OCI runtime create failed: exec: \"nosuch\": executable file not found in $PATH",
    ));
    assert_eq!(e.kind(), ErrorKind::CommandNotFound);
    let e = start_error(tonic::Status::unknown(
        "exec: \"/etc/passwd\": permission denied",
    ));
    assert_eq!(e.kind(), ErrorKind::CommandNotExecutable);
    let e = start_error(tonic::Status::unknown("cgroup trouble"));
    assert_eq!(e.kind(), ErrorKind::Daemon);
}

/// Messages as containerd 1.6 (runc 1.1) and 2.x (runc 1.2+) send them.
#[test]
fn only_the_runtime_speaking_of_the_command_gives_126_or_127() {
    let runtime = |inner: &str| {
        start_error(tonic::Status::unknown(format!(
            "failed to create shim task: OCI runtime create failed: runc create failed: \
             unable to start container process: error during container init: {inner}: unknown"
        )))
        .kind()
    };
    assert_eq!(
        runtime(r#"exec: "nosuch": executable file not found in $PATH"#),
        ErrorKind::CommandNotFound
    );
    assert_eq!(
        runtime(r#"exec: "/nosuch": stat /nosuch: no such file or directory"#),
        ErrorKind::CommandNotFound
    );
    assert_eq!(
        runtime(r#"exec: "/etc/passwd": permission denied"#),
        ErrorKind::CommandNotExecutable
    );
    assert_eq!(
        runtime(r#"exec: "/tmp": is a directory"#),
        ErrorKind::CommandNotExecutable
    );
    let old = start_error(tonic::Status::unknown(
        "failed to create shim task: OCI runtime create failed: container_linux.go:380: \
         starting container process caused: exec: \"nosuch\": executable file not found in $PATH: unknown",
    ));
    assert_eq!(old.kind(), ErrorKind::CommandNotFound);
    // A missing file that is not the command is not 127.
    let shim = start_error(tonic::Status::unknown(
        "failed to create shim task: open /run/containerd/fifo/1/x-stdout: no such file or directory: unknown",
    ));
    assert_eq!(shim.kind(), ErrorKind::Daemon);
    let mount = start_error(tonic::Status::unknown(
        "OCI runtime create failed: error mounting \"/var/lib/berth/x/hosts\": permission denied",
    ));
    assert_eq!(mount.kind(), ErrorKind::Daemon);
}

#[test]
fn unreachable_fifos_get_their_own_message() {
    let fifos = Fifos {
        dir: PathBuf::from("/run/containerd/fifo/abc"),
        stdin: None,
        stdout: PathBuf::from("/run/containerd/fifo/abc/id-stdout"),
        stderr: None,
        shim_root: None,
    };
    let status = tonic::Status::unknown(
        "failed to create shim task: failed to open stdout fifo /run/containerd/fifo/abc/id-stdout: no such file or directory",
    );
    let e = fifo_error_in(&status, &fifos).unwrap();
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert!(e.message().contains("is not the host's"), "{e}");
    assert!(
        e.hint()
            .unwrap()
            .contains("-v /run/containerd/fifo:/run/containerd/fifo")
    );
    let other = tonic::Status::unknown("something else");
    assert!(fifo_error_in(&other, &fifos).is_none());
    std::mem::forget(fifos); // nothing on disk to remove
}

#[test]
fn the_shim_opens_a_callers_fifos_through_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let place = FifoPlace::Caller {
        dir: dir.path().to_path_buf(),
        shim_root: PathBuf::from("/proc/42/root"),
    };
    let fifos = Fifos::create(&place, "h", true, false).unwrap();
    let stdio = fifos.stdio();
    let local = fifos.stdout.display().to_string();
    assert!(local.starts_with(&*dir.path().to_string_lossy()));
    assert_eq!(stdio.stdout, format!("/proc/42/root{local}"));
    assert!(stdio.stdin.starts_with("/proc/42/root/") && stdio.stdin.ends_with("h-stdin"));
    assert!(stdio.stderr.ends_with("h-stderr"));
}
