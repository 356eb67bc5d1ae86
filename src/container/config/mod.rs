//! From `run`'s flags to docker's typed configuration, and what docker's
//! daemon checks and fills in. Each flag group owns its piece: its clap
//! arguments, the fields of `Config`/`HostConfig` it fills (as docker's CLI
//! fills them, with its words for what the CLI refuses), docker's daemon's
//! checks of those fields, its part of the runtime spec, and its tests.
//! A new `run` flag is one edit here (its group), its test, and the
//! regenerated completions.

pub mod binds;
pub mod devices;
pub mod endpoint;
pub mod exec;
pub mod health;
pub mod limits;
pub mod logging;
pub mod mounts;
pub mod namespaces;
pub mod network;
pub mod process;
pub mod resources;
pub mod restart;
pub mod runtime;
pub mod security;
pub mod throttle;
pub mod user;

use std::path::PathBuf;

use clap::Args;

use crate::container::model::{CreateRequest, HostConfig};
use crate::error::{Error, ErrorKind, Result};
use crate::image::choose::PullPolicy;
use crate::image::manifest::ContainerConfig;

pub use exec::ExecOptions;
pub use resources::ResourceFlags;

/// Every flag of `run` and `create` that shapes the container.
#[derive(Args, Debug, Clone, Default)]
pub struct ContainerFlags {
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub process: process::ProcessFlags,
    #[command(flatten)]
    pub restart: restart::RestartFlags,
    #[command(flatten)]
    pub health: health::HealthFlags,
    #[command(flatten)]
    pub runtime: runtime::RuntimeFlags,
    #[command(flatten)]
    pub network: network::NetworkFlags,
    /// Pull image before running ("always", "missing", "never")
    #[arg(long, value_enum, default_value_t = PullPolicy::Missing)]
    pub pull: PullPolicy,
    /// Set platform if server is multi-platform capable
    #[arg(long)]
    pub platform: Option<String>,
    /// Skip image verification (berth verifies no signatures: only true,
    /// docker's default, is accepted)
    #[arg(long = "disable-content-trust", action = clap::ArgAction::Set, num_args = 0..=1,
          require_equals = true, default_missing_value = "true", hide = true)]
    pub disable_content_trust: Option<bool>,
    #[command(flatten)]
    pub logging: logging::LogFlags,
    #[command(flatten)]
    pub mounts: mounts::MountFlags,
    /// Write the container ID to the file
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<String>,
    #[command(flatten)]
    pub resources: ResourceFlags,
    #[command(flatten)]
    pub security: security::SecurityFlags,
    #[command(flatten)]
    pub namespaces: namespaces::NamespaceFlags,
    #[command(flatten)]
    pub limits: limits::LimitFlags,
    #[command(flatten)]
    pub throttle: throttle::ThrottleFlags,
    /// IMAGE [COMMAND] [ARG...]: docker stops parsing flags at the image.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 1..,
        value_names = ["IMAGE", "COMMAND"]
    )]
    pub image_and_command: Vec<String>,
}

/// What the flags leave to the caller: whether anything is attached, the
/// terminal's size.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attach {
    /// `run -d`: nothing is attached.
    pub detached: bool,
    /// The terminal's (columns, rows) with -t.
    pub console_size: Option<(u16, u16)>,
}

impl ContainerFlags {
    /// The image as the user typed it.
    pub fn image(&self) -> Result<&str> {
        match self.image_and_command.first() {
            // Taken as the image only because the image takes any value.
            Some(first) if first.starts_with('-') => {
                Err(Error::invalid(format!("unknown flag: {first}")).cli())
            }
            Some(first) => Ok(first),
            None => Err(Error::invalid("an image is required").cli()),
        }
    }

    /// The command and its arguments after the image (replacing CMD).
    pub fn command(&self) -> Result<&[String]> {
        self.image()?;
        Ok(&self.image_and_command[1..])
    }

    /// docker's container configuration from the flags, as docker's CLI
    /// builds it; errors the CLI would report are marked `cli()`.
    pub fn to_request(&self, attach: Attach) -> Result<CreateRequest> {
        if self.disable_content_trust == Some(false) {
            return Err(
                Error::unsupported("content trust (image signing) is not supported yet").cli(),
            );
        }
        let mut req = CreateRequest {
            name: self.name.clone(),
            ..Default::default()
        };
        req.config.image = self.image()?.to_string();
        self.process.apply(&mut req, self.command()?)?;
        let streams = &self.process.attach;
        if attach.detached && !streams.is_empty() {
            return Err(Error::invalid("Conflicting options: -a and -d").cli());
        }
        let wants = |s: &str| streams.is_empty() || streams.iter().any(|x| x == s);
        let c = &mut req.config;
        c.attach_stdin =
            !attach.detached && (self.process.interactive || streams.iter().any(|x| x == "stdin"));
        c.attach_stdout = !attach.detached && wants("stdout");
        c.attach_stderr = !attach.detached && wants("stderr");
        c.stdin_once = c.attach_stdin && c.open_stdin;
        if let (true, Some((w, h))) = (self.process.tty, attach.console_size) {
            req.host_config.console_size = [h as u64, w as u64];
        }
        self.restart.apply(&mut req)?;
        self.health.apply(&mut req)?;
        self.runtime.apply(&mut req)?;
        self.network.apply(&mut req)?;
        self.logging.apply(&mut req)?;
        let cwd = crate::host::working_dir().map_err(|e| Error::io("current directory", e))?;
        self.mounts.apply(&mut req, &cwd)?;
        req.host_config.container_id_file = self.cidfile.clone().unwrap_or_default();
        self.resources.apply(&mut req.host_config.resources);
        self.security.apply(&mut req)?;
        self.namespaces.apply(&mut req)?;
        self.limits.apply(&mut req);
        self.throttle.apply(&mut req);
        Ok(req)
    }
}

/// docker's daemon's checks of a create request, before anything is made
/// (the mounts are checked once merged with the image's volumes:
/// `mounts::entries`).
pub fn check(req: &mut CreateRequest) -> Result<()> {
    let (c, h) = (&req.config, &mut req.host_config);
    process::check(c)?;
    health::check(c)?;
    restart::check_host(h)?;
    runtime::check(h)?;
    network::check(c, h, &req.networking_config)?;
    logging::check(&logging::with_default(h.log_config.clone()))?;
    resources::check(&mut h.resources, resources::host_cpus())?;
    namespaces::check(c, h)?;
    limits::check(h)?;
    Ok(())
}

/// docker's daemon's merge of the request with the image's config.
pub fn merge(req: &mut CreateRequest, image: &ContainerConfig) {
    process::merge(&mut req.config, image);
    health::merge(&mut req.config, image.healthcheck.as_ref());
}

/// What docker's daemon on this host discards (the kernel lacks it), with
/// its warnings for the caller to print; errors for what it refuses.
pub fn host_warnings(req: &mut CreateRequest) -> Result<Vec<String>> {
    let r = &mut req.host_config.resources;
    let mut warnings = throttle::host_check(r)?;
    warnings.extend(resources::host_check(r));
    Ok(warnings)
}

/// What docker's daemon fills in where the request left a field empty.
pub fn defaults(h: &mut HostConfig) {
    h.log_config = logging::with_default(std::mem::take(&mut h.log_config));
    if h.shm_size == 0 {
        h.shm_size = limits::DEFAULT_SHM;
    }
    h.cgroupns_mode = namespaces::default_cgroupns(h.cgroupns_mode);
    if h.runtime.is_empty() {
        h.runtime = crate::client::DEFAULT_RUNTIME.to_string();
    }
    // docker's daemon: its lists unless the request has some, none at all
    // for a privileged container.
    let paths = |l: &[&str]| Some(l.iter().map(|s| s.to_string()).collect());
    if h.masked_paths.is_none() && !h.privileged {
        h.masked_paths = paths(security::MASKED_PATHS);
    }
    if h.readonly_paths.is_none() && !h.privileged {
        h.readonly_paths = paths(security::READONLY_PATHS);
    }
}

/// What the configuration names on the host, read at creation.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub security: security::Security,
    /// `--device-read-bps` and friends, with the devices' numbers.
    pub block_io: Option<oci_spec::runtime::LinuxBlockIo>,
    /// The host's init binary, with `--init`.
    pub init: Option<PathBuf>,
}

pub fn resolve(h: &HostConfig) -> Result<Resolved> {
    Ok(Resolved {
        security: security::resolve(h)?,
        block_io: throttle::block_io(&h.resources)?,
        init: (h.init == Some(true)).then(limits::find_init).transpose()?,
    })
}

/// A runtime-spec builder's complaint, as berth's error.
pub(crate) fn spec_error(e: oci_spec::OciSpecError) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("building the runtime spec: {e}"),
    )
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;
