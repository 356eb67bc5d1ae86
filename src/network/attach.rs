//! Connecting a container to its networks and taking it down again. The
//! container gets a named network namespace (which its spec names, so
//! every start joins it, containerd's restarts included), loopback, and an
//! `ethN` per network from that network's plugins; published ports are
//! reserved and handed to portmap on the first network. What was done is
//! written to `network.json` in the container's directory *before* each
//! step, so `rm`, and the sweep after a berth killed half-way, undo exactly
//! that: CNI DEL, the namespace, the port reservations.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::cni::{self, Attachment};
use super::ports::{self, PortMapping, PortSpec, Reservation};
use super::{Network, netns};
use crate::error::Result;
use crate::state::write_atomic;

const STATE_FILE: &str = "network.json";

/// A container's network, as set up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub netns: PathBuf,
    /// The names the container answers to on user networks.
    #[serde(default)]
    pub names: Vec<String>,
    pub networks: Vec<Attached>,
    pub ports: Vec<PortMapping>,
    pub reservations: Vec<Reservation>,
}

/// One network the container is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attached {
    pub name: String,
    pub id: String,
    pub ifname: String,
    /// The configuration it was added with (DEL needs the same).
    pub conflist: Value,
    /// The ADD's result, once there is one.
    pub result: Option<Value>,
    pub ip: Option<String>,
    pub prefix_len: Option<u8>,
    pub gateway: Option<String>,
    pub mac: Option<String>,
}

fn state_path(dir: &Path) -> PathBuf {
    dir.join(STATE_FILE)
}

/// The container's network state, if it has one.
pub fn load(dir: &Path) -> Result<Option<State>> {
    match std::fs::read(state_path(dir)) {
        Ok(data) => Ok(Some(serde_json::from_slice(&data)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::error::Error::io(
            format!("reading {}", state_path(dir).display()),
            e,
        )),
    }
}

fn save(dir: &Path, state: &State) -> Result<()> {
    write_atomic(&state_path(dir), &serde_json::to_vec_pretty(state)?, 0o600)
}

fn loopback() -> Value {
    json!({"cniVersion": "1.0.0", "name": "berth-loopback",
           "plugins": [{"type": "loopback"}]})
}

/// Connects container `id` (its directory `dir`) to `networks`, publishing
/// `ports` on the first. Undone entirely when any step fails.
pub async fn setup(
    dir: &Path,
    id: &str,
    names: &[String],
    networks: &[Network],
    ports: &[PortSpec],
) -> Result<State> {
    let mut state = State {
        netns: netns::path_for(id),
        names: names.to_vec(),
        ..Default::default()
    };
    save(dir, &state)?;
    match bring_up(dir, id, networks, ports, &mut state).await {
        Ok(()) => Ok(state),
        Err(e) => {
            if let Err(undo) = teardown(dir, id).await {
                tracing::warn!("undoing the network of {id}: {}", undo.message());
            }
            Err(e)
        }
    }
}

async fn bring_up(
    dir: &Path,
    id: &str,
    networks: &[Network],
    specs: &[PortSpec],
    state: &mut State,
) -> Result<()> {
    netns::create(&state.netns)?;
    let plugins = super::plugins();
    let none = json!({});
    let lo = Attachment {
        container_id: id,
        netns: &state.netns,
        ifname: "lo",
        runtime_config: &none,
    };
    plugins.add(&loopback(), &lo).await?;
    let (mappings, reservations) = ports::reserve(Path::new(ports::RESERVATIONS_DIR), specs, id)?;
    state.ports = mappings;
    state.reservations = reservations;
    save(dir, state)?;
    for (i, network) in networks.iter().enumerate() {
        let conflist = needed_plugins(&network.conflist, i == 0 && !state.ports.is_empty());
        state.networks.push(Attached {
            name: network.name.clone(),
            id: network.meta.id.clone(),
            ifname: format!("eth{i}"),
            conflist: conflist.clone(),
            result: None,
            ip: None,
            prefix_len: None,
            gateway: None,
            mac: None,
        });
        save(dir, state)?;
        let runtime = runtime_config(i, &state.ports);
        let a = Attachment {
            container_id: id,
            netns: &state.netns,
            ifname: &format!("eth{i}"),
            runtime_config: &runtime,
        };
        let result = plugins.add(&conflist, &a).await?;
        let addrs = cni::addresses(&result, a.ifname);
        let last = state.networks.last_mut().expect("just pushed");
        last.result = Some(result);
        last.ip = addrs.ipv4;
        last.prefix_len = addrs.prefix_len;
        last.gateway = addrs.gateway;
        last.mac = addrs.mac;
        save(dir, state)?;
    }
    Ok(())
}

/// The network's plugins, without portmap when there is nothing to
/// publish (each plugin is a process and portmap's iptables calls are the
/// slowest part of a container's network; DEL uses the same list).
fn needed_plugins(conflist: &Value, publishes: bool) -> Value {
    let mut out = conflist.clone();
    if !publishes && let Some(list) = out["plugins"].as_array_mut() {
        list.retain(|p| p["type"] != "portmap");
    }
    out
}

/// Published ports go to portmap on the first network only.
fn runtime_config(index: usize, ports: &[PortMapping]) -> Value {
    if index == 0 && !ports.is_empty() {
        json!({"portMappings": ports.iter().map(PortMapping::to_cni).collect::<Vec<_>>()})
    } else {
        json!({})
    }
}

/// Undoes whatever `setup` got to for container `id`: CNI DEL on every
/// network (last first), the namespace, the port reservations, the state
/// file. Nothing to undo is fine; the first failure is reported after
/// everything was tried.
pub async fn teardown(dir: &Path, id: &str) -> Result<()> {
    let Some(state) = load(dir)? else {
        return Ok(());
    };
    let plugins = super::plugins();
    let mut first_error = None;
    for (i, a) in state.networks.iter().enumerate().rev() {
        let runtime = runtime_config(i, &state.ports);
        let att = Attachment {
            container_id: id,
            netns: &state.netns,
            ifname: &a.ifname,
            runtime_config: &runtime,
        };
        if let Err(e) = plugins.del(&a.conflist, &att, a.result.as_ref()).await {
            first_error.get_or_insert(e);
        }
    }
    if let Err(e) = netns::remove(&state.netns) {
        first_error.get_or_insert(e);
    }
    state.reservations.iter().for_each(Reservation::release);
    if first_error.is_none() {
        let _ = std::fs::remove_file(state_path(dir));
    }
    first_error.map_or(Ok(()), Err)
}
