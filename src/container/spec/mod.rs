//! The OCI runtime spec for a container: a pure function of docker's
//! configuration (merged with the image's, defaults filled) and what
//! creation found (the user's ids, mounts, namespaces to join, host
//! devices), snapshot-tested without a daemon. docker's defaults here
//! (mounts, device rules); each flag group adds its own piece.

pub mod etc_files;

use std::path::Path;

use oci_spec::runtime::{
    LinuxBuilder, LinuxDeviceCgroup, LinuxDeviceCgroupBuilder, LinuxDeviceType,
    LinuxNamespaceBuilder, LinuxNamespaceType, Mount, MountBuilder, RootBuilder, Spec, SpecBuilder,
};

use crate::container::config::namespaces::Joined;
use crate::container::config::user::ResolvedUser;
use crate::container::config::{self, Resolved, spec_error};
use crate::container::model::{Config, HostConfig, MountEntry};
use crate::error::{Error, Result};

/// What the spec depends on besides the configuration: found at creation.
#[derive(Debug, Clone)]
pub struct SpecContext<'a> {
    pub id: &'a str,
    pub namespace: &'a str,
    pub user: &'a ResolvedUser,
    /// The container's directory holding `hostname`, `hosts` and
    /// `resolv.conf` (bind-mounted over the image's).
    pub etc_dir: &'a Path,
    /// Binds, volumes (made, with their sources) and tmpfs.
    pub mounts: &'a [MountEntry],
    /// The network namespace to join (a CNI network's, another
    /// container's); None: the host's or a new one, as the mode says.
    pub netns: Option<&'a Path>,
    /// What the configuration names on the host.
    pub resolved: &'a Resolved,
    /// Other containers' namespaces this one joins.
    pub joined: &'a Joined,
    /// `--link`'s variables (docker puts them before the container's own).
    pub linked_env: &'a [String],
}

fn mount(dest: &str, typ: &str, source: &str, opts: &[&str]) -> Result<Mount> {
    MountBuilder::default()
        .destination(dest)
        .typ(typ)
        .source(source)
        .options(opts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .build()
        .map_err(spec_error)
}

/// docker's system mounts, then its /etc files and the container's own
/// mounts ordered parents first (a volume over /etc comes before
/// /etc/hosts); one of the container's over a default replaces it.
fn mounts(h: &HostConfig, ctx: &SpecContext) -> Result<Vec<Mount>> {
    let own = |m: &Mount| {
        ctx.mounts
            .iter()
            .any(|b| Path::new(&b.destination) == m.destination())
    };
    let mut all: Vec<Mount> = system_mounts()?.into_iter().filter(|m| !own(m)).collect();
    let mut rest: Vec<Mount> = etc_mounts(ctx.etc_dir, h.readonly_rootfs)?
        .into_iter()
        .filter(|m| !own(m))
        .collect();
    for m in ctx.mounts {
        rest.push(config::mounts::spec_mount(m)?);
    }
    config::mounts::sort_for_mounting(&mut rest, |m| m.destination());
    all.extend(rest);
    Ok(all)
}

fn system_mounts() -> Result<Vec<Mount>> {
    Ok(vec![
        mount("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"])?,
        mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            &["nosuid", "strictatime", "mode=755", "size=65536k"],
        )?,
        mount(
            "/dev/pts",
            "devpts",
            "devpts",
            &[
                "nosuid",
                "noexec",
                "newinstance",
                "ptmxmode=0666",
                "mode=0620",
                "gid=5",
            ],
        )?,
        mount(
            "/sys",
            "sysfs",
            "sysfs",
            &["nosuid", "noexec", "nodev", "ro"],
        )?,
        mount(
            "/sys/fs/cgroup",
            "cgroup",
            "cgroup",
            &["nosuid", "noexec", "nodev", "relatime", "ro"],
        )?,
        mount(
            "/dev/mqueue",
            "mqueue",
            "mqueue",
            &["nosuid", "noexec", "nodev"],
        )?,
        mount(
            "/dev/shm",
            "tmpfs",
            "shm",
            &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
        )?,
    ])
}

/// The container's own hostname, hosts and resolv.conf, as docker mounts
/// them (its order and options; read-only with `--read-only`).
fn etc_mounts(etc_dir: &Path, read_only: bool) -> Result<Vec<Mount>> {
    let opts: &[&str] = if read_only {
        &["rbind", "rprivate", "ro"]
    } else {
        &["rbind", "rprivate"]
    };
    etc_files::MOUNTS
        .iter()
        .map(|(file, dest)| {
            let source = etc_dir.join(file);
            let source = source.to_str().ok_or_else(|| {
                Error::invalid(format!("data root path {} is not UTF-8", etc_dir.display()))
            })?;
            mount(dest, "bind", source, opts)
        })
        .collect()
}

fn device_rules() -> Result<Vec<LinuxDeviceCgroup>> {
    let rule = |allow: bool,
                typ: LinuxDeviceType,
                major: Option<i64>,
                minor: Option<i64>,
                access: &str| {
        let mut b = LinuxDeviceCgroupBuilder::default()
            .allow(allow)
            .typ(typ)
            .access(access);
        if let Some(m) = major {
            b = b.major(m);
        }
        if let Some(m) = minor {
            b = b.minor(m);
        }
        b.build().map_err(spec_error)
    };
    use LinuxDeviceType::{A, B, C};
    Ok(vec![
        rule(false, A, None, None, "rwm")?,
        rule(true, C, None, None, "m")?,
        rule(true, B, None, None, "m")?,
        rule(true, C, Some(1), Some(3), "rwm")?,    // null
        rule(true, C, Some(1), Some(8), "rwm")?,    // random
        rule(true, C, Some(1), Some(7), "rwm")?,    // full
        rule(true, C, Some(5), Some(0), "rwm")?,    // tty
        rule(true, C, Some(1), Some(5), "rwm")?,    // zero
        rule(true, C, Some(1), Some(9), "rwm")?,    // urandom
        rule(true, C, Some(136), None, "rwm")?,     // pts
        rule(true, C, Some(5), Some(2), "rwm")?,    // ptmx
        rule(true, C, Some(10), Some(200), "rwm")?, // tun
    ])
}

/// Builds the spec. Pure: same input, same output.
pub fn build(c: &Config, h: &HostConfig, ctx: &SpecContext) -> Result<Spec> {
    let mut spec = base(c, h, ctx)?;
    if !h.annotations.is_empty() {
        spec.set_annotations(Some(h.annotations.clone().into_iter().collect()));
    }
    config::network::spec(h, ctx.netns, &mut spec)?;
    ctx.resolved.security.apply(&mut spec)?;
    config::namespaces::spec(h, ctx.joined, ctx.namespace, ctx.id, &mut spec)?;
    config::limits::spec(h, ctx.resolved.init.as_deref(), &mut spec)?;
    // As docker: the sysctl, which needs no runtime support (runc 1.1
    // ignores the spec's domainname).
    if let (false, Some(linux)) = (c.domainname.is_empty(), spec.linux_mut()) {
        let mut sysctl = linux.sysctl().clone().unwrap_or_default();
        sysctl.insert("kernel.domainname".to_string(), c.domainname.clone());
        linux.set_sysctl(Some(sysctl));
    }
    Ok(spec)
}

/// docker's defaults with the settings that need no other group.
fn base(c: &Config, h: &HostConfig, ctx: &SpecContext) -> Result<Spec> {
    SpecBuilder::default()
        .version("1.1.0")
        .root(
            RootBuilder::default()
                .path("rootfs")
                .readonly(h.readonly_rootfs)
                .build()
                .map_err(spec_error)?,
        )
        .process(config::process::spec(c, h, ctx.user, ctx.linked_env)?)
        .hostname(c.hostname.as_str())
        .mounts(mounts(h, ctx)?)
        .linux(linux(h, ctx)?)
        .build()
        .map_err(spec_error)
}

fn linux(h: &HostConfig, ctx: &SpecContext) -> Result<oci_spec::runtime::Linux> {
    let namespaces = [
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
    ]
    .into_iter()
    .map(|t| {
        LinuxNamespaceBuilder::default()
            .typ(t)
            .build()
            .map_err(spec_error)
    })
    .collect::<Result<Vec<_>>>()?;
    let mut resources = config::resources::to_oci(&h.resources)?;
    resources.set_devices(Some(device_rules()?));
    resources.set_block_io(ctx.resolved.block_io.clone());
    let mut linux = LinuxBuilder::default()
        .namespaces(namespaces)
        .resources(resources)
        .build()
        .map_err(spec_error)?;
    // As the configuration says (oci-spec's own defaults are not docker's).
    let paths = |l: &Option<Vec<String>>| l.clone().filter(|l| !l.is_empty());
    linux.set_masked_paths(paths(&h.masked_paths));
    linux.set_readonly_paths(paths(&h.readonly_paths));
    Ok(linux)
}

/// The spec as JSON with capability lists and sysctls sorted, so equal
/// specs serialise equally (oci-spec keeps them in hash sets and maps).
pub fn to_json(spec: &Spec) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(spec)?;
    if let Some(sysctl) = v
        .pointer_mut("/linux/sysctl")
        .and_then(|c| c.as_object_mut())
    {
        sysctl.sort_keys();
    }
    if let Some(caps) = v
        .pointer_mut("/process/capabilities")
        .and_then(|c| c.as_object_mut())
    {
        for list in caps.values_mut() {
            if let Some(arr) = list.as_array_mut() {
                arr.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            }
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests;
