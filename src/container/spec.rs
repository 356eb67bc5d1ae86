//! The OCI runtime spec for a container: a pure function of the image's
//! config and the user's options, snapshot-tested without a daemon.
//! Defaults follow docker's (capabilities, mounts, masked paths, devices).

use std::path::{Path, PathBuf};

use oci_spec::runtime::{
    LinuxBuilder, LinuxDeviceCgroup, LinuxDeviceCgroupBuilder, LinuxDeviceType,
    LinuxNamespaceBuilder, LinuxNamespaceType, Mount, MountBuilder, PosixRlimitBuilder,
    PosixRlimitType, ProcessBuilder, RootBuilder, Spec, SpecBuilder, UserBuilder,
};

use super::etc_files;
use super::mounts::MountEntry;
use super::namespaces::{Joined, Namespaces};
use super::options::{ContainerOptions, NetworkMode};
use super::resources::Resources;
use super::security::Security;
use super::user::ResolvedUser;
use crate::error::{Error, ErrorKind, Result};
use crate::image::manifest::ContainerConfig;

pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub const MASKED_PATHS: &[&str] = &[
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];

pub const READONLY_PATHS: &[&str] = &[
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

/// What the spec depends on besides the options: resolved by creation.
#[derive(Debug, Clone)]
pub struct SpecContext<'a> {
    pub id: &'a str,
    pub namespace: &'a str,
    pub image: &'a ContainerConfig,
    pub user: &'a ResolvedUser,
    pub hostname: &'a str,
    /// The container's directory holding `hostname`, `hosts` and
    /// `resolv.conf` (bind-mounted over the image's).
    pub etc_dir: &'a Path,
    /// Binds, volumes (made, with their sources) and tmpfs, in mount order.
    pub mounts: &'a [MountEntry],
    /// The network namespace to join (a CNI network's, another
    /// container's); None: the host's or a new one, as `--network` says.
    pub netns: Option<&'a Path>,
    /// What the resource, security and namespace flags decided.
    pub extras: &'a Extras,
}

/// The flags' decisions that needed the host (devices, profiles, other
/// containers' namespaces) or checks, made at creation.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub security: Security,
    pub namespaces: Namespaces,
    pub joined: Joined,
    pub resources: Resources,
    /// `--device-read-bps` and friends, with the devices' numbers.
    pub block_io: Option<oci_spec::runtime::LinuxBlockIo>,
    /// The host's init binary, with `--init`.
    pub init: Option<PathBuf>,
}

/// docker's merge of entrypoint and command. Errors when nothing is left to run.
pub fn process_args(
    image: &ContainerConfig,
    cmd: &[String],
    entrypoint: Option<&str>,
) -> Result<Vec<String>> {
    let (entry, cmd): (Vec<String>, Vec<String>) = match entrypoint {
        // A user entrypoint drops the image's CMD unless a command was given.
        Some("") => (
            vec![],
            if cmd.is_empty() {
                image.cmd.clone()
            } else {
                cmd.to_vec()
            },
        ),
        Some(e) => (vec![e.to_string()], cmd.to_vec()),
        None => (
            image.entrypoint.clone(),
            if cmd.is_empty() {
                image.cmd.clone()
            } else {
                cmd.to_vec()
            },
        ),
    };
    let args: Vec<String> = entry.into_iter().chain(cmd).collect();
    if args.is_empty() {
        return Err(Error::invalid("No command specified"));
    }
    Ok(args)
}

fn env_key(entry: &str) -> &str {
    entry.split_once('=').map(|(k, _)| k).unwrap_or(entry)
}

/// Replaces entries with the same key, appends new ones (docker's order).
pub fn replace_or_append(base: &mut Vec<String>, overrides: &[String]) {
    for o in overrides {
        let key = env_key(o);
        match base.iter_mut().find(|b| env_key(b) == key) {
            Some(b) => *b = o.clone(),
            None => base.push(o.clone()),
        }
    }
}

/// The process environment: daemon defaults, then the image's, then the user's.
pub fn environment<'e>(
    image: &ContainerConfig,
    user_env: impl IntoIterator<Item = &'e String>,
    hostname: &str,
    tty: bool,
) -> Vec<String> {
    let mut env = vec![
        format!("PATH={DEFAULT_PATH}"),
        format!("HOSTNAME={hostname}"),
    ];
    if tty {
        env.push("TERM=xterm".to_string());
    }
    let mut config_env = image.env.clone();
    let user_env: Vec<String> = user_env.into_iter().cloned().collect();
    replace_or_append(&mut config_env, &user_env);
    replace_or_append(&mut env, &config_env);
    env
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

fn spec_error(e: oci_spec::OciSpecError) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("building the runtime spec: {e}"),
    )
}

/// docker's mounts, then the user's; one over a default (say
/// `/etc/hosts` or `/dev/shm`) replaces it.
fn mounts(opts: &ContainerOptions, ctx: &SpecContext) -> Result<Vec<Mount>> {
    let mut all: Vec<Mount> = default_mounts(ctx.etc_dir, opts.read_only)?
        .into_iter()
        .filter(|m| {
            !ctx.mounts
                .iter()
                .any(|b| Path::new(&b.destination) == m.destination())
        })
        .collect();
    for b in ctx.mounts {
        all.push(b.spec_mount()?);
    }
    Ok(all)
}

fn default_mounts(etc_dir: &Path, read_only: bool) -> Result<Vec<Mount>> {
    let mut mounts = vec![
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
    ];
    // The container's own hostname, hosts and resolv.conf, as docker
    // mounts them (its order and options).
    for (file, dest) in etc_files::MOUNTS {
        let source = etc_dir.join(file);
        let source = source.to_str().ok_or_else(|| {
            Error::invalid(format!("data root path {} is not UTF-8", etc_dir.display()))
        })?;
        // With --read-only they are read-only too, as docker has them.
        let opts: &[&str] = if read_only {
            &["rbind", "rprivate", "ro"]
        } else {
            &["rbind", "rprivate"]
        };
        mounts.push(mount(dest, "bind", source, opts)?);
    }
    Ok(mounts)
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
pub fn build(opts: &ContainerOptions, ctx: &SpecContext) -> Result<Spec> {
    let mut spec = base(opts, ctx)?;
    let extras = ctx.extras;
    extras.security.apply(&mut spec)?;
    extras
        .namespaces
        .apply(&mut spec, &extras.joined, ctx.namespace, ctx.id)?;
    opts.limits.apply(&mut spec, extras.init.as_deref())?;
    // As docker: the sysctl, which needs no runtime support (runc 1.1
    // ignores the spec's domainname).
    if let (Some(d), Some(linux)) = (
        opts.domainname.as_ref().filter(|d| !d.is_empty()),
        spec.linux_mut(),
    ) {
        let mut sysctl = linux.sysctl().clone().unwrap_or_default();
        sysctl.insert("kernel.domainname".to_string(), d.clone());
        linux.set_sysctl(Some(sysctl));
    }
    Ok(spec)
}

/// docker's defaults with the options that need no host facts.
fn base(opts: &ContainerOptions, ctx: &SpecContext) -> Result<Spec> {
    SpecBuilder::default()
        .version("1.1.0")
        .root(
            RootBuilder::default()
                .path("rootfs")
                .readonly(opts.read_only)
                .build()
                .map_err(spec_error)?,
        )
        .process(process(opts, ctx)?)
        .hostname(ctx.hostname)
        .mounts(mounts(opts, ctx)?)
        .linux(linux(opts, ctx)?)
        .build()
        .map_err(spec_error)
}

/// docker's working directory: `-w` (absolute), else the image's, else `/`.
fn working_dir(opts: &ContainerOptions, ctx: &SpecContext) -> Result<String> {
    Ok(match opts.workdir.as_deref().filter(|w| !w.is_empty()) {
        Some(w) if !w.starts_with('/') => {
            return Err(Error::invalid(format!(
                "the working directory '{w}' is invalid, it needs to be an absolute path"
            )));
        }
        Some(w) => w.to_string(),
        None => ctx
            .image
            .working_dir
            .clone()
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "/".to_string()),
    })
}

fn process(opts: &ContainerOptions, ctx: &SpecContext) -> Result<oci_spec::runtime::Process> {
    let args = process_args(ctx.image, opts.command()?, opts.entrypoint.as_deref())?;
    let user = UserBuilder::default()
        .uid(ctx.user.uid)
        .gid(ctx.user.gid)
        .additional_gids(ctx.user.additional_gids.clone())
        .build()
        .map_err(spec_error)?;
    let mut process = ProcessBuilder::default()
        .terminal(opts.tty)
        .user(user)
        .args(args)
        .env(environment(
            ctx.image,
            opts.env_entries(),
            ctx.hostname,
            opts.tty,
        ))
        .cwd(working_dir(opts, ctx)?)
        .rlimits(vec![
            PosixRlimitBuilder::default()
                .typ(PosixRlimitType::RlimitNofile)
                .hard(1024u64)
                .soft(1024u64)
                .build()
                .map_err(spec_error)?,
        ])
        .no_new_privileges(false);
    if let (true, Some((w, h))) = (opts.tty, opts.console_size) {
        process = process.console_size(
            oci_spec::runtime::BoxBuilder::default()
                .width(w as u64)
                .height(h as u64)
                .build()
                .map_err(spec_error)?,
        );
    }
    process.build().map_err(spec_error)
}

fn linux(opts: &ContainerOptions, ctx: &SpecContext) -> Result<oci_spec::runtime::Linux> {
    let namespaces = vec![
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
    ];
    let mut namespaces = namespaces
        .into_iter()
        .map(|t| {
            LinuxNamespaceBuilder::default()
                .typ(t)
                .build()
                .map_err(spec_error)
        })
        .collect::<Result<Vec<_>>>()?;
    match (&opts.network, ctx.netns) {
        (NetworkMode::Host, _) => {}
        (_, Some(path)) => namespaces.push(
            LinuxNamespaceBuilder::default()
                .typ(LinuxNamespaceType::Network)
                .path(path.to_path_buf())
                .build()
                .map_err(spec_error)?,
        ),
        (_, None) => namespaces.push(
            LinuxNamespaceBuilder::default()
                .typ(LinuxNamespaceType::Network)
                .build()
                .map_err(spec_error)?,
        ),
    }
    let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    LinuxBuilder::default()
        .namespaces(namespaces)
        .resources({
            let mut r = ctx.extras.resources.to_oci()?;
            r.set_devices(Some(device_rules()?));
            r.set_block_io(ctx.extras.block_io.clone());
            r
        })
        .cgroups_path(format!("/{}/{}", ctx.namespace, ctx.id))
        .masked_paths(strings(MASKED_PATHS))
        .readonly_paths(strings(READONLY_PATHS))
        .build()
        .map_err(spec_error)
}

/// The spec as JSON with capability lists sorted, so equal specs serialise
/// equally (oci-spec keeps capabilities in hash sets).
pub fn to_json(spec: &Spec) -> Result<serde_json::Value> {
    let mut v = serde_json::to_value(spec)?;
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
#[path = "spec_tests.rs"]
mod tests;
