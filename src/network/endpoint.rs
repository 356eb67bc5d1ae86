//! What a container asks of one network (docker's endpoint settings, in
//! the network's own terms): fixed addresses and a MAC through the CNI
//! plugins, then, inside the namespace once the interface is there, its
//! link-local addresses and interface sysctls.

use std::net::IpAddr;
use std::path::Path;

use serde_json::{Value, json};

use crate::error::{Error, Result};

/// What a container asks of one network: an address (`--ip`), a MAC
/// (`--mac-address`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    pub ip: Option<String>,
    /// `--ip6`.
    pub ip6: Option<String>,
    pub mac: Option<String>,
    /// Names it answers to on this network only.
    pub aliases: Vec<String>,
    /// More addresses on its interface there (`--link-local-ip`).
    pub link_local: Vec<IpAddr>,
    /// Interface sysctls (`net.X.Y.IFNAME.Z`, docker's endpoint sysctls
    /// driver option), in order.
    pub sysctls: Vec<(String, String)>,
    /// Which network's gateway is the default route: the highest priority
    /// (`--gw-priority`), then the first network name.
    pub gw_priority: i64,
    /// Containers it sees under one more name here (`connect --link`):
    /// (their name, the alias).
    pub links: Vec<(String, String)>,
}

impl Wanted {
    /// docker's refusals as the container joins: an auxiliary address
    /// (reserved on the network), an IPv6 address outside the network, a
    /// link-local address that is not one.
    pub(super) fn check(&self, meta: &super::store::Meta) -> Result<()> {
        if meta.config_only {
            return Err(Error::conflict(
                "cannot create endpoint on configuration-only network",
            ));
        }
        // libnetwork's words as the endpoint is made (at the start).
        let link_local = |ip: &IpAddr| match ip {
            IpAddr::V4(a) => a.is_link_local(),
            IpAddr::V6(a) => a.is_unicast_link_local(),
        };
        if let Some(ip) = self.link_local.iter().find(|ip| !link_local(ip)) {
            // The daemon's refusal: "Error response from daemon" in docker's CLI.
            return Err(Error::conflict(format!(
                "invalid link local IP address: {ip}"
            )));
        }
        if let Some(ip) = &self.ip
            && meta.aux_addresses.values().any(|a| a == ip)
        {
            return Err(Error::conflict("Address already in use"));
        }
        let Some(ip6) = &self.ip6 else { return Ok(()) };
        match (&meta.subnet6, meta.enable_ipv6) {
            (Some(s), true) if super::ipam::in_subnet6(s, ip6) => Ok(()),
            (Some(_), true) => Err(Error::conflict(format!(
                "Invalid address {ip6}: It does not belong to any of this network's subnets"
            ))),
            _ => Err(Error::invalid(
                "user specified IP address is supported only when connecting to networks with user configured subnets",
            )),
        }
    }

    /// The network's plugin list asking for these: host-local's
    /// `args.cni.ips` on the plugin with the IPAM section, and the tuning
    /// plugin setting the MAC after it.
    pub(super) fn apply(&self, conflist: Value, meta: &super::store::Meta) -> Value {
        let mut out = conflist;
        let Some(list) = out["plugins"].as_array_mut() else {
            return out;
        };
        let main = list
            .iter()
            .position(|p| p.get("ipam").is_some())
            .unwrap_or(0);
        let ips: Vec<&String> = self.ip.iter().chain(self.ip6.iter()).collect();
        if let (false, Some(p)) = (ips.is_empty(), list.get_mut(main)) {
            p["args"] = json!({"cni": {"ips": ips}});
        }
        if let (Some(_), Some(p)) = (&self.ip, list.get_mut(main)) {
            // An asked-for address may lie outside --ip-range (docker's rule).
            let whole = super::ipam::for_static(
                &meta.subnet,
                &meta.gateway,
                meta.ip_range.as_deref(),
                &meta.aux_addresses,
            );
            if let Some(ranges) = whole {
                p["ipam"]["ranges"] = ranges;
            }
        }
        if let Some(mac) = &self.mac {
            let at = (main + 1).min(list.len());
            list.insert(at, json!({"type": "tuning", "mac": mac}));
        }
        out
    }
}

impl Wanted {
    /// What the plugins do not do, on `ifname` in `netns` once they are
    /// done: docker's link-local addresses (a /16 for IPv4, a /64 for
    /// IPv6, as docker's daemon adds them) and the interface sysctls with
    /// `IFNAME` standing for the interface.
    pub(super) fn configure(&self, netns: &Path, ifname: &str) -> Result<()> {
        for ip in &self.link_local {
            let prefix = if ip.is_ipv4() { 16 } else { 64 };
            super::inside::add_address(netns, ifname, *ip, prefix).map_err(|e| {
                Error::io(format!("adding the link-local address {ip} to {ifname}"), e)
            })?;
        }
        for (key, value) in &self.sysctls {
            let key = interface_sysctl(key, ifname);
            super::inside::write_sysctl(netns, &key, value)
                .map_err(|e| Error::io(format!("setting {key}={value}"), e))?;
        }
        Ok(())
    }
}

/// `net.X.Y.IFNAME.Z` for interface `ifname` (docker's CLI lowercases the
/// `--network` field, so `ifname` stands for it too).
fn interface_sysctl(key: &str, ifname: &str) -> String {
    let mut parts: Vec<&str> = key.splitn(5, '.').collect();
    if let Some(p) = parts.get_mut(3)
        && (*p == "IFNAME" || *p == "ifname")
    {
        *p = ifname;
    }
    parts.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_addresses_go_to_ipam_and_the_mac_to_tuning() {
        let list = json!({"name": "n", "plugins": [
            {"type": "bridge", "ipam": {"type": "host-local"}},
            {"type": "portmap"}
        ]});
        let meta = crate::network::store::Meta::default();
        assert_eq!(Wanted::default().apply(list.clone(), &meta), list);
        let w = Wanted {
            ip: Some("172.30.0.9".into()),
            ip6: None,
            mac: Some("92:d0:c6:0a:29:33".into()),
            ..Default::default()
        };
        let out = w.apply(list, &meta);
        assert_eq!(
            out["plugins"][0]["args"],
            json!({"cni": {"ips": ["172.30.0.9"]}})
        );
        assert_eq!(
            out["plugins"][1],
            json!({"type": "tuning", "mac": "92:d0:c6:0a:29:33"})
        );
        assert_eq!(out["plugins"][2]["type"], "portmap");
    }

    #[test]
    fn the_interface_stands_for_ifname_in_either_case() {
        assert_eq!(
            interface_sysctl("net.ipv4.conf.IFNAME.log_martians", "eth1"),
            "net.ipv4.conf.eth1.log_martians"
        );
        assert_eq!(
            interface_sysctl("net.ipv6.conf.ifname.accept_ra", "eth0"),
            "net.ipv6.conf.eth0.accept_ra"
        );
        // Only the fourth part: a name like IFNAME elsewhere is kept.
        assert_eq!(
            interface_sysctl("net.mpls.conf.IFNAME.IFNAME", "eth2"),
            "net.mpls.conf.eth2.IFNAME"
        );
    }
}
