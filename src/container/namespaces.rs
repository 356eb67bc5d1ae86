//! `--ipc`, `--pid`, `--uts`, `--cgroupns`, `--cgroup-parent`: which
//! namespaces and cgroup the container gets. Parsed and applied here; the
//! other container a `container:NAME` mode names is found at creation
//! ([`Joined`]), so applying stays pure.

use std::path::{Path, PathBuf};

use clap::Args;
use oci_spec::runtime::{LinuxNamespace, LinuxNamespaceBuilder, LinuxNamespaceType, Spec};

use super::record::ContainerRecord;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::state::DataRoot;

#[derive(Args, Debug, Clone, Default)]
pub struct NamespaceFlags {
    /// IPC mode to use (private, shareable, none, host, container:NAME)
    #[arg(long, value_name = "MODE")]
    pub ipc: Option<String>,
    /// PID namespace to use (host, container:NAME)
    #[arg(long, value_name = "MODE")]
    pub pid: Option<String>,
    /// UTS namespace to use (host)
    #[arg(long, value_name = "MODE")]
    pub uts: Option<String>,
    /// Cgroup namespace to use (host|private)
    #[arg(long, value_name = "MODE")]
    pub cgroupns: Option<String>,
    /// Optional parent cgroup for the container
    #[arg(long = "cgroup-parent", value_name = "PATH")]
    pub cgroup_parent: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Mode {
    /// The container's own namespace (docker's private / "").
    #[default]
    Private,
    /// Its own IPC namespace, with /dev/shm on a host tmpfs others can
    /// join (`--ipc shareable`).
    Shareable,
    /// A private IPC namespace without /dev/shm (`--ipc none`).
    NoShm,
    Host,
    Container(String),
}

/// The flags, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespaces {
    pub ipc: Mode,
    pub pid: Mode,
    pub uts_host: bool,
    pub cgroupns_private: bool,
    pub cgroup_parent: String,
}

/// Other containers' namespaces, found at creation.
#[derive(Debug, Clone, Default)]
pub struct Joined {
    /// `/proc/PID/ns/pid` of the `--pid container:` one.
    pub pid: Option<PathBuf>,
    /// `/proc/PID/ns/ipc` of the `--ipc container:` one and its shared
    /// /dev/shm on the host.
    pub ipc: Option<(PathBuf, PathBuf)>,
    /// This container's own shareable /dev/shm on the host.
    pub own_shm: Option<PathBuf>,
}

/// The host tmpfs a shareable container's /dev/shm lives on: `shm` in its
/// directory (unmounted when the directory is removed).
pub fn mount_shm(container_dir: &Path, size: i64) -> Result<PathBuf> {
    use nix::mount::{MsFlags, mount};
    let dir = container_dir.join("shm");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    mount(
        Some("shm"),
        &dir,
        Some("tmpfs"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
        Some(format!("mode=1777,size={size}").as_str()),
    )
    .map_err(|e| {
        Error::io(
            format!("mounting the shareable /dev/shm at {}", dir.display()),
            std::io::Error::from(e),
        )
    })?;
    Ok(dir)
}

fn mode(flag: &str, v: Option<&str>, allowed: &[&str]) -> Result<Mode> {
    match v.unwrap_or("") {
        "" | "private" if allowed.contains(&"private") => Ok(Mode::Private),
        "shareable" if allowed.contains(&"shareable") => Ok(Mode::Shareable),
        "none" if allowed.contains(&"none") => Ok(Mode::NoShm),
        "host" => Ok(Mode::Host),
        v => match v.strip_prefix("container:") {
            Some(c) if !c.is_empty() && allowed.contains(&"container") => {
                Ok(Mode::Container(c.to_string()))
            }
            _ => Err(Error::invalid(format!(
                "--{flag}: invalid {flag} mode: {v}"
            ))),
        },
    }
}

impl NamespaceFlags {
    pub fn parse(&self, hostname_given: bool) -> Result<Namespaces> {
        let ipc = mode(
            "ipc",
            self.ipc.as_deref(),
            &["private", "shareable", "none", "container"],
        )?;
        let pid = mode("pid", self.pid.as_deref(), &["private", "container"])?;
        let uts_host = mode("uts", self.uts.as_deref(), &["private"])? == Mode::Host;
        if uts_host && hostname_given {
            return Err(Error::invalid(
                "Conflicting options: hostname and the UTS mode",
            ));
        }
        // docker's default: private on cgroup v2, the host's on v1.
        let cgroupns_private = match self.cgroupns.as_deref() {
            None | Some("") => cgroup_v2(),
            Some("private") => true,
            Some("host") => false,
            Some(v) => {
                return Err(Error::invalid(format!(
                    "--cgroupns: invalid cgroup namespace mode: {v} (host or private)"
                )));
            }
        };
        let cgroup_parent = self.cgroup_parent.clone().unwrap_or_default();
        if cgroup_parent.ends_with(".slice") {
            return Err(Error::unsupported(format!(
                "--cgroup-parent {cgroup_parent}: systemd slices are not supported yet (berth uses cgroupfs paths)"
            )));
        }
        if cgroup_parent.split('/').any(|c| c == "..") {
            return Err(Error::invalid(format!(
                "--cgroup-parent {cgroup_parent}: \"..\" is not allowed"
            )));
        }
        Ok(Namespaces {
            ipc,
            pid,
            uts_host,
            cgroupns_private,
            cgroup_parent,
        })
    }
}

fn cgroup_v2() -> bool {
    nix::sys::statfs::statfs("/sys/fs/cgroup")
        .is_ok_and(|s| s.filesystem_type() == nix::sys::statfs::CGROUP2_SUPER_MAGIC)
}

/// The running container `other` names: its task's pid.
pub fn joined_pid(rec: &ContainerRecord, pid: Option<u32>, what: &str) -> Result<u32> {
    pid.ok_or_else(|| {
        Error::conflict(format!(
            "cannot join {what} of a non running container: {}",
            rec.name
        ))
    })
}

/// The running containers whose PID or IPC namespace this one joins.
pub(super) async fn joined(client: &Client, data: &DataRoot, ns: &Namespaces) -> Result<Joined> {
    let (pid, ipc) = ns.containers();
    if pid.is_none() && ipc.is_none() {
        return Ok(Joined::default());
    }
    let all = super::list::records(client).await?;
    let find = async |name: &str, what: &str| -> Result<u32> {
        let rec = super::resolve::find(&all, name)?;
        let pid = super::task::pid(client, &rec.id).await?;
        joined_pid(rec, pid, what)
    };
    let mut out = Joined::default();
    if let Some(c) = pid {
        let p = find(c, "PID namespace").await?;
        out.pid = Some(PathBuf::from(format!("/proc/{p}/ns/pid")));
    }
    if let Some(c) = ipc {
        let rec = super::resolve::find(&all, c)?;
        if rec.config.as_ref().map(|k| k.ipc_mode.as_str()) != Some("shareable") {
            return Err(Error::invalid(format!(
                "cannot join IPC of container {c}: non-shareable IPC (hint: use --ipc shareable for the donor container)"
            )));
        }
        let p = find(c, "IPC namespace").await?;
        out.ipc = Some((
            PathBuf::from(format!("/proc/{p}/ns/ipc")),
            data.container_dir(client.namespace(), &rec.id)?.join("shm"),
        ));
    }
    Ok(out)
}

fn ns(typ: LinuxNamespaceType, path: Option<&Path>) -> Result<LinuxNamespace> {
    let mut b = LinuxNamespaceBuilder::default().typ(typ);
    if let Some(p) = path {
        b = b.path(p.to_path_buf());
    }
    b.build()
        .map_err(|e| Error::invalid(format!("namespaces: {e}")))
}

impl Namespaces {
    /// The names of containers whose namespaces this container joins.
    pub fn containers(&self) -> (Option<&str>, Option<&str>) {
        fn c(m: &Mode) -> Option<&str> {
            match m {
                Mode::Container(c) => Some(c.as_str()),
                _ => None,
            }
        }
        (c(&self.pid), c(&self.ipc))
    }

    /// Changes the namespaces (and /dev/shm for IPC) of a spec built with
    /// docker's defaults, and the cgroup path under `--cgroup-parent`.
    pub fn apply(&self, spec: &mut Spec, joined: &Joined, ns_name: &str, id: &str) -> Result<()> {
        let shm = self.shm_mount(joined)?;
        let mounts = spec.mounts_mut().get_or_insert_with(Vec::new);
        if let Some(i) = mounts
            .iter()
            .position(|m| m.destination() == Path::new("/dev/shm"))
        {
            match shm {
                ShmChange::Keep => {}
                ShmChange::Drop => {
                    mounts.remove(i);
                }
                ShmChange::Bind(m) => mounts[i] = m,
            }
        }
        let linux = spec.linux_mut().get_or_insert_with(Default::default);
        let mut list: Vec<LinuxNamespace> = linux.namespaces().clone().unwrap_or_default();
        // In place, so the spec keeps docker's namespace order.
        let replace = |list: &mut Vec<LinuxNamespace>, typ, with: Option<LinuxNamespace>| match (
            list.iter().position(|n| n.typ() == typ),
            with,
        ) {
            (Some(i), Some(w)) => list[i] = w,
            (Some(i), None) => {
                list.remove(i);
            }
            (None, w) => list.extend(w),
        };
        let pid = match &self.pid {
            Mode::Host => None,
            Mode::Container(_) => Some(ns(LinuxNamespaceType::Pid, joined.pid.as_deref())?),
            _ => Some(ns(LinuxNamespaceType::Pid, None)?),
        };
        replace(&mut list, LinuxNamespaceType::Pid, pid);
        let ipc = match &self.ipc {
            Mode::Host => None,
            Mode::Container(_) => Some(ns(
                LinuxNamespaceType::Ipc,
                joined.ipc.as_ref().map(|(p, _)| p.as_path()),
            )?),
            _ => Some(ns(LinuxNamespaceType::Ipc, None)?),
        };
        replace(&mut list, LinuxNamespaceType::Ipc, ipc);
        if self.uts_host {
            replace(&mut list, LinuxNamespaceType::Uts, None);
        }
        if self.cgroupns_private {
            replace(
                &mut list,
                LinuxNamespaceType::Cgroup,
                Some(ns(LinuxNamespaceType::Cgroup, None)?),
            );
        }
        linux.set_namespaces(Some(list));
        if !self.cgroup_parent.is_empty() {
            let parent = self.cgroup_parent.trim_end_matches('/');
            let parent = parent.strip_prefix('/').unwrap_or(parent);
            linux.set_cgroups_path(Some(PathBuf::from(format!("/{parent}/{id}"))));
        } else {
            linux.set_cgroups_path(Some(PathBuf::from(format!("/{ns_name}/{id}"))));
        }
        if self.uts_host {
            spec.set_hostname(None);
        }
        Ok(())
    }

    fn shm_mount(&self, joined: &Joined) -> Result<ShmChange> {
        let bind = |src: &Path| {
            oci_spec::runtime::MountBuilder::default()
                .destination("/dev/shm")
                .typ("bind")
                .source(src)
                .options(vec!["rbind".to_string(), "rprivate".to_string()])
                .build()
                .map_err(|e| Error::invalid(format!("/dev/shm: {e}")))
        };
        Ok(match &self.ipc {
            Mode::NoShm => ShmChange::Drop,
            Mode::Host => ShmChange::Bind(bind(Path::new("/dev/shm"))?),
            Mode::Container(_) => match &joined.ipc {
                Some((_, shm)) => ShmChange::Bind(bind(shm)?),
                None => ShmChange::Keep,
            },
            Mode::Shareable => match &joined.own_shm {
                Some(dir) => ShmChange::Bind(bind(dir)?),
                None => ShmChange::Keep,
            },
            Mode::Private => ShmChange::Keep,
        })
    }
}

enum ShmChange {
    Keep,
    Drop,
    Bind(oci_spec::runtime::Mount),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_like_docker() {
        let f = |ipc: Option<&str>, pid: Option<&str>| NamespaceFlags {
            ipc: ipc.map(String::from),
            pid: pid.map(String::from),
            cgroupns: Some("host".into()),
            ..Default::default()
        };
        let n = f(Some("host"), Some("container:web")).parse(false).unwrap();
        assert_eq!(n.ipc, Mode::Host);
        assert_eq!(n.pid, Mode::Container("web".into()));
        assert_eq!(n.containers(), (Some("web"), None));
        assert_eq!(f(Some("none"), None).parse(false).unwrap().ipc, Mode::NoShm);
        assert!(f(None, Some("none")).parse(false).is_err());
        assert!(f(Some("bogus"), None).parse(false).is_err());
        let uts = NamespaceFlags {
            uts: Some("host".into()),
            ..Default::default()
        };
        assert!(uts.parse(false).unwrap().uts_host);
        assert!(uts.parse(true).is_err());
        let slice = NamespaceFlags {
            cgroup_parent: Some("app.slice".into()),
            ..Default::default()
        };
        assert!(slice.parse(false).is_err());
    }
}
