//! Faults: containerd restarting under running containers, berth killed
//! in the middle of `run -d`, and many run/remove cycles leaving nothing
//! behind.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{Ns, wait_for};

/// What a namespace holds that a removed container could leak: leases,
/// active snapshots, files under berth's data root, and mounts.
#[derive(Debug, PartialEq, Eq)]
struct Residue {
    leases: usize,
    active_snapshots: usize,
    containers: usize,
    files: usize,
    mounts: usize,
}

fn residue(ns: &Ns) -> Residue {
    let count_lines = |args: &[&str]| ns.ctr(args).ok().lines().skip(1).count();
    let root = ns.data_root.path().join(&ns.name).join("containers");
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap();
    Residue {
        leases: count_lines(&["leases", "ls"]),
        active_snapshots: ns
            .ctr(&["snapshots", "ls"])
            .ok()
            .lines()
            .filter(|l| l.contains("Active"))
            .count(),
        containers: count_lines(&["containers", "ls"]),
        files: count_files(&root),
        mounts: mounts.lines().filter(|l| l.contains(&ns.name)).count(),
    }
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                1 + count_files(&e.path())
            } else {
                1
            }
        })
        .sum()
}

/// What container networks hold on the whole machine: berth's network
/// namespaces, host-local address leases, iptables rules naming a
/// container, port reservations. Only comparable in an exclusive test.
fn network_residue() -> (usize, usize, usize, usize) {
    let count = |dir: &str, keep: &dyn Fn(&str) -> bool| {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| keep(&e.file_name().to_string_lossy()))
            .count()
    };
    let leases: usize = std::fs::read_dir("/var/lib/cni/networks")
        .into_iter()
        .flatten()
        .flatten()
        .map(|d| {
            count(&d.path().to_string_lossy(), &|n| {
                n != "lock" && !n.starts_with("last_reserved_ip")
            })
        })
        .sum();
    let rules = std::process::Command::new("iptables-save")
        .output()
        .unwrap();
    // Rules naming a container, and the firewall plugin's per-address
    // ones (they name only the address).
    let rules = String::from_utf8_lossy(&rules.stdout)
        .lines()
        .filter(|l| l.contains("id: \"") || l.starts_with("-A CNI-FORWARD -d "))
        .count();
    (
        count("/run/netns", &|n| n.starts_with("berth-")),
        leases,
        rules,
        count("/run/berth/ports", &|n| !n.starts_with('.')),
    )
}

fn restart_containerd() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/testenv");
    let out = std::process::Command::new(script)
        .arg("restart-containerd")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "restarting containerd: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn detached_containers_survive_a_containerd_restart() {
    let ns = Ns::exclusive("fault-restart");
    let img = ns.pull("busybox");
    let clean_network = network_residue();
    let script = "i=0; while :; do echo line$i; i=$((i+1)); sleep 0.2; done";
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "survivor",
        "-p",
        "127.0.0.1::80",
        &img,
        "sh",
        "-c",
        script,
    ])
    .ok();
    let follower = ns.spawn(&["logs", "-f", "survivor"]);
    wait_for("some output", 20, || {
        ns.berth(&["logs", "survivor"])
            .ok()
            .contains("line3")
            .then_some(())
    });
    let before = ns.berth(&["logs", "survivor"]).ok().lines().count();

    restart_containerd();

    // The shim and the logger kept going; every verb works on it again.
    assert_eq!(
        ns.berth(&["ps", "--format", "{{.Names}} {{.State}}"]).ok(),
        "survivor running\n"
    );
    assert_eq!(
        ns.berth(&["inspect", "-f", "{{.State.Running}}", "survivor"])
            .ok(),
        "true\n"
    );
    wait_for("output after the restart", 20, || {
        (ns.berth(&["logs", "survivor"]).ok().lines().count() > before + 5).then_some(())
    });
    let t = Instant::now();
    ns.berth(&["stop", "-t", "1", "survivor"]).ok();
    assert!(t.elapsed() < Duration::from_secs(10));
    // The `logs -f` started before the restart carried on and ended with
    // the container: everything up to the stop, no error.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut follower = follower;
    let child = follower.0.as_mut().unwrap();
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "logs -f hangs after the stop");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = follower.finish();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let all = ns.berth(&["logs", "survivor"]).ok().to_string();
    assert_eq!(out.stdout, all);
    ns.berth(&["rm", "survivor"]).ok();
    // Its network went with it, containerd restart or not.
    assert_eq!(network_residue(), clean_network);
}

#[test]
fn berth_killed_during_run_d_leaves_nothing_rm_cannot_remove() {
    // Exclusive: the machine's network residue is compared too.
    let ns = Ns::exclusive("fault-sigkill");
    let img = ns.pull("busybox");
    let clean = residue(&ns);
    let clean_network = network_residue();
    // SIGKILL at spread-out moments of run -d: before anything, while
    // creating, between create and start, while starting, after.
    for (i, delay_ms) in [0u64, 10, 25, 50, 75, 100, 150, 200, 300, 500]
        .iter()
        .enumerate()
    {
        let name = format!("k{i}");
        let mut child = ns
            .cmd()
            .args([
                "run",
                "-d",
                "--name",
                &name,
                "-p",
                "127.0.0.1::80",
                &img,
                "sleep",
                "60",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(*delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let listed = ns
            .berth(&["ps", "-a", "--format", "{{.Names}} {{.Status}}"])
            .ok()
            .to_string();
        for line in listed.lines() {
            assert!(
                line.ends_with(" Created") || line.contains(" Up "),
                "after a kill at {delay_ms} ms: {line}"
            );
        }
        if listed.lines().any(|l| l.starts_with(&format!("{name} "))) {
            ns.berth(&["rm", "-f", &name]).ok();
        } else {
            // Killed before the record existed: the claim's creator is
            // gone, so prune clears it (and a later run could take it).
            ns.berth(&["container", "prune", "-f"]).ok();
        }
    }
    // Nothing left: each name can be used again at once.
    ns.berth(&["run", "--rm", "--name", "k3", &img, "true"])
        .ok();
    assert_eq!(residue(&ns), clean);
    assert_eq!(
        network_residue(),
        clean_network,
        "(netns, leases, rules, ports)"
    );
}

#[test]
fn two_hundred_run_rm_cycles_leave_nothing_behind() {
    let ns = Ns::new("fault-cycles");
    let img = ns.pull("busybox");
    let clean = residue(&ns);
    let t = Instant::now();
    for i in 0..200 {
        let id = ns
            .berth(&["run", "-d", &img, "sleep", "60"])
            .ok()
            .trim()
            .to_string();
        assert_eq!(id.len(), 64, "cycle {i}");
        assert_eq!(ns.berth(&["rm", "-f", &id]).ok(), format!("{id}\n"));
    }
    eprintln!("200 run -d + rm -f cycles: {:?}", t.elapsed());
    assert_eq!(residue(&ns), clean);
    assert_eq!(ns.ctr(&["tasks", "ls", "-q"]).ok(), "");
}
