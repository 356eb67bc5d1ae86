//! A container's side of networking. As with docker, creation only
//! decides which namespace the spec names (its own named one, another
//! container's, the host's); the first start connects it to its network
//! (addresses, published ports), writes its own /etc/hosts line, and tells
//! the other containers of a user network (docker resolves them with its
//! embedded DNS; berth writes them into each one's /etc/hosts). All of it
//! goes with the container's directory.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::client::Client;
use crate::container::config::network::{extra_host, port_specs};
use crate::container::model::{NetworkMode, Stored};
use crate::container::spec::etc_files::{self, EtcInputs};
use crate::container::store::{self, labels, record::ContainerRecord};
use crate::error::{Error, ErrorKind, Result};
use crate::network::attach::{self, State};
use crate::network::ports::PortSpec;
use crate::network::{self, DEFAULT_NETWORK};
use crate::state::DataRoot;

const PEERS_MARK: &str = "# berth: other containers on the network\n";

/// The network namespace a new container's spec names: its own (made at
/// its first start) on a CNI network, another container's, or none (a new
/// private one, or the host's).
pub async fn netns_for(
    client: &Client,
    data: &DataRoot,
    mode: &NetworkMode,
    id: &str,
) -> Result<Option<PathBuf>> {
    match mode {
        NetworkMode::Network(_) => Ok(Some(network::netns::path_for(id))),
        NetworkMode::Container(other) => Ok(Some(joined_netns(client, data, other).await?)),
        NetworkMode::Host | NetworkMode::None => Ok(None),
    }
}

/// The ports container `input` publishes, in docker's order.
pub async fn published(
    client: &Client,
    data: &DataRoot,
    input: &str,
) -> Result<Vec<crate::network::ports::PortMapping>> {
    let all = store::list::records(client).await?;
    let rec = store::resolve::find(&all, input)?;
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    let mut out = attach::load(&dir)?.map(|s| s.ports).unwrap_or_default();
    out.sort();
    Ok(out)
}

/// A task that failed to start, in berth's words when berth can say why:
/// the runtime could not join the network namespace berth made (berth
/// runs in another mount namespace than containerd, so its /run/netns is
/// not the host's), or could not find berth's files (see DataRoot).
pub fn explain_start_error(err: Error, data: &DataRoot, namespace: &str, id: &str) -> Error {
    let joined = [
        "can't get final child's PID from pipe",
        "setns",
        "/run/netns/",
    ]
    .iter()
    .any(|w| err.message().contains(w));
    let dir = data.container_dir(namespace, id).ok();
    let has_netns = dir
        .as_deref()
        .and_then(|d| attach::load(d).ok().flatten())
        .is_some_and(|s| !s.networks.is_empty());
    let about_files = dir.is_some_and(|d| err.message().contains(&*d.to_string_lossy()));
    if joined && has_netns && !about_files {
        return Error::new(
            ErrorKind::Unavailable,
            format!(
                "the OCI runtime could not join the network namespace berth made for this container ({}): \
                 berth runs in another mount namespace than containerd ({})",
                network::netns::path_for(id).display(),
                err.message()
            ),
        )
        .hinted(format!(
            "when berth runs in a container, mount the host's {dir}: -v {dir}:{dir}:rshared; or use --network host or none",
            dir = network::netns::NETNS_DIR
        ));
    }
    data.explain_unshared(err, namespace, id)
}

fn ports_label(state: &State) -> String {
    let mut shown: Vec<String> = state.ports.iter().map(|p| p.display()).collect();
    shown.sort();
    shown.join(", ")
}

/// The network namespace of `--network container:NAME`: its named one, or
/// its running task's.
async fn joined_netns(client: &Client, data: &DataRoot, other: &str) -> Result<PathBuf> {
    let all = store::list::records(client).await?;
    let rec = store::resolve::find(&all, other)?;
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    if let Some(state) = attach::load(&dir)? {
        return Ok(state.netns);
    }
    if rec
        .stored
        .as_ref()
        .is_some_and(|s| s.host_config.network_mode.cni_network().is_some())
    {
        return Ok(network::netns::path_for(&rec.id));
    }
    match crate::container::runtime::task::pid(client, &rec.id).await? {
        Some(pid) => Ok(PathBuf::from(format!("/proc/{pid}/ns/net"))),
        None => Err(Error::conflict(format!(
            "cannot join the network of container {other}: it has no network of its own and is not running"
        ))),
    }
}

/// The names a container answers to on its network: its name, its host
/// name, its aliases.
fn dns_names(rec: &ContainerRecord, s: &Stored) -> Vec<String> {
    let mode = s.host_config.network_mode.to_string();
    let mut names = vec![rec.name.clone()];
    let candidates = std::iter::once(&s.config.hostname).chain(s.networking_config.aliases(&mode));
    for n in candidates {
        if !n.is_empty() && !names.contains(n) {
            names.push(n.clone());
        }
    }
    names
}

/// Before a start: connects a container to its CNI network the first time
/// (its own /etc/hosts line, its ports for `ps`, its peers told); brings
/// back the network of one whose namespace is gone (the machine restarted,
/// and /run with it), with the same names and host ports. Anything else is
/// left as it is.
/// True when this call connected the container for the first time (see
/// `undo_first_up`).
pub async fn ensure_up(client: &Client, dir: &Path, rec: &ContainerRecord) -> Result<bool> {
    let Some(s) = &rec.stored else {
        return Ok(false);
    };
    match attach::load(dir)? {
        None => match s.host_config.network_mode.cni_network() {
            Some(name) => first_up(client, dir, rec, s, name).await.map(|()| true),
            None => joinable(client, &s.host_config.network_mode)
                .await
                .map(|()| false),
        },
        Some(state) if state.networks.is_empty() || network::netns::exists(&state.netns) => {
            Ok(false)
        }
        Some(state) => bring_back(dir, &rec.id, s, state).await.map(|()| false),
    }
}

/// A start that failed after `ensure_up` connected the container: the
/// network comes down again (no task left), as docker's does, so a
/// container that never ran holds no address and no host port.
pub async fn undo_first_up(client: &Client, dir: &Path, rec: &ContainerRecord) {
    if !matches!(
        crate::container::runtime::task::status(client, &rec.id).await,
        Ok(None)
    ) {
        return;
    }
    let user_network = attach::load(dir)
        .ok()
        .flatten()
        .and_then(|s| s.networks.first().map(|a| a.name.clone()))
        .filter(|n| n != DEFAULT_NETWORK);
    if let Err(e) = attach::teardown(dir, &rec.id).await {
        tracing::warn!("taking the network of {} down: {}", rec.id, e.message());
    }
    if let (Some(name), Some(ns_dir)) = (user_network, dir.parent().and_then(Path::parent)) {
        let _ = sync_peers_in(ns_dir, &name);
    }
}

/// `--network container:NAME`: docker starts a container in another's
/// network only while that one runs (berth's own network namespace of a
/// container that never started does not exist yet).
async fn joinable(client: &Client, mode: &NetworkMode) -> Result<()> {
    let NetworkMode::Container(other) = mode else {
        return Ok(());
    };
    let all = store::list::records(client).await?;
    let rec = store::resolve::find(&all, other)?;
    use containerd_client::types::v1::Status;
    match crate::container::runtime::task::status(client, &rec.id).await? {
        Some(Status::Running | Status::Paused | Status::Pausing) => Ok(()),
        _ => Err(Error::conflict(format!(
            "cannot join network of a non running container: {other}"
        ))),
    }
}

async fn first_up(
    client: &Client,
    dir: &Path,
    rec: &ContainerRecord,
    s: &Stored,
    name: &str,
) -> Result<()> {
    let store = network::store();
    let net = match name {
        DEFAULT_NETWORK => store.default_network()?,
        name => store.get_in(client.namespace(), name)?,
    };
    let specs = port_specs(&s.config, &s.host_config)?;
    let nets = networks_of(client, s, net)?;
    let ip = nets[0].1.ip.clone();
    let state = attach::setup(dir, &rec.id, &dns_names(rec, s), &nets, &specs)
        .await
        .map_err(|e| match &ip {
            Some(ip) => address_error(e, ip),
            None => e,
        })?;
    let first = state.networks.first();
    let (ip, gateway) = (
        first.and_then(|a| a.ip.clone()),
        first.and_then(|a| a.gateway.clone()),
    );
    let written = async {
        write_hosts(dir, s, ip.as_deref(), gateway.as_deref())?;
        if !state.ports.is_empty() {
            let set = HashMap::from([(labels::PORTS.to_string(), ports_label(&state))]);
            store::set_labels(client, &rec.id, set).await?;
        }
        Ok::<_, Error>(())
    }
    .await;
    if let Err(e) = written {
        let _ = attach::teardown(dir, &rec.id).await;
        return Err(e);
    }
    if let Some(ns_dir) = dir.parent().and_then(Path::parent) {
        for a in state.networks.iter().filter(|a| a.name != DEFAULT_NETWORK) {
            sync_peers_in(ns_dir, &a.name)?;
        }
    }
    Ok(())
}

/// The networks a first start connects: its own (`net`), then those
/// `network connect` added before the start (docker keeps them in the
/// networking config), each with what the container asks of it.
fn networks_of(
    client: &Client,
    s: &Stored,
    net: network::Network,
) -> Result<Vec<(network::Network, attach::Wanted)>> {
    use crate::container::config::endpoint::wanted;
    let mode = s.host_config.network_mode.to_string();
    let mut nets = vec![(net.clone(), wanted(&s.networking_config, &mode))];
    for name in s.networking_config.endpoints_config.keys() {
        if *name == mode || *name == net.name {
            continue;
        }
        let extra = match name.as_str() {
            DEFAULT_NETWORK => network::store().default_network()?,
            n => network::store().get_in(client.namespace(), n)?,
        };
        nets.push((extra, wanted(&s.networking_config, name)));
    }
    Ok(nets)
}

/// host-local's refusals of a `--ip` in docker's words.
fn address_error(e: Error, ip: &str) -> Error {
    let m = e.message();
    if m.contains("is not available in range set") {
        Error::conflict("Address already in use")
    } else if m.contains("failed to allocate all requested IPs") {
        Error::conflict(format!(
            "Invalid address {ip}: It does not belong to any of this network's subnets"
        ))
    } else {
        e
    }
}

/// The container's own /etc/hosts, with its address on its network.
fn write_hosts(dir: &Path, s: &Stored, ip: Option<&str>, gateway: Option<&str>) -> Result<()> {
    let mut extra = s
        .host_config
        .extra_hosts
        .iter()
        .flatten()
        .map(|e| extra_host(e, gateway))
        .collect::<Result<Vec<_>>>()?;
    extra.extend(super::links::saved_hosts(dir));
    let inputs = EtcInputs {
        network: &s.host_config.network_mode,
        hostname: &s.config.hostname,
        domainname: &s.config.domainname,
        ip,
        extra_hosts: &extra,
        dns: &[],
        dns_search: &[],
        dns_options: &[],
    };
    let host_file = std::fs::read_to_string("/etc/hosts").ok();
    rewrite_in_place(
        &dir.join(etc_files::HOSTS),
        &etc_files::hosts(&inputs, host_file.as_deref()),
    )
}

/// A container whose namespace is gone gets its networks again, with the
/// same names and host ports; what the old one left (address leases,
/// rules) is released first.
async fn bring_back(dir: &Path, id: &str, s: &Stored, state: State) -> Result<()> {
    let store = network::store();
    let networks = state
        .networks
        .iter()
        .map(|a| {
            let net = match a.name.as_str() {
                DEFAULT_NETWORK => store.default_network(),
                name => store.get(name),
            }?;
            // What the container asked for there (`--ip`, `--mac-address`).
            let mut wanted =
                crate::container::config::endpoint::wanted(&s.networking_config, &a.name);
            wanted.aliases = a.aliases.clone();
            Ok((net, wanted))
        })
        .collect::<Result<Vec<_>>>()?;
    let specs: Vec<PortSpec> = state
        .ports
        .iter()
        .map(|p| PortSpec {
            host_ip: p.host_ip.parse().ok(),
            host_port: Some(p.host_port),
            container_port: p.container_port,
            protocol: p.protocol,
        })
        .collect();
    if let Err(e) = attach::teardown(dir, id).await {
        tracing::debug!("releasing the old network of {id}: {}", e.message());
    }
    let fresh = attach::setup(dir, id, &state.names, &networks, &specs).await?;
    // Its own /etc/hosts line follows the new address.
    let (old, new) = (
        state.networks.first().and_then(|a| a.ip.clone()),
        fresh.networks.first().and_then(|a| a.ip.clone()),
    );
    if let (Some(old), Some(new)) = (old, new)
        && old != new
    {
        let hosts = dir.join(etc_files::HOSTS);
        let text = std::fs::read_to_string(&hosts).unwrap_or_default();
        rewrite_in_place(
            &hosts,
            &text.replace(&format!("{old}\t"), &format!("{new}\t")),
        )?;
    }
    Ok(())
}

/// Takes the container's network down, then removes its directory, then
/// tells the rest of its user network.
pub async fn remove_dir(data: &DataRoot, namespace: &str, id: &str) -> Result<()> {
    let dir = data.container_dir(namespace, id)?;
    let state = attach::load(&dir).unwrap_or(None);
    if state.is_some() {
        attach::teardown(&dir, id).await?;
    }
    data.remove_container_dir(namespace, id)?;
    for a in state.iter().flat_map(|s| &s.networks) {
        if a.name != DEFAULT_NETWORK {
            sync_peers(data, namespace, &a.name)?;
        }
    }
    Ok(())
}

/// The container's network teardown as an owned future, to run beside
/// other work (`run --rm`: beside the task's deletion), for a container on
/// the default network only. The state file is removed only when it all
/// came down, so `remove_dir` later finds nothing left, or does the rest.
pub fn teardown_later(
    data: &DataRoot,
    namespace: &str,
    id: &str,
) -> Result<futures::future::BoxFuture<'static, Result<()>>> {
    let dir = data.container_dir(namespace, id)?;
    let id = id.to_string();
    Ok(Box::pin(async move {
        // On a user network the peers' /etc/hosts follow the removal of the
        // container's directory: `remove_dir` does it all then.
        match attach::load(&dir).unwrap_or(None) {
            Some(state) if state.networks.iter().all(|a| a.name == DEFAULT_NETWORK) => {
                attach::teardown(&dir, &id).await
            }
            _ => Ok(()),
        }
    }))
}

/// Rewrites the peers part of /etc/hosts of every container of `network`
/// in this namespace, in place (the file is bind-mounted: its inode stays).
fn sync_peers(data: &DataRoot, namespace: &str, network: &str) -> Result<()> {
    sync_peers_in(&data.root().join(namespace), network)
}

/// `ns_dir`: the namespace's directory under the data root.
fn sync_peers_in(ns_dir: &Path, network: &str) -> Result<()> {
    sync_peers_of(ns_dir, network, None)
}

/// The peers part of /etc/hosts of every container on `network` (and of
/// the one in `also`, which just left it): the containers it shares a
/// user network with, each with its address there, its names and its
/// aliases on that network.
pub(super) fn sync_peers_of(ns_dir: &Path, network: &str, also: Option<&Path>) -> Result<()> {
    let containers = ns_dir.join("containers");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(ns_dir.join(".hosts.lock"))
        .map_err(|e| Error::io("locking the hosts files", e))?;
    let _held = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| Error::new(ErrorKind::Io, format!("locking the hosts files: {e}")))?;
    let mut states: BTreeMap<PathBuf, State> = BTreeMap::new();
    for entry in std::fs::read_dir(&containers)
        .into_iter()
        .flatten()
        .flatten()
    {
        if let Ok(Some(state)) = attach::load(&entry.path()) {
            states.insert(entry.path(), state);
        }
    }
    let on = |s: &State, n: &str| s.networks.iter().find(|a| a.name == n).cloned();
    for (dir, state) in &states {
        if on(state, network).is_none() && also != Some(dir.as_path()) {
            continue;
        }
        let mut lines = String::new();
        for (_, theirs) in states.iter().filter(|(d, _)| *d != dir) {
            // The default bridge has no names (docker's neither).
            let shared = state.networks.iter().filter(|a| a.name != DEFAULT_NETWORK);
            for (mine, b) in shared.filter_map(|a| Some((a, on(theirs, &a.name)?))) {
                let Some(ip) = &b.ip else { continue };
                let mut names = theirs.names.clone();
                // What it calls them here (`connect --link`), then their
                // own aliases here.
                let linked = mine
                    .links
                    .iter()
                    .filter(|(name, _)| theirs.names.first() == Some(name))
                    .map(|(_, alias)| alias);
                for n in linked.chain(&b.aliases) {
                    if !names.contains(n) {
                        names.push(n.clone());
                    }
                }
                lines.push_str(&format!("{ip}\t{}\n", names.join(" ")));
            }
        }
        rewrite_peers(&dir.join(etc_files::HOSTS), &lines)?;
    }
    Ok(())
}

fn rewrite_peers(path: &Path, lines: &str) -> Result<()> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let base = text.split(PEERS_MARK).next().unwrap_or("");
    let mut out = base.to_string();
    if !lines.is_empty() {
        out.push_str(PEERS_MARK);
        out.push_str(lines);
    }
    rewrite_in_place(path, &out)
}

/// Rewrites a bind-mounted file keeping its inode (a rename would leave
/// the container looking at the old one).
fn rewrite_in_place(path: &Path, out: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    f.write_all(out.as_bytes())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_replace_the_old_peers_and_keep_the_rest() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("hosts");
        std::fs::write(&f, "127.0.0.1\tlocalhost\n172.18.0.2\tme\n").unwrap();
        rewrite_peers(&f, "172.18.0.3\tweb\n").unwrap();
        rewrite_peers(&f, "172.18.0.4\tdb\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            format!("127.0.0.1\tlocalhost\n172.18.0.2\tme\n{PEERS_MARK}172.18.0.4\tdb\n")
        );
        rewrite_peers(&f, "").unwrap();
        assert_eq!(
            std::fs::read_to_string(&f).unwrap(),
            "127.0.0.1\tlocalhost\n172.18.0.2\tme\n"
        );
    }
}
