//! `--ipc`, `--pid`, `--uts`, `--cgroupns`, `--cgroup-parent`: which
//! namespaces and cgroup the container gets. Into `HostConfig`'s modes;
//! the other containers a `container:NAME` mode names are found at
//! creation ([`Joined`], `ops/`), so the spec's piece stays pure.

use std::path::{Path, PathBuf};

use clap::Args;
use oci_spec::runtime::{LinuxNamespace, LinuxNamespaceBuilder, LinuxNamespaceType, Spec};

use crate::container::model::{
    CgroupnsMode, Config, CreateRequest, HostConfig, IpcMode, PidMode, UtsMode,
};
use crate::error::{Error, Result};

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

impl NamespaceFlags {
    /// Fills `HostConfig` as docker's CLI does: it checks the PID, UTS and
    /// cgroup namespace modes itself; the IPC mode is its daemon's.
    pub fn apply(&self, req: &mut CreateRequest) -> Result<()> {
        let h = &mut req.host_config;
        let cli =
            |flag: &str, what: &str| Error::invalid(format!("--{flag}: invalid {what} mode")).cli();
        h.ipc_mode = self.ipc.as_deref().unwrap_or_default().parse()?;
        h.pid_mode = self
            .pid
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| cli("pid", "PID"))?;
        h.uts_mode = self
            .uts
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| cli("uts", "UTS"))?;
        h.cgroupns_mode = self
            .cgroupns
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| cli("cgroupns", "CGROUP"))?;
        h.resources.cgroup_parent = self.cgroup_parent.clone().unwrap_or_default();
        Ok(())
    }
}

/// docker's daemon checks.
pub fn check(c: &Config, h: &HostConfig) -> Result<()> {
    if h.uts_mode == UtsMode::Host && !c.hostname.is_empty() {
        return Err(Error::invalid(
            "Conflicting options: hostname and the UTS mode",
        ));
    }
    crate::container::cgroups::manager().check_parent(&h.resources.cgroup_parent)?;
    Ok(())
}

/// docker's default when none was asked for: private on cgroup v2, the
/// host's on v1.
pub fn default_cgroupns(mode: CgroupnsMode) -> CgroupnsMode {
    match mode {
        CgroupnsMode::Unset if cgroup_v2() => CgroupnsMode::Private,
        CgroupnsMode::Unset => CgroupnsMode::Host,
        m => m,
    }
}

fn cgroup_v2() -> bool {
    crate::util::cgroup_version() == 2
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

fn ns(typ: LinuxNamespaceType, path: Option<&Path>) -> Result<LinuxNamespace> {
    let mut b = LinuxNamespaceBuilder::default().typ(typ);
    if let Some(p) = path {
        b = b.path(p.to_path_buf());
    }
    b.build()
        .map_err(|e| Error::invalid(format!("namespaces: {e}")))
}

/// Changes the namespaces (and /dev/shm for IPC) of a spec built with
/// docker's defaults, and the cgroup path under `--cgroup-parent`.
pub fn spec(
    h: &HostConfig,
    joined: &Joined,
    ns_name: &str,
    id: &str,
    spec: &mut Spec,
) -> Result<()> {
    let shm = shm_mount(&h.ipc_mode, joined)?;
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
    let pid = match &h.pid_mode {
        PidMode::Host => None,
        PidMode::Container(_) => Some(ns(LinuxNamespaceType::Pid, joined.pid.as_deref())?),
        PidMode::Private => Some(ns(LinuxNamespaceType::Pid, None)?),
    };
    replace(&mut list, LinuxNamespaceType::Pid, pid);
    let ipc = match &h.ipc_mode {
        IpcMode::Host => None,
        IpcMode::Container(_) => Some(ns(
            LinuxNamespaceType::Ipc,
            joined.ipc.as_ref().map(|(p, _)| p.as_path()),
        )?),
        _ => Some(ns(LinuxNamespaceType::Ipc, None)?),
    };
    replace(&mut list, LinuxNamespaceType::Ipc, ipc);
    let uts_host = h.uts_mode == UtsMode::Host;
    if uts_host {
        replace(&mut list, LinuxNamespaceType::Uts, None);
    }
    if h.cgroupns_mode == CgroupnsMode::Private {
        replace(
            &mut list,
            LinuxNamespaceType::Cgroup,
            Some(ns(LinuxNamespaceType::Cgroup, None)?),
        );
    }
    linux.set_namespaces(Some(list));
    let path =
        crate::container::cgroups::manager().cgroups_path(&h.resources.cgroup_parent, ns_name, id);
    linux.set_cgroups_path(Some(PathBuf::from(path)));
    if uts_host {
        spec.set_hostname(None);
    }
    Ok(())
}

fn shm_mount(ipc: &IpcMode, joined: &Joined) -> Result<ShmChange> {
    let bind = |src: &Path| {
        oci_spec::runtime::MountBuilder::default()
            .destination("/dev/shm")
            .typ("bind")
            .source(src)
            .options(vec!["rbind".to_string(), "rprivate".to_string()])
            .build()
            .map_err(|e| Error::invalid(format!("/dev/shm: {e}")))
    };
    Ok(match ipc {
        IpcMode::None => ShmChange::Drop,
        IpcMode::Host => ShmChange::Bind(bind(Path::new("/dev/shm"))?),
        IpcMode::Container(_) => match &joined.ipc {
            Some((_, shm)) => ShmChange::Bind(bind(shm)?),
            None => ShmChange::Keep,
        },
        IpcMode::Shareable => match &joined.own_shm {
            Some(dir) => ShmChange::Bind(bind(dir)?),
            None => ShmChange::Keep,
        },
        IpcMode::Private => ShmChange::Keep,
    })
}

enum ShmChange {
    Keep,
    Drop,
    Bind(oci_spec::runtime::Mount),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(f: NamespaceFlags) -> Result<HostConfig> {
        let mut r = CreateRequest::default();
        f.apply(&mut r)?;
        Ok(r.host_config)
    }

    #[test]
    fn modes_parse_like_docker() {
        let f = |ipc: Option<&str>, pid: Option<&str>| NamespaceFlags {
            ipc: ipc.map(String::from),
            pid: pid.map(String::from),
            cgroupns: Some("host".into()),
            ..Default::default()
        };
        let h = host(f(Some("host"), Some("container:web"))).unwrap();
        assert_eq!(h.ipc_mode, IpcMode::Host);
        assert_eq!(h.pid_mode.container(), Some("web"));
        assert_eq!(host(f(Some("none"), None)).unwrap().ipc_mode, IpcMode::None);
        let pid = host(f(None, Some("none"))).unwrap_err();
        assert!(pid.is_cli());
        assert_eq!(pid.message(), "--pid: invalid PID mode");
        let ipc = host(f(Some("bogus"), None)).unwrap_err();
        assert!(!ipc.is_cli());
        assert_eq!(ipc.message(), "invalid IPC mode: bogus");
        let uts = host(NamespaceFlags {
            uts: Some("host".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(uts.uts_mode, UtsMode::Host);
        let named = Config {
            hostname: "h".into(),
            ..Default::default()
        };
        assert!(check(&named, &uts).is_err());
        let slice = host(NamespaceFlags {
            cgroup_parent: Some("app.slice".into()),
            ..Default::default()
        })
        .unwrap();
        let slice_ok = check(&Config::default(), &slice);
        assert!(slice_ok.is_ok(), "{slice_ok:?}");
        assert_eq!(
            host(NamespaceFlags {
                cgroupns: Some("bogus".into()),
                ..Default::default()
            })
            .unwrap_err()
            .message(),
            "--cgroupns: invalid CGROUP mode"
        );
    }
}
