//! The calls Jenkins' docker-workflow plugin makes for `docker.image().inside`,
//! in its order and with its flags; and bind mounts, which every CI runner
//! needs for its workspace.

use std::time::{Duration, Instant};

use crate::common::Ns;

#[test]
fn docker_workflow_inside_sequence() {
    let ns = Ns::new("jenkins");
    let img = ns.pull("busybox");
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("Jenkinsfile"), "pipeline {}\n").unwrap();
    let bind = format!("{}:/ws:rw,z", ws.path().display());

    // `docker -v`, parsed by the plugin with ^(\D+)(\d+)\.(\d+)\.(\d+).
    let version = ns.berth(&["-v"]).ok().to_string();
    let re = regex::Regex::new(r"^(\D+)(\d+)\.(\d+)\.(\d+)").unwrap();
    let caps = re.captures(&version).expect("version parseable");
    assert_eq!(&caps[1], "berth version ");

    let id = ns
        .berth(&[
            "run", "-t", "-d", "-u", "0:0", "-w", "/ws", "-v", &bind, "-e", "K=V", &img, "cat",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(id.len(), 64);

    // The plugin checks that `cat` is up before it execs anything.
    assert_cat_runs(&ns.berth(&["top", &id, "-eo", "pid,comm"]));

    // A build step: workspace, environment, working directory, exit code.
    let step = ns.berth(&["exec", &id, "sh", "-c", STEP]);
    step.code(3);
    assert_eq!(step.stdout, "pipeline {}\nK=V\n/ws\n0\n");
    assert_eq!(
        std::fs::read_to_string(ws.path().join("out.txt")).unwrap(),
        "built\n"
    );

    let created = ns
        .berth(&["inspect", "-f", "{{json .Created}}", &id])
        .ok()
        .to_string();
    let created: String = serde_json::from_str(created.trim()).unwrap();
    assert!(
        chrono_like_rfc3339(&created),
        "Created is RFC 3339 with nanoseconds: {created}"
    );
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.Config.Hostname}}", &id])
            .ok(),
        format!("{}\n", &id[..12])
    );
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{range .Mounts}}{{.Destination}}\n{{end}}",
            &id
        ])
        .ok(),
        "/ws\n\n"
    );

    // cat under a TTY ignores SIGTERM as pid 1: killed after the second.
    let t = Instant::now();
    assert_eq!(ns.berth(&["stop", "--time=1", &id]).ok(), format!("{id}\n"));
    assert!(t.elapsed() >= Duration::from_secs(1) && t.elapsed() < Duration::from_secs(10));
    assert_eq!(
        ns.berth(&["rm", "-f", "--volumes", &id]).ok(),
        format!("{id}\n")
    );
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
    // The workspace is the host's: still there, with what the step wrote.
    assert!(ws.path().join("out.txt").exists());
}

/// The plugin's check that `cat` runs: `top ID -eo pid,comm` answered
/// with docker's header and a `cat` line.
#[track_caller]
pub fn assert_cat_runs(top: &crate::common::Out) {
    let top = top.ok();
    let lines: Vec<&str> = top.lines().collect();
    assert!(
        lines[0].starts_with("PID") && lines[0].contains("COMMAND"),
        "{top}"
    );
    assert!(lines[1..].iter().any(|l| l.ends_with(" cat")), "{top}");
}

/// A `sh` step: the workspace, the environment, the working directory, the
/// user, a file written, the exit code.
pub const STEP: &str = "cat Jenkinsfile; echo \"K=$K\"; pwd; id -u; echo built > out.txt; exit 3";

/// `YYYY-MM-DDTHH:MM:SS.fffffffffZ`, as docker prints `.Created`.
fn chrono_like_rfc3339(s: &str) -> bool {
    let re = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$").unwrap();
    re.is_match(s)
}

#[test]
fn bind_mounts_read_only_and_errors() {
    let ns = Ns::new("binds");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("data");
    // docker creates a missing host directory for -v.
    let rw = format!("{}:/data", src.display());
    ns.berth(&[
        "run",
        "--rm",
        "-v",
        &rw,
        &img,
        "sh",
        "-c",
        "echo x > /data/f",
    ])
    .ok();
    assert_eq!(std::fs::read_to_string(src.join("f")).unwrap(), "x\n");
    // :ro is enforced, and shows in inspect as docker shows it.
    let ro = format!("{}:/data:ro", src.display());
    let out = ns.berth(&["run", "--name", "ro", "-v", &ro, &img, "touch", "/data/g"]);
    out.code(1);
    assert!(
        out.stderr.contains("Read-only file system"),
        "{}",
        out.stderr
    );
    let mounts = ns
        .berth(&["inspect", "-f", "{{json .Mounts}}", "ro"])
        .ok()
        .to_string();
    let mounts: serde_json::Value = serde_json::from_str(&mounts).unwrap();
    assert_eq!(
        mounts,
        serde_json::json!([{"Type": "bind", "Source": src.to_str().unwrap(), "Destination": "/data",
            "Mode": "ro", "RW": false, "Propagation": "rprivate"}])
    );
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{json .HostConfig.Binds}}", "ro"])
            .ok(),
        format!("[\"{ro}\"]\n")
    );
    // --read-only: the root is read-only, binds stay writable.
    let out = ns.berth(&[
        "run",
        "--rm",
        "--read-only",
        "-v",
        &rw,
        &img,
        "sh",
        "-c",
        "echo y > /data/h && touch /root-file",
    ]);
    out.code(1);
    assert!(
        out.stderr.contains("Read-only file system"),
        "{}",
        out.stderr
    );
    assert!(src.join("h").exists());
    // Bad specifications: docker's words and 125, nothing created.
    for (spec, msg) in [
        ("/a:rel", "mount path must be absolute"),
        ("/a:/b:bogus", "invalid mode: bogus"),
        (
            "my vol:/data",
            "includes invalid characters for a local volume name",
        ),
        ("data", "invalid volume specification"),
    ] {
        ns.berth(&["run", "--rm", "-v", spec, &img, "true"])
            .code(125)
            .stderr_has(msg);
    }
    ns.berth(&[
        "run",
        "--rm",
        "-v",
        &rw,
        "-v",
        &format!("{}:/data", dir.path().display()),
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("Duplicate mount point: /data");
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    ns.berth(&["rm", "ro"]).ok();
}
