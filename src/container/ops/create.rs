//! Creating a container from docker's configuration: checked, merged with
//! the image's, docker's defaults filled; then its name, snapshot, mounts,
//! /etc files, spec and containerd record, all under the name's lease so
//! nothing is collected half-made. Used through `ops::create`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::{Container, CreateContainerRequest};
use containerd_client::types::Mount;

use super::{links, monitor, net, volumes};
use crate::client::Client;
use crate::container::config::namespaces::{self, Joined};
use crate::container::config::user::{self, ResolvedUser};
use crate::container::config::{self, Resolved, binds, mounts};
use crate::container::model::{
    CreateRequest, HostConfig, IpcMode, MountEntry, MountKind, NetworkMode, Stored,
};
use crate::container::runtime::task;
use crate::container::spec::etc_files::{self, EtcInputs};
use crate::container::spec::{self, SpecContext};
use crate::container::store::{self, labels, names, record::ContainerRecord};
use crate::error::{Error, ErrorKind, Result};
use crate::image::{ResolvedImage, unpack};
use crate::snapshots;
use crate::state::DataRoot;
use crate::util;

pub const SPEC_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

/// A new container: its record and the rootfs mounts its task needs.
pub struct Created {
    pub record: ContainerRecord,
    pub rootfs: Vec<Mount>,
}

/// What creation needs besides the client.
pub(super) struct Inputs<'a> {
    pub image: &'a ResolvedImage,
    pub req: &'a CreateRequest,
    pub data: &'a DataRoot,
    /// The start time to record with the record, when the task starts at
    /// once (`run`): one metadata write fewer.
    pub started: Option<SystemTime>,
}

/// The request as creation uses it: checked, merged with the image,
/// docker's defaults filled, what it names on the host read.
struct Prepared {
    stored: Stored,
    resolved: Resolved,
    /// The configuration's mounts, checked (other containers' and new
    /// volumes not yet in).
    mounts: Vec<MountEntry>,
}

fn prepare(inputs: &Inputs<'_>) -> Result<Prepared> {
    let mut req = inputs.req.clone();
    config::check(&mut req)?;
    config::merge(&mut req, &inputs.image.config.config);
    config::defaults(&mut req.host_config);
    // Nothing to run is docker's daemon's error, before anything is made.
    config::process::args(&req.config)?;
    let resolved = config::resolve(&req.host_config)?;
    let mut mounts = mounts::entries(&req.config, &req.host_config)?;
    // A bind source is a path the user sees (the caller's, when berth
    // runs its helper on the host).
    for m in mounts.iter_mut().filter(|m| m.kind == MountKind::Bind) {
        m.source = crate::host::bind_source(&m.source)?;
    }
    // -v creates a missing bind source, as docker's daemon does (--mount
    // does not); the Binds' entries come first.
    let from_binds = req.host_config.binds.as_ref().map_or(0, Vec::len);
    for m in mounts[..from_binds]
        .iter()
        .filter(|m| m.kind == MountKind::Bind)
    {
        binds::ensure_source(&m.source)?;
    }
    if req.host_config.network_mode == NetworkMode::Host
        && !req.host_config.port_bindings.is_empty()
    {
        tracing::warn!("Published ports are discarded when using host network mode");
    }
    Ok(Prepared {
        stored: Stored {
            config: req.config,
            host_config: req.host_config,
            networking_config: req.networking_config,
            image: inputs.image.id().to_string(),
            mounts: Vec::new(),
        },
        resolved,
        mounts,
    })
}

pub(super) async fn create(client: &Client, inputs: &Inputs<'_>) -> Result<Created> {
    // Checked first, as docker does: nothing is created for a taken file.
    let cidfile = inputs.req.host_config.container_id_file.clone();
    let cid_path = crate::host::caller_path(&cidfile);
    if !cidfile.is_empty() && cid_path.exists() {
        return Err(Error::invalid(format!(
            "Container ID file found, make sure the other container isn't running or delete {cidfile}"
        )));
    }
    let mut p = prepare(inputs)?;
    let h = &p.stored.host_config;
    monitor::check(client, &h.restart_policy, p.stored.config.tty).await?;
    let id = util::random_hex_id();
    let name = claim_name(client, inputs.data, inputs.req.name.as_deref(), &id).await?;
    if p.stored.config.hostname.is_empty() {
        p.stored.config.hostname = default_hostname(&p.stored.host_config.network_mode, &id);
    }
    let created = match create_reserved(client, inputs, p, &id, &name).await {
        Ok(c) => c,
        Err(e) => {
            if let Err(e) = net::remove_dir(inputs.data, client.namespace(), &id).await {
                tracing::warn!("cleaning up {id}: {}", e.message());
            }
            let _ = names::release(client, &name).await;
            return Err(e);
        }
    };
    if !cidfile.is_empty()
        && let Err(e) = crate::state::write_atomic(&cid_path, id.as_bytes(), 0o644)
    {
        // Nothing of the container stays, its new volumes included.
        let _ = super::delete_record(client, inputs.data, &created.record).await;
        let _ = volumes::remove_anonymous(client, inputs.data, &created.record).await;
        return Err(e);
    }
    Ok(created)
}

async fn create_reserved(
    client: &Client,
    inputs: &Inputs<'_>,
    p: Prepared,
    id: &str,
    name: &str,
) -> Result<Created> {
    let image = inputs.image;
    // The name's lease lives exactly as long as the container, so it also
    // keeps the new snapshot from the collector until the record exists:
    // no second lease (and no extra metadata writes) per container.
    let leased = client.with_lease(&names::lease_id(name))?;
    // The container's writable snapshot on top of the image's layers.
    let parent = image.top_chain_id().unwrap_or_default();
    let rootfs = match snapshots::prepare(&leased, id, &parent).await {
        Err(e) if e.kind() == ErrorKind::NotFound && !parent.is_empty() => {
            // Pulled without unpacking (or for another snapshotter).
            unpack::unpack_image(client, image).await?;
            snapshots::prepare(&leased, id, &parent).await?
        }
        other => other?,
    };
    match make_record(&leased, inputs, p, id, name, &rootfs).await {
        Ok(record) => Ok(Created {
            record: ContainerRecord::from(&record),
            rootfs,
        }),
        Err(e) => {
            snapshots::discard(&leased, id).await;
            Err(e)
        }
    }
}

async fn claim_name(
    client: &Client,
    data: &DataRoot,
    requested: Option<&str>,
    id: &str,
) -> Result<String> {
    // A claim taken over from a creation that never finished: its files go.
    let tidy = async |abandoned: Option<String>| {
        if let Some(old) = abandoned {
            let _ = net::remove_dir(data, client.namespace(), &old).await;
        }
    };
    if let Some(n) = requested {
        let n = names::validate(n)?.to_string();
        tidy(names::reserve(client, &n, id).await?).await;
        return Ok(n);
    }
    for attempt in 0..10 {
        let n = names::generate(attempt);
        match names::reserve(client, &n, id).await {
            Ok(abandoned) => {
                tidy(abandoned).await;
                return Ok(n);
            }
            Err(e) if e.kind() == ErrorKind::Conflict => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::conflict(
        "could not find a free container name; use --name",
    ))
}

/// The user for the process, read from the snapshot's files when they are
/// reachable from here.
fn resolve_user(spec: &str, group_add: &[String], rootfs: &[Mount]) -> Result<ResolvedUser> {
    let files = user::layer_dirs(rootfs).and_then(|dirs| {
        let passwd = user::read_through_layers(&dirs, "etc/passwd").ok()?;
        let group = user::read_through_layers(&dirs, "etc/group").ok()?;
        Some((passwd, group))
    });
    let numeric_groups = group_add.iter().all(|g| g.parse::<u32>().is_ok());
    match files {
        Some((passwd, group)) => {
            let mut u = user::resolve(spec, passwd.as_deref(), group.as_deref())?;
            user::add_groups(&mut u, group_add, group.as_deref())?;
            Ok(u)
        }
        None if user::is_numeric(spec) && numeric_groups => {
            let mut u = user::resolve(spec, None, None)?;
            user::add_groups(&mut u, group_add, None)?;
            Ok(u)
        }
        None => Err(Error::unsupported(format!(
            "cannot resolve user {spec:?}: the image's files are not reachable from here"
        ))
        .hinted("use a numeric uid[:gid], or run berth where containerd's snapshot directories are visible")),
    }
}

/// docker's host name when none is given: the host's for the host
/// network, else the short id.
fn default_hostname(mode: &NetworkMode, id: &str) -> String {
    match mode {
        NetworkMode::Host => nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| id[..12].to_string()),
        _ => id[..12].to_string(),
    }
}

/// The record's labels: the configuration's (the user's, then the image's
/// they did not set; never containerd's or berth's own keys: an image must
/// not be able to set a restart policy), then berth's bookkeeping.
fn record_labels(inputs: &Inputs<'_>, s: &Stored, name: &str) -> HashMap<String, String> {
    let mut all: HashMap<String, String> = s
        .config
        .labels
        .iter()
        .filter(|(k, _)| !labels::is_reserved(k) || inputs.req.config.labels.contains_key(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut empty: Vec<String> = all
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    if !empty.is_empty() {
        empty.sort();
        all.retain(|_, v| !v.is_empty());
        all.insert(labels::EMPTY_VALUED.to_string(), empty.join(","));
    }
    all.insert(labels::NAME.to_string(), name.to_string());
    all.insert(labels::IMAGE.to_string(), s.config.image.clone());
    if let Some(t) = inputs.started {
        all.insert(labels::STARTED_AT.to_string(), util::rfc3339_nanos(t));
    }
    if let Some(v) = volumes::label(&s.mounts) {
        all.insert(labels::VOLUMES.to_string(), v);
    }
    all
}

/// The container's mounts: its configuration's, another container's
/// (`--volumes-from`), the image's `VOLUME`s; volumes made and filled.
/// Returns them with the names of the volumes made here (for undoing).
async fn make_mounts(
    client: &Client,
    inputs: &Inputs<'_>,
    h: &HostConfig,
    mut own: Vec<MountEntry>,
    rootfs: &[Mount],
) -> Result<(Vec<MountEntry>, Vec<String>)> {
    // Another container's mounts give way to this one's binds and named
    // volumes, and replace its anonymous ones (`-v /x`, the image's).
    let explicit: Vec<MountEntry> = own.iter().filter(|m| !m.anonymous).cloned().collect();
    let list = h.volumes_from.as_deref().unwrap_or_default();
    let from = volumes::volumes_from(client, list, &explicit).await?;
    own.retain(|m| !(m.anonymous && from.iter().any(|f| f.destination == m.destination)));
    own.extend(from);
    let layers = user::layer_dirs(rootfs);
    let made = volumes::make(inputs.data, client.namespace(), &mut own, layers.as_deref())?;
    mounts::sort_for_mounting(&mut own, |m| Path::new(&m.destination));
    Ok((own, made))
}

async fn make_record(
    client: &Client,
    inputs: &Inputs<'_>,
    mut p: Prepared,
    id: &str,
    name: &str,
    rootfs: &[Mount],
) -> Result<Container> {
    let own = std::mem::take(&mut p.mounts);
    let (mounts, made) = make_mounts(client, inputs, &p.stored.host_config, own, rootfs).await?;
    p.stored.mounts = mounts;
    let result = async {
        let linked = links::resolve(client, inputs.data, name, &p.stored.host_config).await?;
        if !linked.shown.is_empty() {
            p.stored.host_config.links = Some(linked.shown.clone());
        }
        let parts = parts(client, inputs, &p.stored, id, rootfs, linked).await?;
        write_record(client, inputs, &p, &parts, id, name).await
    }
    .await;
    if result.is_err() {
        volumes::undo_made(inputs.data, client.namespace(), &made);
    }
    result
}

/// What the record is made of besides the configuration.
struct Parts {
    user: ResolvedUser,
    joined: Joined,
    etc_dir: PathBuf,
    netns: Option<PathBuf>,
    /// `--link`'s variables, for the process's environment.
    link_env: Vec<String>,
}

/// The user, the joined namespaces, the /etc files and the network
/// namespace the spec names.
async fn parts(
    client: &Client,
    inputs: &Inputs<'_>,
    s: &Stored,
    id: &str,
    rootfs: &[Mount],
    linked: links::Linked,
) -> Result<Parts> {
    let (c, h) = (&s.config, &s.host_config);
    let user = resolve_user(&c.user, h.group_add.as_deref().unwrap_or_default(), rootfs)?;
    let mut joined = joined(client, inputs.data, h).await?;
    let etc_dir = inputs.data.create_container_dir(client.namespace(), id)?;
    if h.ipc_mode == IpcMode::Shareable {
        joined.own_shm = Some(namespaces::mount_shm(&etc_dir, h.shm_size)?);
    }
    let netns = net::netns_for(client, inputs.data, &h.network_mode, id).await?;
    write_etc_files(&etc_dir, s, &linked.hosts)?;
    links::save_hosts(&etc_dir, &linked.hosts)?;
    Ok(Parts {
        user,
        joined,
        etc_dir,
        netns,
        link_env: linked.env,
    })
}

/// The running containers whose PID or IPC namespace this one joins.
async fn joined(client: &Client, data: &DataRoot, h: &HostConfig) -> Result<Joined> {
    let (pid, ipc) = (h.pid_mode.container(), h.ipc_mode.container());
    if pid.is_none() && ipc.is_none() {
        return Ok(Joined::default());
    }
    let all = store::list::records(client).await?;
    let running = async |name: &str, what: &str| -> Result<(ContainerRecord, u32)> {
        let rec = store::resolve::find(&all, name)?;
        match task::pid(client, &rec.id).await? {
            Some(p) => Ok((rec.clone(), p)),
            None => Err(Error::conflict(format!(
                "cannot join {what} of a non running container: {}",
                rec.name
            ))),
        }
    };
    let mut out = Joined::default();
    if let Some(c) = pid {
        let (_, p) = running(c, "PID namespace").await?;
        out.pid = Some(PathBuf::from(format!("/proc/{p}/ns/pid")));
    }
    if let Some(c) = ipc {
        let rec = store::resolve::find(&all, c)?;
        let shareable = rec
            .stored
            .as_ref()
            .is_some_and(|s| s.host_config.ipc_mode == IpcMode::Shareable);
        if !shareable {
            return Err(Error::invalid(format!(
                "cannot join IPC of container {c}: non-shareable IPC (hint: use --ipc shareable for the donor container)"
            )));
        }
        let (rec, p) = running(c, "IPC namespace").await?;
        out.ipc = Some((
            PathBuf::from(format!("/proc/{p}/ns/ipc")),
            data.container_dir(client.namespace(), &rec.id)?.join("shm"),
        ));
    }
    Ok(out)
}

/// The three /etc files; on a CNI network the first start adds the
/// container's address to /etc/hosts (and resolves `host-gateway`).
fn write_etc_files(dir: &Path, s: &Stored, linked: &[(String, String)]) -> Result<()> {
    let (c, h) = (&s.config, &s.host_config);
    let cni = h.network_mode.cni_network().is_some();
    let mut extra_hosts = h
        .extra_hosts
        .iter()
        .flatten()
        .filter(|e| !(cni && e.ends_with(":host-gateway")))
        .map(|e| config::network::extra_host(e, None))
        .collect::<Result<Vec<_>>>()?;
    // docker writes the links after `--add-host`'s entries.
    extra_hosts.extend_from_slice(linked);
    let list = |l: &Option<Vec<String>>| l.clone().unwrap_or_default();
    etc_files::write(
        dir,
        &EtcInputs {
            network: &h.network_mode,
            hostname: &c.hostname,
            domainname: &c.domainname,
            ip: None,
            extra_hosts: &extra_hosts,
            dns: &list(&h.dns),
            dns_search: &list(&h.dns_search),
            dns_options: &list(&h.dns_options),
        },
    )
}

/// The shim and its options (the cgroup manager's).
fn runtime(name: &str) -> Result<Runtime> {
    let name = crate::container::config::runtime::shim(name)?;
    Ok(Runtime {
        options: crate::container::cgroups::manager().runtime_options(&name),
        name,
    })
}

async fn write_record(
    client: &Client,
    inputs: &Inputs<'_>,
    p: &Prepared,
    parts: &Parts,
    id: &str,
    name: &str,
) -> Result<Container> {
    let s = &p.stored;
    let spec = spec::build(
        &s.config,
        &s.host_config,
        &SpecContext {
            id,
            namespace: client.namespace(),
            user: &parts.user,
            etc_dir: &parts.etc_dir,
            mounts: &s.mounts,
            netns: parts.netns.as_deref(),
            resolved: &p.resolved,
            joined: &parts.joined,
            linked_env: &parts.link_env,
        },
    )?;
    let container = Container {
        id: id.to_string(),
        labels: record_labels(inputs, s, name),
        image: inputs.image.name.clone(),
        runtime: Some(runtime(&s.host_config.runtime)?),
        spec: Some(prost_types::Any {
            type_url: SPEC_TYPE_URL.to_string(),
            value: serde_json::to_vec(&spec::to_json(&spec)?)?,
        }),
        snapshotter: client.snapshotter().to_string(),
        snapshot_key: id.to_string(),
        extensions: HashMap::from([(
            crate::container::model::stored::EXTENSION.to_string(),
            s.to_any(),
        )]),
        ..Default::default()
    };
    client
        .containers()
        .create(CreateContainerRequest {
            container: Some(container),
        })
        .await?
        .into_inner()
        .container
        .ok_or_else(|| Error::new(ErrorKind::Daemon, "containerd returned no container"))
}
