//! What a container asks of one network beyond its address: link-local
//! addresses (`--link-local-ip`), interface sysctls (`--driver-opt
//! com.docker.network.endpoint.sysctls=…`), the default route
//! (`--gw-priority`), links on a user network (`connect --link`), and
//! config-only networks (`--config-only`, `--config-from`). docker's words
//! as recorded from docker CLI 28.2.2 (dockerd 20.10 where 28 agrees;
//! docker 28's daemon code where they differ).

use crate::common::Ns;

fn sleeper_on(ns: &Ns, name: &str, net: &str, img: &str, extra: &[&str]) {
    let mut args = vec!["run", "-d", "--name", name, "--network", net];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[img, "sleep", "300"]);
    ns.berth(&args).ok();
}

fn inside(ns: &Ns, name: &str, cmd: &[&str]) -> String {
    let mut args = vec!["exec", name];
    args.extend_from_slice(cmd);
    ns.berth(&args).ok().to_string()
}

/// The container's default routes (`via GATEWAY dev IFACE` each).
fn default_routes(ns: &Ns, name: &str) -> Vec<String> {
    inside(ns, name, &["ip", "route"])
        .lines()
        .filter_map(|l| l.strip_prefix("default "))
        .map(|l| l.trim().to_string())
        .collect()
}

fn network(ns: &Ns, suffix: &str, subnet: &str, extra: &[&str]) -> String {
    let name = format!("{}-{suffix}", ns.name);
    let mut args = vec!["network", "create", "--subnet", subnet];
    args.extend_from_slice(extra);
    args.push(&name);
    ns.berth(&args).ok();
    name
}

#[test]
fn link_local_addresses_on_run_and_connect() {
    let ns = Ns::new("net-linklocal");
    let img = ns.pull("busybox");
    let n1 = network(&ns, "a", "10.241.1.0/24", &[]);
    let n6 = network(
        &ns,
        "v6",
        "10.241.6.0/24",
        &["--ipv6", "--subnet", "fd00:db8:241::/64"],
    );
    sleeper_on(&ns, "ll1", &n1, &img, &["--link-local-ip", "169.254.10.10"]);
    // docker's daemon adds it as a /16 with its broadcast address, and the
    // kernel its route.
    let eth0 = inside(&ns, "ll1", &["ip", "addr", "show", "eth0"]);
    assert!(
        eth0.contains("inet 169.254.10.10/16 brd 169.254.255.255 scope global eth0"),
        "{eth0}"
    );
    let routes = inside(&ns, "ll1", &["ip", "route"]);
    assert!(routes.contains("169.254.0.0/16 dev eth0"), "{routes}");
    let shown = ns.berth(&[
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{n1}\").IPAMConfig}}}}"),
        "ll1",
    ]);
    assert_eq!(shown.ok().trim(), r#"{"LinkLocalIPs":["169.254.10.10"]}"#);
    // Both families on an IPv6 network: fe80::/64 beside the kernel's own.
    sleeper_on(
        &ns,
        "ll6",
        &n6,
        &img,
        &[
            "--link-local-ip",
            "169.254.10.12",
            "--link-local-ip",
            "fe80::12",
        ],
    );
    let eth0 = inside(&ns, "ll6", &["ip", "addr", "show", "eth0"]);
    assert!(eth0.contains("inet 169.254.10.12/16"), "{eth0}");
    assert!(eth0.contains("inet6 fe80::12/64 scope link"), "{eth0}");
    // Joining a second network with one more.
    ns.berth(&[
        "network",
        "connect",
        "--link-local-ip",
        "169.254.20.20",
        &n6,
        "ll1",
    ])
    .ok();
    let eth1 = inside(&ns, "ll1", &["ip", "addr", "show", "eth1"]);
    assert!(eth1.contains("inet 169.254.20.20/16"), "{eth1}");
    // Not an address: docker 28's daemon refuses the request, nothing made.
    ns.berth(&["run", "-d", "--network", &n1, "--link-local-ip", "foo", "--name", "bad1", &img])
        .code(125)
        .stderr_has(&format!(
            "Error response from daemon: invalid config for network {n1}: invalid endpoint settings:\ninvalid link-local IP address: foo\n"
        ));
    assert!(
        !ns.berth(&["ps", "-a", "--format", "{{.Names}}"])
            .ok()
            .contains("bad1")
    );
    // Not link-local: the container is made, its start refused (libnetwork).
    ns.berth(&[
        "run",
        "-d",
        "--network",
        &n1,
        "--link-local-ip",
        "10.0.0.5",
        "--name",
        "bad2",
        &img,
    ])
    .code(125)
    .stderr_has("Error response from daemon: invalid link local IP address: 10.0.0.5\n");
    let status = ns.berth(&["inspect", "-f", "{{.State.Status}}", "bad2"]);
    assert_eq!(status.ok().trim(), "created");
    ns.berth(&[
        "network",
        "connect",
        "--link-local-ip",
        "fd00::5",
        &n1,
        "ll6",
    ])
    .code(1)
    .stderr_has("Error response from daemon: invalid link local IP address: fd00::5\n");
    // host and none: no interface of berth's, nothing to add (as docker).
    ns.berth(&[
        "run",
        "--rm",
        "--network",
        "none",
        "--link-local-ip",
        "169.254.1.1",
        &img,
        "true",
    ])
    .ok();
}

#[test]
fn interface_sysctls_and_driver_options() {
    let ns = Ns::new("net-sysctls");
    let img = ns.pull("busybox");
    let n1 = network(&ns, "a", "10.241.11.0/24", &[]);
    let n2 = network(&ns, "b", "10.241.12.0/24", &[]);
    sleeper_on(&ns, "sc1", &n1, &img, &[]);
    // IFNAME stands for the interface the container gets there (eth1).
    let opt = "com.docker.network.endpoint.sysctls=net.ipv4.conf.IFNAME.log_martians=1";
    ns.berth(&[
        "network",
        "connect",
        "--driver-opt",
        opt,
        "--driver-opt",
        "foo=bar",
        &n2,
        "sc1",
    ])
    .ok();
    let read = |iface: &str| {
        inside(
            &ns,
            "sc1",
            &[
                "cat",
                &format!("/proc/sys/net/ipv4/conf/{iface}/log_martians"),
            ],
        )
    };
    assert_eq!((read("eth0").trim(), read("eth1").trim()), ("0", "1"));
    let shown = ns.berth(&[
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{n2}\").DriverOpts}}}}"),
        "sc1",
    ]);
    assert_eq!(
        shown.ok().trim(),
        r#"{"com.docker.network.endpoint.sysctls":"net.ipv4.conf.IFNAME.log_martians=1","foo":"bar"}"#
    );
    // docker's CLI: a value without `=` (a list splits at commas).
    ns.berth(&["network", "disconnect", &n2, "sc1"]).ok();
    let split = format!("{opt},novalue");
    let refused = ns.berth(&["network", "connect", "--driver-opt", &split, &n2, "sc1"]);
    refused.code(1);
    assert_eq!(
        refused.stderr,
        "invalid key/value pair format in driver options\n"
    );
    // docker 28's daemon: only net.{ipv4,ipv6,mpls}.*.IFNAME.* sysctls.
    let eth = "com.docker.network.endpoint.sysctls=net.ipv4.conf.eth1.log_martians=1";
    ns.berth(&["network", "connect", "--driver-opt", eth, &n2, "sc1"])
        .code(1)
        .stderr_has(
            "Error response from daemon: invalid endpoint settings:\nunrecognised network interface sysctl 'net.ipv4.conf.eth1.log_martians=1'; represent 'net.X.Y.ethN.Z=V' as 'net.X.Y.IFNAME.Z=V', 'X' must be 'ipv4', 'ipv6' or 'mpls'\n",
        );
    assert_eq!(default_routes(&ns, "sc1").len(), 1);
}

#[test]
fn the_default_route_follows_docker_gateway_priority() {
    let ns = Ns::new("net-gwprio");
    let img = ns.pull("busybox");
    // docker's tie-break is the network's name: -a sorts before -z.
    let nz = network(&ns, "z", "10.241.21.0/24", &[]);
    let na = network(&ns, "a", "10.241.22.0/24", &[]);
    let nm = network(&ns, "m", "10.241.23.0/24", &[]);
    let ni = network(&ns, "i", "10.241.24.0/24", &["--internal"]);
    sleeper_on(&ns, "gw1", &nz, &img, &[]);
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.21.1 dev eth0"]);
    // Same priority: the first name wins, whatever joined first.
    ns.berth(&["network", "connect", &na, "gw1"]).ok();
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.22.1 dev eth1"]);
    // It goes with its network.
    ns.berth(&["network", "disconnect", &na, "gw1"]).ok();
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.21.1 dev eth0"]);
    // Below zero loses to the default priority; above it wins.
    ns.berth(&["network", "connect", "--gw-priority", "-1", &na, "gw1"])
        .ok();
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.21.1 dev eth0"]);
    ns.berth(&["network", "connect", "--gw-priority", "5", &nm, "gw1"])
        .ok();
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.23.1 dev eth2"]);
    // An internal network never routes out, whatever its priority.
    ns.berth(&["network", "connect", "--gw-priority", "9", &ni, "gw1"])
        .ok();
    assert_eq!(default_routes(&ns, "gw1"), ["via 10.241.23.1 dev eth2"]);
    let prio = ns.berth(&[
        "inspect",
        "-f",
        &format!("{{{{(index .NetworkSettings.Networks \"{nm}\").GwPriority}}}}"),
        "gw1",
    ]);
    assert_eq!(prio.ok().trim(), "5");
    ns.berth(&["network", "connect", "--gw-priority", "abc", &na, "gw1"])
        .code(125)
        .stderr_has("invalid argument \"abc\" for \"--gw-priority\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n");
    // Connected before its first start: the same choice at the start.
    ns.berth(&[
        "create",
        "--name",
        "gw2",
        "--network",
        &nz,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    ns.berth(&["network", "connect", &na, "gw2"]).ok();
    ns.berth(&["start", "gw2"]).ok();
    assert_eq!(default_routes(&ns, "gw2"), ["via 10.241.22.1 dev eth1"]);
}

#[test]
fn connect_link_names_a_container_on_that_network_only() {
    let ns = Ns::new("net-connect-link");
    let img = ns.pull("busybox");
    let n1 = network(&ns, "a", "10.241.31.0/24", &[]);
    let n2 = network(&ns, "b", "10.241.32.0/24", &[]);
    sleeper_on(&ns, "target", &n1, &img, &[]);
    sleeper_on(&ns, "other", &n2, &img, &[]);
    // A link to no container is kept as given and names nothing (docker's).
    ns.berth(&[
        "network",
        "connect",
        "--link",
        "target:peer",
        "--link",
        "nosuch:x",
        &n1,
        "other",
    ])
    .ok();
    let ping = ns.berth(&["exec", "other", "ping", "-c1", "-W2", "peer"]);
    assert!(ping.ok().contains("10.241.31."), "{}", ping.stdout);
    let links = ns.berth(&[
        "inspect",
        "-f",
        &format!("{{{{json (index .NetworkSettings.Networks \"{n1}\").Links}}}}"),
        "other",
    ]);
    assert_eq!(links.ok().trim(), r#"["target:peer","nosuch:x"]"#);
    // The name is the linking container's alone.
    ns.berth(&["exec", "target", "ping", "-c1", "-W1", "peer"])
        .code(1);
    // Gone with the network.
    ns.berth(&["network", "disconnect", &n1, "other"]).ok();
    ns.berth(&["exec", "other", "ping", "-c1", "-W1", "peer"])
        .code(1);
    // docker's CLI checks the format.
    ns.berth(&["network", "connect", "--link", "a:b:c", &n1, "other"])
        .code(125)
        .stderr_has(
            "invalid argument \"a:b:c\" for \"--link\" flag: bad format for links: a:b:c\n",
        );
}

#[test]
fn config_only_networks_lend_their_settings() {
    let ns = Ns::new("net-config-only");
    let img = ns.pull("busybox");
    let cfg = format!("{}-cfg", ns.name);
    ns.berth(&[
        "network",
        "create",
        "--config-only",
        "--subnet",
        "10.241.50.0/24",
        "--gateway",
        "10.241.50.1",
        &cfg,
    ])
    .ok();
    let ls = ns.berth(&[
        "network",
        "ls",
        "--filter",
        &format!("name={cfg}"),
        "--format",
        "{{.Name}} {{.Driver}} {{.Scope}}",
    ]);
    assert_eq!(ls.ok(), format!("{cfg} null local\n"));
    let doc = ns.berth(&[
        "network",
        "inspect",
        "-f",
        "{{json .ConfigOnly}} {{json .ConfigFrom}} {{json .IPAM.Config}}",
        &cfg,
    ]);
    assert_eq!(
        doc.ok().trim(),
        r#"true {"Network":""} [{"Gateway":"10.241.50.1","Subnet":"10.241.50.0/24"}]"#
    );
    // No container joins it: made, its start refused.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "direct",
        "--network",
        &cfg,
        &img,
        "sleep",
        "30",
    ])
    .code(125)
    .stderr_has(
        "Error response from daemon: cannot create endpoint on configuration-only network\n",
    );
    let from = format!("{}-from", ns.name);
    ns.berth(&["network", "create", "--config-from", &cfg, &from])
        .ok();
    let doc = ns.berth(&[
        "network",
        "inspect",
        "-f",
        "{{.Driver}} {{json .ConfigOnly}} {{json .ConfigFrom}} {{json .IPAM.Config}}",
        &from,
    ]);
    assert_eq!(
        doc.ok().trim(),
        format!(
            r#"bridge false {{"Network":"{cfg}"}} [{{"Gateway":"10.241.50.1","Subnet":"10.241.50.0/24"}}]"#
        )
    );
    sleeper_on(&ns, "onfrom", &from, &img, &[]);
    let eth0 = inside(&ns, "onfrom", &["ip", "addr", "show", "eth0"]);
    assert!(eth0.contains("inet 10.241.50.2/24"), "{eth0}");
    ns.berth(&["network", "rm", &cfg])
        .code(1)
        .stderr_has(&format!("Error response from daemon: error while removing network: configuration network \"{cfg}\" is in use\n"));
    for (extra, words) in [
        (
            vec!["--subnet", "10.241.51.0/24"],
            "user specified configurations are not supported if the network depends on a configuration network",
        ),
        (
            vec!["--label", "a=b"],
            "user specified configurations are not supported if the network depends on a configuration network",
        ),
        (
            vec!["--config-only"],
            "a configuration network cannot depend on another configuration network",
        ),
    ] {
        let mut args = vec!["network", "create", "--config-from", &cfg];
        args.extend(extra);
        args.push("x-never");
        ns.berth(&args).code(1).stderr_has(words);
    }
    ns.berth(&["network", "create", "--config-from", &from, "x-never"])
        .code(1)
        .stderr_has(&format!("configuration network \"{from}\" does not exist"));
    ns.berth(&[
        "network",
        "create",
        "--config-only",
        "--internal",
        "x-never",
    ])
    .code(1)
    .stderr_has("configuration network can only contain network specific fields.");
    // prune keeps config-only networks, used or not.
    ns.berth(&["rm", "-f", "onfrom", "direct"]).ok();
    ns.berth(&["network", "prune", "-f"]).ok();
    let left = ns.berth(&["network", "ls", "--format", "{{.Name}}"]);
    assert!(
        left.ok().contains(&cfg) && !left.stdout.contains(&from),
        "{}",
        left.stdout
    );
}
