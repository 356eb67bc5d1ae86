//! The cgroup manager: who makes a container's cgroup. `cgroupfs` has
//! runc write the directories itself (`/<namespace>/<id>`, or
//! `/<parent>/<id>`); `systemd` has runc ask systemd for a transient scope
//! (`system.slice:berth:<id>` → `/system.slice/berth-<id>.scope`), as a
//! Kubernetes node's containerd does with `SystemdCgroup = true`.
//!
//! Chosen as docker and nerdctl choose: systemd when the host runs systemd
//! on cgroup v2, cgroupfs otherwise; `--cgroup-manager` or the config
//! file's `cgroup_manager` force one.

use std::sync::OnceLock;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    Cgroupfs,
    Systemd,
}

/// The scope prefix of berth's containers under systemd (docker's is
/// `docker`, nerdctl's `nerdctl`, CRI's `cri-containerd`).
pub const SCOPE_PREFIX: &str = "berth";

/// systemd's slice for services, docker's default parent.
const DEFAULT_SLICE: &str = "system.slice";

/// containerd's runc shim options message (`containerd.runc.v1.Options`).
pub const RUNC_OPTIONS_TYPE_URL: &str = "containerd.runc.v1.Options";

#[derive(Clone, PartialEq, prost::Message)]
struct RuncOptions {
    /// `systemd_cgroup`: runc is run with `--systemd-cgroup`.
    #[prost(bool, tag = "9")]
    systemd_cgroup: bool,
}

static CHOSEN: OnceLock<Manager> = OnceLock::new();

impl Manager {
    pub fn parse(s: &str) -> Result<Manager> {
        match s {
            "cgroupfs" => Ok(Manager::Cgroupfs),
            "systemd" => Ok(Manager::Systemd),
            other => Err(Error::invalid(format!(
                "invalid cgroup manager {other:?}: cgroupfs or systemd"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Manager::Cgroupfs => "cgroupfs",
            Manager::Systemd => "systemd",
        }
    }

    /// The default: systemd when it runs as the host's init on cgroup v2.
    pub fn detect() -> Manager {
        let systemd = std::path::Path::new("/run/systemd/system").is_dir();
        if systemd && crate::util::cgroup_version() == 2 {
            Manager::Systemd
        } else {
            Manager::Cgroupfs
        }
    }

    /// The OCI spec's `cgroupsPath` of container `id` in containerd
    /// namespace `ns` under docker's `--cgroup-parent` (may be empty).
    pub fn cgroups_path(self, parent: &str, ns: &str, id: &str) -> String {
        match self {
            Manager::Systemd => {
                let slice = if parent.is_empty() {
                    DEFAULT_SLICE
                } else {
                    parent
                };
                format!("{slice}:{SCOPE_PREFIX}:{id}")
            }
            Manager::Cgroupfs => {
                let parent = parent.trim_end_matches('/');
                let parent = parent.strip_prefix('/').unwrap_or(parent);
                let parent = if parent.is_empty() { ns } else { parent };
                format!("/{parent}/{id}")
            }
        }
    }

    /// docker's daemon's check of `--cgroup-parent` for this manager.
    pub fn check_parent(self, parent: &str) -> Result<()> {
        if parent.split('/').any(|c| c == "..") {
            return Err(Error::invalid(format!(
                "--cgroup-parent {parent}: \"..\" is not allowed"
            )));
        }
        // docker: a slice name longer than ".slice" itself.
        let slice = parent.len() > ".slice".len() && parent.ends_with(".slice");
        if self == Manager::Systemd && !parent.is_empty() && (!slice || parent.contains('/')) {
            return Err(Error::invalid(
                "cgroup-parent for systemd cgroup should be a valid slice named as \"xxx.slice\"",
            ));
        }
        Ok(())
    }

    /// The runtime options a runc shim needs for this manager (none for
    /// cgroupfs, nor for other shims).
    pub fn runtime_options(self, shim: &str) -> Option<prost_types::Any> {
        use prost::Message;
        let runc = shim.starts_with("io.containerd.runc.");
        (self == Manager::Systemd && runc).then(|| prost_types::Any {
            type_url: RUNC_OPTIONS_TYPE_URL.to_string(),
            value: RuncOptions {
                systemd_cgroup: true,
            }
            .encode_to_vec(),
        })
    }
}

/// Forces the manager for this process (`--cgroup-manager`).
pub fn set_manager(m: Manager) {
    let _ = CHOSEN.set(m);
}

/// The manager this process uses.
pub fn manager() -> Manager {
    *CHOSEN.get_or_init(Manager::detect)
}

/// The directory under /sys/fs/cgroup (v2) of a `cgroupsPath`: systemd's
/// `slice:prefix:name` is `/<slice ancestors>/<slice>/<prefix>-<name>.scope`
/// (`a-b.slice` lives in `a.slice`).
pub fn unified_dir(cgroups_path: &str) -> String {
    let mut parts = cgroups_path.splitn(3, ':');
    let (Some(slice), Some(prefix), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
        return cgroups_path.to_string();
    };
    let mut dir = String::new();
    let stem = slice.trim_end_matches(".slice");
    if !stem.is_empty() && stem != "-" {
        let words: Vec<&str> = stem.split('-').collect();
        for i in 1..=words.len() {
            dir.push('/');
            dir.push_str(&words[..i].join("-"));
            dir.push_str(".slice");
        }
    }
    format!("{dir}/{prefix}-{name}.scope")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_runc_reads_them() {
        let fs = Manager::Cgroupfs;
        assert_eq!(fs.cgroups_path("", "ci", "abc"), "/ci/abc");
        assert_eq!(fs.cgroups_path("/app/", "ci", "abc"), "/app/abc");
        assert_eq!(fs.cgroups_path("app.slice", "ci", "abc"), "/app.slice/abc");
        let sd = Manager::Systemd;
        assert_eq!(sd.cgroups_path("", "ci", "abc"), "system.slice:berth:abc");
        assert_eq!(
            sd.cgroups_path("app.slice", "ci", "abc"),
            "app.slice:berth:abc"
        );
        assert_eq!(
            unified_dir("system.slice:berth:abc"),
            "/system.slice/berth-abc.scope"
        );
        assert_eq!(
            unified_dir("kubepods-burstable.slice:cri-containerd:x"),
            "/kubepods.slice/kubepods-burstable.slice/cri-containerd-x.scope"
        );
        assert_eq!(unified_dir("/ci/abc"), "/ci/abc");
    }

    #[test]
    fn parents_as_dockers_daemon_checks_them() {
        let sd = Manager::Systemd;
        assert!(sd.check_parent("").is_ok());
        assert!(sd.check_parent("app.slice").is_ok());
        for bad in ["app", ".slice", "a/b.slice"] {
            assert_eq!(
                sd.check_parent(bad).unwrap_err().message(),
                "cgroup-parent for systemd cgroup should be a valid slice named as \"xxx.slice\""
            );
        }
        assert!(Manager::Cgroupfs.check_parent("app.slice").is_ok());
        assert!(Manager::Cgroupfs.check_parent("a/../b").is_err());
    }

    #[test]
    fn runc_gets_systemd_cgroup_as_field_9() {
        let any = Manager::Systemd
            .runtime_options("io.containerd.runc.v2")
            .unwrap();
        assert_eq!(any.type_url, "containerd.runc.v1.Options");
        assert_eq!(any.value, vec![0x48, 0x01]);
        assert!(
            Manager::Cgroupfs
                .runtime_options("io.containerd.runc.v2")
                .is_none()
        );
        assert!(
            Manager::Systemd
                .runtime_options("io.containerd.kata.v2")
                .is_none()
        );
    }
}
