//! `network connect` / `disconnect`: a running container joins a second
//! user network (an `eth1` there, its peers' /etc/hosts, its alias), leaves
//! it again, and docker's refusals.

use crate::common::Ns;

fn hosts(ns: &Ns, name: &str) -> String {
    ns.berth(&["exec", name, "cat", "/etc/hosts"])
        .ok()
        .to_string()
}

#[test]
fn a_running_container_joins_and_leaves_a_second_network() {
    let ns = Ns::new("net-connect");
    let img = ns.pull("busybox");
    let (n1, n2) = (format!("{}-a", ns.name), format!("{}-b", ns.name));
    ns.berth(&["network", "create", &n1]).ok();
    ns.berth(&["network", "create", &n2]).ok();
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
    assert!(!hosts(&ns, "c2").contains("c1"), "{}", hosts(&ns, "c2"));
    assert!(!hosts(&ns, "c1").contains("c2"), "{}", hosts(&ns, "c1"));
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
    ns.berth(&["create", "--name", "fresh", &img, "true"]).ok();
    ns.berth(&["network", "connect", &net, "fresh"])
        .code(1)
        .stderr_has("before its first start is not supported yet");
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
    ns.berth(&["network", "connect", "--ip", "10.1.1.1", &net, "hostnet"])
        .code(1)
        .stderr_has("--ip");
}
