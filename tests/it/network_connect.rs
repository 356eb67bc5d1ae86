//! `network connect` / `disconnect`: a running container joins a second
//! user network (an `eth1` there, its peers' /etc/hosts, its alias), leaves
//! it again, and docker's refusals.

use crate::common::Ns;

fn hosts(ns: &Ns, name: &str) -> String {
    ns.berth(&["exec", name, "cat", "/etc/hosts"])
        .ok()
        .to_string()
}

/// A created (never started) sleeper on `net`.
fn create_on(ns: &Ns, name: &str, net: &str, img: &str) {
    ns.berth(&[
        "create",
        "--name",
        name,
        "--network",
        net,
        img,
        "sleep",
        "300",
    ])
    .ok();
}

/// Two user networks of the test's own.
fn two_networks(ns: &Ns) -> (String, String) {
    let (n1, n2) = (format!("{}-a", ns.name), format!("{}-b", ns.name));
    ns.berth(&["network", "create", &n1]).ok();
    ns.berth(&["network", "create", &n2]).ok();
    (n1, n2)
}

#[test]
fn a_running_container_joins_and_leaves_a_second_network() {
    let ns = Ns::new("net-connect");
    let img = ns.pull("busybox");
    let (n1, n2) = two_networks(&ns);
    for (c, n) in [("c1", &n1), ("c2", &n2)] {
        ns.berth(&[
            "run",
            "-d",
            "--name",
            c,
            "--network",
            n,
            &img,
            "sleep",
            "300",
        ])
        .ok();
    }
    ns.berth(&["exec", "c2", "ping", "-c1", "-W1", "c1"])
        .code(1);
    // Connected with an alias on that network: nothing printed.
    assert_eq!(
        ns.berth(&["network", "connect", "--alias", "web", &n2, "c1"])
            .ok(),
        ""
    );
    let addrs = ns
        .berth(&["exec", "c1", "ip", "-4", "-o", "addr"])
        .ok()
        .to_string();
    assert!(addrs.contains(" eth1 "), "{addrs}");
    for (from, to) in [("c2", "c1"), ("c2", "web"), ("c1", "c2")] {
        ns.berth(&["exec", from, "ping", "-c1", "-W2", to]).ok();
    }
    // c1 has peers on both its networks' sides: c2 by name.
    assert!(hosts(&ns, "c1").contains("\tc2 "), "{}", hosts(&ns, "c1"));
    let nets = ns
        .berth(&["inspect", "-f", "{{json .NetworkSettings.Networks}}", "c1"])
        .ok()
        .to_string();
    let nets: serde_json::Value = serde_json::from_str(&nets).unwrap();
    assert_eq!(nets[&n2]["Aliases"], serde_json::json!(["web"]));
    assert!(nets[&n1]["IPAddress"].as_str().unwrap().starts_with("172."));
    let members = ns
        .berth(&["network", "inspect", "-f", "{{len .Containers}}", &n2])
        .ok()
        .to_string();
    assert_eq!(members, "2\n");
    // docker's refusals, in its words.
    ns.berth(&["network", "connect", &n2, "c1"])
        .code(1)
        .stderr_has(&format!(
            "Error response from daemon: endpoint with name c1 already exists in network {n2}"
        ));
    ns.berth(&["network", "connect", "host", "c1"])
        .code(1)
        .stderr_has(
            "container cannot be disconnected from host network or connected to host network",
        );
    ns.berth(&["network", "connect", "nosuch", "c1"])
        .code(1)
        .stderr_has("network nosuch not found");
    ns.berth(&["network", "rm", &n2]).code(1);
    // Gone again: its interface, and from c2's /etc/hosts.
    assert_eq!(ns.berth(&["network", "disconnect", &n2, "c1"]).ok(), "");
    let addrs = ns
        .berth(&["exec", "c1", "ip", "-4", "-o", "addr"])
        .ok()
        .to_string();
    assert!(!addrs.contains("eth1"), "{addrs}");
    // (Names are whole words: a hex host name may hold "c1".)
    assert!(!hosts(&ns, "c2").contains("\tc1 "), "{}", hosts(&ns, "c2"));
    assert!(!hosts(&ns, "c1").contains("\tc2 "), "{}", hosts(&ns, "c1"));
    ns.berth(&["network", "disconnect", &n2, "c1"])
        .code(1)
        .stderr_has(&format!("is not connected to network {n2}"));
    ns.berth(&["network", "disconnect", "-f", &n2, "c1"]).ok();
    // Connected again, then removed: both networks are free after.
    ns.berth(&["network", "connect", &n2, "c1"]).ok();
    ns.berth(&["rm", "-f", "c1", "c2"]).ok();
    ns.berth(&["network", "rm", &n1, &n2]).ok();
}

#[test]
fn what_cannot_be_connected_says_why() {
    let ns = Ns::new("net-connect-no");
    let img = ns.pull("busybox");
    let net = format!("{}-n", ns.name);
    ns.berth(&["network", "create", &net]).ok();
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "hostnet",
        "--network",
        "host",
        &img,
        "sleep",
        "60",
    ])
    .ok();
    ns.berth(&["network", "connect", &net, "hostnet"])
        .code(1)
        .stderr_has("connected to host network");
}

#[test]
fn ip_and_mac_address_as_asked() {
    let ns = Ns::new("net-ip-mac");
    let img = ns.pull("busybox");
    let net = format!("{}-n", ns.name);
    // A subnet of its own, unlikely to meet another test's.
    let (subnet, ip, other) = ("172.29.77.0/24", "172.29.77.77", "172.29.77.78");
    ns.berth(&["network", "create", "--subnet", subnet, &net])
        .ok();
    let mac = "92:d0:c6:0a:29:33";
    let script = "ip -4 -o addr show eth0 | awk '{print $4}'; cat /sys/class/net/eth0/address";
    let out = ns.berth(&[
        "run",
        "-d",
        "--name",
        "fixed",
        "--network",
        &net,
        "--ip",
        ip,
        "--mac-address",
        mac,
        &img,
        "sh",
        "-c",
        &format!("{script}; sleep 300"),
    ]);
    out.ok();
    crate::common::wait_for("its output", 20, || {
        let logs = ns.berth(&["logs", "fixed"]).stdout;
        (logs.lines().count() == 2).then_some(logs)
    });
    assert_eq!(
        ns.berth(&["logs", "fixed"]).ok(),
        format!("{ip}/24\n{mac}\n")
    );
    let ipam = ns
        .berth(&[
            "inspect",
            "-f",
            &format!("{{{{json (index .NetworkSettings.Networks \"{net}\").IPAMConfig}}}}"),
            "fixed",
        ])
        .ok()
        .to_string();
    assert_eq!(ipam, format!("{{\"IPv4Address\":\"{ip}\"}}\n"));
    // Taken, outside the subnet, not a user network: docker's words.
    let taken = ns.berth(&["run", "--rm", "--network", &net, "--ip", ip, &img, "true"]);
    assert_eq!(taken.code, 125);
    taken.stderr_has("Address already in use");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        "--ip",
        "10.9.9.9",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("Invalid address 10.9.9.9: It does not belong to any of this network's subnets");
    ns.berth(&["run", "--rm", "--ip", ip, &img, "true"])
        .code(125)
        .stderr_has("user specified IP address is supported on user defined networks only");
    ns.berth(&["run", "--rm", "--ip", "x", &img, "true"])
        .code(125)
        .stderr_has("invalid IPv4 address: x");
    ns.berth(&["run", "--rm", "--mac-address", "zz", &img, "true"])
        .code(125)
        .stderr_has("zz is not a valid mac address");
    // On the default bridge, a MAC alone.
    let out = ns.berth(&[
        "run",
        "--rm",
        "--mac-address",
        mac,
        &img,
        "cat",
        "/sys/class/net/eth0/address",
    ]);
    assert_eq!(out.ok(), format!("{mac}\n"));
    // connect --ip: the address on the new interface.
    ns.berth(&["run", "-d", "--name", "late", &img, "sleep", "300"])
        .ok();
    ns.berth(&["network", "connect", "--ip", other, &net, "late"])
        .ok();
    let addrs = ns
        .berth(&["exec", "late", "ip", "-4", "-o", "addr", "show", "eth1"])
        .ok()
        .to_string();
    assert!(addrs.contains(&format!("{other}/24")), "{addrs}");
}

#[test]
fn connected_before_the_first_start_it_joins_at_the_start() {
    let ns = Ns::new("net-connect-early");
    let img = ns.pull("busybox");
    let (n1, n2) = two_networks(&ns);
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        &n2,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    create_on(&ns, "early", &n1, &img);
    ns.berth(&["network", "connect", "--alias", "pending", &n2, "early"])
        .ok();
    ns.berth(&["network", "connect", &n2, "early"])
        .code(1)
        .stderr_has(&format!(
            "endpoint with name early already exists in network {n2}"
        ));
    // Shown before the start, as docker shows it.
    let aliases = ns
        .berth(&[
            "inspect",
            "-f",
            &format!("{{{{json (index .NetworkSettings.Networks \"{n2}\").Aliases}}}}"),
            "early",
        ])
        .ok()
        .to_string();
    assert_eq!(aliases, "[\"pending\"]\n");
    ns.berth(&["start", "early"]).ok();
    let addrs = ns
        .berth(&["exec", "early", "ip", "-4", "-o", "addr"])
        .ok()
        .to_string();
    assert!(
        addrs.contains(" eth0 ") && addrs.contains(" eth1 "),
        "{addrs}"
    );
    ns.berth(&["exec", "web", "ping", "-c1", "-W2", "pending"])
        .ok();
    ns.berth(&["exec", "early", "ping", "-c1", "-W2", "web"])
        .ok();
    // Taken back before the start: it starts on its own network only.
    create_on(&ns, "undone", &n1, &img);
    ns.berth(&["network", "connect", &n2, "undone"]).ok();
    ns.berth(&["network", "disconnect", &n2, "undone"]).ok();
    ns.berth(&["network", "disconnect", &n2, "undone"])
        .code(1)
        .stderr_has("is not connected to network");
    ns.berth(&["start", "undone"]).ok();
    let addrs = ns
        .berth(&["exec", "undone", "ip", "-4", "-o", "addr"])
        .ok()
        .to_string();
    assert!(!addrs.contains("eth1"), "{addrs}");
}
