//! Creating a container: name, snapshot, user, spec and the containerd
//! record, all under a lease so nothing is collected half-made.

use std::collections::HashMap;
use std::time::SystemTime;

use containerd_client::services::v1::container::Runtime;
use containerd_client::services::v1::snapshots::{PrepareSnapshotRequest, RemoveSnapshotRequest};
use containerd_client::services::v1::{Container, CreateContainerRequest, DeleteContainerRequest};
use containerd_client::types::Mount;

use super::spec::{self, NetworkMode, SpecInput};
use super::user::{self, ResolvedUser};
use super::{labels, names};
use crate::client::{Client, DEFAULT_RUNTIME};
use crate::error::{Error, ErrorKind, Result};
use crate::image::{ResolvedImage, unpack};
use crate::util;

pub const SPEC_TYPE_URL: &str = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub name: Option<String>,
    /// The image as the user typed it.
    pub image_input: String,
    pub cmd: Vec<String>,
    pub entrypoint: Option<String>,
    /// `-e` entries, already expanded to `KEY=VALUE` (see `expand_env`).
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub tty: bool,
    pub labels: Vec<(String, String)>,
    pub hostname: Option<String>,
    pub network: Option<NetworkMode>,
    pub console_size: Option<(u16, u16)>,
    /// The container's task is started right after creation (`run`).
    pub starting: bool,
}

pub struct Created {
    pub id: String,
    pub name: String,
    /// The rootfs mounts, for creating the task.
    pub rootfs: Vec<Mount>,
    /// The record as created.
    pub record: Container,
}

/// docker's `-e`/`--env-file` semantics: `K=V` as given; a bare `K` takes
/// the value from `lookup` (the CLI's environment) or is dropped.
pub fn expand_env(
    entries: &[String],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        match e.split_once('=') {
            Some(("", _)) => {
                return Err(Error::invalid(format!("invalid environment variable: {e}")));
            }
            Some(_) => out.push(e.clone()),
            None if e.is_empty() => {
                return Err(Error::invalid("invalid environment variable: empty"));
            }
            None => {
                if let Some(v) = lookup(e) {
                    out.push(format!("{e}={v}"));
                }
            }
        }
    }
    Ok(out)
}

/// Reads docker env-files: one `K=V` or `K` per line, `#` comments.
pub fn read_env_file(path: &str) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(format!("open {path}"), e))?;
    Ok(text
        .lines()
        .map(|l| l.trim_start())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect())
}

/// `-l key=value` (or `key`, empty value).
pub fn parse_label(s: &str) -> Result<(String, String)> {
    let (k, v) = s.split_once('=').unwrap_or((s, ""));
    if k.is_empty() {
        return Err(Error::invalid(format!("invalid label {s:?}: empty key")));
    }
    Ok((k.to_string(), v.to_string()))
}

pub async fn create(
    client: &Client,
    image: &ResolvedImage,
    opts: &CreateOptions,
) -> Result<Created> {
    let id = util::random_hex_id();
    let name = claim_name(client, opts.name.as_deref(), &id).await?;
    let result = create_reserved(client, image, opts, &id, &name).await;
    if result.is_err() {
        let _ = names::release(client, &name).await;
    }
    result
}

async fn create_reserved(
    client: &Client,
    image: &ResolvedImage,
    opts: &CreateOptions,
    id: &str,
    name: &str,
) -> Result<Created> {
    // The name's lease lives exactly as long as the container, so it also
    // keeps the new snapshot from the collector until the record exists:
    // no second lease (and no extra metadata writes) per container.
    let leased = client.with_lease(&names::lease_id(name))?;
    let rootfs = match prepare(&leased, image, id).await {
        Err(e) if e.kind() == ErrorKind::NotFound && image.top_chain_id().is_some() => {
            // Pulled without unpacking (or for another snapshotter).
            unpack::unpack_image(client, image).await?;
            prepare(&leased, image, id).await?
        }
        other => other?,
    };
    match make_record(&leased, image, opts, id, name, &rootfs).await {
        Ok(record) => Ok(Created {
            id: id.to_string(),
            name: name.to_string(),
            rootfs,
            record,
        }),
        Err(e) => {
            let _ = leased
                .snapshots()
                .remove(RemoveSnapshotRequest {
                    snapshotter: client.snapshotter().to_string(),
                    key: id.to_string(),
                })
                .await;
            Err(e)
        }
    }
}

async fn claim_name(client: &Client, requested: Option<&str>, id: &str) -> Result<String> {
    if let Some(n) = requested {
        let n = names::validate(n)?.to_string();
        names::reserve(client, &n, id).await?;
        return Ok(n);
    }
    for attempt in 0..10 {
        let n = names::generate(attempt);
        match names::reserve(client, &n, id).await {
            Ok(()) => return Ok(n),
            Err(e) if e.kind() == ErrorKind::Conflict => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::conflict(
        "could not find a free container name; use --name",
    ))
}

/// The container's writable snapshot on top of the image's layers.
async fn prepare(client: &Client, image: &ResolvedImage, id: &str) -> Result<Vec<Mount>> {
    Ok(client
        .snapshots()
        .prepare(PrepareSnapshotRequest {
            snapshotter: client.snapshotter().to_string(),
            key: id.to_string(),
            parent: image.top_chain_id().unwrap_or_default(),
            labels: HashMap::new(),
        })
        .await?
        .into_inner()
        .mounts)
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

async fn make_record(
    client: &Client,
    image: &ResolvedImage,
    opts: &CreateOptions,
    id: &str,
    name: &str,
    rootfs: &[Mount],
) -> Result<Container> {
    let user_spec = opts
        .user
        .clone()
        .or_else(|| image.config.config.user.clone())
        .unwrap_or_default();
    let user = resolve_user(&user_spec, rootfs)?;
    let network = opts.network.unwrap_or(NetworkMode::None);
    let hostname = match (&opts.hostname, network) {
        (Some(h), _) => h.clone(),
        (None, NetworkMode::Host) => nix::unistd::gethostname()
            .ok()
            .and_then(|h| h.into_string().ok())
            .unwrap_or_else(|| id[..12].to_string()),
        (None, NetworkMode::None) => id[..12].to_string(),
    };
    let spec = spec::build(&SpecInput {
        id,
        namespace: client.namespace(),
        image: &image.config.config,
        cmd: &opts.cmd,
        entrypoint: opts.entrypoint.as_deref(),
        env: &opts.env,
        workdir: opts.workdir.as_deref(),
        user: &user,
        tty: opts.tty,
        hostname: &hostname,
        network,
        console_size: opts.console_size,
    })?;
    let spec_json = serde_json::to_vec(&spec::to_json(&spec)?)?;

    // Image labels first (never containerd's or berth's own keys: an image
    // must not be able to set a restart policy), then the user's, then ours.
    let mut all_labels: HashMap<String, String> = image
        .config
        .config
        .labels
        .iter()
        .filter(|(k, _)| !labels::is_reserved(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    all_labels.extend(opts.labels.iter().cloned());
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
    all_labels.insert(labels::IMAGE.to_string(), opts.image_input.clone());
    if opts.starting {
        // Created to be started at once: the start time goes in with the
        // record instead of costing another metadata write.
        all_labels.insert(
            labels::STARTED_AT.to_string(),
            util::rfc3339_nanos(SystemTime::now()),
        );
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

/// Deletes the container record and its snapshot (not the task).
pub async fn delete_record(client: &Client, c: &Container) -> Result<()> {
    match client
        .containers()
        .delete(DeleteContainerRequest { id: c.id.clone() })
        .await
    {
        Ok(_) => {}
        Err(s) if crate::error::is_not_found(&s) => {}
        Err(s) => return Err(s.into()),
    }
    if !c.snapshot_key.is_empty() {
        let snapshotter = if c.snapshotter.is_empty() {
            client.snapshotter().to_string()
        } else {
            c.snapshotter.clone()
        };
        match client
            .snapshots()
            .remove(RemoveSnapshotRequest {
                snapshotter,
                key: c.snapshot_key.clone(),
            })
            .await
        {
            Ok(_) => {}
            Err(s) if crate::error::is_not_found(&s) => {}
            Err(s) => return Err(s.into()),
        }
    }
    if let Some(name) = c.labels.get(labels::NAME) {
        names::release(client, name).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_expansion() {
        let lookup = |k: &str| (k == "HOME").then(|| "/root".to_string());
        let got = expand_env(
            &["A=1".into(), "HOME".into(), "MISSING".into(), "B=".into()],
            lookup,
        )
        .unwrap();
        assert_eq!(got, vec!["A=1", "HOME=/root", "B="]);
        assert!(expand_env(&["=x".into()], lookup).is_err());
    }

    #[test]
    fn labels_parse() {
        assert_eq!(parse_label("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert_eq!(parse_label("flag").unwrap(), ("flag".into(), "".into()));
        assert!(parse_label("=x").is_err());
    }

    #[test]
    fn env_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("env");
        std::fs::write(&p, "# comment\nA=1\n\n  B=two words\r\nC\n").unwrap();
        assert_eq!(
            read_env_file(p.to_str().unwrap()).unwrap(),
            vec!["A=1", "B=two words", "C"]
        );
        assert!(read_env_file("/nonexistent/env").is_err());
    }
}
