//! More networking: the DNS and hosts flags, another container's network,
//! macvlan/ipvlan, a namespace lost with a reboot, `-P`, prune.

use crate::common::{Ns, wait_for};
use crate::network::{ETH0_ADDR, HTTPD, NetworkGone, host_port, http_get, leftovers};

#[test]
fn dns_hosts_and_another_containers_network() {
    let ns = Ns::new("net-flags");
    let img = ns.pull("busybox");
    let out = ns
        .berth(&[
            "run",
            "--rm",
            "--dns",
            "10.9.9.9",
            "--dns-search",
            "corp.example",
            "--dns-option",
            "ndots:3",
            "--add-host",
            "db.local:10.1.2.3",
            "--add-host",
            "gw:host-gateway",
            &img,
            "sh",
            "-c",
            "cat /etc/resolv.conf /etc/hosts; ip route | awk '/default/ {print $3}'",
        ])
        .ok()
        .to_string();
    assert!(
        out.contains("nameserver 10.9.9.9\nsearch corp.example\noptions ndots:3\n"),
        "{out}"
    );
    assert!(out.contains("10.1.2.3\tdb.local\n"), "{out}");
    let gateway = out.lines().last().unwrap();
    assert!(out.contains(&format!("{gateway}\tgw\n")), "{out}");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--add-host",
        "gw:host-gateway",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("host-gateway");
    // --network container:NAME: the same namespace, so the same address.
    ns.berth(&["run", "-d", "--name", "first", &img, "sleep", "300"])
        .ok();
    let addr = |args: &[&str]| {
        let mut all = vec!["run", "--rm"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[&img, "sh", "-c", ETH0_ADDR]);
        ns.berth(&all).ok().trim().to_string()
    };
    let own = ns
        .berth(&["exec", "first", "sh", "-c", ETH0_ADDR])
        .ok()
        .trim()
        .to_string();
    assert!(!own.is_empty());
    assert_eq!(addr(&["--network", "container:first"]), own);
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "container:first",
        "-p",
        "80",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("conflicting options");
}

/// A parent interface of the test's own (one end of a veth pair with both
/// ends on the host: no route to anything outside), deleted afterwards.
struct Dummy(String);

impl Dummy {
    fn new(name: String) -> Dummy {
        let peer = format!("{name}p");
        for args in [
            vec!["link", "add", &name, "type", "veth", "peer", "name", &peer],
            vec!["link", "set", &name, "up"],
            vec!["link", "set", &peer, "up"],
        ] {
            let ok = std::process::Command::new("ip")
                .args(&args)
                .status()
                .unwrap()
                .success();
            assert!(ok, "ip {args:?}");
        }
        Dummy(name)
    }
}

impl Drop for Dummy {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", &self.0])
            .status();
    }
}

/// Whether the kernel makes `kind` links (a module may be missing).
fn kernel_has(kind: &str, parent: &str) -> bool {
    let probe = format!("btk{}", std::process::id() % 100_000);
    let made = std::process::Command::new("ip")
        .args(["link", "add", "link", parent, "name", &probe, "type", kind])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    if made {
        let _ = std::process::Command::new("ip")
            .args(["link", "delete", &probe])
            .status();
    }
    made
}

#[test]
fn macvlan_and_ipvlan_networks_on_a_parent_interface() {
    let ns = Ns::new("net-vlan");
    let img = ns.pull("busybox");
    let pid = std::process::id() % 100_000;
    let parent = Dummy::new(format!("btd{pid}"));
    for (i, driver) in ["macvlan", "ipvlan"].iter().enumerate() {
        let net = format!("bt-{driver}-{pid}");
        let _gone = NetworkGone(net.clone());
        let subnet = format!("10.231.{}.0/24", i + 1);
        ns.berth(&[
            "network",
            "create",
            "-d",
            driver,
            "--subnet",
            &subnet,
            "-o",
            &format!("parent={}", parent.0),
            &net,
        ])
        .ok();
        let out = ns.berth(&[
            "run",
            "--rm",
            "--network",
            &net,
            &img,
            "sh",
            "-c",
            ETH0_ADDR,
        ]);
        if kernel_has(driver, &parent.0) {
            let addr = out.ok().to_string();
            assert!(
                addr.starts_with(&format!("10.231.{}.", i + 1)),
                "{driver}: {addr}"
            );
        } else {
            // This kernel cannot make such links at all (this machine's has
            // no ipvlan): the plugin's words, exit 125, nothing left.
            out.code(125)
                .stderr_has(&format!("failed to create {driver}"));
            assert_eq!(ns.berth(&["ps", "-aq"]).ok(), "");
        }
        ns.berth(&["network", "rm", &net]).ok();
    }
    ns.berth(&["network", "create", "-d", "macvlan", "bt-noparent"])
        .code(1)
        .stderr_has("needs -o parent=INTERFACE");
}

/// What a reboot does to a stopped container's network: /run is a tmpfs,
/// so its namespace is gone. `start` sets the network up again, with the
/// same host port, and releases what the old one left.
#[test]
fn start_brings_back_a_network_whose_namespace_is_gone() {
    let ns = Ns::new("net-reboot");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&[
            "run",
            "-d",
            "--name",
            "rb",
            "-h",
            "rb",
            "-p",
            "127.0.0.1::80",
            &img,
            "sh",
            "-c",
            HTTPD,
        ])
        .ok()
        .trim()
        .to_string();
    let port = host_port(&ns, "rb");
    wait_for("the web server", 10, || http_get(port));
    ns.berth(&["stop", "-t", "1", "rb"]).ok();
    let netns = format!("/run/netns/berth-{}", &id[..16]);
    nix::mount::umount2(netns.as_str(), nix::mount::MntFlags::MNT_DETACH).unwrap();
    std::fs::remove_file(&netns).unwrap();
    ns.berth(&["start", "rb"]).ok();
    assert_eq!(host_port(&ns, "rb"), port);
    assert_eq!(
        wait_for("the web server again", 10, || http_get(port)),
        "hello from rb\n"
    );
    let own = ns
        .berth(&["exec", "rb", "sh", "-c", ETH0_ADDR])
        .ok()
        .to_string();
    let hosts = ns
        .berth(&["exec", "rb", "tail", "-1", "/etc/hosts"])
        .ok()
        .to_string();
    let ip = own.trim().split('/').next().unwrap().to_string();
    assert_eq!(
        hosts,
        format!("{ip}\trb\n"),
        "its own line follows the address"
    );
    ns.berth(&["rm", "-f", "rb"]).ok();
    assert_eq!(leftovers(&id), Vec::<String>::new());
}

/// `-P` publishes what the image exposes, each on a free host port;
/// `--rm` takes the network down when the container ends.
#[test]
fn publish_all_and_rm_leave_nothing() {
    let ns = Ns::new("net-publish-all");
    let img = ns.pull("busybox");
    let dir = tempfile::tempdir().unwrap();
    let fs = dir.path().join("fs.tar");
    ns.berth(&["create", "--name", "src", &img, "true"]).ok();
    ns.berth(&["export", "-o", fs.to_str().unwrap(), "src"])
        .ok();
    ns.berth(&[
        "import",
        "-c",
        "EXPOSE 80",
        "-c",
        "EXPOSE 53/udp",
        fs.to_str().unwrap(),
        "exposing:1",
    ])
    .ok();
    let id = ns
        .berth(&[
            "run",
            "-d",
            "-P",
            "--name",
            "pa",
            "exposing:1",
            "sleep",
            "300",
        ])
        .ok()
        .trim()
        .to_string();
    let ports = ns.berth(&["port", "pa"]).ok().to_string();
    let lines: Vec<&str> = ports.lines().collect();
    assert_eq!(lines.len(), 2, "{ports}");
    assert!(
        lines.iter().any(|l| l.starts_with("53/udp -> 0.0.0.0:")),
        "{ports}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("80/tcp -> 0.0.0.0:")),
        "{ports}"
    );
    ns.berth(&["rm", "-f", "pa"]).ok();
    assert_eq!(leftovers(&id), Vec::<String>::new());
    // --rm: the id from --cidfile, checked once the container is gone.
    let cid = dir.path().join("cid");
    ns.berth(&[
        "run",
        "--rm",
        "--cidfile",
        cid.to_str().unwrap(),
        "-p",
        "127.0.0.1::80",
        &img,
        "true",
    ])
    .ok();
    let id = std::fs::read_to_string(&cid).unwrap();
    assert_eq!(leftovers(id.trim()), Vec::<String>::new());
}

/// prune removes every user network no container uses (all of the
/// machine's: exclusive, so no other test's network goes with them).
#[test]
fn network_prune_keeps_the_networks_in_use() {
    let ns = Ns::exclusive("net-prune");
    let img = ns.pull("busybox");
    let pid = std::process::id();
    let (used, unused) = (format!("bt-used-{pid}"), format!("bt-unused-{pid}"));
    let _gone = (NetworkGone(used.clone()), NetworkGone(unused.clone()));
    ns.berth(&[
        "network",
        "create",
        "--subnet",
        "10.232.1.0/24",
        "--gateway",
        "10.232.1.254",
        &used,
    ])
    .ok();
    ns.berth(&["network", "create", &unused]).ok();
    let gw = ns
        .berth(&[
            "run",
            "--rm",
            "--network",
            &used,
            &img,
            "sh",
            "-c",
            "ip route | awk '/default/ {print $3}'",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(gw, "10.232.1.254");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "holder",
        "--network",
        &used,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    let out = ns.berth(&["network", "prune", "-f"]).ok().to_string();
    assert!(
        out.starts_with("Deleted Networks:\n") && out.contains(&format!("{unused}\n")),
        "{out}"
    );
    assert!(!out.contains(&used), "{out}");
    let names = ns
        .berth(&["network", "ls", "--format", "{{.Name}}"])
        .ok()
        .to_string();
    assert!(
        names.contains(&used) && !names.contains(&unused) && names.contains("bridge"),
        "{names}"
    );
    ns.berth(&["rm", "-f", "holder"]).ok();
    ns.berth(&["network", "rm", &used]).ok();
}

/// `rm -f` of an attached `run --rm` container: two removers at once (the
/// run's own and rm's); the network is taken down once, and neither fails.
#[test]
fn rm_f_beside_the_runs_own_removal_takes_the_network_down_once() {
    let ns = Ns::new("net-two-removers");
    let img = ns.pull("busybox");
    for i in 0..5 {
        let name = format!("twice{i}");
        let run = ns.spawn(&["run", "--rm", "--name", &name, &img, "sleep", "300"]);
        ns.wait_running(&name);
        let id = ns
            .berth(&["inspect", "-f", "{{.Id}}", &name])
            .ok()
            .trim()
            .to_string();
        ns.berth(&["rm", "-f", &name]).ok();
        assert_eq!(run.finish().code, 137);
        assert_eq!(leftovers(&id), Vec::<String>::new());
    }
}

/// Regression: berth killed during a CNI ADD never records the result, and
/// the firewall plugin's per-address rules (which name no container) were
/// left behind by the teardown.
#[test]
fn teardown_without_a_recorded_result_removes_the_firewall_rules() {
    let ns = Ns::new("net-lost-result");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&["run", "-d", &img, "sleep", "300"])
        .ok()
        .trim()
        .to_string();
    let ip = ns
        .berth(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", &id])
        .ok()
        .trim()
        .to_string();
    let rules = |ip: &str| {
        let saved = std::process::Command::new("iptables-save")
            .args(["-t", "filter"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&saved.stdout)
            .lines()
            .filter(|l| l.contains(&format!(" {ip}/32 ")))
            .count()
    };
    assert!(rules(&ip) > 0, "no firewall rule for {ip}");
    // As a kill during ADD leaves it: the result was never written.
    let state = ns.container_dir(&id).join("network.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    doc["networks"][0]["result"] = serde_json::Value::Null;
    std::fs::write(&state, serde_json::to_vec(&doc).unwrap()).unwrap();
    ns.berth(&["rm", "-f", &id]).ok();
    assert_eq!(rules(&ip), 0, "firewall rules for {ip} left behind");
    assert_eq!(leftovers(&id), Vec::<String>::new());
}

/// CI jobs side by side, each in its own namespace: a network belongs to
/// the namespace that made it; another neither sees, uses, removes nor
/// prunes it (the default bridge is everyone's).
#[test]
fn networks_belong_to_the_namespace_that_made_them() {
    let a = Ns::new("net-owner-a");
    let b = Ns::new("net-owner-b");
    let name = format!("owned-{}", std::process::id());
    let id = a
        .berth(&["network", "create", &name])
        .ok()
        .trim()
        .to_string();

    let seen = b
        .berth(&["network", "ls", "--format", "{{.Name}}"])
        .ok()
        .to_string();
    assert!(
        !seen.lines().any(|l| l == name) && seen.lines().any(|l| l == "bridge"),
        "{seen}"
    );
    let missing = format!("Error response from daemon: network {name} not found\n");
    let inspect = b.berth(&["network", "inspect", &name]);
    inspect.code(1);
    assert_eq!(inspect.stderr, missing);
    let rm = b.berth(&["network", "rm", &name]);
    rm.code(1);
    assert_eq!(rm.stderr, missing);
    b.berth(&["network", "prune", "-f"]).ok();
    let img = b.pull("busybox");
    let run = b.berth(&["run", "--rm", "--network", &name, &img, "true"]);
    run.code(125);
    assert!(
        run.stderr.contains(&format!("network {name} not found")),
        "{}",
        run.stderr
    );

    // Its own namespace still has it, and prunes it.
    let own = a
        .berth(&["network", "ls", "-q", "--no-trunc"])
        .ok()
        .to_string();
    assert!(own.lines().any(|l| l == id), "{own}");
    assert_eq!(
        a.berth(&["network", "prune", "-f"]).ok(),
        format!("Deleted Networks:\n{name}\n")
    );
}

/// `network ls --filter`: docker's keys, over this namespace's networks and
/// the builtin ones.
#[test]
fn network_ls_filters() {
    let ns = Ns::new("net-filter");
    let img = ns.pull("busybox");
    let pid = std::process::id();
    let (used, idle) = (format!("nfu-{pid}"), format!("nfi-{pid}"));
    ns.berth(&["network", "create", "--label", "team=ci", &used])
        .ok();
    let idle_id = ns
        .berth(&["network", "create", &idle])
        .ok()
        .trim()
        .to_string();
    ns.berth(&["run", "-d", "--network", &used, &img, "sleep", "300"])
        .ok();
    let names = |filters: &[&str]| {
        let mut args = vec!["network", "ls", "--format", "{{.Name}}"];
        for f in filters {
            args.extend_from_slice(&["--filter", f]);
        }
        ns.berth(&args).ok().to_string()
    };
    assert_eq!(names(&["dangling=true"]), format!("{idle}\n"));
    assert_eq!(names(&["type=custom"]), format!("{idle}\n{used}\n"));
    assert_eq!(names(&["type=builtin"]), "bridge\nhost\nnone\n");
    assert_eq!(names(&["label=team=ci"]), format!("{used}\n"));
    assert_eq!(names(&["name=^nfu-"]), format!("{used}\n"));
    assert_eq!(
        names(&["id=", &format!("id={}", &idle_id[..10])])
            .lines()
            .count(),
        5
    );
    assert_eq!(
        names(&[&format!("id={}", &idle_id[..10])]),
        format!("{idle}\n")
    );
    assert_eq!(names(&["driver=null"]), "none\n");
    let bad = ns.berth(&["network", "ls", "--filter", "colour=red"]);
    bad.code(1);
    assert_eq!(bad.stderr, "Error: invalid filter 'colour'\n");
}
