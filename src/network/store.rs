//! Networks as CNI configuration lists in berth's own directory (default
//! /etc/berth/cni/net.d), one `berth-<name>.conflist` each: the plugins
//! (bridge + host-local IPAM + portmap + firewall, or macvlan / ipvlan) and, under `berth`, what docker shows of a network (id, driver,
//! subnet, gateway, labels, creation time). libcni and other CNI users read
//! the same files. The default `bridge` network is written on first use.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::ipam::parse_cidr;
use crate::error::{Error, Result};

pub const DEFAULT_NETCONF_DIR: &str = "/etc/berth/cni/net.d";
pub const DEFAULT_NETWORK: &str = "bridge";
/// The default network's bridge device (docker's is docker0).
const DEFAULT_BRIDGE: &str = "berth0";
const CNI_VERSION: &str = "1.0.0";

/// What berth keeps about a network beside its plugins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub driver: String,
    pub subnet: String,
    pub gateway: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub created: String,
    /// The containerd namespace that made it: only that namespace lists,
    /// inspects, uses, removes and prunes it. Empty for the default
    /// bridge, which every namespace shares, and for networks made before
    /// berth kept this (every namespace sees those).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `--ip-range`: where host-local picks addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_range: Option<String>,
    /// `--aux-address NAME=IP`: never handed out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aux_addresses: BTreeMap<String, String>,
    /// `--internal`: no route out, no masquerading.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attachable: bool,
    /// `--ipam-opt`, kept for `inspect` (docker's default IPAM reads none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ipam_options: BTreeMap<String, String>,
    /// `--ipv6`: containers get an address from `subnet6` too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enable_ipv6: bool,
    /// The IPv6 subnet (given, as docker 20.10 wants it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet6: Option<String>,
    /// The IPv6 gateway the user gave (else the subnet's first address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway6: Option<String>,
    /// The driver options (`-o KEY=VALUE`), as `inspect` shows them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// `--config-only`: settings for other networks; no container joins it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub config_only: bool,
    /// `--config-from NAME`: the config-only network it was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_from: Option<String>,
}

impl Meta {
    /// The IPv6 gateway containers route through.
    pub fn gateway6_or_default(&self) -> Option<String> {
        self.gateway6.clone().or_else(|| {
            self.subnet6
                .as_deref()
                .and_then(|s| super::ipam::first_host6(s).ok())
        })
    }
}

#[derive(Debug, Clone)]
pub struct Network {
    pub name: String,
    pub meta: Meta,
    /// The whole configuration list, as CNI plugins get it.
    pub conflist: Value,
}

impl Network {
    /// `namespace` may see and use it: its own, the default bridge, or one
    /// made before networks had a namespace.
    pub fn seen_from(&self, namespace: &str) -> bool {
        self.meta.namespace.is_empty() || self.meta.namespace == namespace
    }
}

/// `network create`'s options.
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub name: String,
    pub driver: String,
    pub subnet: Option<String>,
    pub gateway: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// `-o parent=IFACE` for macvlan and ipvlan.
    pub parent: Option<String>,
    /// The containerd namespace it belongs to.
    pub namespace: String,
    pub ip_range: Option<String>,
    pub aux_addresses: BTreeMap<String, String>,
    pub internal: bool,
    pub attachable: bool,
    pub ipam_options: BTreeMap<String, String>,
    pub ipv6: bool,
    pub subnet6: Option<String>,
    pub gateway6: Option<String>,
    /// Every `-o KEY=VALUE` (parent is one).
    pub options: BTreeMap<String, String>,
    pub config_only: bool,
    pub config_from: Option<String>,
}

impl CreateOptions {
    /// docker's CLI's checks of the IPv4 addresses (a range or gateway
    /// without a subnet, outside it), before its daemon sees anything.
    pub fn check_addresses(&self) -> Result<()> {
        super::ipam::check(
            self.subnet.as_deref(),
            self.gateway.as_deref(),
            self.ip_range.as_deref(),
            &self.aux_addresses,
        )
    }
}

pub struct Store {
    dir: PathBuf,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("berth-{name}.conflist"))
    }

    /// Every berth network, by name.
    pub fn list(&self) -> Result<Vec<Network>> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(format!("reading {}", self.dir.display()), e)),
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.starts_with("berth-") && name.ends_with(".conflist")) {
                continue;
            }
            let path = entry.path();
            match std::fs::read(&path) {
                Ok(data) => out.push(parse(&path, &data)?),
                // Removed since the directory was read (another
                // namespace's `network rm` or prune): not a network now.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// A network by name, full id or unique id prefix.
    pub fn get(&self, key: &str) -> Result<Network> {
        self.find(self.list()?, key)
    }

    /// A network `namespace` sees, by name, full id or unique id prefix.
    pub fn get_in(&self, namespace: &str, key: &str) -> Result<Network> {
        let seen = self
            .list()?
            .into_iter()
            .filter(|n| n.seen_from(namespace))
            .collect();
        self.find(seen, key)
    }

    fn find(&self, all: Vec<Network>, key: &str) -> Result<Network> {
        if let Some(n) = all.iter().find(|n| n.name == key || n.meta.id == key) {
            return Ok(n.clone());
        }
        let by_prefix: Vec<&Network> = all.iter().filter(|n| n.meta.id.starts_with(key)).collect();
        match by_prefix.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::not_found(format!("network {key} not found"))),
            _ => Err(Error::invalid(format!("network {key} is ambiguous"))),
        }
    }

    /// The default `bridge` network, written the first time it is needed.
    pub fn default_network(&self) -> Result<Network> {
        match self.get(DEFAULT_NETWORK) {
            Err(e) if e.kind() == crate::error::ErrorKind::NotFound => {}
            other => return other,
        }
        let opts = CreateOptions {
            name: DEFAULT_NETWORK.into(),
            driver: "bridge".into(),
            ..Default::default()
        };
        match self.create(&opts) {
            // Another berth made it at the same moment.
            Err(e) if e.kind() == crate::error::ErrorKind::Conflict => self.get(DEFAULT_NETWORK),
            other => other,
        }
    }

    pub fn create(&self, opts: &CreateOptions) -> Result<Network> {
        validate_name(&opts.name)?;
        opts.check_addresses()?;
        super::ipam::check6(opts.ipv6, opts.subnet6.as_deref(), opts.gateway6.as_deref())?;
        if matches!(opts.name.as_str(), "host" | "none") {
            return Err(Error::invalid(format!(
                "operation is not permitted on predefined {} network ",
                opts.name
            )));
        }
        let existing = self.list()?;
        if existing.iter().any(|n| n.name == opts.name) {
            return Err(Error::conflict(format!(
                "network with name {} already exists",
                opts.name
            )));
        }
        // A config-only network holds no addresses: its subnet is its
        // followers' to use.
        let taken: Vec<String> = existing
            .iter()
            .filter(|n| !n.meta.config_only)
            .map(|n| n.meta.subnet.clone())
            .collect();
        let subnet = match &opts.subnet {
            Some(s) => parse_cidr(s).map(|_| s.clone())?,
            None if opts.config_only => String::new(),
            None => {
                let own = if opts.name == DEFAULT_NETWORK {
                    DEFAULT_BRIDGE
                } else {
                    ""
                };
                free_subnet(&opts.name, &taken, &host_routes(own))?
            }
        };
        let gateway = match &opts.gateway {
            Some(g) => g
                .parse::<Ipv4Addr>()
                .map(|_| g.clone())
                .map_err(|_| Error::invalid(format!("invalid gateway address {g:?}")))?,
            None if subnet.is_empty() => String::new(),
            None => first_host(&subnet)?,
        };
        let meta = Meta {
            id: crate::util::random_hex_id(),
            driver: opts.driver.clone(),
            subnet,
            gateway,
            labels: opts.labels.clone(),
            created: crate::util::rfc3339_nanos(std::time::SystemTime::now()),
            namespace: match opts.name.as_str() {
                DEFAULT_NETWORK => String::new(),
                _ => opts.namespace.clone(),
            },
            ip_range: opts.ip_range.clone(),
            aux_addresses: opts.aux_addresses.clone(),
            internal: opts.internal,
            attachable: opts.attachable,
            ipam_options: opts.ipam_options.clone(),
            enable_ipv6: opts.ipv6,
            subnet6: opts.subnet6.clone(),
            gateway6: opts.gateway6.clone(),
            options: opts.options.clone(),
            config_only: opts.config_only,
            config_from: opts.config_from.clone(),
        };
        // A config-only network has no plugins: nothing connects to it.
        let plugins = match opts.config_only {
            true => Vec::new(),
            false => plugins_for(opts, &meta)?,
        };
        let conflist = json!({
            "cniVersion": CNI_VERSION,
            "name": opts.name,
            "berth": meta,
            "plugins": plugins,
        });
        write_new(
            &self.dir,
            &self.file(&opts.name),
            &serde_json::to_vec_pretty(&conflist)?,
        )?;
        Ok(Network {
            name: opts.name.clone(),
            meta,
            conflist,
        })
    }

    pub fn remove(&self, network: &Network) -> Result<()> {
        std::fs::remove_file(self.file(&network.name))
            .map_err(|e| Error::io(format!("removing network {}", network.name), e))
    }
}

fn parse(path: &Path, data: &[u8]) -> Result<Network> {
    let conflist: Value = serde_json::from_slice(data)
        .map_err(|e| Error::invalid(format!("{}: {e}", path.display())))?;
    let meta: Meta = serde_json::from_value(conflist["berth"].clone())
        .map_err(|e| Error::invalid(format!("{}: berth: {e}", path.display())))?;
    let name = conflist["name"].as_str().unwrap_or_default().to_string();
    Ok(Network {
        name,
        meta,
        conflist,
    })
}

/// Creates `path` only if it does not exist (atomically: written aside,
/// then linked into place, which fails when another berth was first).
fn write_new(dir: &Path, path: &Path, data: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let tmp = dir.join(format!(".tmp-{}", crate::util::random_hex_id()));
    std::fs::write(&tmp, data).map_err(|e| Error::io(format!("writing {}", tmp.display()), e))?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::conflict(format!(
            "network {} already exists",
            path.display()
        ))),
        Err(e) => Err(Error::io(format!("writing {}", path.display()), e)),
    }
}

/// docker's network name rule.
fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "invalid network name {name:?}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
        )))
    }
}

fn plugins_for(opts: &CreateOptions, meta: &Meta) -> Result<Vec<Value>> {
    let ranges = super::ipam::dynamic(
        &meta.subnet,
        &meta.gateway,
        meta.ip_range.as_deref(),
        &meta.aux_addresses,
    )?;
    let mut ranges = ranges;
    let mut routes = vec![json!({"dst": "0.0.0.0/0"})];
    if let (true, Some(s6), Some(g6)) =
        (meta.enable_ipv6, &meta.subnet6, meta.gateway6_or_default())
    {
        if let Some(sets) = ranges.as_array_mut() {
            sets.push(json!([{"subnet": s6, "gateway": g6}]));
        }
        routes.push(json!({"dst": "::/0"}));
    }
    // An internal network has no way out: no default route.
    if meta.internal {
        routes.clear();
    }
    let ipam = json!({"type": "host-local", "ranges": ranges, "routes": routes});
    match opts.driver.as_str() {
        "bridge" => {
            let bridge = if opts.name == DEFAULT_NETWORK {
                DEFAULT_BRIDGE.to_string()
            } else {
                format!("br-{}", &meta.id[..12])
            };
            Ok(vec![
                json!({"type": "bridge", "bridge": bridge, "isGateway": true,
                       "ipMasq": !meta.internal, "hairpinMode": true, "ipam": ipam}),
                json!({"type": "portmap", "capabilities": {"portMappings": true}}),
                json!({"type": "firewall"}),
            ])
        }
        "macvlan" | "ipvlan" => {
            let parent = opts.parent.clone().ok_or_else(|| {
                Error::invalid(format!(
                    "the {} driver needs -o parent=INTERFACE",
                    opts.driver
                ))
            })?;
            let mut plugin = json!({"type": opts.driver, "master": parent, "ipam": ipam});
            if opts.driver == "macvlan" {
                plugin["mode"] = json!("bridge");
            }
            Ok(vec![plugin])
        }
        other => Err(Error::unsupported(format!(
            "network driver {other:?} is not supported (bridge, macvlan, ipvlan)"
        ))),
    }
}

fn first_host(subnet: &str) -> Result<String> {
    let (net, _) = parse_cidr(subnet)?;
    Ok(Ipv4Addr::from(u32::from(net) + 1).to_string())
}

fn overlaps(a: (Ipv4Addr, u8), b: (Ipv4Addr, u8)) -> bool {
    let len = a.1.min(b.1);
    let mask = u32::MAX << (32 - len as u32);
    u32::from(a.0) & mask == u32::from(b.0) & mask
}

/// The IPv4 routes of the host (destination, prefix), the default route
/// and those through `own` (the bridge the network will have, which may
/// remain from an earlier configuration) aside.
fn host_routes(own: &str) -> Vec<(Ipv4Addr, u8)> {
    let text = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.first() == Some(&own) {
                return None;
            }
            let dest = u32::from_str_radix(f.get(1)?, 16).ok()?;
            let mask = u32::from_str_radix(f.get(7)?, 16).ok()?;
            // /proc prints the address's bytes read as a native integer.
            (mask != 0).then(|| (Ipv4Addr::from(dest.to_ne_bytes()), mask.count_ones() as u8))
        })
        .collect()
}

/// docker's choice: 172.17.0.0/16 for the default network, then the first
/// of 172.18–31.0.0/16 and 192.168.N.0/20 that overlaps no other network
/// and no route of the host.
fn free_subnet(name: &str, taken: &[String], routes: &[(Ipv4Addr, u8)]) -> Result<String> {
    let mut candidates: Vec<String> = Vec::new();
    if name == DEFAULT_NETWORK {
        candidates.push("172.17.0.0/16".into());
    }
    candidates.extend((18..=31).map(|b| format!("172.{b}.0.0/16")));
    candidates.extend((0..=240).step_by(16).map(|c| format!("192.168.{c}.0/20")));
    let used: Vec<(Ipv4Addr, u8)> = taken
        .iter()
        .filter_map(|t| parse_cidr(t).ok())
        .chain(routes.iter().copied())
        .collect();
    candidates
        .into_iter()
        .find(|c| parse_cidr(c).is_ok_and(|c| !used.iter().any(|u| overlaps(c, *u))))
        .ok_or_else(|| Error::conflict("no free subnet left for a new network; use --subnet"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_avoid_networks_and_routes() {
        let routes = [
            (Ipv4Addr::new(172, 17, 0, 0), 16),
            (Ipv4Addr::new(10, 0, 0, 0), 8),
        ];
        assert_eq!(
            free_subnet("bridge", &[], &routes).unwrap(),
            "172.18.0.0/16"
        );
        assert_eq!(free_subnet("bridge", &[], &[]).unwrap(), "172.17.0.0/16");
        assert_eq!(
            free_subnet("app", &["172.18.0.0/16".into()], &routes).unwrap(),
            "172.19.0.0/16"
        );
        let all: Vec<String> = (18..=31).map(|b| format!("172.{b}.0.0/16")).collect();
        assert_eq!(free_subnet("app", &all, &[]).unwrap(), "192.168.0.0/20");
    }

    #[test]
    fn a_network_removed_while_listing_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        // Listed by the directory read, gone when opened.
        std::os::unix::fs::symlink(
            dir.path().join("nowhere"),
            dir.path().join("berth-gone.conflist"),
        )
        .unwrap();
        assert!(Store::new(dir.path()).list().unwrap().is_empty());
    }

    #[test]
    fn cidrs_and_names() {
        assert_eq!(
            parse_cidr("10.1.2.3/24").unwrap(),
            (Ipv4Addr::new(10, 1, 2, 0), 24)
        );
        assert!(parse_cidr("10.1.2.3").is_err() && parse_cidr("10.1.2.0/33").is_err());
        assert_eq!(first_host("10.9.0.0/16").unwrap(), "10.9.0.1");
        assert!(validate_name("app_net-1.x").is_ok());
        assert!(validate_name("-x").is_err() && validate_name("a/b").is_err());
    }

    #[test]
    fn create_list_get_remove() {
        let d = tempfile::tempdir().unwrap();
        let store = Store::new(d.path());
        let def = store.default_network().unwrap();
        assert_eq!(def.conflist["plugins"][0]["bridge"], "berth0");
        assert_eq!(
            store.default_network().unwrap().meta.id,
            def.meta.id,
            "made once"
        );
        let app = store
            .create(&CreateOptions {
                name: "app".into(),
                driver: "bridge".into(),
                subnet: Some("10.99.0.0/24".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(app.meta.gateway, "10.99.0.1");
        assert_eq!(
            app.conflist["plugins"][0]["bridge"],
            format!("br-{}", &app.meta.id[..12])
        );
        let again = CreateOptions {
            name: "app".into(),
            driver: "bridge".into(),
            ..Default::default()
        };
        assert_eq!(
            store.create(&again).unwrap_err().kind(),
            crate::error::ErrorKind::Conflict
        );
        let names: Vec<String> = store.list().unwrap().into_iter().map(|n| n.name).collect();
        assert_eq!(names, ["app", "bridge"]);
        assert_eq!(store.get(&app.meta.id[..6]).unwrap().name, "app");
        store.remove(&app).unwrap();
        assert!(store.get("app").is_err());
    }
}
