//! Creating a container: name, snapshot, /etc files, user, spec and the
//! containerd record, all under the name's lease so nothing is collected
//! half-made. Used through `lifecycle::create`.

use std::collections::HashMap;
use std::time::SystemTime;

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::{Container, CreateContainerRequest};
use containerd_client::types::Mount;

use super::binds::{self, Bind};
use super::config::{self, StoredConfig, StoredLog};
use super::etc_files::EtcInputs;
use super::options::{ContainerOptions, NetworkMode};
use super::record::ContainerRecord;
use super::spec::{self, SpecContext};
use super::user::{self, ResolvedUser};
use super::{etc_files, labels, names, net, restart, signal};
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
    binds: Vec<Bind>,
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
    let binds = binds::parse_all(&opts.volume, &cwd)?;
    // Syntax only here; host-gateway gets its address once the network is up.
    for h in &opts.add_host {
        etc_files::parse_add_host(h, Some("0.0.0.0"))?;
    }
    for p in &opts.publish {
        crate::network::ports::parse(p)?;
    }
    for b in &binds {
        b.ensure_source()?;
    }
    Ok(Checked { log, binds })
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
fn resolve_user(spec: &str, rootfs: &[Mount]) -> Result<ResolvedUser> {
    let files = user::layer_dirs(rootfs).and_then(|dirs| {
        let passwd = user::read_through_layers(&dirs, "etc/passwd").ok()?;
        let group = user::read_through_layers(&dirs, "etc/group").ok()?;
        Some((passwd, group))
    });
    match files {
        Some((passwd, group)) => user::resolve(spec, passwd.as_deref(), group.as_deref()),
        None if user::is_numeric(spec) => user::resolve(spec, None, None),
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
    hostname: &str,
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
        hostname: hostname.to_string(),
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
        binds: checked.binds.iter().map(|b| b.raw.clone()).collect(),
        read_only: opts.read_only,
        restart: opts.restart.clone().unwrap_or_default(),
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
    all_labels.extend(opts.label.iter().cloned());
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

async fn make_record(
    client: &Client,
    inputs: &Inputs<'_>,
    checked: &Checked,
    id: &str,
    name: &str,
    rootfs: &[Mount],
) -> Result<Container> {
    let (image, opts) = (inputs.image, inputs.opts);
    let user_spec = opts
        .user
        .clone()
        .or_else(|| image.config.config.user.clone())
        .unwrap_or_default();
    let user = resolve_user(&user_spec, rootfs)?;
    let hostname = hostname(opts, id);
    let etc_dir = inputs.data.create_container_dir(client.namespace(), id)?;
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
    let spec = spec::build(
        opts,
        &SpecContext {
            id,
            namespace: client.namespace(),
            image: &image.config.config,
            user: &user,
            hostname: &hostname,
            etc_dir: &etc_dir,
            binds: &checked.binds,
            netns: network.netns.as_deref(),
        },
    )?;
    let spec_json = serde_json::to_vec(&spec::to_json(&spec)?)?;
    let stored = stored_config(inputs, checked, &hostname, &spec)?;

    let mut all_labels = record_labels(inputs, name)?;
    if let Some(ports) = network.ports_label {
        all_labels.insert(labels::PORTS.to_string(), ports);
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
