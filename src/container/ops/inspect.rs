//! `inspect` of a container: docker's document (Docker 28, API 1.51),
//! serialised from the typed model: the stored `Config` and `HostConfig`
//! as they are, the state, the mounts and the network around them.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::container::model::{
    Config, ContainerJson, EndpointSettings, GraphDriver, NetworkMode, NetworkSettings,
    PortBinding, State as StateJson, Stored,
};
use crate::container::spec::etc_files;
use crate::container::store::list::{ContainerRow, State};
use crate::logs::json_log_name;
use crate::network::attach::{self, Attached};

/// Go's zero time, as docker prints a time never set.
const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

fn time(t: Option<SystemTime>) -> String {
    t.map(crate::logs::jsonfile::format_time)
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

fn state(row: &ContainerRow, dir: &Path) -> StateJson {
    let r = &row.record;
    let (status, running, paused, exit, started, finished) = match &row.state {
        State::Created => ("created", false, false, 0, None, None),
        State::Running { started } => ("running", true, false, 0, *started, None),
        State::Paused { started } => ("paused", true, true, 0, *started, None),
        State::Exited { code, finished } => {
            ("exited", false, false, *code, r.started_at, *finished)
        }
        State::Restarting { code, finished } => {
            ("restarting", true, false, *code, r.started_at, *finished)
        }
        State::Unknown => ("dead", false, false, 0, None, None),
    };
    StateJson {
        status: status.to_string(),
        running,
        paused,
        restarting: status == "restarting",
        oom_killed: false,
        dead: status == "dead",
        pid: if running && status != "restarting" {
            row.pid
        } else {
            0
        },
        exit_code: exit,
        error: r.start_error.clone().unwrap_or_default(),
        started_at: time(started),
        finished_at: time(finished),
        health: super::health::state(row, dir),
    }
}

fn endpoint(a: Option<&Attached>, names: Option<Vec<String>>) -> EndpointSettings {
    let text = |v: Option<&String>| v.cloned().unwrap_or_default();
    EndpointSettings {
        mac_address: text(a.and_then(|a| a.mac.as_ref())),
        network_id: text(a.map(|a| &a.id)),
        gateway: text(a.and_then(|a| a.gateway.as_ref())),
        ip_address: text(a.and_then(|a| a.ip.as_ref())),
        ip_prefix_len: a.and_then(|a| a.prefix_len).unwrap_or(0) as u32,
        global_ipv6_address: text(a.and_then(|a| a.ip6.as_ref())),
        global_ipv6_prefix_len: a.and_then(|a| a.prefix_len6).unwrap_or(0) as u32,
        ipv6_gateway: text(a.and_then(|a| a.gateway6.as_ref())),
        dns_names: names,
        ..Default::default()
    }
}

/// docker's NetworkSettings from the container's network state; the
/// top-level address fields are filled for the default network only, as
/// docker fills them.
fn network_settings(s: &Stored, dir: &Path) -> NetworkSettings {
    let state = attach::load(dir).ok().flatten().unwrap_or_default();
    let mode = &s.host_config.network_mode;
    let mut networks = BTreeMap::new();
    match mode {
        NetworkMode::Host | NetworkMode::None => {
            networks.insert(mode.to_string(), endpoint(None, None));
        }
        // Not connected yet (created, never started): its networks (its
        // own and those connected before the start), empty.
        NetworkMode::Network(n) if state.networks.is_empty() => {
            networks.insert(n.clone(), endpoint(None, None));
            for (name, e) in &s.networking_config.endpoints_config {
                let mut pending = endpoint(None, None);
                pending.aliases = e.aliases.clone();
                pending.ipam_config = e.ipam_config.clone();
                networks.insert(name.clone(), pending);
            }
        }
        _ => {}
    }
    for a in &state.networks {
        let names = (a.name != crate::network::DEFAULT_NETWORK).then(|| state.names.clone());
        let mut e = endpoint(Some(a), names);
        let mut aliases = s.networking_config.aliases(&a.name).to_vec();
        for alias in &a.aliases {
            if !aliases.contains(alias) {
                aliases.push(alias.clone());
            }
        }
        e.aliases = (!aliases.is_empty()).then_some(aliases);
        // What it asked of the network, as it asked it.
        if let Some(asked) = s.networking_config.endpoints_config.get(&a.name) {
            e.ipam_config = asked.ipam_config.clone();
            e.links = asked.links.clone();
            e.driver_opts = asked.driver_opts.clone();
            e.gw_priority = asked.gw_priority;
        }
        networks.insert(a.name.clone(), e);
    }
    let mut ports: BTreeMap<String, Option<Vec<PortBinding>>> = BTreeMap::new();
    if !state.networks.is_empty() {
        for key in s.config.exposed_ports.keys() {
            ports.insert(key.clone(), None);
        }
    }
    for p in &state.ports {
        let key = format!("{}/{}", p.container_port, p.protocol.as_str());
        ports
            .entry(key)
            .or_default()
            .get_or_insert_default()
            .push(PortBinding {
                host_ip: p.host_ip.clone(),
                host_port: p.host_port.to_string(),
            });
    }
    let top = endpoint(
        state
            .networks
            .iter()
            .find(|a| a.name == crate::network::DEFAULT_NETWORK),
        None,
    );
    let netns = match state.networks.is_empty() {
        true => String::new(),
        false => state.netns.display().to_string(),
    };
    NetworkSettings {
        sandbox_key: netns,
        ports,
        gateway: top.gateway,
        ip_address: top.ip_address,
        ip_prefix_len: top.ip_prefix_len,
        mac_address: top.mac_address,
        networks,
        ..Default::default()
    }
}

/// What berth can say of a container it did not create (Kubernetes', ctr's).
fn foreign(row: &ContainerRow) -> Stored {
    let r = &row.record;
    Stored {
        config: Config {
            image: r.image.clone(),
            hostname: r.hostname.clone(),
            cmd: (!r.args.is_empty()).then(|| r.args.clone()),
            tty: r.tty,
            ..Default::default()
        },
        image: r.image_name.clone(),
        ..Default::default()
    }
}

/// The container's document. `dir`: its directory under the data root.
pub fn document(row: &ContainerRow, dir: &Path, snapshotter: &str) -> ContainerJson {
    let r = &row.record;
    let ours = r.stored.is_some();
    let s = match &r.stored {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(foreign(row)),
    };
    let file = |name: &str| match ours {
        true => dir.join(name).display().to_string(),
        false => String::new(),
    };
    let log_path = match (&r.cri_log_path, s.host_config.log_config.kind.as_str()) {
        (Some(p), _) => p.display().to_string(),
        (None, "none") => String::new(),
        _ => file(&json_log_name(&r.id)),
    };
    let driver = match r.snapshotter.is_empty() {
        true => snapshotter.to_string(),
        false => r.snapshotter.clone(),
    };
    let mut config = s.config.clone();
    if !ours {
        config.labels = r.labels.clone();
    }
    ContainerJson {
        id: r.id.clone(),
        created: crate::logs::jsonfile::format_time(r.created),
        path: r.args.first().cloned().unwrap_or_default(),
        args: r.args.get(1..).unwrap_or_default().to_vec(),
        state: state(row, dir),
        image: s.image.clone(),
        resolv_conf_path: file(etc_files::RESOLV_CONF),
        hostname_path: file(etc_files::HOSTNAME),
        hosts_path: file(etc_files::HOSTS),
        log_path,
        name: format!("/{}", r.name),
        restart_count: r.restart_count,
        driver: driver.clone(),
        platform: "linux".into(),
        graph_driver: GraphDriver {
            data: None,
            name: driver,
        },
        mounts: r.mount_points(),
        network_settings: match ours {
            true => network_settings(&s, dir),
            false => NetworkSettings::default(),
        },
        config,
        host_config: s.host_config.clone(),
        ..Default::default()
    }
}

#[cfg(test)]
#[path = "inspect_tests.rs"]
mod tests;
