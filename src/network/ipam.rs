//! docker's IPAM settings of a network on CNI's host-local: `--ip-range`
//! (the addresses handed out, within `--subnet`) and `--aux-address`
//! (addresses never handed out). host-local has neither, so a network's
//! range set is cut into pieces: dynamic allocation gets the ip-range
//! minus the auxiliary addresses; a container asking for an address
//! (`--ip`) gets the whole subnet minus them, as docker lets it.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde_json::{Value, json};

use crate::error::{Error, Result};

/// docker's CLI checks: every range, gateway and auxiliary address lies
/// in the subnet (and there is one).
pub fn check(
    subnet: Option<&str>,
    gateway: Option<&str>,
    ip_range: Option<&str>,
    aux: &BTreeMap<String, String>,
) -> Result<()> {
    let Some(subnet) = subnet else {
        if ip_range.is_some() || gateway.is_some() {
            return Err(Error::invalid(
                "every ip-range or gateway must have a corresponding subnet",
            )
            .cli());
        }
        if let Some(ip) = aux.values().next() {
            return Err(Error::invalid(format!("no matching subnet for aux-address {ip}")).cli());
        }
        return Ok(());
    };
    let net = parse_cidr(subnet)?;
    if let Some(r) = ip_range {
        let range = cidr(r)?;
        if !contains(net, range.0) || range.1 < net.1 {
            return Err(Error::invalid(format!("no matching subnet for range {r}")).cli());
        }
    }
    if let Some(g) = gateway
        && !g.parse::<Ipv4Addr>().is_ok_and(|ip| contains(net, ip))
    {
        return Err(Error::invalid(format!("no matching subnet for gateway {g}")).cli());
    }
    for ip in aux.values() {
        if !ip.parse::<Ipv4Addr>().is_ok_and(|a| contains(net, a)) {
            return Err(Error::invalid(format!("no matching subnet for aux-address {ip}")).cli());
        }
    }
    Ok(())
}

/// `a.b.c.d/n` as (network address, prefix length).
pub fn parse_cidr(s: &str) -> Result<(Ipv4Addr, u8)> {
    let bad = || Error::invalid(format!("invalid subnet {s:?}: want an IPv4 a.b.c.d/n"));
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let len: u8 = len.parse().map_err(|_| bad())?;
    if !(8..=30).contains(&len) {
        return Err(bad());
    }
    let mask = u32::MAX << (32 - len);
    Ok((Ipv4Addr::from(u32::from(addr) & mask), len))
}

/// An IPv6 `addr/len` as (network, length).
fn cidr6(s: &str) -> Result<(std::net::Ipv6Addr, u8)> {
    let bad = || Error::invalid(format!("invalid CIDR address: {s}")).cli();
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    let addr: std::net::Ipv6Addr = addr.parse().map_err(|_| bad())?;
    let len: u8 = len.parse().map_err(|_| bad())?;
    if !(8..=126).contains(&len) {
        return Err(bad());
    }
    let mask = u128::MAX << (128 - len as u32);
    Ok((std::net::Ipv6Addr::from(u128::from(addr) & mask), len))
}

fn contains6(net: (std::net::Ipv6Addr, u8), ip: std::net::Ipv6Addr) -> bool {
    let mask = u128::MAX << (128 - net.1 as u32);
    u128::from(ip) & mask == u128::from(net.0)
}

/// The first address of an IPv6 subnet (its gateway by default).
pub fn first_host6(subnet: &str) -> Result<String> {
    let (net, _) = cidr6(subnet)?;
    Ok(std::net::Ipv6Addr::from(u128::from(net) + 1).to_string())
}

/// docker's checks of the IPv6 settings: `--ipv6` needs a subnet (docker
/// 20.10 has no pool to pick one from), a gateway lies in it.
pub fn check6(ipv6: bool, subnet6: Option<&str>, gateway6: Option<&str>) -> Result<()> {
    let Some(subnet) = subnet6 else {
        if gateway6.is_some() {
            return Err(Error::invalid(
                "every ip-range or gateway must have a corresponding subnet",
            )
            .cli());
        }
        if ipv6 {
            return Err(Error::invalid(
                "could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network",
            ));
        }
        return Ok(());
    };
    let net = cidr6(subnet)?;
    if let Some(g) = gateway6
        && !g.parse().is_ok_and(|ip| contains6(net, ip))
    {
        return Err(Error::invalid(format!("no matching subnet for gateway {g}")).cli());
    }
    Ok(())
}

/// Whether `ip` is an address of the IPv6 `subnet`.
pub fn in_subnet6(subnet: &str, ip: &str) -> bool {
    match (cidr6(subnet), ip.parse()) {
        (Ok(net), Ok(ip)) => contains6(net, ip),
        _ => false,
    }
}

/// A CIDR in docker's words when it is not one.
fn cidr(s: &str) -> Result<(Ipv4Addr, u8)> {
    let bad = || Error::invalid(format!("invalid CIDR address: {s}")).cli();
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    let addr: Ipv4Addr = addr.parse().map_err(|_| bad())?;
    let len: u8 = len.parse().map_err(|_| bad())?;
    if len > 32 {
        return Err(bad());
    }
    Ok((Ipv4Addr::from(u32::from(addr) & mask(len)), len))
}

fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - len as u32)
    }
}

fn contains(net: (Ipv4Addr, u8), ip: Ipv4Addr) -> bool {
    u32::from(ip) & mask(net.1) == u32::from(net.0)
}

/// The first and last address of a block.
fn bounds(net: (Ipv4Addr, u8)) -> (u32, u32) {
    let start = u32::from(net.0);
    (start, start | !mask(net.1))
}

/// Address intervals of `within` (the subnet when None) inside the
/// subnet's hosts (not its network and broadcast addresses), minus `aux`.
fn intervals(subnet: &str, within: Option<&str>, aux: &[Ipv4Addr]) -> Result<Vec<(u32, u32)>> {
    let (s_first, s_last) = bounds(parse_cidr(subnet)?);
    let (w_first, w_last) = match within {
        Some(r) => bounds(cidr(r)?),
        None => (s_first, s_last),
    };
    let (mut start, end) = (w_first.max(s_first + 1), w_last.min(s_last - 1));
    let mut skip: Vec<u32> = aux.iter().map(|a| u32::from(*a)).collect();
    skip.sort_unstable();
    let mut out = Vec::new();
    skip.retain(|a| (start..=end).contains(a));
    for a in skip {
        if a > start {
            out.push((start, a - 1));
        }
        start = a + 1;
    }
    if start <= end {
        out.push((start, end));
    }
    Ok(out)
}

fn range_set(subnet: &str, gateway: &str, parts: Vec<(u32, u32)>) -> Value {
    let ranges: Vec<Value> = parts
        .into_iter()
        .map(|(a, b)| {
            json!({"subnet": subnet, "gateway": gateway,
                   "rangeStart": Ipv4Addr::from(a).to_string(),
                   "rangeEnd": Ipv4Addr::from(b).to_string()})
        })
        .collect();
    json!([ranges])
}

fn aux_ips(aux: &BTreeMap<String, String>) -> Vec<Ipv4Addr> {
    aux.values().filter_map(|a| a.parse().ok()).collect()
}

/// host-local's `ranges` for addresses it picks itself.
pub fn dynamic(
    subnet: &str,
    gateway: &str,
    ip_range: Option<&str>,
    aux: &BTreeMap<String, String>,
) -> Result<Value> {
    if ip_range.is_none() && aux.is_empty() {
        return Ok(json!([[{"subnet": subnet, "gateway": gateway}]]));
    }
    let parts = intervals(subnet, ip_range, &aux_ips(aux))?;
    if parts.is_empty() {
        return Err(Error::invalid(format!(
            "no addresses left to hand out in {}",
            ip_range.unwrap_or(subnet)
        )));
    }
    Ok(range_set(subnet, gateway, parts))
}

/// host-local's `ranges` for a container asking for its address: the
/// whole subnet but the auxiliary addresses. None when that is what the
/// network's own ranges say already.
pub fn for_static(
    subnet: &str,
    gateway: &str,
    ip_range: Option<&str>,
    aux: &BTreeMap<String, String>,
) -> Option<Value> {
    ip_range?;
    let parts = intervals(subnet, None, &aux_ips(aux)).ok()?;
    Some(range_set(subnet, gateway, parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aux(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn dockers_cli_checks() {
        let none = BTreeMap::new();
        let msg = |r: Result<()>| r.unwrap_err().message().to_string();
        assert_eq!(
            msg(check(None, None, Some("10.78.1.0/24"), &none)),
            "every ip-range or gateway must have a corresponding subnet"
        );
        assert_eq!(
            msg(check(None, Some("10.0.0.1"), None, &none)),
            "every ip-range or gateway must have a corresponding subnet"
        );
        let s = Some("10.77.0.0/16");
        assert_eq!(
            msg(check(s, None, Some("10.99.0.0/24"), &none)),
            "no matching subnet for range 10.99.0.0/24"
        );
        assert_eq!(
            msg(check(s, None, None, &aux(&[("h", "10.99.0.1")]))),
            "no matching subnet for aux-address 10.99.0.1"
        );
        assert_eq!(
            msg(check(s, None, None, &aux(&[("bad", "")]))),
            "no matching subnet for aux-address "
        );
        assert_eq!(
            msg(check(s, Some("10.99.0.1"), None, &none)),
            "no matching subnet for gateway 10.99.0.1"
        );
        assert_eq!(
            msg(check(s, None, Some("bogus"), &none)),
            "invalid CIDR address: bogus"
        );
        check(
            s,
            Some("10.77.0.254"),
            Some("10.77.5.0/24"),
            &aux(&[("a", "10.77.5.1")]),
        )
        .unwrap();
    }

    #[test]
    fn the_range_minus_auxiliary_addresses() {
        let a = aux(&[("host1", "10.77.5.1"), ("host2", "10.77.5.2")]);
        let r = dynamic("10.77.0.0/16", "10.77.0.254", Some("10.77.5.0/24"), &a).unwrap();
        let pieces: Vec<(String, String)> = r[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["rangeStart"].to_string(), p["rangeEnd"].to_string()))
            .collect();
        // docker hands out the range's first address too (10.77.5.0).
        assert_eq!(
            pieces,
            [
                ("\"10.77.5.0\"".into(), "\"10.77.5.0\"".into()),
                ("\"10.77.5.3\"".into(), "\"10.77.5.255\"".into())
            ]
        );
        // A range at the subnet's edge leaves out its network and broadcast.
        let r = dynamic(
            "10.77.0.0/24",
            "10.77.0.1",
            Some("10.77.0.0/24"),
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!(r[0][0]["rangeStart"], "10.77.0.1");
        assert_eq!(r[0][0]["rangeEnd"], "10.77.0.254");
        // Nothing special: host-local's plain range.
        assert_eq!(
            dynamic("10.9.0.0/24", "10.9.0.1", None, &BTreeMap::new()).unwrap(),
            json!([[{"subnet": "10.9.0.0/24", "gateway": "10.9.0.1"}]])
        );
        // A static address may be anywhere in the subnet but the aux ones.
        let st = for_static("10.77.0.0/16", "10.77.0.254", Some("10.77.5.0/24"), &a).unwrap();
        assert_eq!(st[0][0]["rangeStart"], "10.77.0.1");
        assert_eq!(st[0][0]["rangeEnd"], "10.77.5.0");
        assert_eq!(st[0][1]["rangeStart"], "10.77.5.3");
        assert_eq!(st[0][1]["rangeEnd"], "10.77.255.254");
        assert!(for_static("10.9.0.0/24", "10.9.0.1", None, &a).is_none());
    }
}
