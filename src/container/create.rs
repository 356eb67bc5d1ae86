//! Creating a container: name, snapshot, /etc files, user, spec and the
//! containerd record, all under the name's lease so nothing is collected
//! half-made. Used through `lifecycle::create`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::{Container, CreateContainerRequest};
use containerd_client::types::Mount;

use super::binds;
use super::config::{self, StoredConfig, StoredLog};
use super::etc_files::EtcInputs;
use super::mounts::{self, Kind, MountEntry};
use super::namespaces;
use super::options::{ContainerOptions, NetworkMode};
use super::record::ContainerRecord;
use super::resources::{self, Resources};
use super::spec::Extras;
use super::spec::{self, SpecContext};
use super::user::{self, ResolvedUser};
use super::{etc_files, labels, limits, names, net, restart, signal, volumes};
use crate::client::{Client, DEFAULT_RUNTIME};
use crate::error::{Error, ErrorKind, Result};
use crate::image::{ResolvedImage, unpack};
use crate::logs::LogConfig;
use crate::snapshots;
use crate::state::DataRoot;
use crate::util;

pub const SPEC_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

/// A new container: its record and the rootfs mounts its task needs.
pub struct Created {
    pub record: ContainerRecord,
    pub rootfs: Vec<Mount>,
}

/// What creation needs besides the options.
pub(super) struct Inputs<'a> {
    pub image: &'a ResolvedImage,
    pub opts: &'a ContainerOptions,
    pub data: &'a DataRoot,
    /// The start time to record with the record, when the task starts at
    /// once (`run`): one metadata write fewer.
    pub started: Option<SystemTime>,
}

/// The options checked before anything is created.
struct Checked {
    log: LogConfig,
    /// The user's mounts (`-v`, `--mount`, `--tmpfs`), volumes not made yet.
    mounts: Vec<MountEntry>,
    /// `-v` as docker's `HostConfig.Binds` keeps them.
    binds: Vec<String>,
    /// Everything but the joined namespaces, found once the name is held.
    extras: Extras,
}

fn check(opts: &ContainerOptions) -> Result<Checked> {
    let log = LogConfig::parse(opts.log_driver.as_deref(), &opts.log_opt)?;
    if opts.rm && opts.restart.as_ref().is_some_and(|p| !p.is_none()) {
        return Err(Error::invalid(
            "Conflicting options: cannot specify both --restart and --rm",
        ));
    }
    if let Some(sig) = &opts.stop_signal {
        signal::parse(sig)?;
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io("current directory", e))?;
    let mounts = opts.mounts.parse(&cwd)?;
    // -v creates a missing bind source, as docker does (--mount does not).
    for m in mounts
        .iter()
        .filter(|m| m.kind == Kind::Bind && !m.raw.is_empty())
    {
        binds::ensure_source(&m.source)?;
    }
    let binds = mounts
        .iter()
        .filter(|m| !m.raw.is_empty())
        .map(|m| m.raw.clone())
        .collect();
    // Syntax only here; host-gateway gets its address once the network is up.
    for h in &opts.add_host {
        etc_files::parse_add_host(h, Some("0.0.0.0"))?;
    }
    for p in opts.publish.iter().chain(&opts.expose) {
        crate::network::ports::parse(p)?;
    }
    Ok(Checked {
        log,
        mounts,
        binds,
        extras: extras(opts)?,
    })
}

/// The resource, security, namespace and limit flags, checked and resolved.
fn extras(opts: &ContainerOptions) -> Result<Extras> {
    let namespaces = opts.namespaces.parse(opts.hostname.is_some())?;
    opts.limits.check(
        opts.network == NetworkMode::Host,
        namespaces.ipc == namespaces::Mode::Host,
    )?;
    let base = Resources {
        oom_kill_disable: opts.limits.oom_kill_disable,
        memory_swappiness: opts.limits.memory_swappiness,
        ..Default::default()
    };
    Ok(Extras {
        security: opts.security.resolve()?,
        namespaces,
        joined: Default::default(),
        resources: opts.resources.apply_to(&base, resources::host_cpus())?,
        block_io: opts.throttle.block_io()?,
        init: opts.limits.init.then(limits::find_init).transpose()?,
    })
}

pub(super) async fn create(client: &Client, inputs: &Inputs<'_>) -> Result<Created> {
    // Checked first, as docker does: nothing is created for a taken file.
    if let Some(f) = &inputs.opts.cidfile
        && std::path::Path::new(f).exists()
    {
        return Err(Error::invalid(format!(
            "Container ID file found, make sure the other container isn't running or delete {f}"
        )));
    }
    let checked = check(inputs.opts)?;
    let policy = inputs.opts.restart.clone().unwrap_or_default();
    restart::check(client, &policy, inputs.opts.tty).await?;
    let id = util::random_hex_id();
    let name = claim_name(client, inputs.data, inputs.opts.name.as_deref(), &id).await?;
    let result = create_reserved(client, inputs, &checked, &id, &name).await;
    let result = match (result, &inputs.opts.cidfile) {
        (Ok(created), Some(f)) => {
            match crate::state::write_atomic(std::path::Path::new(f), id.as_bytes(), 0o644) {
                Ok(()) => Ok(created),
                Err(e) => {
                    let _ = delete_created(client, inputs.data, &created).await;
                    Err(e)
                }
            }
        }
        (r, _) => r,
    };
    if result.is_err() {
        if let Err(e) = net::remove_dir(inputs.data, client.namespace(), &id).await {
            tracing::warn!("cleaning up {id}: {}", e.message());
        }
        let _ = names::release(client, &name).await;
    }
    result
}

/// Undoes a creation whose last step failed.
async fn delete_created(client: &Client, data: &DataRoot, created: &Created) -> Result<()> {
    super::lifecycle::delete_record(client, data, &created.record).await
}

async fn create_reserved(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
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
    match make_record(&leased, inputs, checked, id, name, &rootfs).await {
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

/// The container's host name: `-h`, else the host's for the host network,
/// else the short id (docker's rules).
fn hostname(opts: &ContainerOptions, id: &str) -> String {
    match (&opts.hostname, &opts.network) {
        (Some(h), _) => h.clone(),
        (None, NetworkMode::Host) => nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| id[..12].to_string()),
        (None, _) => id[..12].to_string(),
    }
}

/// docker's `Config`/`HostConfig` as the user asked, kept with the record.
fn stored_config(
    inputs: &Inputs<'_>,
    checked: &Checked,
    parts: &Parts,
    spec: &oci_spec::runtime::Spec,
) -> Result<StoredConfig> {
    let (image, opts) = (inputs.image, inputs.opts);
    let img = &image.config.config;
    let non_empty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    let command = opts.command()?;
    let (entrypoint, cmd) = match opts.entrypoint.as_deref() {
        // A new entrypoint drops the image's CMD unless a command was given.
        Some("") => (
            None,
            non_empty(&command.to_vec()).or_else(|| non_empty(&img.cmd)),
        ),
        Some(e) => (Some(vec![e.to_string()]), non_empty(&command.to_vec())),
        None => (
            non_empty(&img.entrypoint),
            non_empty(&command.to_vec()).or_else(|| non_empty(&img.cmd)),
        ),
    };
    let process = spec.process().as_ref();
    Ok(StoredConfig {
        image: opts.image()?.to_string(),
        image_id: image.id().to_string(),
        hostname: parts.hostname.clone(),
        domainname: opts.domainname.clone().unwrap_or_default(),
        user: opts.user.clone().unwrap_or_default(),
        env: process.and_then(|p| p.env().clone()).unwrap_or_default(),
        cmd,
        entrypoint,
        working_dir: opts
            .workdir
            .clone()
            .or_else(|| img.working_dir.clone())
            .unwrap_or_default(),
        tty: opts.tty,
        open_stdin: opts.interactive,
        attach_stdin: opts.interactive && !opts.detached,
        attach_output: !opts.detached,
        stop_signal: opts.stop_signal.clone().or_else(|| img.stop_signal.clone()),
        stop_timeout: opts.stop_timeout,
        log: StoredLog::from(&checked.log),
        auto_remove: opts.rm,
        network_mode: opts.network.display(),
        console_size: opts.console_size.map(|(w, h)| [h, w]).unwrap_or_default(),
        cidfile: opts.cidfile.clone().unwrap_or_default(),
        binds: checked.binds.clone(),
        mounts: parts.mounts.clone(),
        volumes_from: opts.mounts.volumes_from.clone(),
        read_only: opts.read_only,
        restart: opts.restart.clone().unwrap_or_default(),
        resources: checked.extras.resources.clone(),
        privileged: opts.security.privileged,
        cap_add: opts.security.cap_add.clone(),
        cap_drop: opts.security.cap_drop.clone(),
        security_opt: opts.security.security_opt.clone(),
        devices: opts.security.device_mappings()?,
        device_cgroup_rules: opts.security.device_cgroup_rule.clone(),
        oom_score_adj: opts.limits.oom_score_adj.unwrap_or_default(),
        blkio: [
            &opts.throttle.device_read_bps,
            &opts.throttle.device_write_bps,
            &opts.throttle.device_read_iops,
            &opts.throttle.device_write_iops,
        ]
        .map(|l| l.clone()),
        group_add: opts.security.group_add.clone(),
        init: opts.limits.init,
        ipc_mode: opts
            .namespaces
            .ipc
            .clone()
            .unwrap_or_else(|| "private".into()),
        pid_mode: opts.namespaces.pid.clone().unwrap_or_default(),
        uts_mode: opts.namespaces.uts.clone().unwrap_or_default(),
        cgroupns_mode: if checked.extras.namespaces.cgroupns_private {
            "private"
        } else {
            "host"
        }
        .into(),
        cgroup_parent: opts.namespaces.cgroup_parent.clone().unwrap_or_default(),
        shm_size: opts.limits.shm_size.unwrap_or(limits::DEFAULT_SHM),
        sysctls: opts.limits.sysctls(),
        ulimits: opts.limits.ulimit.clone(),
    })
}

/// The record's labels: the image's first (never containerd's or berth's
/// own keys: an image must not be able to set a restart policy), then the
/// user's, then berth's bookkeeping.
fn record_labels(inputs: &Inputs<'_>, name: &str) -> Result<HashMap<String, String>> {
    let (image, opts) = (inputs.image, inputs.opts);
    let mut all_labels: HashMap<String, String> = image
        .config
        .config
        .labels
        .iter()
        .filter(|(k, _)| !labels::is_reserved(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    all_labels.extend(opts.labels().cloned());
    let mut empty: Vec<String> = all_labels
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    if !empty.is_empty() {
        empty.sort();
        all_labels.retain(|_, v| !v.is_empty());
        all_labels.insert(labels::EMPTY_VALUED.to_string(), empty.join(","));
    }
    all_labels.insert(labels::NAME.to_string(), name.to_string());
    all_labels.insert(labels::IMAGE.to_string(), opts.image()?.to_string());
    if let Some(t) = inputs.started {
        all_labels.insert(labels::STARTED_AT.to_string(), util::rfc3339_nanos(t));
    }
    Ok(all_labels)
}

/// The container's mounts: the user's, another container's
/// (`--volumes-from`), the image's `VOLUME`s; volumes made and filled.
/// Returns them with the names of the volumes made here (for undoing).
async fn make_mounts(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
    rootfs: &[Mount],
) -> Result<(Vec<MountEntry>, Vec<String>)> {
    let mut mounts = checked.mounts.clone();
    let from = volumes::volumes_from(client, &inputs.opts.mounts.volumes_from, &mounts).await?;
    mounts.extend(from);
    let image_volumes = volumes::image_volumes(&inputs.image.config.config.volumes, &mounts);
    mounts.extend(image_volumes);
    let layers = user::layer_dirs(rootfs);
    let made = volumes::make(
        inputs.data,
        client.namespace(),
        &mut mounts,
        layers.as_deref(),
    )?;
    mounts::sort_for_mounting(&mut mounts);
    Ok((mounts, made))
}

async fn make_record(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
    id: &str,
    name: &str,
    rootfs: &[Mount],
) -> Result<Container> {
    let (mounts, made) = make_mounts(client, inputs, checked, rootfs).await?;
    let result = async {
        let parts = parts(client, inputs, checked, id, name, rootfs, mounts).await?;
        write_record(client, inputs, checked, id, name, parts).await
    }
    .await;
    if result.is_err() {
        volumes::undo_made(inputs.data, client.namespace(), &made);
    }
    result
}

/// What the record is made of besides the options.
struct Parts {
    user: ResolvedUser,
    extras: Extras,
    hostname: String,
    etc_dir: PathBuf,
    network: net::Prepared,
    mounts: Vec<MountEntry>,
}

/// The user, the joined namespaces, the network and the /etc files.
async fn parts(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
    id: &str,
    name: &str,
    rootfs: &[Mount],
    mounts: Vec<MountEntry>,
) -> Result<Parts> {
    let (image, opts) = (inputs.image, inputs.opts);
    let user_spec = opts
        .user
        .clone()
        .or_else(|| image.config.config.user.clone())
        .unwrap_or_default();
    let user = resolve_user(&user_spec, &opts.security.group_add, rootfs)?;
    let mut extras = checked.extras.clone();
    extras.joined = namespaces::joined(client, inputs.data, &extras.namespaces).await?;
    let hostname = hostname(opts, id);
    let etc_dir = inputs.data.create_container_dir(client.namespace(), id)?;
    if extras.namespaces.ipc == namespaces::Mode::Shareable {
        let size = opts.limits.shm_size.unwrap_or(limits::DEFAULT_SHM);
        extras.joined.own_shm = Some(namespaces::mount_shm(&etc_dir, size)?);
    }
    let mut names = vec![name.to_string()];
    for n in std::iter::once(&hostname).chain(&opts.network_alias) {
        if !names.contains(n) {
            names.push(n.clone());
        }
    }
    let network = net::prepare(client, inputs.data, opts, &image.config.config, id, &names).await?;
    let extra_hosts = opts
        .add_host
        .iter()
        .map(|h| etc_files::parse_add_host(h, network.gateway.as_deref()))
        .collect::<Result<Vec<_>>>()?;
    etc_files::write(
        &etc_dir,
        &EtcInputs {
            network: &opts.network,
            hostname: &hostname,
            ip: network.ip.as_deref(),
            extra_hosts: &extra_hosts,
            dns: &opts.dns,
            dns_search: &opts.dns_search,
            dns_options: &opts.dns_option,
        },
    )?;
    if let Some(n) = &network.peers_network {
        net::sync_peers(inputs.data, client.namespace(), n)?;
    }
    Ok(Parts {
        user,
        extras,
        hostname,
        etc_dir,
        network,
        mounts,
    })
}

async fn write_record(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
    id: &str,
    name: &str,
    parts: Parts,
) -> Result<Container> {
    let (image, opts) = (inputs.image, inputs.opts);
    let spec = spec::build(
        opts,
        &SpecContext {
            id,
            namespace: client.namespace(),
            image: &image.config.config,
            user: &parts.user,
            hostname: &parts.hostname,
            etc_dir: &parts.etc_dir,
            mounts: &parts.mounts,
            netns: parts.network.netns.as_deref(),
            extras: &parts.extras,
        },
    )?;
    let spec_json = serde_json::to_vec(&spec::to_json(&spec)?)?;
    let stored = stored_config(inputs, checked, &parts, &spec)?;
    let mut all_labels = record_labels(inputs, name)?;
    if let Some(ports) = parts.network.ports_label {
        all_labels.insert(labels::PORTS.to_string(), ports);
    }
    if let Some(v) = volumes::label(&parts.mounts) {
        all_labels.insert(labels::VOLUMES.to_string(), v);
    }
    let container = Container {
        id: id.to_string(),
        labels: all_labels,
        image: image.name.clone(),
        runtime: Some(Runtime {
            name: DEFAULT_RUNTIME.to_string(),
            options: None,
        }),
        spec: Some(prost_types::Any {
            type_url: SPEC_TYPE_URL.to_string(),
            value: spec_json,
        }),
        snapshotter: client.snapshotter().to_string(),
        snapshot_key: id.to_string(),
        extensions: HashMap::from([(config::EXTENSION.to_string(), stored.to_any())]),
        ..Default::default()
    };
    let created = client
        .containers()
        .create(CreateContainerRequest {
            container: Some(container),
        })
        .await?
        .into_inner()
        .container
        .ok_or_else(|| Error::new(ErrorKind::Daemon, "containerd returned no container"))?;
    Ok(created)
}
