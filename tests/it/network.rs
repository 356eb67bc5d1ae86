//! Networking on real CNI plugins and iptables: the default bridge,
//! published ports reached from the host, user networks with names that
//! resolve, the network verbs, the DNS and hosts flags, another container's
//! namespace, restarts by containerd, and teardown that leaves nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::{Ns, wait_for};

/// Prints eth0's IPv4 address with its prefix.
pub(crate) const ETH0_ADDR: &str = "ip -4 -o addr show eth0 | awk '{print $4}'";

pub(crate) const HTTPD: &str = "mkdir -p /www && echo \"hello from $(hostname)\" > /www/index.html && exec httpd -f -p 80 -h /www";

/// GET / from the host; the body, once the server answers.
pub(crate) fn http_get(port: u16) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(3))).ok()?;
    s.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.split("\r\n\r\n").nth(1).map(str::to_string)
}

pub(crate) fn host_port(ns: &Ns, name: &str) -> u16 {
    let out = ns.berth(&["port", name, "80"]).ok().to_string();
    out.trim().rsplit(':').next().unwrap().parse().unwrap()
}

/// What a container's network could leave behind on the host.
pub(crate) fn leftovers(id: &str) -> Vec<String> {
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
pub(crate) struct NetworkGone(pub(crate) String);

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
