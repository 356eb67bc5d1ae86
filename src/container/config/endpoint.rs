//! What a container asks of one network, docker's endpoint settings: made
//! from `run`'s and `network connect`'s flags as docker's CLI makes them,
//! checked as its daemon checks them, and put in the network's terms
//! (`Wanted`) for the container to join it.

use std::net::IpAddr;

use crate::container::model::{EndpointSettings, NetworkingConfig};
use crate::error::{Error, Result};
use crate::network::attach::Wanted;

/// What `run`/`create`'s flags or `network connect`'s ask of one network,
/// before docker's CLI makes endpoint settings of it.
#[derive(Debug, Default)]
pub struct EndpointRequest<'a> {
    pub aliases: &'a [String],
    pub ip: Option<&'a str>,
    pub ip6: Option<&'a str>,
    pub link_local: &'a [String],
    pub mac: Option<&'a str>,
    /// `NAME[:ALIAS]` of containers on the network (`connect --link`).
    pub links: &'a [String],
    /// `KEY=VALUE` driver options.
    pub driver_opts: &'a [String],
    pub gw_priority: i64,
}

impl EndpointRequest<'_> {
    /// The endpoint settings docker's CLI sends; its refusal of a driver
    /// option without `=`. The daemon's checks are `validate_endpoint`'s.
    pub fn settings(&self) -> Result<EndpointSettings> {
        let mut e = EndpointSettings::default();
        let list = |l: &[String]| (!l.is_empty()).then(|| l.to_vec());
        e.aliases = list(self.aliases);
        e.links = list(self.links);
        let mut ipam = serde_json::Map::new();
        if let Some(ip) = self.ip {
            ipam.insert("IPv4Address".into(), ip.into());
        }
        if let Some(ip6) = self.ip6 {
            ipam.insert("IPv6Address".into(), ip6.into());
        }
        if !self.link_local.is_empty() {
            ipam.insert("LinkLocalIPs".into(), self.link_local.into());
        }
        e.ipam_config = (!ipam.is_empty()).then_some(serde_json::Value::Object(ipam));
        e.mac_address = self.mac.unwrap_or_default().to_string();
        let mut opts = std::collections::BTreeMap::new();
        for o in self.driver_opts {
            match o.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => {
                    opts.insert(k.trim().to_string(), v.trim().to_string());
                }
                _ => {
                    return Err(
                        Error::invalid("invalid key/value pair format in driver options").cli(),
                    );
                }
            }
        }
        e.driver_opts = (!opts.is_empty()).then_some(opts);
        e.gw_priority = self.gw_priority;
        Ok(e)
    }
}

/// docker's endpoint option holding the interface sysctls.
pub const ENDPOINT_SYSCTLS: &str = "com.docker.network.endpoint.sysctls";

/// docker's daemon's checks of one network's endpoint settings, its
/// `invalid endpoint settings:` list (moby's multierror: one error alone,
/// several as `* ` items).
pub fn validate_endpoint(e: &EndpointSettings) -> Result<()> {
    let mut errs = Vec::new();
    let ipam = e.ipam_config.as_ref();
    let text = |k: &str| ipam.and_then(|i| i[k].as_str()).filter(|s| !s.is_empty());
    if let Some(ip) = text("IPv4Address")
        && !ip
            .parse::<IpAddr>()
            .is_ok_and(|a| a.is_ipv4() && !a.is_unspecified())
    {
        errs.push(format!("invalid IPv4 address: {ip}"));
    }
    if let Some(ip) = text("IPv6Address")
        && !ip
            .parse::<IpAddr>()
            .is_ok_and(|a| a.is_ipv6() && !a.is_unspecified())
    {
        errs.push(format!("invalid IPv6 address: {ip}"));
    }
    for ip in link_local_ips(e) {
        if !ip.parse::<IpAddr>().is_ok_and(|a| !a.is_unspecified()) {
            errs.push(format!("invalid link-local IP address: {ip}"));
        }
    }
    let sysctls = e.driver_opts.as_ref().and_then(|o| o.get(ENDPOINT_SYSCTLS));
    for sysctl in sysctls.iter().flat_map(|s| s.split(',')) {
        let parts: Vec<&str> = sysctl.splitn(5, '.').collect();
        let known = parts.len() == 5
            && matches!(parts[1], "ipv4" | "ipv6" | "mpls")
            && matches!(parts[3], "IFNAME" | "ifname");
        if !known {
            errs.push(format!(
                "unrecognised network interface sysctl '{sysctl}'; represent 'net.X.Y.ethN.Z=V' as 'net.X.Y.IFNAME.Z=V', 'X' must be 'ipv4', 'ipv6' or 'mpls'"
            ));
        }
    }
    // The daemon's refusal (docker's CLI words it "Error response from
    // daemon"), whatever the kind of mistake.
    match errs.as_slice() {
        [] => Ok(()),
        [one] => Err(Error::conflict(format!(
            "invalid endpoint settings:\n{one}"
        ))),
        many => Err(Error::conflict(format!(
            "invalid endpoint settings:\n* {}",
            many.join("\n* ")
        ))),
    }
}

/// The endpoint's `IPAMConfig.LinkLocalIPs`.
fn link_local_ips(e: &EndpointSettings) -> Vec<&str> {
    let ipam = e.ipam_config.as_ref();
    let list = ipam.and_then(|i| i["LinkLocalIPs"].as_array());
    list.into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .collect()
}

/// What the container asks of `network` (its endpoint settings there).
pub fn wanted(n: &NetworkingConfig, network: &str) -> Wanted {
    n.endpoints_config
        .get(network)
        .map(wanted_of)
        .unwrap_or_default()
}

/// Endpoint settings in the network's terms: the addresses, the MAC, the
/// aliases, the link-local addresses, the interface sysctls, the gateway
/// priority.
pub fn wanted_of(e: &EndpointSettings) -> Wanted {
    let ipam = e.ipam_config.as_ref();
    let text = |k: &str| {
        ipam.and_then(|i| i[k].as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let sysctls = e.driver_opts.as_ref().and_then(|o| o.get(ENDPOINT_SYSCTLS));
    Wanted {
        ip: text("IPv4Address"),
        ip6: text("IPv6Address"),
        mac: Some(e.mac_address.clone()).filter(|m| !m.is_empty()),
        aliases: e.aliases.clone().unwrap_or_default(),
        link_local: link_local_ips(e)
            .iter()
            .filter_map(|a| a.parse().ok())
            .collect(),
        sysctls: sysctls
            .iter()
            .flat_map(|s| s.split(','))
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        gw_priority: e.gw_priority,
        // Resolved to names by `network connect`, which alone sets them.
        links: e
            .links
            .iter()
            .flatten()
            .filter_map(|l| parse_link(l).ok())
            .map(|(name, alias)| (name.to_string(), alias.to_string()))
            .collect(),
    }
}

/// `--link NAME[:ALIAS]`: the linked container and the alias (its name
/// when none is given), docker's way.
pub fn parse_link(link: &str) -> Result<(&str, &str)> {
    let bad = || Error::invalid(format!("invalid link format: {link}"));
    let (name, alias) = match link.split(':').collect::<Vec<_>>().as_slice() {
        [name] => (*name, *name),
        [name, alias] => (*name, *alias),
        _ => return Err(bad()),
    };
    let (name, alias) = (name.trim_start_matches('/'), alias.trim_start_matches('/'));
    if name.is_empty() || alias.is_empty() {
        return Err(bad());
    }
    Ok((name, alias))
}
