//! Everything mounted into a container besides docker's defaults: `-v`
//! (binds, named and anonymous volumes), `--mount`, `--tmpfs`,
//! `--volumes-from`, and the image's `VOLUME`s. Parsed here into
//! [`MountEntry`]s (pure); volumes are made and filled at creation
//! (`volumes.rs`); the spec's mounts and inspect's `Mounts` come from the
//! same entries, stored with the container.

use std::path::{Path, PathBuf};

use clap::Args;
use oci_spec::runtime::{Mount, MountBuilder};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::binds::{self, Bind};
use crate::error::{Error, Result};

#[derive(Args, Debug, Clone, Default)]
pub struct MountFlags {
    /// Bind mount a host path or mount a volume (SRC:DST[:OPTS], NAME:DST[:OPTS], or DST for an anonymous volume)
    #[arg(short = 'v', long = "volume", value_name = "SRC:DST[:OPTS]")]
    pub volume: Vec<String>,
    /// Attach a filesystem mount to the container (type=bind|volume|tmpfs,source=...,target=...[,readonly])
    #[arg(long = "mount", value_name = "MOUNT")]
    pub mount: Vec<String>,
    /// Mount a tmpfs directory (PATH[:OPTIONS])
    #[arg(long = "tmpfs", value_name = "PATH[:OPTIONS]")]
    pub tmpfs: Vec<String>,
    /// Mount volumes from the specified container(s) (CONTAINER[:ro|rw])
    #[arg(long = "volumes-from", value_name = "CONTAINER")]
    pub volumes_from: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Bind,
    Volume,
    Tmpfs,
}

/// One mount, as stored with the container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MountEntry {
    pub kind: Kind,
    /// A volume's name ("" for an anonymous one not made yet).
    pub name: String,
    /// The host path: a bind's source, a volume's mountpoint.
    pub source: String,
    pub destination: String,
    pub read_only: bool,
    /// docker's `Mode` ("z", "ro", "rw,z", "").
    pub mode: String,
    pub propagation: String,
    /// tmpfs mount options (size=, mode=, ...).
    pub options: Vec<String>,
    pub anonymous: bool,
    /// `volume-nocopy` / `:nocopy`: no copy-up from the image.
    pub nocopy: bool,
    /// Labels for a volume `--mount` creates.
    pub labels: Vec<(String, String)>,
    /// A `-v` as docker's `HostConfig.Binds` keeps it (a relative bind
    /// source made absolute); "" for the other flags.
    pub raw: String,
}

/// docker's tmpfs defaults, before the user's options.
const TMPFS_DEFAULTS: &[&str] = &["noexec", "nosuid", "nodev"];

impl MountFlags {
    /// `-v`, `--mount` and `--tmpfs` entries, checked, in the order given;
    /// a destination used twice is an error (docker's "Duplicate mount point").
    pub fn parse(&self, cwd: &Path) -> Result<Vec<MountEntry>> {
        let mut all = Vec::new();
        for v in &self.volume {
            all.push(parse_volume(v, cwd)?);
        }
        for m in &self.mount {
            all.push(parse_mount(m)?);
        }
        for t in &self.tmpfs {
            all.push(parse_tmpfs(t)?);
        }
        check_duplicates(&all)?;
        Ok(all)
    }
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

fn from_bind(b: Bind) -> MountEntry {
    MountEntry {
        kind: Kind::Bind,
        raw: b.raw,
        source: b.source,
        destination: b.destination,
        read_only: b.read_only,
        mode: b.mode,
        propagation: b.propagation,
        ..Default::default()
    }
}

/// `-v`: a bind (source starts with `/` or `.`), a named volume, or an
/// anonymous one (only a destination).
pub fn parse_volume(raw: &str, cwd: &Path) -> Result<MountEntry> {
    let parts: Vec<&str> = raw.split(':').collect();
    let invalid = || Error::invalid(format!("invalid volume specification: '{raw}'"));
    let (name, dest, mode) = match parts.as_slice() {
        [dest] if dest.starts_with('/') => ("", *dest, ""),
        [src, dest] if !src.starts_with('/') && !src.starts_with('.') => (*src, *dest, ""),
        [src, dest, mode] if !src.starts_with('/') && !src.starts_with('.') => (*src, *dest, *mode),
        [_] => return Err(invalid()),
        _ => return binds::parse(raw, cwd).map(from_bind),
    };
    if !name.is_empty() {
        crate::volume::validate_name(name)?;
    }
    let dest = clean_destination(dest, raw)?;
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
        kind: Kind::Volume,
        name: name.to_string(),
        destination: dest,
        read_only,
        mode: if mode.is_empty() {
            "z".into()
        } else {
            mode.to_string()
        },
        anonymous: name.is_empty(),
        nocopy,
        raw: raw.to_string(),
        ..Default::default()
    })
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

/// `--mount type=...,source=...,target=...`: docker's CSV fields.
pub fn parse_mount(raw: &str) -> Result<MountEntry> {
    let bad = |why: String| {
        Error::invalid(format!(
            "invalid argument \"{raw}\" for \"--mount\" flag: {why}"
        ))
    };
    let mut m = MountEntry {
        kind: Kind::Volume,
        ..Default::default()
    };
    let (mut tmpfs_opts, mut propagation) = (Vec::new(), None);
    for field in raw.split(',') {
        let (k, v) = match field.split_once('=') {
            Some((k, v)) => (k.to_ascii_lowercase(), Some(v)),
            None => (field.to_ascii_lowercase(), None),
        };
        let val =
            || v.ok_or_else(|| bad(format!("invalid field '{field}' must be a key=value pair")));
        match k.as_str() {
            "type" => {
                m.kind = match val()? {
                    "bind" => Kind::Bind,
                    "volume" => Kind::Volume,
                    "tmpfs" => Kind::Tmpfs,
                    t => return Err(bad(format!("mount type {t:?} is not supported"))),
                }
            }
            "source" | "src" => m.name = val()?.to_string(),
            "target" | "destination" | "dst" => m.destination = val()?.to_string(),
            "readonly" | "ro" => m.read_only = bool_value(&k, v, raw)?,
            "volume-nocopy" => m.nocopy = bool_value(&k, v, raw)?,
            "bind-propagation" => propagation = Some(val()?.to_string()),
            "tmpfs-size" => {
                let size = super::resources::ram_in_bytes(val()?)?;
                tmpfs_opts.push(format!("size={size}"));
            }
            "tmpfs-mode" => {
                let mode = u32::from_str_radix(val()?, 8)
                    .map_err(|_| bad(format!("invalid tmpfs-mode {:?}", v.unwrap_or(""))))?;
                tmpfs_opts.push(format!("mode={mode:o}"));
            }
            "volume-label" => {
                let (lk, lv) = val()?.split_once('=').unwrap_or((val()?, ""));
                m.labels.push((lk.to_string(), lv.to_string()));
            }
            "volume-driver" if val()? == "local" => {}
            "consistency" => {}
            "volume-driver" | "volume-opt" | "bind-nonrecursive" | "bind-recursive" => {
                return Err(Error::unsupported(format!(
                    "--mount {k} is not supported yet"
                )));
            }
            _ => return Err(bad(format!("unexpected key '{k}' in '{field}'"))),
        }
    }
    if m.destination.is_empty() {
        return Err(bad("target is required".into()));
    }
    m.destination = clean_destination(&m.destination, raw)?;
    match m.kind {
        Kind::Bind => {
            if m.name.is_empty() {
                return Err(bad("source is required when specifying a bind mount".into()));
            }
            if !Path::new(&m.name).exists() {
                return Err(Error::invalid(format!(
                    "invalid mount config for type \"bind\": bind source path does not exist: {}",
                    m.name
                )));
            }
            m.source = binds::clean(Path::new(&m.name));
            m.name.clear();
            m.propagation = propagation.unwrap_or_else(|| "rprivate".into());
        }
        Kind::Volume => {
            m.anonymous = m.name.is_empty();
            if !m.anonymous {
                crate::volume::validate_name(&m.name)?;
            }
        }
        Kind::Tmpfs => {
            if !m.name.is_empty() {
                return Err(bad("source is not allowed for tmpfs mounts".into()));
            }
            m.options = tmpfs_opts;
        }
    }
    Ok(m)
}

/// `--tmpfs /run[:size=64m,mode=1777]`.
pub fn parse_tmpfs(raw: &str) -> Result<MountEntry> {
    let (dest, opts) = raw.split_once(':').unwrap_or((raw, ""));
    let destination = clean_destination(dest, raw)?;
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
        kind: Kind::Tmpfs,
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

impl MountEntry {
    /// The runtime spec's mount.
    pub fn spec_mount(&self) -> Result<Mount> {
        let (typ, source, mut options): (&str, &str, Vec<String>) = match self.kind {
            Kind::Bind => (
                "bind",
                &self.source,
                vec!["rbind".into(), self.propagation_or_default().into()],
            ),
            Kind::Volume => (
                "bind",
                &self.source,
                vec!["rbind".into(), "rprivate".into()],
            ),
            Kind::Tmpfs => (
                "tmpfs",
                "tmpfs",
                TMPFS_DEFAULTS
                    .iter()
                    .map(|s| s.to_string())
                    .chain(self.options.iter().cloned())
                    .collect(),
            ),
        };
        if self.read_only {
            options.push("ro".into());
        }
        MountBuilder::default()
            .destination(&self.destination)
            .typ(typ)
            .source(source)
            .options(options)
            .build()
            .map_err(|e| Error::invalid(format!("mount {}: {e}", self.destination)))
    }

    fn propagation_or_default(&self) -> &str {
        if self.propagation.is_empty() {
            "rprivate"
        } else {
            &self.propagation
        }
    }

    /// docker's `.Mounts[]` entry.
    pub fn inspect(&self) -> Value {
        match self.kind {
            Kind::Bind => json!({
                "Type": "bind", "Source": self.source, "Destination": self.destination,
                "Mode": self.mode, "RW": !self.read_only, "Propagation": self.propagation_or_default(),
            }),
            Kind::Volume => json!({
                "Type": "volume", "Name": self.name, "Source": self.source,
                "Destination": self.destination, "Driver": "local", "Mode": self.mode,
                "RW": !self.read_only, "Propagation": "",
            }),
            Kind::Tmpfs => json!({
                "Type": "tmpfs", "Source": "", "Destination": self.destination,
                "Mode": "", "RW": !self.read_only, "Propagation": "",
            }),
        }
    }
}

/// Mounts in an order where a parent directory comes before what is
/// mounted inside it (docker sorts by depth).
pub fn sort_for_mounting(all: &mut [MountEntry]) {
    all.sort_by_key(|m| PathBuf::from(&m.destination).components().count());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_mount_before_children() {
        let flags = MountFlags {
            volume: vec!["/a:/x/y/z".into(), "/b:/x".into(), "/c:/x/y".into()],
            ..Default::default()
        };
        let mut all = flags.parse(Path::new("/")).unwrap();
        sort_for_mounting(&mut all);
        let dests: Vec<&str> = all.iter().map(|b| b.destination.as_str()).collect();
        assert_eq!(dests, ["/x", "/x/y", "/x/y/z"]);
        let dup = MountFlags {
            volume: vec!["/a:/x".into(), "/b:/x/".into()],
            ..Default::default()
        };
        assert_eq!(
            dup.parse(Path::new("/")).unwrap_err().message(),
            "Duplicate mount point: /x"
        );
    }

    #[test]
    fn volume_flags_like_docker() {
        let cwd = Path::new("/work");
        let v = parse_volume("data:/srv/data:ro,nocopy", cwd).unwrap();
        assert_eq!(
            (v.kind, v.name.as_str(), v.destination.as_str()),
            (Kind::Volume, "data", "/srv/data")
        );
        assert!(v.read_only && v.nocopy && !v.anonymous);
        let v = parse_volume("/cache", cwd).unwrap();
        assert!(v.anonymous && v.kind == Kind::Volume && v.mode == "z");
        let b = parse_volume("./src:/src:ro", cwd).unwrap();
        assert_eq!((b.kind, b.source.as_str()), (Kind::Bind, "/work/src"));
        assert!(parse_volume("data", cwd).is_err());
        assert!(parse_volume("d:relative", cwd).is_err());
        assert!(parse_volume("x!y:/d", cwd).is_err());
        assert!(parse_volume("data:/d:bogus", cwd).is_err());
    }

    #[test]
    fn mount_flags_like_docker() {
        let m = parse_mount("type=volume,source=data,target=/d,readonly,volume-nocopy").unwrap();
        assert_eq!(
            (m.kind, m.name.as_str(), m.destination.as_str()),
            (Kind::Volume, "data", "/d")
        );
        assert!(m.read_only && m.nocopy);
        let t = parse_mount("type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770").unwrap();
        assert_eq!(t.options, ["size=1048576", "mode=1770"]);
        let b = parse_mount("type=bind,src=/tmp,dst=/h,bind-propagation=rslave").unwrap();
        assert_eq!(
            (b.source.as_str(), b.propagation.as_str()),
            ("/tmp", "rslave")
        );
        assert!(
            parse_mount("type=bind,src=/nonexistent-x,dst=/h")
                .unwrap_err()
                .message()
                .contains("bind source path does not exist")
        );
        assert!(
            parse_mount("type=volume,src=v")
                .unwrap_err()
                .message()
                .contains("target is required")
        );
        assert!(parse_mount("type=nfs,dst=/x").is_err());
        assert!(parse_mount("type=volume,dst=/x,bogus=1").is_err());
        let anon = parse_mount("target=/x").unwrap();
        assert!(anon.anonymous);
    }

    #[test]
    fn tmpfs_and_spec_mounts() {
        let t = parse_tmpfs("/run:size=64k,mode=1777").unwrap();
        let m = serde_json::to_value(t.spec_mount().unwrap()).unwrap();
        assert_eq!(
            m,
            json!({"destination": "/run", "type": "tmpfs", "source": "tmpfs",
            "options": ["noexec", "nosuid", "nodev", "size=64k", "mode=1777"]})
        );
        let flags = MountFlags {
            volume: vec!["ab:/x".into()],
            tmpfs: vec!["/x".into()],
            ..Default::default()
        };
        assert_eq!(
            flags.parse(Path::new("/")).unwrap_err().message(),
            "Duplicate mount point: /x"
        );
        assert_eq!(
            parse_volumes_from("web:ro").unwrap(),
            ("web".into(), Some(true))
        );
        assert!(parse_volumes_from("web:rx").is_err());
    }
}
