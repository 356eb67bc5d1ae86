//! `network connect` and `network disconnect`: one more network for a
//! container that has its network namespace (it has been started), or one
//! less; the other containers of that network see it come and go in their
//! /etc/hosts, under its names and its aliases there. Refusals are the
//! daemon's in docker, so they read "Error response from daemon: ...".

use std::path::Path;

use super::net::sync_peers_of;
use crate::client::Client;
use crate::container::config::endpoint::{parse_link, validate_endpoint, wanted_of};
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

/// Connects `rec` to `network` (a name or id in this namespace) with
/// `endpoint`'s settings there (aliases, addresses, links, driver
/// options, gateway priority), checked as docker's daemon checks them.
pub async fn connect(
    client: &Client,
    data: &DataRoot,
    rec: &ContainerRecord,
    network: &str,
    mut endpoint: EndpointSettings,
) -> Result<()> {
    fixed_network(rec, network)?;
    let net = match network {
        network::DEFAULT_NETWORK => network::store().default_network()?,
        key => network::store().get_in(client.namespace(), key)?,
    };
    validate_endpoint(&endpoint)?;
    endpoint.links = linked_names(client, endpoint.links.take()).await?;
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    let exists = || {
        Error::conflict(format!(
            "endpoint with name {} already exists in network {}",
            rec.name, net.name
        ))
    };
    let mut stored = rec.stored.clone().expect("checked by fixed_network");
    let mode = stored.host_config.network_mode.to_string();
    let Some(state) = attach::load(&dir)? else {
        // Never started: kept in its networking config, as docker keeps
        // it, for the first start to connect.
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
    attach::connect(&dir, &rec.id, &net, &wanted_of(&endpoint)).await?;
    // Kept as docker keeps it: inspect shows it, a restart of the machine
    // brings it back the same.
    stored
        .networking_config
        .endpoints_config
        .insert(net.name.clone(), endpoint);
    store::save(client, &rec.id, &stored, None).await?;
    sync_peers(&dir, &net.name, None)
}

/// `--link NAME[:ALIAS]` of a connect, the containers there by name where
/// there is one (docker keeps a link to no container as it was given: it
/// answers nothing, as docker's DNS does not).
async fn linked_names(client: &Client, links: Option<Vec<String>>) -> Result<Option<Vec<String>>> {
    let Some(links) = links else { return Ok(None) };
    let all = store::list::records(client).await?;
    let named = links
        .iter()
        .map(|link| match parse_link(link) {
            Ok((name, alias)) => match store::resolve::find(&all, name) {
                Ok(target) => format!("{}:{alias}", target.name),
                Err(_) => link.clone(),
            },
            Err(_) => link.clone(),
        })
        .collect();
    Ok(Some(named))
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
    if let Some(mut stored) = rec.stored.clone()
        && stored
            .networking_config
            .endpoints_config
            .remove(&name)
            .is_some()
    {
        store::save(client, &rec.id, &stored, None).await?;
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
