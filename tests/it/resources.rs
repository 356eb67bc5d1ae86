//! Resource flags, each checked from inside the container (its cgroup
//! files, v1 or v2 as the host has), and `update` on a running container.

use crate::common::Ns;

fn cgroup_v2() -> bool {
    std::path::Path::new("/sys/fs/cgroup/cgroup.controllers").exists()
}

/// A shell line printing one cgroup file: the v1 path or the v2 one.
fn cg(v1: &str, v2: &str) -> String {
    if cgroup_v2() {
        format!("cat /sys/fs/cgroup/{v2}")
    } else {
        format!("cat /sys/fs/cgroup/{v1}")
    }
}

fn run_sh(ns: &Ns, img: &str, flags: &[&str], script: &str) -> String {
    ns.run_sh(flags, img, script).ok().to_string()
}

#[test]
fn cpu_memory_and_pids_limits_reach_the_cgroup() {
    let ns = Ns::new("res-limits");
    let img = ns.pull("busybox");
    let script = [
        cg("memory/memory.limit_in_bytes", "memory.max"),
        cg("memory/memory.soft_limit_in_bytes", "memory.low"),
        cg("cpu/cpu.cfs_quota_us", "cpu.max"),
        cg("cpu/cpu.shares", "cpu.weight"),
        cg("cpuset/cpuset.cpus", "cpuset.cpus"),
        cg("pids/pids.max", "pids.max"),
    ]
    .join("; ");
    let out = run_sh(
        &ns,
        &img,
        &[
            "--memory",
            "64m",
            "--memory-reservation",
            "32m",
            "--cpus",
            "0.5",
            "--cpu-shares",
            "512",
            "--cpuset-cpus",
            "0",
            "--pids-limit",
            "20",
        ],
        &script,
    );
    let want = if cgroup_v2() {
        // runc's conversion of shares 512 to a weight is 20.
        "67108864\n33554432\n50000 100000\n20\n0\n20\n"
    } else {
        "67108864\n33554432\n50000\n512\n0\n20\n"
    };
    assert_eq!(out, want);
    // Swap: docker's default of twice the memory, or as given.
    if !cgroup_v2() {
        let swap = run_sh(
            &ns,
            &img,
            &["-m", "64m"],
            &cg("memory/memory.memsw.limit_in_bytes", "memory.swap.max"),
        );
        assert_eq!(swap, "134217728\n");
        let oom = run_sh(
            &ns,
            &img,
            &["-m", "64m", "--oom-kill-disable"],
            "grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control",
        );
        assert_eq!(oom, "oom_kill_disable 1\n");
    }
}

#[test]
fn inspect_shows_the_limits_as_docker() {
    let ns = Ns::new("res-inspect");
    let img = ns.pull("busybox");
    ns.berth(&[
        "create",
        "--name",
        "lim",
        "-m",
        "64m",
        "--cpus",
        "1.5",
        "-c",
        "256",
        "--pids-limit",
        "50",
        &img,
    ])
    .ok();
    let out = ns.berth(&[
        "inspect",
        "-f",
        "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}}",
        "lim",
    ]);
    assert_eq!(out.ok(), "67108864 134217728 1500000000 256 50\n");
}

#[test]
fn bad_limits_are_refused_with_dockers_words() {
    let ns = Ns::new("res-bad");
    let img = ns.pull("busybox");
    let cpus = std::thread::available_parallelism().unwrap().get();
    let too_many = (cpus + 1).to_string();
    for (flags, msg) in [
        (
            vec!["-m", "1m"],
            "Minimum memory limit allowed is 6MB".to_string(),
        ),
        (
            vec!["--memory-swap", "64m"],
            "You should always set the Memory limit when using Memoryswap limit".into(),
        ),
        (
            vec!["-m", "64m", "--memory-swap", "32m"],
            "Minimum memoryswap limit".into(),
        ),
        (
            vec!["--cpus", &too_many],
            format!("Range of CPUs is from 0.01 to {cpus}.00"),
        ),
        (vec!["--memory", "lots"], "invalid size: 'lots'".into()),
    ] {
        let mut args = vec!["run", "--rm"];
        args.extend_from_slice(&flags);
        args.extend_from_slice(&[&img, "true"]);
        ns.berth(&args).code(125).stderr_has(&msg);
    }
    // Nothing was left behind by the refusals.
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}

#[test]
fn pids_limit_stops_a_fork_loop() {
    let ns = Ns::new("res-pids");
    let img = ns.pull("busybox");
    let out = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--pids-limit",
        "8",
        &img,
        "sh",
        "-c",
        "n=0; while [ $n -lt 40 ]; do sleep 30 & n=$((n+1)); done; echo started all",
    ]);
    assert!(
        out.stderr.contains("can't fork") || out.stdout.contains("can't fork"),
        "the loop was not stopped: {} / {}",
        out.stdout,
        out.stderr
    );
    assert!(!out.stdout.contains("started all"), "{}", out.stdout);
}

#[test]
fn update_changes_a_running_containers_limits_and_keeps_them() {
    let ns = Ns::new("res-update");
    let img = ns.pull("busybox");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "upd",
        "--network",
        "none",
        "-m",
        "64m",
        &img,
        "sleep",
        "300",
    ])
    .ok();
    let mem = cg("memory/memory.limit_in_bytes", "memory.max");
    let pids = cg("pids/pids.max", "pids.max");
    let read = || {
        ns.berth(&["exec", "upd", "sh", "-c", &format!("{mem}; {pids}")])
            .ok()
            .to_string()
    };
    // No pids limit asked for: runc's cgroupfs leaves `max`; under the
    // systemd driver the scope gets systemd's DefaultTasksMax (as docker's
    // containers do: both leave the spec's pids limit out).
    let before = read();
    let unlimited = match crate::common::cgroup_manager() {
        berth::container::cgroups::Manager::Cgroupfs => before == "67108864\nmax\n",
        berth::container::cgroups::Manager::Systemd => before
            .strip_prefix("67108864\n")
            .is_some_and(|p| p.trim() == "max" || p.trim().parse::<u64>().is_ok_and(|n| n > 30)),
    };
    assert!(unlimited, "{before}");
    assert_eq!(
        ns.berth(&["update", "--memory", "128m", "--pids-limit", "30", "upd"])
            .ok(),
        "upd\n"
    );
    assert_eq!(read(), "134217728\n30\n");
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}",
            "upd"
        ])
        .ok(),
        "134217728 30\n"
    );
    // A restart keeps the new limits (they are in the spec too).
    ns.berth(&["restart", "-t", "0", "upd"]).ok();
    assert_eq!(read(), "134217728\n30\n");
    // A refused update changes nothing.
    ns.berth(&["update", "-m", "1m", "upd"])
        .code(1)
        .stderr_has("Minimum memory limit allowed is 6MB");
    assert_eq!(read(), "134217728\n30\n");
    // Limits and a restart policy in one update: both kept.
    // (`always`: containerd 1.6's monitor has no on-failure.)
    ns.berth(&["update", "-m", "96m", "--restart", "always", "upd"])
        .ok();
    let fmt = "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}";
    assert_eq!(
        ns.berth(&["inspect", "-f", fmt, "upd"]).ok(),
        "100663296 always\n"
    );
    assert_eq!(read(), "100663296\n30\n");
    ns.berth(&["update", "--restart", "no", "upd"]).ok();
    ns.berth(&["update", "upd"])
        .code(1)
        .stderr_has("you must provide one or more flags");
}

#[test]
fn ulimit_shm_size_and_sysctl() {
    let ns = Ns::new("res-ulimit");
    let img = ns.pull("busybox");
    let out = run_sh(
        &ns,
        &img,
        &[
            "--ulimit",
            "nofile=100:200",
            "--ulimit",
            "nproc=64",
            "--shm-size",
            "32m",
            "--sysctl",
            "net.ipv4.ip_forward=1",
            "--sysctl",
            "kernel.shmmni=1000",
        ],
        "ulimit -n; ulimit -Hn; ulimit -u; df -k /dev/shm | awk 'NR==2 {print $2}'; \
         cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni",
    );
    assert_eq!(out, "100\n200\n64\n32768\n1\n1000\n");
    // docker's words for a flag value it refuses, whole.
    let panic = ns.berth(&["run", "--rm", "--sysctl", "kernel.panic=1", &img, "true"]);
    panic.code(125);
    assert_eq!(
        panic.stderr,
        "invalid argument \"kernel.panic=1\" for \"--sysctl\" flag: sysctl 'kernel.panic=1' is not allowed\n\n\
         Usage:  berth run [OPTIONS] <IMAGE> [COMMAND]...\n\n\
         Run 'berth run --help' for more information\n"
    );
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "host",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("not allowed in host network namespace");
    ns.berth(&["run", "--rm", "--ulimit", "nofile=10:5", &img, "true"])
        .code(125)
        .stderr_has("soft limit must be less than or equal to hard limit");
}

#[test]
fn oom_score_swappiness_domainname_labels_and_expose() {
    let ns = Ns::new("res-more");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels");
    std::fs::write(&labels, "# team labels\nteam=infra\nflag\n").unwrap();
    let mut script = "cat /proc/self/oom_score_adj /proc/sys/kernel/domainname".to_string();
    if !cgroup_v2() {
        script.push_str("; cat /sys/fs/cgroup/memory/memory.swappiness");
    }
    let out = ns
        .berth(&[
            "run",
            "--name",
            "more",
            "--network",
            "none",
            "--oom-score-adj",
            "500",
            "--memory-swappiness",
            "10",
            "--domainname",
            "corp.example",
            "--label-file",
            labels.to_str().unwrap(),
            "-l",
            "team=app",
            &img,
            "sh",
            "-c",
            &script,
        ])
        .ok()
        .to_string();
    let want = if cgroup_v2() {
        "500\ncorp.example\n"
    } else {
        "500\ncorp.example\n10\n"
    };
    assert_eq!(out, want);
    // -l wins over the file, as in docker.
    assert_eq!(
        ns.berth(&[
            "inspect",
            "-f",
            "{{json .Config.Labels}} {{.HostConfig.OomScoreAdj}} {{.HostConfig.MemorySwappiness}} {{.Config.Domainname}}",
            "more"
        ])
        .ok(),
        "{\"flag\":\"\",\"team\":\"app\"} 500 10 corp.example\n"
    );
    ns.berth(&["run", "--rm", "--oom-score-adj", "2000", &img, "true"])
        .code(125)
        .stderr_has("range for oom score adj is [-1000, 1000]");
    // --expose adds to what -P publishes.
    ns.berth(&[
        "run", "-d", "--name", "exp", "-P", "--expose", "7000", &img, "sleep", "300",
    ])
    .ok();
    let port = ns.berth(&["port", "exp", "7000"]).ok().to_string();
    assert!(port.starts_with("0.0.0.0:"), "{port}");
    ns.berth(&["rm", "-f", "exp"]).ok();
}

/// A block device of this machine (its name in /sys/block, its /dev node).
fn block_device() -> (String, String) {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    for e in std::fs::read_dir("/sys/block").unwrap().flatten() {
        let dev = format!("/dev/{}", e.file_name().to_string_lossy());
        if let Ok(m) = std::fs::metadata(&dev)
            && m.file_type().is_block_device()
        {
            let numbers = format!(
                "{}:{}",
                nix::sys::stat::major(m.rdev()),
                nix::sys::stat::minor(m.rdev())
            );
            return (dev, numbers);
        }
    }
    panic!("no block device in /sys/block with a node in /dev");
}

#[test]
fn block_io_throttles_reach_the_cgroup() {
    let ns = Ns::new("res-blkio");
    let img = ns.pull("busybox");
    let (dev, numbers) = block_device();
    let rbps = format!("{dev}:1mb");
    let wiops = format!("{dev}:100");
    let script = if cgroup_v2() {
        "cat /sys/fs/cgroup/io.max".to_string()
    } else {
        "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device \
         /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device"
            .to_string()
    };
    let out = run_sh(
        &ns,
        &img,
        &["--device-read-bps", &rbps, "--device-write-iops", &wiops],
        &script,
    );
    let want = if cgroup_v2() {
        format!("{numbers} rbps=1048576 wbps=max riops=max wiops=100\n")
    } else {
        format!("{numbers} 1048576\n{numbers} 100\n")
    };
    assert_eq!(out, want);
    ns.berth(&[
        "run",
        "--rm",
        "--device-read-bps",
        "/dev/null:1mb",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("not a block device");
}

/// `--cpu-rt-period`/`--cpu-rt-runtime` reach the container's cgroup when
/// its parent has a real-time budget (docker's daemon gives its own parent
/// one; here the test's `--cgroup-parent` has it), and `update` changes
/// them; without a budget the runtime refuses, with berth's hint.
#[test]
fn real_time_cpu_limits_need_a_parent_budget() {
    let ns = Ns::new("rt-cpu");
    let img = ns.pull("busybox");
    let root = std::path::Path::new("/sys/fs/cgroup/cpu");
    if !root.join("cpu.rt_runtime_us").exists() {
        // No real-time group scheduling (cgroup v2): docker's daemon
        // discards the settings with its warnings.
        let o = ns.berth(&[
            "run",
            "--rm",
            "--network",
            "none",
            "--cpu-rt-runtime",
            "1000",
            &img,
            "true",
        ]);
        o.ok();
        assert_eq!(
            o.stderr,
            "WARNING: Your kernel does not support cgroup cpu real-time runtime\n"
        );
        return;
    }
    let parent = format!("{}-rt", ns.name);
    let dir = root.join(&parent);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("cpu.rt_runtime_us"), "100000").unwrap();
    let cgroup = format!("/{parent}");
    let read = "cat /sys/fs/cgroup/cpu/cpu.rt_period_us /sys/fs/cgroup/cpu/cpu.rt_runtime_us";
    let run = ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--cgroup-parent",
        &cgroup,
        "--cpu-rt-period",
        "500000",
        "--cpu-rt-runtime",
        "5000",
        &img,
        "sh",
        "-c",
        read,
    ]);
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "rt1",
        "--network",
        "none",
        "--cgroup-parent",
        &cgroup,
        &img,
        "sleep",
        "600",
    ])
    .ok();
    let update = ns.berth(&["update", "--cpu-rt-runtime", "7000", "rt1"]);
    let after = ns.berth(&["exec", "rt1", "cat", "/sys/fs/cgroup/cpu/cpu.rt_runtime_us"]);
    let inspect = ns.berth(&["inspect", "-f", "{{.HostConfig.CpuRealtimeRuntime}}", "rt1"]);
    ns.berth(&["rm", "-f", "rt1"]).ok();
    let _ = std::fs::remove_dir(&dir);
    assert_eq!(run.ok(), "500000\n5000\n");
    assert_eq!(update.ok(), "rt1\n");
    assert_eq!(after.ok(), "7000\n");
    assert_eq!(inspect.ok(), "7000\n");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--cpu-rt-runtime",
        "1000",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("cpu.rt_runtime_us: invalid argument")
    .stderr_has("Hint: the container's parent cgroup has no real-time budget");
    ns.berth(&[
        "run",
        "--rm",
        "--cpu-rt-period",
        "1000",
        "--cpu-rt-runtime",
        "2000",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("cpu real-time runtime cannot be higher than cpu real-time period");
}
