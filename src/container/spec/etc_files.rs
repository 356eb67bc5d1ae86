//! The three files every container gets, as docker gives them: its own
//! `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`, written to the
//! container's directory under the data root and bind-mounted over the
//! image's. Content is built by pure functions; only `write` touches disk.

use std::net::IpAddr;
use std::path::Path;

use crate::container::model::NetworkMode;
use crate::error::Result;
use crate::state::write_atomic;

pub const HOSTNAME: &str = "hostname";
pub const HOSTS: &str = "hosts";
pub const RESOLV_CONF: &str = "resolv.conf";

/// Where each file goes in the container, in docker's mount order.
pub const MOUNTS: &[(&str, &str)] = &[
    (RESOLV_CONF, "/etc/resolv.conf"),
    (HOSTNAME, "/etc/hostname"),
    (HOSTS, "/etc/hosts"),
];

const HOST_RESOLV: &str = "/etc/resolv.conf";
const RESOLVED_RESOLV: &str = "/run/systemd/resolve/resolv.conf";
const DEFAULT_NAMESERVERS: &[&str] = &["8.8.8.8", "8.8.4.4"];

/// docker's default `/etc/hosts` lines (libnetwork's etchosts).
const DEFAULT_HOSTS: &str = "127.0.0.1\tlocalhost\n\
    ::1\tlocalhost ip6-localhost ip6-loopback\n\
    fe00::\tip6-localnet\n\
    ff00::\tip6-mcastprefix\n\
    ff02::1\tip6-allnodes\n\
    ff02::2\tip6-allrouters\n";

/// What the three files say besides what comes from the host.
#[derive(Debug, Clone, Copy)]
pub struct EtcInputs<'a> {
    pub network: &'a NetworkMode,
    pub hostname: &'a str,
    /// `--domainname`: the own line names `HOST.DOMAIN HOST`, as docker's.
    pub domainname: &'a str,
    /// The container's address on its network (its own name's line).
    pub ip: Option<&'a str>,
    /// `--add-host` entries, as (name, address).
    pub extra_hosts: &'a [(String, String)],
    pub dns: &'a [String],
    pub dns_search: &'a [String],
    pub dns_options: &'a [String],
}

#[cfg(test)]
impl<'a> EtcInputs<'a> {
    /// Just a network and a name (the flags left at their defaults).
    pub fn plain(network: &'a NetworkMode, hostname: &'a str) -> Self {
        EtcInputs {
            network,
            hostname,
            domainname: "",
            ip: None,
            extra_hosts: &[],
            dns: &[],
            dns_search: &[],
            dns_options: &[],
        }
    }
}

/// `/etc/hosts`: for the host network a copy of the host's file; otherwise
/// docker's localhost lines and the container's own name at its address.
/// `--add-host` lines go between, as docker puts them. (docker has no
/// address for a `none` container's name; berth maps it to 127.0.0.1 so
/// the name resolves, which programs such as Java's `getLocalHost` need.)
pub fn hosts(i: &EtcInputs, host_file: Option<&str>) -> String {
    let extra: String = i
        .extra_hosts
        .iter()
        .map(|(name, ip)| format!("{ip}\t{name}\n"))
        .collect();
    match (i.network, host_file) {
        (NetworkMode::Host, Some(host)) => format!("{host}{extra}"),
        _ if !i.domainname.is_empty() => format!(
            "{DEFAULT_HOSTS}{extra}{}\t{}.{} {}\n",
            i.ip.unwrap_or("127.0.0.1"),
            i.hostname,
            i.domainname,
            i.hostname
        ),
        _ => format!(
            "{DEFAULT_HOSTS}{extra}{}\t{}\n",
            i.ip.unwrap_or("127.0.0.1"),
            i.hostname
        ),
    }
}

/// The parts of a resolv.conf docker keeps (comments are dropped).
#[derive(Debug, Default, PartialEq)]
struct Resolv {
    nameservers: Vec<String>,
    search: Option<String>,
    options: Vec<String>,
    other: Vec<String>,
}

fn parse_resolv(text: &str) -> Resolv {
    let mut r = Resolv::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => r.nameservers.extend(words.next().map(String::from)),
            // The last search (or domain) line wins, written as `search`.
            Some("search" | "domain") => r.search = Some(words.collect::<Vec<_>>().join(" ")),
            Some("options") => r.options.extend(words.map(String::from)),
            _ => r.other.push(line.to_string()),
        }
    }
    r
}

fn is_loopback_or_v6(ns: &str) -> bool {
    match ns.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip.is_ipv6(),
        // Unparseable entries (e.g. with a zone) are dropped like IPv6 ones.
        Err(_) => true,
    }
}

/// `/etc/resolv.conf` from the host's, docker's way: the host network keeps
/// the host's resolvers; a private network drops loopback (and, having no
/// IPv6, IPv6) resolvers and falls back to public ones when none is left.
pub fn resolv_conf(i: &EtcInputs, host_text: &str, source: &str) -> String {
    let mut r = parse_resolv(host_text);
    let mut notes = vec![format!("# Based on host file: '{source}'")];
    // --dns, --dns-search and --dns-option replace what the host says.
    if !i.dns.is_empty() {
        r.nameservers = i.dns.to_vec();
    }
    if !i.dns_search.is_empty() {
        r.search = Some(i.dns_search.join(" "));
    }
    if !i.dns_options.is_empty() {
        r.options = i.dns_options.to_vec();
    }
    if *i.network != NetworkMode::Host && i.dns.is_empty() {
        r.nameservers.retain(|ns| !is_loopback_or_v6(ns));
        if r.nameservers.is_empty() {
            r.nameservers = DEFAULT_NAMESERVERS.iter().map(|s| s.to_string()).collect();
            notes.push("# Used default nameservers.".to_string());
        }
    }
    let mut out = String::from("# Generated by berth.\n\n");
    for ns in &r.nameservers {
        out.push_str(&format!("nameserver {ns}\n"));
    }
    if let Some(s) = &r.search {
        out.push_str(&format!("search {s}\n"));
    }
    if !r.options.is_empty() {
        out.push_str(&format!("options {}\n", r.options.join(" ")));
    }
    for line in &r.other {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    for n in notes {
        out.push_str(&n);
        out.push('\n');
    }
    out
}

/// Which host file a private network's resolv.conf derives from: with
/// systemd-resolved's stub as the only resolver, the real upstream list.
fn resolv_source(host_text: &str) -> &'static str {
    let r = parse_resolv(host_text);
    if r.nameservers == ["127.0.0.53"] && Path::new(RESOLVED_RESOLV).exists() {
        RESOLVED_RESOLV
    } else {
        HOST_RESOLV
    }
}

/// Writes the three files into `dir` (the container's directory).
pub fn write(dir: &Path, i: &EtcInputs) -> Result<()> {
    let read = |p: &str| std::fs::read_to_string(p).ok();
    write_atomic(
        &dir.join(HOSTNAME),
        format!("{}\n", i.hostname).as_bytes(),
        0o644,
    )?;
    let host_hosts = read("/etc/hosts");
    write_atomic(
        &dir.join(HOSTS),
        hosts(i, host_hosts.as_deref()).as_bytes(),
        0o644,
    )?;
    let host_resolv = read(HOST_RESOLV).unwrap_or_default();
    let source = match i.network {
        NetworkMode::Host => HOST_RESOLV,
        _ => resolv_source(&host_resolv),
    };
    let text = if source == HOST_RESOLV {
        host_resolv
    } else {
        read(source).unwrap_or_default()
    };
    write_atomic(
        &dir.join(RESOLV_CONF),
        resolv_conf(i, &text, source).as_bytes(),
        0o644,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_files() {
        let none = NetworkMode::None;
        let own = hosts(&EtcInputs::plain(&none, "abc123"), Some("1.2.3.4 host\n"));
        assert!(own.starts_with("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost"));
        assert!(own.ends_with("ff02::2\tip6-allrouters\n127.0.0.1\tabc123\n"));
        let host = NetworkMode::Host;
        assert_eq!(
            hosts(&EtcInputs::plain(&host, "h"), Some("1.2.3.4 host\n")),
            "1.2.3.4 host\n"
        );
        assert_eq!(
            hosts(&EtcInputs::plain(&host, "h"), None),
            hosts(&EtcInputs::plain(&none, "h"), None)
        );
        let bridge = NetworkMode::default();
        let extra = [("db".to_string(), "10.0.0.9".to_string())];
        let i = EtcInputs {
            ip: Some("172.17.0.2"),
            extra_hosts: &extra,
            ..EtcInputs::plain(&bridge, "web")
        };
        assert!(
            hosts(&i, None).ends_with("ff02::2\tip6-allrouters\n10.0.0.9\tdb\n172.17.0.2\tweb\n"),
            "{}",
            hosts(&i, None)
        );
        let domain = EtcInputs {
            domainname: "example.org",
            ..i
        };
        assert!(hosts(&domain, None).ends_with("\n172.17.0.2\tweb.example.org web\n"));
    }

    #[test]
    fn dns_flags_replace_the_hosts_resolvers() {
        let bridge = NetworkMode::default();
        let (dns, search, opts) = (
            ["10.9.9.9".to_string()],
            ["corp.example".to_string()],
            ["ndots:3".to_string()],
        );
        let i = EtcInputs {
            dns: &dns,
            dns_search: &search,
            dns_options: &opts,
            ..EtcInputs::plain(&bridge, "x")
        };
        assert_eq!(
            resolv_conf(&i, "nameserver 1.1.1.1\nsearch home\n", "/etc/resolv.conf"),
            "# Generated by berth.\n\nnameserver 10.9.9.9\nsearch corp.example\noptions ndots:3\n\n\
             # Based on host file: '/etc/resolv.conf'\n"
        );
    }

    #[test]
    fn private_networks_drop_loopback_resolvers() {
        let host = "# comment\nnameserver 127.0.0.53\nnameserver ::1\nnameserver fe80::1\n\
                    search a.example b.example\noptions ndots:2\noptions edns0\nsortlist 10.0.0.0\n";
        assert_eq!(
            resolv_conf(
                &EtcInputs::plain(&NetworkMode::None, "x"),
                host,
                "/etc/resolv.conf"
            ),
            "# Generated by berth.\n\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n\
             search a.example b.example\noptions ndots:2 edns0\nsortlist 10.0.0.0\n\n\
             # Based on host file: '/etc/resolv.conf'\n# Used default nameservers.\n"
        );
        let mixed = "nameserver 10.0.0.2\nnameserver 127.0.0.1\ndomain corp\n";
        assert_eq!(
            resolv_conf(
                &EtcInputs::plain(&NetworkMode::None, "x"),
                mixed,
                "/etc/resolv.conf"
            ),
            "# Generated by berth.\n\nnameserver 10.0.0.2\nsearch corp\n\n\
             # Based on host file: '/etc/resolv.conf'\n"
        );
    }

    #[test]
    fn host_network_keeps_the_host_resolvers() {
        let host = "nameserver 127.0.0.53\noptions edns0 trust-ad\n";
        assert_eq!(
            resolv_conf(
                &EtcInputs::plain(&NetworkMode::Host, "x"),
                host,
                "/etc/resolv.conf"
            ),
            "# Generated by berth.\n\nnameserver 127.0.0.53\noptions edns0 trust-ad\n\n\
             # Based on host file: '/etc/resolv.conf'\n"
        );
    }

    #[test]
    fn writes_all_three() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), &EtcInputs::plain(&NetworkMode::None, "box1")).unwrap();
        assert_eq!(
            std::fs::read_to_string(tmp.path().join(HOSTNAME)).unwrap(),
            "box1\n"
        );
        assert!(
            std::fs::read_to_string(tmp.path().join(HOSTS))
                .unwrap()
                .ends_with("\tbox1\n")
        );
        assert!(
            std::fs::read_to_string(tmp.path().join(RESOLV_CONF))
                .unwrap()
                .contains("nameserver ")
        );
    }
}
