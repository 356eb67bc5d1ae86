//! Networking on real CNI plugins and iptables: the default bridge,
//! published ports reached from the host, user networks with names that
//! resolve, the network verbs, the DNS and hosts flags, another container's
//! namespace, restarts by containerd, and teardown that leaves nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::{Ns, wait_for};

/// Prints eth0's IPv4 address with its prefix.
const ETH0_ADDR: &str = "ip -4 -o addr show eth0 | awk '{print $4}'";

const HTTPD: &str = "mkdir -p /www && echo \"hello from $(hostname)\" > /www/index.html && exec httpd -f -p 80 -h /www";

/// GET / from the host; the body, once the server answers.
fn http_get(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split("\r\n\r\n").nth(1).map(str::to_string)
}

fn host_port(ns: &Ns, name: &str) -> u16 {
    let out = ns.berth(&["port", name, "80"]).ok().to_string();
    out.trim().rsplit(':').next().unwrap().parse().unwrap()
}

/// What a container's network could leave behind on the host.
fn leftovers(id: &str) -> Vec<String> {
    let mut found = Vec::new();
    let netns = format!("/run/netns/berth-{}", &id[..16]);
    if std::path::Path::new(&netns).exists() {
        found.push(netns);
    }
    let rules = std::process::Command::new("iptables-save")
        .output()
        .unwrap();
    for l in String::from_utf8_lossy(&rules.stdout)
        .lines()
        .filter(|l| l.contains(id))
    {
        found.push(format!("iptables: {l}"));
    }
    for dir in ["/var/lib/cni/networks", "/run/berth/ports"] {
        for f in walk(std::path::Path::new(dir)) {
            if std::fs::read_to_string(&f).unwrap_or_default().contains(id) {
                found.push(f.display().to_string());
            }
        }
    }
    found
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

/// Removes a test's network even when the test fails half-way.
struct NetworkGone(String);

impl Drop for NetworkGone {
    fn drop(&mut self) {
        let f = format!(
            "{}/berth-{}.conflist",
            berth::network::store::DEFAULT_NETCONF_DIR,
            self.0
        );
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn a_published_port_serves_the_host_and_goes_with_the_container() {
    let ns = Ns::new("net-publish");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&[
            "run",
            "-d",
            "--name",
            "web",
            "-h",
            "web1",
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
    let port = host_port(&ns, "web");
    let body = wait_for("the web server", 10, || http_get(port));
    assert_eq!(body, "hello from web1\n");
    assert_eq!(
        ns.berth(&["port", "web"]).ok(),
        format!("80/tcp -> 127.0.0.1:{port}\n")
    );
    let ps = ns
        .berth(&["ps", "--format", "{{.Ports}} {{.Networks}}"])
        .ok()
        .to_string();
    assert_eq!(ps, format!("127.0.0.1:{port}->80/tcp bridge\n"));
    // loopback is up in the container's namespace too.
    ns.berth(&["exec", "web", "ping", "-c1", "-W2", "127.0.0.1"])
        .ok();
    let ip = ns
        .berth(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web"])
        .ok()
        .trim()
        .to_string();
    assert!(ip.starts_with("172.") || ip.starts_with("192.168."), "{ip}");
    let ports = ns
        .berth(&["inspect", "-f", "{{json .NetworkSettings.Ports}}", "web"])
        .ok()
        .to_string();
    assert_eq!(
        ports.trim(),
        format!(r#"{{"80/tcp":[{{"HostIp":"127.0.0.1","HostPort":"{port}"}}]}}"#)
    );
    let gw = ns
        .berth(&[
            "inspect",
            "-f",
            "{{.NetworkSettings.Networks.bridge.Gateway}}",
            "web",
        ])
        .ok()
        .trim()
        .to_string();
    // The same port again is refused, as docker refuses it.
    ns.berth(&[
        "run",
        "-d",
        "-p",
        &format!("127.0.0.1:{port}:80"),
        &img,
        "true",
    ])
    .code(125)
    .stderr_has("port is already allocated");
    assert!(
        !leftovers(&id).is_empty(),
        "the running container has its network"
    );
    ns.berth(&["rm", "-f", "web"]).ok();
    assert_eq!(leftovers(&id), Vec::<String>::new());
    assert!(
        http_get(port).is_none(),
        "nothing answers on the port any more"
    );
    // --rm after the container exits, too.
    let out = ns
        .berth(&[
            "run",
            "--rm",
            "-p",
            "127.0.0.1::80",
            &img,
            "sh",
            "-c",
            "ip route | grep default",
        ])
        .ok()
        .to_string();
    assert!(out.contains(&format!("default via {gw}")), "{out} vs {gw}");
}

#[test]
fn containers_on_a_user_network_find_each_other_by_name() {
    let ns = Ns::new("net-user");
    let img = ns.pull("busybox");
    let net = format!("bt-net-{}", std::process::id());
    let _gone = NetworkGone(net.clone());
    let id = ns
        .berth(&["network", "create", "--label", "team=a", &net])
        .ok()
        .trim()
        .to_string();
    assert_eq!(id.len(), 64);
    let row = ns
        .berth(&[
            "network",
            "ls",
            "--format",
            "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}",
        ])
        .ok()
        .to_string();
    assert!(
        row.lines()
            .any(|l| l == format!("{net} bridge local team=a")),
        "{row}"
    );
    for builtin in [
        "bridge bridge local ",
        "host host local ",
        "none null local ",
    ] {
        assert!(row.lines().any(|l| l == builtin), "{row}");
    }
    ns.berth(&["network", "create", &net])
        .code(1)
        .stderr_has("already exists");
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "db",
        "--network",
        &net,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    let out = ns
        .berth(&[
            "run",
            "--rm",
            "--name",
            "app",
            "--network",
            &net,
            &img,
            "ping",
            "-c1",
            "-W3",
            "db",
        ])
        .ok()
        .to_string();
    assert!(out.contains("1 packets received"), "{out}");
    // The other way too: db learnt of a container that joined after it.
    ns.berth(&[
        "run",
        "-d",
        "--name",
        "late",
        "--network-alias",
        "cache",
        "--network",
        &net,
        &img,
        "sleep",
        "300",
    ])
    .ok();
    ns.berth(&["exec", "db", "ping", "-c1", "-W3", "late"]).ok();
    ns.berth(&["exec", "db", "ping", "-c1", "-W3", "cache"])
        .ok();
    ns.berth(&["run", "--rm", "--network-alias", "x", &img, "true"])
        .code(125)
        .stderr_has("only for containers in user defined networks");
    let doc = ns.berth(&["network", "inspect", &net]).ok().to_string();
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(doc[0]["Name"], net.as_str());
    assert_eq!(doc[0]["Containers"].as_object().unwrap().len(), 2, "{doc}");
    assert_eq!(doc[0]["Labels"]["team"], "a");
    ns.berth(&["network", "rm", &net])
        .code(1)
        .stderr_has("has active endpoints");
    ns.berth(&["rm", "-f", "late"]).ok();
    let hosts = ns
        .berth(&["exec", "db", "cat", "/etc/hosts"])
        .ok()
        .to_string();
    assert!(
        !hosts.contains("late"),
        "a removed container leaves the others' hosts: {hosts}"
    );
    ns.berth(&["rm", "-f", "db"]).ok();
    let bridge = format!("/sys/class/net/br-{}", &id[..12]);
    assert!(std::path::Path::new(&bridge).exists(), "{bridge}");
    assert_eq!(ns.berth(&["network", "rm", &net]).ok(), format!("{net}\n"));
    assert!(
        !std::path::Path::new(&bridge).exists(),
        "the bridge goes with the network"
    );
    ns.berth(&["network", "rm", "bridge"])
        .code(1)
        .stderr_has("pre-defined network");
    ns.berth(&["network", "inspect", &net])
        .code(1)
        .stderr_has("not found");
}

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

/// containerd's restart monitor starts the task again without berth: the
/// spec names the container's network namespace, which is still there.
#[test]
fn a_container_restarted_by_containerd_keeps_its_network() {
    let ns = Ns::new("net-restart");
    let img = ns.pull("busybox");
    let id = ns
        .berth(&[
            "run",
            "-d",
            "--restart",
            "always",
            "--name",
            "rs",
            &img,
            "sh",
            "-c",
            &format!("{ETH0_ADDR}; sleep 1"),
        ])
        .ok()
        .trim()
        .to_string();
    let logs = wait_for("a restart", 30, || {
        let l = ns.berth(&["logs", "rs"]).ok().to_string();
        (l.lines().count() >= 2).then_some(l)
    });
    let lines: Vec<&str> = logs.lines().collect();
    assert!(
        !lines[0].is_empty() && lines[0] == lines[1],
        "the same address after the restart: {logs}"
    );
    ns.berth(&["rm", "-f", "rs"]).ok();
    assert_eq!(leftovers(&id), Vec::<String>::new());
}

#[test]
fn twenty_containers_published_at_once_get_their_own_address_and_port() {
    let ns = Ns::new("net-twenty");
    let img = ns.pull("busybox");
    let runs: Vec<_> = (0..20)
        .map(|i| {
            let mut cmd = ns.cmd();
            cmd.args([
                "run",
                "-d",
                "--name",
                &format!("w{i}"),
                "-h",
                &format!("w{i}"),
                "-p",
                "127.0.0.1::80",
                &img,
                "sh",
                "-c",
                HTTPD,
            ]);
            std::thread::spawn(move || crate::common::Out::from(cmd.output().unwrap()))
        })
        .collect();
    let ids: Vec<String> = runs
        .into_iter()
        .map(|t| t.join().unwrap().ok().trim().to_string())
        .collect();
    let mut ips = std::collections::BTreeSet::new();
    let mut ports = std::collections::BTreeSet::new();
    for i in 0..20 {
        let name = format!("w{i}");
        ips.insert(
            ns.berth(&["inspect", "-f", "{{.NetworkSettings.IPAddress}}", &name])
                .ok()
                .trim()
                .to_string(),
        );
        let port = host_port(&ns, &name);
        ports.insert(port);
        let body = wait_for("a web server", 15, || http_get(port));
        assert_eq!(body, format!("hello from {name}\n"));
    }
    assert_eq!((ips.len(), ports.len()), (20, 20));
    let mut rm = vec!["rm", "-f"];
    let names: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
    rm.extend(names.iter().map(String::as_str));
    ns.berth(&rm).ok();
    for id in &ids {
        assert_eq!(leftovers(id), Vec::<String>::new());
    }
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
