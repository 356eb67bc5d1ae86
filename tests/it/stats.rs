//! `stats`: the numbers against the container's own cgroup files,
//! docker's table and JSON, a live table that redraws in place.

use crate::common::Ns;

/// The container's cgroup file `file` of `controller` (v1) or the
/// unified hierarchy (v2).
fn cgroup_file(ns: &Ns, name: &str, controller: &str, file: &str) -> String {
    let pid = ns
        .berth(&["inspect", "-f", "{{.State.Pid}}", name])
        .ok()
        .trim()
        .to_string();
    let cgroups = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).unwrap();
    let (dir, path) = cgroups
        .lines()
        .find_map(|l| {
            let mut parts = l.splitn(3, ':');
            let (_, ctrls, path) = (parts.next()?, parts.next()?, parts.next()?);
            if ctrls.split(',').any(|c| c == controller) {
                Some((format!("/sys/fs/cgroup/{controller}"), path.to_string()))
            } else if ctrls.is_empty() {
                Some(("/sys/fs/cgroup".to_string(), path.to_string()))
            } else {
                None
            }
        })
        .unwrap();
    std::fs::read_to_string(format!("{dir}{path}/{file}"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn stats_shows_the_cgroups_numbers() {
    let ns = Ns::new("stats");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "busy",
        "--network",
        "none",
        &img,
        "sh",
        "-c",
        "while :; do :; done",
    ])
    .ok();
    // 20 MiB in its /dev/shm (memory the cgroup is charged for), three processes.
    let script = "head -c 20971520 /dev/zero > /dev/shm/fill; sleep 600 & sleep 600 & wait";
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "mem",
        "-m",
        "64m",
        "--network",
        "none",
        &img,
        "sh",
        "-c",
        script,
    ])
    .ok();
    crate::common::wait_for("the fill", 20, || {
        let o = ns.berth(&[
            "exec",
            "mem",
            "sh",
            "-c",
            "ls -l /dev/shm/fill | awk '{print $5}'",
        ]);
        (o.stdout.trim() == "20971520").then_some(())
    });
    let rows: Vec<serde_json::Value> = ns
        .berth(&["stats", "--no-stream", "--format", "json"])
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let row = |name: &str| rows.iter().find(|r| r["Name"] == name).unwrap().clone();
    let mem = row("mem");
    assert_eq!(mem["PIDs"], cgroup_file(&ns, "mem", "pids", "pids.current"));
    assert_eq!(mem["PIDs"], "3");
    let usage = mem["MemUsage"].as_str().unwrap().to_string();
    let (used, limit) = usage.split_once(" / ").unwrap();
    assert_eq!(limit, "64MiB");
    let mib: f64 = used.trim_end_matches("MiB").parse().unwrap_or(0.0);
    assert!((20.0..64.0).contains(&mib), "{usage}");
    let pct: f64 = mem["MemPerc"]
        .as_str()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    assert!((pct - mib / 64.0 * 100.0).abs() < 1.0, "{pct} vs {mib}");
    let busy: f64 = row("busy")["CPUPerc"]
        .as_str()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    assert!(busy > 20.0, "a busy loop at {busy}%");
    assert_eq!(
        row("busy")["NetIO"],
        "0B / 0B",
        "--network none has no traffic"
    );
}

/// docker's zero line for a container that does not run, whole, and
/// its refusal of an unknown one (no table, exit 1).
#[test]
fn stats_of_a_stopped_container_is_dockers_zero_line() {
    let ns = Ns::new("stats-stopped");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&["create", "--name", "c2", &img, "true"])
        .ok()
        .trim()
        .to_string();
    let out = ns.berth(&["stats", "--no-stream", "c2"]).ok().to_string();
    assert_eq!(
        out,
        format!(
            "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O   BLOCK I/O   PIDS\n\
             {}   c2        0.00%     0B / 0B             0.00%     0B / 0B   0B / 0B     0\n",
            &id[..12]
        )
    );
    let json = ns
        .berth(&["stats", "--no-stream", "--format", "{{json .}}", "c2"])
        .ok()
        .to_string();
    assert_eq!(
        json,
        format!(
            "{{\"BlockIO\":\"0B / 0B\",\"CPUPerc\":\"0.00%\",\"Container\":\"c2\",\"ID\":\"{}\",\"MemPerc\":\"0.00%\",\
             \"MemUsage\":\"0B / 0B\",\"Name\":\"c2\",\"NetIO\":\"0B / 0B\",\"PIDs\":\"0\"}}\n",
            &id[..12]
        )
    );
    // Without -a only running containers; with it, this one too.
    assert_eq!(ns.berth(&["stats", "--no-stream"]).ok().lines().count(), 1);
    assert_eq!(
        ns.berth(&["stats", "--no-stream", "-a"])
            .ok()
            .lines()
            .count(),
        2
    );
    let o = ns.berth(&["stats", "--no-stream", "c2", "nosuch"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            1,
            "",
            "Error response from daemon: No such container: nosuch\n"
        )
    );
}

/// On a terminal the table redraws in place each second.
#[test]
fn stats_on_a_terminal_redraws_in_place() {
    let ns = Ns::new("stats-live");
    let img = ns.pull("busybox");
    ns.sleeper("live", &img);
    let (_, out) = ns.in_pty("timeout -s INT 3.5 {berth} stats live");
    assert!(out.starts_with("\x1b[2J\x1b[H"), "{out:?}");
    let frames = out.matches("CONTAINER ID").count();
    assert!(frames >= 2, "{frames} frames: {out:?}");
    assert_eq!(
        out.matches("\x1b[2J").count(),
        1,
        "the screen is cleared once"
    );
    assert!(out.contains("live ") && out.contains("\x1b[K"), "{out:?}");
}
