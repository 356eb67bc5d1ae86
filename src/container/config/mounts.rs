//! Everything mounted into a container besides docker's defaults: `-v`
//! (binds, named and anonymous volumes), `--mount`, `--tmpfs`,
//! `--volumes-from`, `--read-only`. The flags become docker's `Binds`,
//! `Config.Volumes`, `Mounts`, `Tmpfs` and `VolumesFrom` as docker's CLI
//! sends them; creation reads those back into [`MountEntry`]s with docker's
//! daemon's checks (volumes are made at creation, `ops/volumes.rs`); the
//! spec's mounts come from the entries.

use std::path::Path;

use clap::Args;
use oci_spec::runtime::{Mount as OciMount, MountBuilder};

use super::binds;
use crate::container::model::{
    Config, CreateRequest, HostConfig, Mount, MountBindOptions, MountEntry, MountKind,
    MountTmpfsOptions, MountVolumeOptions,
};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct MountFlags {
    /// Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)
    #[arg(short = 'v', long = "volume", value_name = "SRC:DST[:OPTS]")]
    pub volume: Vec<String>,
    /// Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])
    #[arg(long = "mount", value_name = "MOUNT", value_parser = parse_mount_flag)]
    pub mount: Vec<Mount>,
    /// Mount a tmpfs directory (PATH[:OPTIONS])
    #[arg(long = "tmpfs", value_name = "PATH[:OPTIONS]")]
    pub tmpfs: Vec<String>,
    /// Mount volumes from the specified container(s) (CONTAINER[:ro|rw])
    #[arg(long = "volumes-from", value_name = "CONTAINER")]
    pub volumes_from: Vec<String>,
    /// Mount the container's root filesystem as read only
    #[arg(long = "read-only", num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
    pub read_only: bool,
}

impl MountFlags {
    /// Fills the request as docker's CLI does: `-v` with a source becomes a
    /// `Binds` entry (a relative bind source made absolute), without one a
    /// `Config.Volumes` key.
    pub fn apply(&self, req: &mut CreateRequest, cwd: &Path) -> Result<()> {
        let mut binds = Vec::new();
        for v in &self.volume {
            match cli_volume(v, cwd)? {
                CliVolume::Anonymous(target) => {
                    req.config
                        .volumes
                        .get_or_insert_with(Default::default)
                        .insert(target, Default::default());
                }
                CliVolume::Bind(b) => binds.push(b),
            }
        }
        let h = &mut req.host_config;
        h.binds = (!binds.is_empty()).then_some(binds);
        h.mounts = self.mount.clone();
        for t in &self.tmpfs {
            let (dest, opts) = t.split_once(':').unwrap_or((t, ""));
            h.tmpfs.insert(dest.to_string(), opts.to_string());
        }
        h.volumes_from = (!self.volumes_from.is_empty()).then(|| self.volumes_from.clone());
        h.readonly_rootfs = self.read_only;
        Ok(())
    }
}

enum CliVolume {
    Anonymous(String),
    Bind(String),
}

/// docker's CLI's reading of `-v` (compose's volume grammar): sections
/// between colons, none empty; only a target is an anonymous volume.
fn cli_volume(spec: &str, cwd: &Path) -> Result<CliVolume> {
    let invalid = |why: &str| Error::invalid(format!("invalid spec: {spec}: {why}")).cli();
    if spec.is_empty() {
        return Err(Error::invalid("invalid empty volume spec").cli());
    }
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(invalid("empty section between colons"));
    }
    match parts.as_slice() {
        [target] => Ok(CliVolume::Anonymous(target.to_string())),
        [source, rest @ ..] if rest.len() <= 2 && source.starts_with('.') => {
            let abs = binds::clean(&cwd.join(source));
            Ok(CliVolume::Bind(format!("{abs}:{}", rest.join(":"))))
        }
        [_, rest @ ..] if rest.len() <= 2 => Ok(CliVolume::Bind(spec.to_string())),
        _ => Err(invalid("too many colons")),
    }
}

/// The container's mounts from its configuration, checked as docker's
/// daemon checks them; a destination used twice is an error. The `Binds`
/// come first, in their order.
pub fn entries(c: &Config, h: &HostConfig) -> Result<Vec<MountEntry>> {
    let mut all = Vec::new();
    for b in h.binds.iter().flatten() {
        all.push(parse_bind(b)?);
    }
    for m in &h.mounts {
        all.push(from_mount(m)?);
    }
    for (dest, opts) in &h.tmpfs {
        all.push(parse_tmpfs(dest, opts)?);
    }
    check_duplicates(&all)?;
    for dest in c.volumes.iter().flat_map(|v| v.keys()) {
        let dest = clean_destination(dest, dest)?;
        if !all.iter().any(|m| m.destination == dest) {
            all.push(MountEntry {
                kind: MountKind::Volume,
                destination: dest,
                anonymous: true,
                ..Default::default()
            });
        }
    }
    Ok(all)
}

pub fn check_duplicates(all: &[MountEntry]) -> Result<()> {
    for (i, m) in all.iter().enumerate() {
        if all[..i].iter().any(|o| o.destination == m.destination) {
            return Err(Error::invalid(format!(
                "Duplicate mount point: {}",
                m.destination
            )));
        }
    }
    Ok(())
}

/// A `Binds` entry: a named volume (`NAME:DST[:OPTS]`) or a bind
/// (`/SRC:DST[:OPTS]`), docker's daemon's grammar and errors (a relative
/// source is an invalid volume name to it).
pub fn parse_bind(raw: &str) -> Result<MountEntry> {
    let parts: Vec<&str> = raw.split(':').collect();
    let (name, dest, mode) = match parts.as_slice() {
        [src, dest] if !src.starts_with('/') => (*src, *dest, ""),
        [src, dest, mode] if !src.starts_with('/') => (*src, *dest, *mode),
        [_] => {
            return Err(Error::invalid(format!(
                "invalid volume specification: '{raw}'"
            )));
        }
        _ => return binds::parse(raw).map(from_bind),
    };
    crate::volume::validate_name(name)?;
    let destination = clean_destination(dest, raw)?;
    let (mut read_only, mut nocopy) = (false, false);
    for o in mode.split(',').filter(|o| !o.is_empty()) {
        match o {
            "ro" => read_only = true,
            "rw" => read_only = false,
            "nocopy" => nocopy = true,
            "z" | "Z" => {}
            _ => return Err(Error::invalid(format!("invalid mode: {mode}"))),
        }
    }
    Ok(MountEntry {
        kind: MountKind::Volume,
        name: name.to_string(),
        destination,
        read_only,
        mode: if mode.is_empty() {
            "z".into()
        } else {
            mode.to_string()
        },
        nocopy,
        ..Default::default()
    })
}

fn from_bind(b: binds::Bind) -> MountEntry {
    MountEntry {
        kind: MountKind::Bind,
        source: b.source,
        destination: b.destination,
        read_only: b.read_only,
        mode: b.mode,
        propagation: b.propagation,
        ..Default::default()
    }
}

fn clean_destination(dest: &str, raw: &str) -> Result<String> {
    if !dest.starts_with('/') {
        return Err(Error::invalid(format!(
            "invalid volume specification: '{raw}': invalid mount config: mount path must be absolute"
        )));
    }
    let cleaned = binds::clean(Path::new(dest));
    if cleaned == "/" {
        return Err(Error::invalid(format!(
            "invalid volume specification: '{raw}': destination can't be '/'"
        )));
    }
    Ok(cleaned)
}

fn bool_value(key: &str, v: Option<&str>, raw: &str) -> Result<bool> {
    match v {
        None | Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(o) => Err(Error::invalid(format!(
            "invalid argument \"{raw}\" for \"--mount\" flag: invalid value for {key}: {o}"
        ))),
    }
}

/// `--mount type=...,source=...,target=...` into docker's `Mount`, as
/// docker's CLI reads the CSV fields.
pub fn parse_mount_flag(raw: &str) -> Result<Mount> {
    let bad = |why: String| Error::invalid(why);
    let mut m = Mount {
        kind: "volume".into(),
        ..Default::default()
    };
    fn volume_opts(m: &mut Mount) -> &mut MountVolumeOptions {
        m.volume_options.get_or_insert_with(|| MountVolumeOptions {
            driver_config: Some(serde_json::json!({})),
            ..Default::default()
        })
    }
    for field in raw.split(',') {
        let (k, v) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v)),
            None => (field.to_ascii_lowercase(), None),
        };
        let val =
            || v.ok_or_else(|| bad(format!("invalid field '{field}' must be a key=value pair")));
        match k.as_str() {
            "type" => m.kind = val()?.to_string(),
            "source" | "src" => m.source = val()?.to_string(),
            "target" | "destination" | "dst" => m.target = val()?.to_string(),
            "readonly" | "ro" => m.read_only = bool_value(&k, v, raw)?,
            "volume-nocopy" => volume_opts(&mut m).no_copy = bool_value(&k, v, raw)?,
            "bind-propagation" => {
                m.bind_options
                    .get_or_insert_with(MountBindOptions::default)
                    .propagation = val()?.to_string()
            }
            "tmpfs-size" => {
                let size = crate::units::ram_in_bytes(val()?)?;
                m.tmpfs_options
                    .get_or_insert_with(MountTmpfsOptions::default)
                    .size_bytes = size;
            }
            "tmpfs-mode" => {
                let mode = u32::from_str_radix(val()?, 8)
                    .map_err(|_| bad(format!("invalid tmpfs-mode {:?}", v.unwrap_or(""))))?;
                m.tmpfs_options
                    .get_or_insert_with(MountTmpfsOptions::default)
                    .mode = mode;
            }
            "volume-label" => {
                let (lk, lv) = val()?.split_once('=').unwrap_or((val()?, ""));
                volume_opts(&mut m)
                    .labels
                    .insert(lk.to_string(), lv.to_string());
            }
            "volume-driver" if val()? == "local" => {}
            "consistency" => m.consistency = val()?.to_string(),
            "volume-driver" | "volume-opt" | "bind-nonrecursive" | "bind-recursive"
            | "volume-subpath" => {
                return Err(Error::unsupported(format!(
                    "--mount {k} is not supported yet"
                )));
            }
            _ => return Err(bad(format!("unexpected key '{k}' in '{field}'"))),
        }
    }
    if !["bind", "volume", "tmpfs"].contains(&m.kind.as_str()) {
        return Err(bad(format!("mount type {:?} is not supported", m.kind)));
    }
    if m.target.is_empty() {
        return Err(bad("target is required".into()));
    }
    Ok(m)
}

/// A `Mounts` entry, checked as docker's daemon checks it.
pub fn from_mount(m: &Mount) -> Result<MountEntry> {
    let invalid = |why: String| {
        Error::invalid(format!(
            "invalid mount config for type \"{}\": {why}",
            m.kind
        ))
    };
    let destination = clean_destination(&m.target, &m.target)?;
    let mut e = MountEntry {
        destination,
        read_only: m.read_only,
        ..Default::default()
    };
    match m.kind.as_str() {
        "bind" => {
            if m.source.is_empty() {
                return Err(invalid("field Source must not be empty".into()));
            }
            if !Path::new(&m.source).exists() {
                return Err(invalid(format!(
                    "bind source path does not exist: {}",
                    m.source
                )));
            }
            e.kind = MountKind::Bind;
            e.source = binds::clean(Path::new(&m.source));
            e.propagation = m
                .bind_options
                .as_ref()
                .map(|b| b.propagation.clone())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| "rprivate".into());
        }
        "volume" => {
            e.kind = MountKind::Volume;
            e.anonymous = m.source.is_empty();
            if !e.anonymous {
                crate::volume::validate_name(&m.source)?;
            }
            e.name = m.source.clone();
            e.mode = "z".into();
            if let Some(o) = &m.volume_options {
                e.nocopy = o.no_copy;
                e.labels = o
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
            }
        }
        "tmpfs" => {
            if !m.source.is_empty() {
                return Err(invalid("field Source must not be specified".into()));
            }
            e.kind = MountKind::Tmpfs;
            if let Some(t) = &m.tmpfs_options {
                if t.size_bytes != 0 {
                    e.options.push(format!("size={}", t.size_bytes));
                }
                if t.mode != 0 {
                    e.options.push(format!("mode={:o}", t.mode));
                }
            }
        }
        other => {
            return Err(Error::invalid(format!(
                "mount type {other:?} is not supported"
            )));
        }
    }
    Ok(e)
}

/// A `Tmpfs` entry: `/run` with `size=64m,mode=1777` (`ro`/`rw` kept apart).
pub fn parse_tmpfs(dest: &str, opts: &str) -> Result<MountEntry> {
    if !dest.starts_with('/') {
        return Err(Error::invalid(format!(
            "invalid mount path: '{dest}' mount path must be absolute"
        )));
    }
    let destination = clean_destination(dest, dest)?;
    let mut options: Vec<String> = Vec::new();
    let mut read_only = false;
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        match o {
            "ro" => read_only = true,
            "rw" => read_only = false,
            o => options.push(o.to_string()),
        }
    }
    Ok(MountEntry {
        kind: MountKind::Tmpfs,
        destination,
        read_only,
        options,
        ..Default::default()
    })
}

/// `--volumes-from NAME[:ro|rw]`: the container and the mode override.
pub fn parse_volumes_from(raw: &str) -> Result<(String, Option<bool>)> {
    match raw.split_once(':') {
        None => Ok((raw.to_string(), None)),
        Some((c, "ro")) => Ok((c.to_string(), Some(true))),
        Some((c, "rw")) => Ok((c.to_string(), Some(false))),
        Some((_, m)) => Err(Error::invalid(format!(
            "invalid mode for volumes-from: {m}"
        ))),
    }
}

/// docker's tmpfs defaults, before the user's options.
const TMPFS_DEFAULTS: &[&str] = &["noexec", "nosuid", "nodev"];

/// The runtime spec's mount for an entry.
pub fn spec_mount(m: &MountEntry) -> Result<OciMount> {
    let (typ, source, mut options): (&str, &str, Vec<String>) = match m.kind {
        MountKind::Bind => (
            "bind",
            &m.source,
            vec!["rbind".into(), m.propagation_or_default().into()],
        ),
        MountKind::Volume => ("bind", &m.source, vec!["rbind".into(), "rprivate".into()]),
        MountKind::Tmpfs => (
            "tmpfs",
            "tmpfs",
            TMPFS_DEFAULTS
                .iter()
                .map(|s| s.to_string())
                .chain(m.options.iter().cloned())
                .collect(),
        ),
    };
    if m.read_only {
        options.push("ro".into());
    }
    MountBuilder::default()
        .destination(&m.destination)
        .typ(typ)
        .source(source)
        .options(options)
        .build()
        .map_err(|e| Error::invalid(format!("mount {}: {e}", m.destination)))
}

/// Mounts in an order where a parent directory comes before what is
/// mounted inside it (docker sorts by depth; equal depths keep their order).
pub fn sort_for_mounting<T>(all: &mut [T], destination: impl Fn(&T) -> &Path) {
    all.sort_by_key(|m| destination(m).components().count());
}

#[cfg(test)]
#[path = "mounts_tests.rs"]
mod tests;
