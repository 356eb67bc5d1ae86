//! `berth rm`.

use crate::common::Ns;

#[test]
fn removes_by_name_id_and_prefix() {
    let ns = Ns::new("rm-basic");
    let img = ns.pull("busybox");
    for n in ["a1", "a2", "a3"] {
        ns.berth(&["run", "--name", n, &img, "true"]).ok();
    }
    let ids: Vec<String> = ns
        .berth(&["ps", "-aq", "--no-trunc"])
        .ok()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(ns.berth(&["rm", "a1"]).ok(), "a1\n");
    let id = &ids[0];
    assert_eq!(
        ns.berth(&["rm", &id[..10]]).ok(),
        format!("{}\n", &id[..10])
    );
    assert_eq!(ns.berth(&["ps", "-aq"]).ok().lines().count(), 1);
    // Snapshots and name leases go with the container.
    let left = ns
        .berth(&["ps", "-a", "--format", "{{.Names}}"])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["rm", &left]).ok();
    assert_eq!(
        ns.ctr(&["snapshots", "ls"])
            .ok()
            .lines()
            .filter(|l| l.contains("Active"))
            .count(),
        0
    );
    assert!(!ns.ctr(&["leases", "ls"]).ok().contains("berth-name"));
}

#[test]
fn errors_missing_and_continues() {
    let ns = Ns::new("rm-missing");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "real", &img, "true"]).ok();
    let out = ns.berth(&["rm", "ghost", "real"]);
    out.code(1);
    assert_eq!(
        out.stderr,
        "Error response from daemon: No such container: ghost\n"
    );
    assert_eq!(out.stdout, "real\n");
}

/// docker: `rm -f` of a missing container reports it and still exits 0.
#[test]
fn force_ignores_missing_containers_like_docker() {
    let ns = Ns::new("rm-force-missing");
    let img = ns.pull("busybox");
    ns.berth(&["run", "--name", "real", &img, "true"]).ok();
    let out = ns.berth(&["rm", "-f", "ghost", "real"]);
    out.code(0);
    assert_eq!(
        out.stderr,
        "Error response from daemon: No such container: ghost\n"
    );
    assert_eq!(out.stdout, "real\n");
    let alone = ns.berth(&["rm", "-f", "ghost"]);
    alone.code(0);
    assert_eq!(alone.stdout, "");
}

#[test]
fn ambiguous_prefix_is_refused() {
    let ns = Ns::new("rm-ambiguous");
    let img = ns.pull("busybox");
    // With 17 containers, two share a first hex digit.
    for _ in 0..17 {
        ns.berth(&["run", &img, "true"]).ok();
    }
    let ids = ns.berth(&["ps", "-aq"]).ok().to_string();
    let prefix = (0..16)
        .map(|d| format!("{d:x}"))
        .find(|p| ids.lines().filter(|l| l.starts_with(p.as_str())).count() > 1)
        .unwrap();
    ns.berth(&["rm", &prefix])
        .code(1)
        .stderr_has("multiple IDs found with provided prefix");
}

#[test]
fn running_containers_need_force() {
    let ns = Ns::new("rm-force");
    let img = ns.pull("busybox");
    let child = ns.spawn(&["run", "--name", "busy", &img, "sleep", "300"]);
    ns.wait_running("busy");
    ns.berth(&["rm", "busy"])
        .code(1)
        .stderr_has("You cannot remove a running container");
    assert_eq!(ns.berth(&["rm", "-f", "--volumes", "busy"]).ok(), "busy\n");
    // The attached berth saw its container killed.
    assert_eq!(child.finish().code, 137);
    assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
}
