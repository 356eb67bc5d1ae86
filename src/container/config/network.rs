//! The container's network: `--network`, `--network-alias`, `-p`, `-P`,
//! `--expose`, `--add-host`, `--dns`, `--dns-search`, `--dns-option`. Into
//! `HostConfig`/`Config`/`NetworkingConfig` as docker's CLI fills them;
//! the published ports read back for CNI; the spec's network namespace and
//! docker's default sysctls for private networks.

use std::net::IpAddr;
use std::path::Path;

use clap::Args;
use oci_spec::runtime::{LinuxNamespaceBuilder, LinuxNamespaceType, Spec};

use super::endpoint::{EndpointRequest, parse_link, validate_endpoint};
use super::spec_error;
use crate::container::model::{
    Config, CreateRequest, EndpointSettings, HostConfig, NetworkMode, NetworkingConfig, PortBinding,
};
use crate::error::{Error, Result};
use crate::network::ports::{self, PortSpec};

#[derive(Args, Debug, Clone, Default)]
pub struct NetworkFlags {
    /// Connect a container to a network: bridge (the default), host, none,
    /// container:NAME|ID, or a network made by `network create`
    #[arg(long = "network", visible_alias = "net", value_name = "NETWORK")]
    pub network: Option<String>,
    /// More names the container answers to on a user network
    #[arg(long = "network-alias", value_name = "NAME")]
    pub network_alias: Vec<String>,
    /// Publish a container's port(s) to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTO])
    #[arg(short = 'p', long = "publish", value_name = "PORTS")]
    pub publish: Vec<String>,
    /// Publish all exposed ports to random host ports
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,
    /// Expose a port or a range of ports (published by -P)
    #[arg(long, value_name = "PORT[/PROTO]")]
    pub expose: Vec<String>,
    /// Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway)
    #[arg(long = "add-host", value_name = "HOST:IP", value_parser = parse_extra_host)]
    pub add_host: Vec<String>,
    /// Set custom DNS servers
    #[arg(long = "dns", value_name = "IP", value_parser = parse_dns)]
    pub dns: Vec<String>,
    /// Set custom DNS search domains
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Set DNS options
    #[arg(long = "dns-option", value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Add link to another container (docker's legacy links)
    #[arg(long = "link", value_name = "NAME[:ALIAS]")]
    pub link: Vec<String>,
    /// IPv4 address (e.g., 172.30.100.104)
    #[arg(long = "ip", value_name = "ip")]
    pub ip: Option<String>,
    /// IPv6 address (e.g., 2001:db8::33)
    #[arg(long = "ip6", value_name = "ip")]
    pub ip6: Option<String>,
    /// Container MAC address (e.g., 92:d0:c6:0a:29:33)
    #[arg(long = "mac-address", value_name = "string")]
    pub mac_address: Option<String>,
    /// Container IPv4/IPv6 link-local addresses
    #[arg(long = "link-local-ip", value_name = "list")]
    pub link_local_ip: Vec<String>,
}

/// The key docker's port maps use: `80/tcp`.
fn port_key(s: &PortSpec) -> String {
    format!("{}/{}", s.container_port, s.protocol.as_str())
}

impl NetworkFlags {
    /// Fills the request as docker's CLI does; `-p` is parsed here (docker's
    /// CLI reports its errors itself).
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = &mut req.host_config;
        h.network_mode = self.network.as_deref().unwrap_or("default").parse()?;
        for p in &self.publish {
            for s in ports::parse(p).map_err(Error::cli)? {
                req.config.exposed_ports.entry(port_key(&s)).or_default();
                h.port_bindings
                    .entry(port_key(&s))
                    .or_default()
                    .push(PortBinding {
                        host_ip: s.host_ip.map(|ip| ip.to_string()).unwrap_or_default(),
                        host_port: s.host_port.map(|p| p.to_string()).unwrap_or_default(),
                    });
            }
        }
        for e in &self.expose {
            for s in ports::parse(e).map_err(Error::cli)? {
                req.config.exposed_ports.entry(port_key(&s)).or_default();
            }
        }
        h.publish_all_ports = self.publish_all;
        h.extra_hosts = (!self.add_host.is_empty()).then(|| self.add_host.clone());
        h.links = (!self.link.is_empty()).then(|| self.link.clone());
        h.dns = Some(self.dns.clone());
        h.dns_search = Some(self.dns_search.clone());
        h.dns_options = Some(self.dns_option.clone());
        let endpoint = self.endpoint()?;
        if endpoint != EndpointSettings::default() {
            req.networking_config
                .endpoints_config
                .insert(h.network_mode.to_string(), endpoint);
        }
        Ok(())
    }

    /// The network's endpoint settings as docker's CLI fills them:
    /// `--network-alias`, `--ip`, `--ip6`, `--link-local-ip` (its IPAM
    /// config), `--mac-address`; the CLI's own refusals.
    fn endpoint(&self) -> Result<EndpointSettings> {
        if let Some(ip) = &self.ip
            && !matches!(ip.parse::<IpAddr>(), Ok(IpAddr::V4(_)))
        {
            return Err(Error::invalid(format!("invalid IPv4 address: {ip}")).cli());
        }
        if let Some(ip6) = &self.ip6
            && !matches!(ip6.parse::<IpAddr>(), Ok(IpAddr::V6(_)))
        {
            return Err(Error::invalid(format!("invalid IPv6 address: {ip6}")).cli());
        }
        if let Some(mac) = &self.mac_address
            && !valid_mac(mac)
        {
            return Err(Error::invalid(format!("{mac} is not a valid mac address")).cli());
        }
        EndpointRequest {
            aliases: &self.network_alias,
            ip: self.ip.as_deref(),
            ip6: self.ip6.as_deref(),
            link_local: &self.link_local_ip,
            mac: self.mac_address.as_deref(),
            ..Default::default()
        }
        .settings()
    }
}

/// Six hex pairs split by `:` or `-` (what `net.ParseMAC` takes for
/// Ethernet).
fn valid_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split([':', '-']).collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// docker's daemon checks of the network settings.
pub fn check(c: &Config, h: &HostConfig, n: &NetworkingConfig) -> Result<()> {
    let endpoints = n.endpoints_config.values();
    let aliased = endpoints
        .clone()
        .any(|e| e.aliases.as_ref().is_some_and(|a| !a.is_empty()));
    let addressed = endpoints.clone().any(|e| {
        let ipam = e.ipam_config.as_ref();
        ["IPv4Address", "IPv6Address"].iter().any(|k| {
            ipam.and_then(|i| i[k].as_str())
                .is_some_and(|a| !a.is_empty())
        })
    });
    for (name, e) in &n.endpoints_config {
        validate_endpoint(e).map_err(|err| {
            Error::conflict(format!(
                "invalid config for network {name}: {}",
                err.message()
            ))
        })?;
    }
    if addressed && h.network_mode.user_network().is_none() {
        return Err(Error::invalid(
            "user specified IP address is supported on user defined networks only",
        ));
    }
    let publishes = !h.port_bindings.is_empty() || h.publish_all_ports;
    if matches!(h.network_mode, NetworkMode::Container(_)) {
        if publishes {
            return Err(Error::invalid(
                "conflicting options: port publishing and the container type network mode",
            ));
        }
        if !c.hostname.is_empty() {
            return Err(Error::invalid(
                "conflicting options: hostname and the network mode",
            ));
        }
    }
    if aliased && h.network_mode.user_network().is_none() {
        return Err(Error::invalid(
            "network-scoped alias is supported only for containers in user defined networks",
        ));
    }
    for e in h.extra_hosts.iter().flatten() {
        parse_extra_host(e)?;
    }
    let links = h.links.as_deref().unwrap_or_default();
    match &h.network_mode {
        _ if links.is_empty() => {}
        NetworkMode::Host => {
            return Err(Error::invalid(
                "conflicting options: host type networking can't be used with links. This would result in undefined behavior",
            ));
        }
        NetworkMode::Container(_) => {
            return Err(Error::invalid(
                "conflicting options: container type network can't be used with links. This would result in undefined behavior",
            ));
        }
        _ => {}
    }
    for l in links {
        parse_link(l)?;
    }
    Ok(())
}

/// What is published: `PortBindings`, and with `PublishAllPorts` every
/// other exposed port on a random host port.
pub fn port_specs(c: &Config, h: &HostConfig) -> Result<Vec<PortSpec>> {
    let mut specs = Vec::new();
    for (key, bindings) in &h.port_bindings {
        let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
        for b in bindings {
            let text = match (b.host_ip.as_str(), b.host_port.as_str()) {
                ("", "") => format!("{port}/{proto}"),
                ("", hp) => format!("{hp}:{port}/{proto}"),
                (ip, hp) => format!("{ip}:{hp}:{port}/{proto}"),
            };
            specs.extend(ports::parse(&text)?);
        }
        if bindings.is_empty() {
            specs.extend(ports::parse(key)?);
        }
    }
    if h.publish_all_ports {
        for key in c.exposed_ports.keys() {
            if !h.port_bindings.contains_key(key) {
                specs.extend(ports::parse(key)?);
            }
        }
    }
    Ok(specs)
}

/// `--add-host NAME:IP` (or docker 25's `NAME=IP`; IPv6 in brackets),
/// kept as docker's `NAME:IP`.
pub fn parse_extra_host(entry: &str) -> Result<String> {
    let (name, ip) = entry
        .split_once('=')
        .or_else(|| entry.split_once(':'))
        .filter(|(n, _)| !n.is_empty() && !n.contains(':'))
        .ok_or_else(|| Error::invalid(format!("bad format for add-host: {entry:?}")))?;
    let ip = match ip.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
        Some(inner) if ip.len() > 2 => inner,
        _ => ip,
    };
    if ip != HOST_GATEWAY && ip.parse::<IpAddr>().is_err() {
        return Err(Error::invalid(format!(
            "invalid IP address in add-host: {ip:?}"
        )));
    }
    Ok(format!("{name}:{ip}"))
}

/// The `--add-host` value docker replaces with the host's address.
pub const HOST_GATEWAY: &str = "host-gateway";

/// An `ExtraHosts` entry as /etc/hosts' (name, address), `host-gateway`
/// resolved to `gateway` (the host as the container's network sees it).
pub fn extra_host(entry: &str, gateway: Option<&str>) -> Result<(String, String)> {
    let (name, ip) = entry
        .split_once(':')
        .ok_or_else(|| Error::invalid(format!("bad format for add-host: {entry:?}")))?;
    let ip = match ip {
        HOST_GATEWAY => gateway.map(str::to_string).ok_or_else(|| {
            Error::invalid(
                "--add-host host-gateway needs the container on a bridge network (its gateway is the host)",
            )
        })?,
        ip => ip.to_string(),
    };
    Ok((name.to_string(), ip))
}

/// `--dns`: an IP address.
pub fn parse_dns(s: &str) -> Result<String> {
    s.parse::<IpAddr>()
        .map(|_| s.to_string())
        .map_err(|_| Error::invalid(format!("IP address is not correctly formatted: {s}")))
}

/// The spec's network namespace: a path to join (a CNI network's, another
/// container's), the host's (none listed), or a new one.
pub fn spec(h: &HostConfig, netns: Option<&Path>, spec: &mut Spec) -> Result<()> {
    let ns = match (&h.network_mode, netns) {
        (NetworkMode::Host, _) => None,
        (_, Some(path)) => Some(
            LinuxNamespaceBuilder::default()
                .typ(LinuxNamespaceType::Network)
                .path(path.to_path_buf())
                .build(),
        ),
        (_, None) => Some(
            LinuxNamespaceBuilder::default()
                .typ(LinuxNamespaceType::Network)
                .build(),
        ),
    };
    let linux = spec.linux_mut().get_or_insert_with(Default::default);
    if let Some(ns) = ns {
        let mut list = linux.namespaces().clone().unwrap_or_default();
        list.push(ns.map_err(spec_error)?);
        linux.set_namespaces(Some(list));
    }
    // docker's daemon: unprivileged ports and pings in a private network
    // namespace (the user's --sysctl wins).
    if h.network_mode.is_private() {
        let mut sysctl = linux.sysctl().clone().unwrap_or_default();
        for (k, v) in [
            ("net.ipv4.ip_unprivileged_port_start", "0"),
            ("net.ipv4.ping_group_range", "0 2147483647"),
        ] {
            sysctl.entry(k.to_string()).or_insert_with(|| v.to_string());
        }
        linux.set_sysctl(Some(sysctl));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(f: NetworkFlags) -> CreateRequest {
        let mut r = CreateRequest::default();
        f.apply(&mut r).unwrap();
        r
    }

    #[test]
    fn published_ports_as_dockers_cli_sends_them() {
        let r = flags(NetworkFlags {
            publish: vec![
                "127.0.0.1:18081:80".into(),
                "127.0.0.1::81".into(),
                "8080-8081:90-91/udp".into(),
            ],
            expose: vec!["7000".into()],
            ..Default::default()
        });
        let h = &r.host_config;
        assert_eq!(
            serde_json::to_value(&h.port_bindings).unwrap(),
            serde_json::json!({
                "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "18081"}],
                "81/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
                "90/udp": [{"HostIp": "", "HostPort": "8080"}],
                "91/udp": [{"HostIp": "", "HostPort": "8081"}],
            })
        );
        let exposed: Vec<&String> = r.config.exposed_ports.keys().collect();
        assert_eq!(
            exposed,
            ["7000/tcp", "80/tcp", "81/tcp", "90/udp", "91/udp"]
        );
        assert_eq!(h.network_mode, NetworkMode::default());
        assert_eq!(
            (h.dns.as_deref(), h.extra_hosts.as_deref()),
            (Some(&[][..]), None)
        );
        let specs = port_specs(&r.config, h).unwrap();
        assert_eq!(specs.len(), 4);
        assert_eq!(specs[1].host_port, None);
        let all = port_specs(
            &r.config,
            &HostConfig {
                publish_all_ports: true,
                ..h.clone()
            },
        )
        .unwrap();
        assert_eq!(all.len(), 5);
    }

    #[test]
    fn docker_wording_for_bad_values() {
        let mut r = CreateRequest::default();
        let bad = |p: &str| {
            NetworkFlags {
                publish: vec![p.into()],
                ..Default::default()
            }
            .apply(&mut CreateRequest::default())
            .unwrap_err()
            .message()
            .to_string()
        };
        assert_eq!(bad("99999:80"), "invalid hostPort: 99999");
        assert_eq!(bad("80:99999"), "invalid containerPort: 99999");
        assert!(
            NetworkFlags {
                network: Some("container:".into()),
                ..Default::default()
            }
            .apply(&mut r)
            .is_err()
        );
        assert_eq!(parse_extra_host("v6=[::1]").unwrap(), "v6:::1");
        assert_eq!(parse_extra_host("db:10.0.0.9").unwrap(), "db:10.0.0.9");
        assert_eq!(
            parse_extra_host("gw:host-gateway").unwrap(),
            "gw:host-gateway"
        );
        assert_eq!(
            parse_extra_host("bad").unwrap_err().message(),
            "bad format for add-host: \"bad\""
        );
        assert!(parse_extra_host("x:notip").is_err());
        assert_eq!(
            extra_host("v6:::1", None).unwrap(),
            ("v6".into(), "::1".into())
        );
        assert_eq!(
            extra_host("gw:host-gateway", Some("172.17.0.1")).unwrap().1,
            "172.17.0.1"
        );
        assert!(extra_host("gw:host-gateway", None).is_err());
        assert_eq!(
            parse_dns("notanip").unwrap_err().message(),
            "IP address is not correctly formatted: notanip"
        );
    }
}
