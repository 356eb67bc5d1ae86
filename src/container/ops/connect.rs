//! `network connect` and `network disconnect`: one more network for a
//! container that has its network namespace (it has been started), or one
//! less; the other containers of that network see it come and go in their
//! /etc/hosts, under its names and its aliases there. Refusals are the
//! daemon's in docker, so they read "Error response from daemon: ...".

use std::path::Path;

use super::net::sync_peers_of;
use crate::client::Client;
use crate::container::model::{EndpointSettings, NetworkMode};
use crate::container::store;
use crate::container::store::record::ContainerRecord;
use crate::error::{Error, Result};
use crate::network::{self, attach};
use crate::state::DataRoot;

/// docker's refusal for containers whose network is not theirs to change.
fn fixed_network(rec: &ContainerRecord, network: &str) -> Result<()> {
    let mode = rec
        .stored
        .as_ref()
        .map(|s| &s.host_config.network_mode)
        .ok_or_else(|| {
            Error::unsupported(format!(
                "{} was not made by berth: its networks are not berth's to change",
                rec.id
            ))
        })?;
    match mode {
        NetworkMode::Host => Err(Error::conflict(
            "container cannot be disconnected from host network or connected to host network",
        )),
        NetworkMode::Container(_) => Err(Error::conflict(
            "container sharing network namespace with another container or host cannot be connected to any other network",
        )),
        NetworkMode::None => Err(Error::conflict(
            "container cannot be connected to multiple networks with one of the networks in private (none) mode",
        )),
        NetworkMode::Network(_) if matches!(network, "host" | "none") => Err(Error::conflict(
            "container cannot be disconnected from host network or connected to host network",
        )),
        NetworkMode::Network(_) => Ok(()),
    }
}

/// Connects `rec` to `network` (a name or id in this namespace), answering
/// to `aliases` there.
pub async fn connect(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    network: &str,
    (aliases, ip, ip6): (&[String], Option<&str>, Option<&str>),
) -> Result<()> {
    fixed_network(rec, network)?;
    let net = match network {
        network::DEFAULT_NETWORK => network::store().default_network()?,
        key => network::store().get_in(client.namespace(), key)?,
    };
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    let exists = || {
        Error::conflict(format!(
            "endpoint with name {} already exists in network {}",
            rec.name, net.name
        ))
    };
    let mut endpoint = EndpointSettings::default();
    if !aliases.is_empty() {
        endpoint.aliases = Some(aliases.to_vec());
    }
    let mut ipam = serde_json::Map::new();
    if let Some(ip) = ip {
        ipam.insert("IPv4Address".into(), ip.into());
    }
    if let Some(ip6) = ip6 {
        ipam.insert("IPv6Address".into(), ip6.into());
    }
    if !ipam.is_empty() {
        endpoint.ipam_config = Some(serde_json::Value::Object(ipam));
    }
    let Some(state) = attach::load(&dir)? else {
        // Never started: kept in its networking config, as docker keeps
        // it, for the first start to connect.
        let mut stored = rec.stored.clone().expect("checked by fixed_network");
        let mode = stored.host_config.network_mode.to_string();
        let endpoints = &mut stored.networking_config.endpoints_config;
        if mode == net.name || endpoints.contains_key(&net.name) {
            return Err(exists());
        }
        endpoints.insert(net.name.clone(), endpoint);
        return store::save(client, &rec.id, &stored, None).await;
    };
    if !network::netns::exists(&state.netns) {
        return Err(Error::unsupported(format!(
            "connecting {} while its network is down (the machine restarted) is not supported yet",
            rec.name
        ))
        .hinted("start it first: its networks come back with it"));
    }
    if state.networks.iter().any(|a| a.name == net.name) {
        return Err(exists());
    }
    let wanted = attach::Wanted {
        ip: ip.map(str::to_string),
        ip6: ip6.map(str::to_string),
        mac: None,
        aliases: aliases.to_vec(),
    };
    attach::connect(&dir, &rec.id, &net, &wanted).await?;
    sync_peers(&dir, &net.name, None)
}

/// Takes `rec` off `network`; with `force`, one it is not on is fine.
pub async fn disconnect(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    network: &str,
    force: bool,
) -> Result<()> {
    fixed_network(rec, network)?;
    let name = match network {
        network::DEFAULT_NETWORK => network.to_string(),
        key => network::store().get_in(client.namespace(), key)?.name,
    };
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    if attach::load(&dir)?.is_none() {
        return forget_pending(client, rec, &name, force).await;
    }
    if !attach::disconnect(&dir, &rec.id, &name).await? {
        if force {
            return Ok(());
        }
        return Err(Error::conflict(format!(
            "container {} is not connected to network {name}",
            rec.id
        )));
    }
    sync_peers(&dir, &name, Some(&dir))
}

/// A never-started container's network taken out of its networking
/// config again (its own network too, as docker allows).
async fn forget_pending(
    client: &Client,
    rec: &ContainerRecord,
    name: &str,
    force: bool,
) -> Result<()> {
    let mut stored = rec.stored.clone().expect("checked by fixed_network");
    let mode = stored.host_config.network_mode.to_string();
    let removed = stored
        .networking_config
        .endpoints_config
        .remove(name)
        .is_some();
    if !removed && mode != name {
        if force {
            return Ok(());
        }
        return Err(Error::conflict(format!(
            "container {} is not connected to network {name}",
            rec.id
        )));
    }
    if mode == name {
        return Err(Error::unsupported(format!(
            "disconnecting {} from its own network before its first start is not supported yet",
            rec.name
        )));
    }
    store::save(client, &rec.id, &stored, None).await
}

/// The peers of `network` (and of the container in `also`) told.
fn sync_peers(dir: &Path, network: &str, also: Option<&Path>) -> Result<()> {
    match dir.parent().and_then(Path::parent) {
        Some(ns_dir) => sync_peers_of(ns_dir, network, also),
        None => Ok(()),
    }
}
