//! A container's side of networking: connecting it as `--network` says
//! before its record is made, the label `ps` shows its ports from, the
//! other containers of a user network written into each one's /etc/hosts
//! (docker resolves them with its embedded DNS; berth with the file), and
//! taking all of it down with the container's directory.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::options::{ContainerOptions, NetworkMode};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::image::manifest::ContainerConfig;
use crate::network::attach::{self, State};
use crate::network::ports::{self, PortSpec};
use crate::network::{self, DEFAULT_NETWORK};
use crate::state::DataRoot;

const PEERS_MARK: &str = "# berth: other containers on the network\n";

/// What creation needs from the network.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The namespace the spec joins (None: a new one, or the host's).
    pub netns: Option<PathBuf>,
    /// The container's address on its network, for its own /etc/hosts line.
    pub ip: Option<String>,
    pub gateway: Option<String>,
    /// `0.0.0.0:8080->80/tcp, ...` for the record's labels.
    pub ports_label: Option<String>,
    /// The user network whose members' /etc/hosts must learn of it.
    pub peers_network: Option<String>,
}

/// `-p` and `-P` (the image's exposed ports, each to a random host port).
fn port_specs(opts: &ContainerOptions, image: &ContainerConfig) -> Result<Vec<PortSpec>> {
    let mut specs = Vec::new();
    for p in &opts.publish {
        specs.extend(ports::parse(p)?);
    }
    if opts.publish_all {
        // The image's EXPOSEs and --expose (docker: PORT[-END][/PROTO]).
        for key in image.exposed_ports.keys().chain(&opts.expose) {
            for spec in ports::parse(key)? {
                if !specs
                    .iter()
                    .any(|s| s.container_port == spec.container_port && s.protocol == spec.protocol)
                {
                    specs.push(spec);
                }
            }
        }
    }
    Ok(specs)
}

/// Connects the container as `--network` says; `dir` is its directory.
pub async fn prepare(
    client: &Client,
    data: &DataRoot,
    opts: &ContainerOptions,
    image: &ContainerConfig,
    id: &str,
    names: &[String],
) -> Result<Prepared> {
    let specs = port_specs(opts, image)?;
    let user_network = opts
        .network
        .cni_network()
        .is_some_and(|n| n != DEFAULT_NETWORK);
    if !opts.network_alias.is_empty() && !user_network {
        return Err(Error::invalid(
            "network-scoped alias is supported only for containers in user defined networks",
        ));
    }
    match &opts.network {
        NetworkMode::Network(name) => {
            let store = network::store();
            let net = if name == DEFAULT_NETWORK {
                store.default_network()?
            } else {
                store.get(name)?
            };
            let dir = data.container_dir(client.namespace(), id)?;
            let state = attach::setup(&dir, id, names, &[net], &specs).await?;
            let first = state.networks.first();
            Ok(Prepared {
                netns: Some(state.netns.clone()),
                ip: first.and_then(|a| a.ip.clone()),
                gateway: first.and_then(|a| a.gateway.clone()),
                ports_label: (!state.ports.is_empty()).then(|| ports_label(&state)),
                peers_network: (name != DEFAULT_NETWORK).then(|| name.clone()),
            })
        }
        NetworkMode::Container(other) => {
            if !specs.is_empty() {
                return Err(Error::invalid(
                    "conflicting options: port publishing and the container type network mode",
                ));
            }
            Ok(Prepared {
                netns: Some(joined_netns(client, data, other).await?),
                ..Default::default()
            })
        }
        NetworkMode::Host | NetworkMode::None => {
            if !specs.is_empty() && opts.network == NetworkMode::Host {
                tracing::warn!("Published ports are discarded when using host network mode");
            }
            Ok(Prepared::default())
        }
    }
}

/// The ports container `input` publishes, in docker's order.
pub async fn published(
    client: &Client,
    data: &DataRoot,
    input: &str,
) -> Result<Vec<ports::PortMapping>> {
    let all = super::list::records(client).await?;
    let rec = super::resolve::find(&all, input)?;
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
    let has_netns = data
        .container_dir(namespace, id)
        .ok()
        .and_then(|d| attach::load(&d).ok().flatten())
        .is_some_and(|s| !s.networks.is_empty());
    if joined
        && has_netns
        && !data
            .container_dir(namespace, id)
            .is_ok_and(|d| err.message().contains(&*d.to_string_lossy()))
    {
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
    let all = super::list::records(client).await?;
    let rec = super::resolve::find(&all, other)?;
    let dir = data.container_dir(client.namespace(), &rec.id)?;
    if let Some(state) = attach::load(&dir)? {
        return Ok(state.netns);
    }
    match super::task::pid(client, &rec.id).await? {
        Some(pid) => Ok(PathBuf::from(format!("/proc/{pid}/ns/net"))),
        None => Err(Error::conflict(format!(
            "cannot join the network of container {other}: it has no network of its own and is not running"
        ))),
    }
}

/// Before a start: a container whose network namespace is gone (the
/// machine restarted, and /run with it) gets its networks again, with the
/// same names and host ports; what the old one left (address leases,
/// rules) is released first. A container whose namespace is there, or
/// that has no network of its own, is left as it is.
pub async fn ensure_up(dir: &Path, id: &str) -> Result<()> {
    let Some(state) = attach::load(dir)? else {
        return Ok(());
    };
    if state.networks.is_empty() || network::netns::exists(&state.netns) {
        return Ok(());
    }
    let store = network::store();
    let networks = state
        .networks
        .iter()
        .map(|a| match a.name.as_str() {
            DEFAULT_NETWORK => store.default_network(),
            name => store.get(name),
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
        let hosts = dir.join(super::etc_files::HOSTS);
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
pub fn sync_peers(data: &DataRoot, namespace: &str, network: &str) -> Result<()> {
    let containers = data.root().join(namespace).join("containers");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(data.root().join(namespace).join(".hosts.lock"))
        .map_err(|e| Error::io("locking the hosts files", e))?;
    let _held = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| Error::new(ErrorKind::Io, format!("locking the hosts files: {e}")))?;
    let mut members: BTreeMap<PathBuf, (String, Vec<String>)> = BTreeMap::new();
    for entry in std::fs::read_dir(&containers)
        .into_iter()
        .flatten()
        .flatten()
    {
        let Ok(Some(state)) = attach::load(&entry.path()) else {
            continue;
        };
        if let Some(ip) = state
            .networks
            .iter()
            .find(|a| a.name == network)
            .and_then(|a| a.ip.clone())
        {
            members.insert(entry.path(), (ip, state.names.clone()));
        }
    }
    for dir in members.keys() {
        let lines: String = members
            .iter()
            .filter(|(d, _)| *d != dir)
            .map(|(_, (ip, names))| format!("{ip}\t{}\n", names.join(" ")))
            .collect();
        rewrite_peers(&dir.join(super::etc_files::HOSTS), &lines)?;
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
