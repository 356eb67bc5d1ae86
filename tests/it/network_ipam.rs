//! `network create`'s IPAM and isolation settings: `--ip-range`,
//! `--aux-address`, `--internal`, `--attachable`, `--ipam-opt`, and
//! docker's refusals (recorded from docker 20.10 with CLI 28).

use crate::common::Ns;

fn addr(ns: &Ns, img: &str, extra: &[&str]) -> String {
    let mut args = vec!["run", "--rm"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[
        img,
        "sh",
        "-c",
        "ip -4 -o addr show eth0 | awk '{print $4}'",
    ]);
    ns.berth(&args).ok().trim().to_string()
}

#[test]
fn ip_range_and_auxiliary_addresses_are_dockers() {
    let ns = Ns::new("net-ipam");
    let img = ns.pull("busybox");
    let net = format!("{}-r", ns.name);
    ns.berth(&[
        "network",
        "create",
        "--subnet",
        "10.231.0.0/16",
        "--ip-range",
        "10.231.5.0/24",
        "--gateway",
        "10.231.0.254",
        "--aux-address",
        "host1=10.231.5.1",
        "--aux-address",
        "host2=10.231.5.2",
        "--attachable",
        "--ipam-opt",
        "foo=bar",
        &net,
    ])
    .ok();
    let doc = ns.berth(&["network", "inspect", &net]).ok().to_string();
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(
        doc[0]["IPAM"],
        serde_json::json!({"Driver": "default", "Options": {"foo": "bar"}, "Config": [{
            "Subnet": "10.231.0.0/16", "IPRange": "10.231.5.0/24", "Gateway": "10.231.0.254",
            "AuxiliaryAddresses": {"host1": "10.231.5.1", "host2": "10.231.5.2"}}]})
    );
    assert_eq!(doc[0]["Attachable"], true);
    // docker hands out the range's first address, then skips the aux ones.
    let c1 = ns
        .berth(&[
            "run",
            "-d",
            "--name",
            "c1",
            "--network",
            &net,
            &img,
            "sleep",
            "600",
        ])
        .ok()
        .to_string();
    assert!(!c1.is_empty());
    let ip = |name: &str| {
        ns.berth(&[
            "inspect",
            "-f",
            &format!("{{{{(index .NetworkSettings.Networks \"{net}\").IPAddress}}}}"),
            name,
        ])
        .ok()
        .trim()
        .to_string()
    };
    assert_eq!(ip("c1"), "10.231.5.0");
    assert_eq!(addr(&ns, &img, &["--network", &net]), "10.231.5.3/16");
    // An address asked for may be outside the range, not an aux one.
    assert_eq!(
        addr(&ns, &img, &["--network", &net, "--ip", "10.231.9.9"]),
        "10.231.9.9/16"
    );
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        "--ip",
        "10.231.5.1",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("Address already in use");
    ns.berth(&["rm", "-f", "c1"]).ok();
    ns.berth(&["network", "rm", &net]).ok();
}

#[test]
fn an_internal_network_has_no_way_out() {
    let ns = Ns::new("net-internal");
    let img = ns.pull("busybox");
    let net = format!("{}-i", ns.name);
    ns.berth(&["network", "create", "--internal", &net]).ok();
    let routes = ns
        .berth(&["run", "--rm", "--network", &net, &img, "ip", "route"])
        .ok()
        .to_string();
    assert!(!routes.contains("default"), "{routes}");
    assert_eq!(
        routes.lines().count(),
        1,
        "only the subnet's own route: {routes}"
    );
    // Containers on it still reach each other.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "peer",
        "--network",
        &net,
        &img,
        "sleep",
        "600",
    ])
    .ok();
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        &img,
        "ping",
        "-c",
        "1",
        "-W",
        "5",
        "peer",
    ])
    .ok();
    assert_eq!(
        ns.berth(&[
            "network",
            "ls",
            "--filter",
            &format!("name={net}"),
            "--format",
            "{{.Name}} {{.Internal}}"
        ])
        .ok(),
        format!("{net} true\n")
    );
    assert_eq!(
        ns.berth(&["network", "inspect", "-f", "{{.Internal}}", &net])
            .ok(),
        "true\n"
    );
    ns.berth(&["rm", "-f", "peer"]).ok();
    ns.berth(&["network", "rm", &net]).ok();
}

#[test]
fn dockers_refusals_of_ipam_and_swarm_settings() {
    let ns = Ns::new("net-ipam-no");
    let net = format!("{}-x", ns.name);
    let refused = |args: &[&str], code: i32, text: &str| {
        let mut all = vec!["network", "create"];
        all.extend_from_slice(args);
        all.push(&net);
        let o = ns.berth(&all);
        assert_eq!((o.code, o.stderr.as_str()), (code, text), "{args:?}");
    };
    refused(
        &["--ip-range", "10.78.1.0/24"],
        1,
        "every ip-range or gateway must have a corresponding subnet\n",
    );
    refused(
        &["--subnet", "10.232.0.0/16", "--ip-range", "10.99.0.0/24"],
        1,
        "no matching subnet for range 10.99.0.0/24\n",
    );
    refused(
        &["--subnet", "10.232.0.0/16", "--aux-address", "h=10.99.0.1"],
        1,
        "no matching subnet for aux-address 10.99.0.1\n",
    );
    refused(
        &["--subnet", "10.232.0.0/16", "--gateway", "10.99.0.1"],
        1,
        "no matching subnet for gateway 10.99.0.1\n",
    );
    refused(
        &["--subnet", "10.232.0.0/16", "--ip-range", "bogus"],
        1,
        "invalid CIDR address: bogus\n",
    );
    refused(
        &["--ipam-driver", "foo"],
        1,
        "Error response from daemon: plugin \"foo\" not found\n",
    );
    refused(
        &["--scope", "swarm"],
        1,
        "Error response from daemon: cannot create a swarm scoped network when swarm is not active\n",
    );
    refused(
        &["--ingress"],
        1,
        "Error response from daemon: Ingress network can only be global scope network\n",
    );
    // Nothing was made.
    assert_eq!(
        ns.berth(&["network", "ls", "-q", "--filter", &format!("name={net}")])
            .ok(),
        ""
    );
    // --scope local and --ipam-driver default are docker's defaults.
    ns.berth(&[
        "network",
        "create",
        "--scope",
        "local",
        "--ipam-driver",
        "default",
        &net,
    ])
    .ok();
    assert_eq!(
        ns.berth(&[
            "network",
            "inspect",
            "-v",
            "-f",
            "{{.Scope}} {{.IPAM.Driver}}",
            &net
        ])
        .ok(),
        "local default\n"
    );
    ns.berth(&["network", "rm", &net]).ok();
}

/// `--ipv6` with an IPv6 `--subnet` (docker 20.10 has no pool to pick one
/// from): containers get an address from both, `--ip6` asks for one, and
/// `inspect` shows them as docker does.
#[test]
fn an_ipv6_network_gives_both_families() {
    let ns = Ns::new("net-ipv6");
    let img = ns.pull("busybox");
    let net = format!("{}-6", ns.name);
    ns.berth(&[
        "network",
        "create",
        "--ipv6",
        "--subnet",
        "fd00:db8:231::/64",
        "--subnet",
        "10.233.0.0/24",
        &net,
    ])
    .ok();
    let doc: serde_json::Value =
        serde_json::from_str(ns.berth(&["network", "inspect", &net]).ok()).unwrap();
    assert_eq!(doc[0]["EnableIPv6"], true);
    assert_eq!(
        doc[0]["IPAM"]["Config"],
        serde_json::json!([{"Subnet": "10.233.0.0/24", "Gateway": "10.233.0.1"}, {"Subnet": "fd00:db8:231::/64"}])
    );
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "v6a",
        "--network",
        &net,
        &img,
        "sleep",
        "600",
    ])
    .ok();
    let six = ns
        .berth(&[
            "exec",
            "v6a",
            "sh",
            "-c",
            "ip -6 -o addr show eth0 scope global | awk '{print $4}'",
        ])
        .ok()
        .trim()
        .to_string();
    assert!(
        six.starts_with("fd00:db8:231::") && six.ends_with("/64"),
        "{six}"
    );
    let field = |f: &str| {
        ns.berth(&[
            "inspect",
            "-f",
            &format!("{{{{(index .NetworkSettings.Networks \"{net}\").{f}}}}}"),
            "v6a",
        ])
        .ok()
        .trim()
        .to_string()
    };
    assert_eq!(
        format!(
            "{}/{}",
            field("GlobalIPv6Address"),
            field("GlobalIPv6PrefixLen")
        ),
        six
    );
    assert_eq!(field("IPv6Gateway"), "fd00:db8:231::1");
    // --ip6 asks for an address; one outside the subnet is docker's error.
    let asked = ns
        .berth(&[
            "run",
            "--rm",
            "--network",
            &net,
            "--ip6",
            "fd00:db8:231::42",
            &img,
            "sh",
            "-c",
            "ip -6 -o addr show eth0 scope global | awk '{print $4}'",
        ])
        .ok()
        .trim()
        .to_string();
    assert_eq!(asked, "fd00:db8:231::42/64");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        "--ip6",
        "fd00:9::42",
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("Invalid address fd00:9::42: It does not belong to any of this network's subnets");
    // Peers reach each other over IPv6.
    let peer = field("GlobalIPv6Address");
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        &net,
        &img,
        "ping",
        "-6",
        "-c",
        "1",
        "-W",
        "5",
        &peer,
    ])
    .ok();
    assert_eq!(
        ns.berth(&[
            "network",
            "ls",
            "--filter",
            &format!("name={net}"),
            "--format",
            "{{.IPv6}}"
        ])
        .ok(),
        "true\n"
    );
    ns.berth(&["rm", "-f", "v6a"]).ok();
    ns.berth(&["network", "rm", &net]).ok();
    // --ipv6 without an IPv6 subnet: docker 20.10's refusal.
    ns.berth(&["network", "create", "--ipv6", &net])
        .code(1)
        .stderr_has("could not find an available, non-overlapping IPv6 address pool");
}
