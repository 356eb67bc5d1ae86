//! The `network` verbs' library side: rows for `ls`, docker's inspect
//! document, removal refused while containers use a network, prune. Which
//! containers use a network is read from their network state files under
//! the data root (every namespace).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::attach;
use super::filter::{Candidate, ListFilters};
use super::store::{CreateOptions, Meta, Network};
use super::{DEFAULT_NETWORK, store};
use crate::error::{Error, Result};

/// One line of `network ls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRow {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub created: String,
    pub labels: BTreeMap<String, String>,
    pub internal: bool,
    pub ipv6: bool,
}

/// docker's predefined networks beside berth's CNI ones (a stable id each).
const PREDEFINED: &[(&str, &str)] = &[("host", "host"), ("none", "null")];

fn predefined_id(name: &str) -> String {
    crate::util::digest_hex(&crate::util::sha256_digest(
        format!("berth-network-{name}").as_bytes(),
    ))
    .to_string()
}

/// Every network `namespace` sees that `filters` keep, the default one
/// included (made if it was not yet).
pub fn list(data_root: &Path, namespace: &str, filters: &ListFilters) -> Result<Vec<NetworkRow>> {
    let store = store();
    store.default_network()?;
    let kept = |n: &Network| {
        let in_use = filters.needs_users() && !members(data_root, n).is_empty();
        filters.keep(
            &candidate(&n.meta.id, &n.name, &n.meta.driver, &n.meta.labels),
            in_use,
        )
    };
    let mut rows: Vec<NetworkRow> = store
        .list()?
        .into_iter()
        .filter(|n| n.seen_from(namespace) && kept(n))
        .map(|n| NetworkRow {
            id: n.meta.id.clone(),
            name: n.name.clone(),
            driver: n.meta.driver.clone(),
            created: n.meta.created.clone(),
            labels: n.meta.labels.clone(),
            internal: n.meta.internal,
            ipv6: n.meta.enable_ipv6,
        })
        .collect();
    let no_labels = BTreeMap::new();
    rows.extend(
        PREDEFINED
            .iter()
            .map(|(name, driver)| (predefined_id(name), *name, *driver))
            .filter(|(id, name, driver)| {
                filters.keep(&candidate(id, name, driver, &no_labels), false)
            })
            .map(|(id, name, driver)| NetworkRow {
                id,
                name: name.to_string(),
                driver: driver.to_string(),
                created: String::new(),
                labels: BTreeMap::new(),
                internal: false,
                ipv6: false,
            }),
    );
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

fn candidate<'a>(
    id: &'a str,
    name: &'a str,
    driver: &'a str,
    labels: &'a BTreeMap<String, String>,
) -> Candidate<'a> {
    Candidate {
        id,
        name,
        driver,
        labels,
    }
}

/// A new network; `--config-from` takes its addresses and driver options
/// from a config-only network of the same namespace (docker's rules:
/// nothing of those given again, no chain of config networks).
pub fn create(opts: &CreateOptions) -> Result<Network> {
    let mut opts = opts.clone();
    // docker's CLI checks the addresses before its daemon sees anything.
    opts.check_addresses()?;
    if opts.config_only && (opts.internal || opts.attachable) {
        return Err(Error::conflict(
            "configuration network can only contain network specific fields. Network operator fields like [ ingress | internal | attachable | scope ] are not supported.",
        ));
    }
    if let Some(from) = opts.config_from.take() {
        let config = from_config(&opts, &from)?;
        let m = config.meta;
        let set = |s: String| (!s.is_empty()).then_some(s);
        opts.config_from = Some(config.name);
        opts.subnet = set(m.subnet);
        opts.gateway = set(m.gateway);
        opts.ip_range = m.ip_range;
        opts.aux_addresses = m.aux_addresses;
        opts.ipam_options = m.ipam_options;
        opts.ipv6 = m.enable_ipv6;
        opts.subnet6 = m.subnet6;
        opts.gateway6 = m.gateway6;
        opts.labels = m.labels;
        opts.parent = m.options.get("parent").cloned();
        opts.options = m.options;
    }
    store().create(&opts)
}

/// The config-only network `from` of `opts`' namespace, when nothing it
/// holds was given again (docker's daemon's refusals).
fn from_config(opts: &CreateOptions, from: &str) -> Result<Network> {
    if opts.config_only {
        return Err(Error::conflict(
            "a configuration network cannot depend on another configuration network",
        ));
    }
    let given = opts.subnet.is_some()
        || opts.subnet6.is_some()
        || !opts.ipam_options.is_empty()
        || opts.ipv6
        || !opts.labels.is_empty();
    if given {
        return Err(Error::conflict(
            "user specified configurations are not supported if the network depends on a configuration network",
        ));
    }
    if !opts.options.is_empty() {
        return Err(Error::conflict(
            "network driver options are not supported if the network depends on a configuration network",
        ));
    }
    store()
        .get_in(&opts.namespace, from)
        .ok()
        .filter(|n| n.meta.config_only)
        .ok_or_else(|| Error::not_found(format!("configuration network {from:?} does not exist")))
}

/// A container on a network: (namespace, id, its state).
type Member = (String, String, attach::State);

/// The containers (in every namespace of the data root) on `network`.
pub fn members(data_root: &Path, network: &Network) -> Vec<Member> {
    let mut out = Vec::new();
    for ns in std::fs::read_dir(data_root).into_iter().flatten().flatten() {
        let namespace = ns.file_name().to_string_lossy().into_owned();
        for c in std::fs::read_dir(ns.path().join("containers"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(Some(state)) = attach::load(&c.path())
                && state.networks.iter().any(|a| a.id == network.meta.id)
            {
                out.push((
                    namespace.clone(),
                    c.file_name().to_string_lossy().into_owned(),
                    state,
                ));
            }
        }
    }
    out
}

/// Removes a user network of `namespace` no container uses; returns its
/// name and id.
pub fn remove(data_root: &Path, namespace: &str, key: &str) -> Result<(String, String)> {
    if PREDEFINED.iter().any(|(n, _)| *n == key) || key == DEFAULT_NETWORK {
        return Err(Error::conflict(format!(
            "{key} is a pre-defined network and cannot be removed"
        )));
    }
    let store = store();
    let network = store.get_in(namespace, key)?;
    if network.name == DEFAULT_NETWORK {
        return Err(Error::conflict(format!(
            "{DEFAULT_NETWORK} is a pre-defined network and cannot be removed"
        )));
    }
    if !members(data_root, &network).is_empty() {
        return Err(Error::conflict(format!(
            "error while removing network: network {} id {} has active endpoints",
            network.name, network.meta.id
        )));
    }
    if network.meta.config_only && !followers(&network)?.is_empty() {
        return Err(Error::conflict(format!(
            "error while removing network: configuration network {:?} is in use",
            network.name
        )));
    }
    store.remove(&network)?;
    delete_bridge(&network);
    Ok((network.name, network.meta.id))
}

/// The networks made `--config-from` the config-only `network`.
fn followers(network: &Network) -> Result<Vec<Network>> {
    let all = store().list()?;
    Ok(all
        .into_iter()
        .filter(|n| n.meta.namespace == network.meta.namespace)
        .filter(|n| n.meta.config_from.as_deref() == Some(network.name.as_str()))
        .collect())
}

/// A removed bridge network's device goes too, as docker's does (with the
/// `ip` tool when there is one; the device is harmless otherwise).
fn delete_bridge(network: &Network) {
    let Some(bridge) = network.conflist["plugins"][0]["bridge"].as_str() else {
        return;
    };
    let deleted = std::process::Command::new("ip")
        .args(["link", "delete", bridge])
        .stderr(std::process::Stdio::null())
        .status();
    if !deleted.is_ok_and(|s| s.success()) {
        tracing::debug!("bridge {bridge} of network {} stays", network.name);
    }
}

/// Removes every network `namespace` made that no container uses and the
/// prune filters (`until=`, `label=`, `label!=`) pick; returns their names.
/// Another namespace's networks (CI jobs side by side) and networks older
/// than namespaces stay.
pub fn prune(
    data_root: &Path,
    namespace: &str,
    filters: &crate::util::PruneFilter,
) -> Result<Vec<String>> {
    let mut removed = Vec::new();
    for n in store().list()? {
        let created = chrono::DateTime::parse_from_rfc3339(&n.meta.created)
            .ok()
            .map(std::time::SystemTime::from);
        // docker's prune keeps config-only networks, used or not.
        if n.meta.namespace == namespace
            && !n.meta.config_only
            && filters.matches(created, &n.meta.labels)
            && members(data_root, &n).is_empty()
        {
            store().remove(&n)?;
            delete_bridge(&n);
            removed.push(n.name);
        }
    }
    Ok(removed)
}

/// docker's `network inspect` document for one network `namespace` sees.
pub fn inspect(data_root: &Path, namespace: &str, key: &str) -> Result<Value> {
    if let Some((name, driver)) = PREDEFINED.iter().find(|(n, _)| *n == key) {
        let meta = Meta {
            id: predefined_id(name),
            driver: driver.to_string(),
            ..Default::default()
        };
        return Ok(document(name, &meta, false, json!({})));
    }
    let network = if key == DEFAULT_NETWORK {
        store().default_network()?
    } else {
        store().get_in(namespace, key)?
    };
    let mut containers = serde_json::Map::new();
    for (_, id, state) in members(data_root, &network) {
        if let Some(a) = state.networks.iter().find(|a| a.id == network.meta.id) {
            containers.insert(
                id,
                json!({
                    "Name": state.names.first().cloned().unwrap_or_default(),
                    "EndpointID": "",
                    "MacAddress": a.mac.clone().unwrap_or_default(),
                    "IPv4Address": match (&a.ip, a.prefix_len) {
                        (Some(ip), Some(len)) => format!("{ip}/{len}"),
                        _ => String::new(),
                    },
                    "IPv6Address": match (&a.ip6, a.prefix_len6) {
                        (Some(ip), Some(len)) => format!("{ip}/{len}"),
                        _ => String::new(),
                    },
                }),
            );
        }
    }
    Ok(document(
        &network.name,
        &network.meta,
        true,
        Value::Object(containers),
    ))
}

/// docker's document; `ipam`: the network has an address pool to show.
fn document(name: &str, m: &Meta, ipam: bool, containers: Value) -> Value {
    let mut pool = serde_json::Map::new();
    pool.insert("Subnet".into(), json!(m.subnet));
    if let Some(r) = &m.ip_range {
        pool.insert("IPRange".into(), json!(r));
    }
    pool.insert("Gateway".into(), json!(m.gateway));
    if !m.aux_addresses.is_empty() {
        pool.insert("AuxiliaryAddresses".into(), json!(m.aux_addresses));
    }
    // A config-only network made without a subnet has none to show.
    let shown = ipam && !m.subnet.is_empty();
    let mut config: Vec<Value> = shown.then_some(Value::Object(pool)).into_iter().collect();
    if let (true, Some(s6)) = (ipam, &m.subnet6) {
        let mut v6 = serde_json::Map::new();
        v6.insert("Subnet".into(), json!(s6));
        if let Some(g) = &m.gateway6 {
            v6.insert("Gateway".into(), json!(g));
        }
        config.push(Value::Object(v6));
    }
    json!({
        "Name": name, "Id": m.id, "Created": m.created, "Scope": "local", "Driver": m.driver,
        "EnableIPv4": true, "EnableIPv6": m.enable_ipv6,
        "IPAM": {"Driver": "default", "Options": m.ipam_options, "Config": config},
        "Internal": m.internal, "Attachable": m.attachable, "Ingress": false,
        "ConfigFrom": {"Network": m.config_from.clone().unwrap_or_default()},
        "ConfigOnly": m.config_only,
        "Containers": containers, "Options": m.options, "Labels": m.labels,
    })
}
