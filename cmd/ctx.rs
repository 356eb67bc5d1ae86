//! Global options and the per-invocation context every verb receives.

use std::path::PathBuf;

use berth::Client;
use berth::image::Platform;
use berth::image::platform;
use clap::Args;
use tokio::sync::OnceCell;

/// Options that come before the verb, like docker's (`berth -n k8s.io ps`).
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// containerd socket
    #[arg(short = 'a', long, env = "CONTAINERD_ADDRESS", default_value = berth::client::DEFAULT_ADDRESS, value_name = "PATH")]
    pub address: PathBuf,
    /// containerd namespace
    #[arg(short = 'n', long, env = "CONTAINERD_NAMESPACE", default_value = berth::client::DEFAULT_NAMESPACE)]
    pub namespace: String,
    /// containerd snapshotter
    #[arg(long, env = "CONTAINERD_SNAPSHOTTER", default_value = berth::client::DEFAULT_SNAPSHOTTER)]
    pub snapshotter: String,
    /// Registry (host[:port]) to reach over plain HTTP; repeatable
    #[arg(long = "insecure-registry", value_name = "HOST")]
    pub insecure_registry: Vec<String>,
    /// Directory of containerd-style registry host configuration (<host>/hosts.toml)
    #[arg(
        long = "hosts-dir",
        env = "BERTH_HOSTS_DIR",
        default_value = berth::image::registry::hosts::DEFAULT_HOSTS_DIR,
        value_name = "DIR"
    )]
    pub hosts_dir: PathBuf,
    /// Directories of CNI plugins, colon-separated (default: /opt/cni/bin:/usr/lib/cni)
    #[arg(long = "cni-path", env = "CNI_PATH", value_name = "DIRS")]
    pub cni_path: Option<String>,
    /// Directory of berth's CNI network configuration lists
    #[arg(
        long = "cni-netconfpath",
        env = "NETCONFPATH",
        default_value = berth::network::store::DEFAULT_NETCONF_DIR,
        value_name = "DIR"
    )]
    pub cni_netconfpath: PathBuf,
    /// berth's own state directory
    #[arg(
        long,
        env = "BERTH_DATA_ROOT",
        default_value = berth::state::DEFAULT_DATA_ROOT,
        value_name = "DIR"
    )]
    pub data_root: PathBuf,
    /// Who makes containers' cgroups: cgroupfs or systemd (default: systemd when the host runs systemd on cgroup v2)
    #[arg(long = "cgroup-manager", env = "BERTH_CGROUP_MANAGER", value_name = "MANAGER",
          value_parser = ["cgroupfs", "systemd"])]
    pub cgroup_manager: Option<String>,
    /// Log debug details to stderr
    #[arg(short = 'D', long)]
    pub debug: bool,
    /// Daemon socket to connect to: unix://PATH, containerd's (as --address)
    #[arg(short = 'H', long = "host", value_name = "unix://PATH")]
    pub host: Option<String>,
    /// Location of client config files (docker's: credentials)
    #[arg(long = "config", value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// Set the logging level
    #[arg(short = 'l', long = "log-level", value_name = "LEVEL",
          value_parser = ["debug", "info", "warn", "error", "fatal"])]
    pub log_level: Option<String>,
    /// Name of the context to use (only "default": the containerd at --address)
    #[arg(short = 'c', long = "context", value_name = "NAME")]
    pub context: Option<String>,
    #[command(flatten)]
    unsupported: GlobalUnsupported,
}

// docker's global options that have no meaning for berth's unix socket.
crate::unsupported_flags!(GlobalUnsupported {
    tls: bool = "tls";
    tlsverify: bool = "tlsverify";
    tlscacert: Option<String> = "tlscacert";
    tlscert: Option<String> = "tlscert";
    tlskey: Option<String> = "tlskey";
});

impl GlobalArgs {
    /// Applies `-H`, `--config` and `-c`; refuses what berth cannot do.
    pub fn settle(&mut self) -> berth::Result<()> {
        let refuse = |m: String| Err(berth::Error::unsupported(m).cli());
        if let Some(flag) = self.unsupported.first_given() {
            return refuse(format!(
                "--{flag} is not supported: berth talks to containerd over its unix socket \
                 (TLS is for docker's TCP daemon socket)"
            ));
        }
        if let Some(c) = self.context.as_deref().filter(|c| *c != "default") {
            return refuse(format!(
                "context {c:?} is not supported yet: berth has only the default context \
                 (the containerd at --address)"
            ));
        }
        if let Some(h) = &self.host {
            match h.strip_prefix("unix://") {
                Some(path) if path.starts_with('/') => self.address = PathBuf::from(path),
                _ => {
                    return refuse(format!(
                        "-H {h} is not supported yet: berth talks to containerd over its unix \
                         socket (-H unix:///run/containerd/containerd.sock)"
                    ));
                }
            }
        }
        if let Some(dir) = &self.config {
            berth::image::registry::login::set_config_dir(dir.clone());
        }
        Ok(())
    }

    /// The tracing level: `-l`, else `-D` (debug), else warnings.
    pub fn level(&self) -> tracing::Level {
        match self.log_level.as_deref() {
            Some("debug") => tracing::Level::DEBUG,
            Some("info") => tracing::Level::INFO,
            Some("error" | "fatal") => tracing::Level::ERROR,
            Some(_) => tracing::Level::WARN,
            None if self.debug => tracing::Level::DEBUG,
            None => tracing::Level::WARN,
        }
    }
}

impl GlobalArgs {
    /// Fills what the command line and environment left at its default
    /// from berth's config file; its insecure registries add to the flags'.
    pub fn with_config(mut self, matches: &clap::ArgMatches, cfg: berth::config::Config) -> Self {
        use clap::parser::ValueSource;
        let unset = |id: &str| {
            matches!(
                matches.value_source(id),
                None | Some(ValueSource::DefaultValue)
            )
        };
        if let Some(v) = cfg.address.filter(|_| unset("address")) {
            self.address = v;
        }
        if let Some(v) = cfg.namespace.filter(|_| unset("namespace")) {
            self.namespace = v;
        }
        if let Some(v) = cfg.snapshotter.filter(|_| unset("snapshotter")) {
            self.snapshotter = v;
        }
        if let Some(v) = cfg.data_root.filter(|_| unset("data_root")) {
            self.data_root = v;
        }
        if let Some(v) = cfg.hosts_dir.filter(|_| unset("hosts_dir")) {
            self.hosts_dir = v;
        }
        if let Some(v) = cfg.cni_path.filter(|_| unset("cni_path")) {
            self.cni_path = Some(v);
        }
        if let Some(v) = cfg.cni_netconfpath.filter(|_| unset("cni_netconfpath")) {
            self.cni_netconfpath = v;
        }
        if let Some(v) = cfg.cgroup_manager.filter(|_| unset("cgroup_manager")) {
            self.cgroup_manager = Some(v);
        }
        if let Some(v) = cfg.debug.filter(|_| unset("debug")) {
            self.debug = v;
        }
        self.insecure_registry.extend(cfg.insecure_registries);
        self
    }
}

pub struct Ctx {
    pub global: GlobalArgs,
    client: OnceCell<Client>,
}

impl Ctx {
    pub fn new(mut global: GlobalArgs) -> Ctx {
        // The helper on the host talks to the containerd that started it.
        if let Some(address) = berth::host::containerd_address() {
            global.address = address.to_path_buf();
        }
        berth::image::registry::hosts::set_hosts_dir(global.hosts_dir.clone());
        let mut net = berth::network::Paths {
            netconf_dir: global.cni_netconfpath.clone(),
            ..Default::default()
        };
        if let Some(dirs) = &global.cni_path {
            net.plugin_dirs = std::env::split_paths(dirs).collect();
        }
        berth::network::set_paths(net);
        // Checked by clap or by the config file's reader.
        if let Some(m) = global.cgroup_manager.as_deref() {
            if let Ok(m) = berth::container::cgroups::Manager::parse(m) {
                berth::container::cgroups::set_manager(m);
            }
        }
        Ctx {
            global,
            client: OnceCell::new(),
        }
    }

    /// The containerd connection, made on first use.
    pub async fn client(&self) -> berth::Result<&Client> {
        self.client
            .get_or_try_init(|| {
                Client::connect(
                    &self.global.address,
                    &self.global.namespace,
                    &self.global.snapshotter,
                )
            })
            .await
    }

    /// berth's own files (`--data-root`).
    pub fn data_root(&self) -> berth::state::DataRoot {
        berth::state::DataRoot::new(&self.global.data_root)
    }

    /// `--platform` or the host's.
    pub fn platform(&self, flag: Option<&str>) -> berth::Result<Platform> {
        match flag {
            Some(p) => platform::parse(p),
            None => Ok(platform::host()),
        }
    }
}

impl Ctx {
    /// For `run -d --rm`: a detached berth process that waits for the
    /// container to exit and removes it (docker's daemon does this; berth
    /// has none). It outlives this process and ignores the terminal.
    pub fn spawn_remover(&self, id: &str) -> berth::Result<()> {
        use std::os::unix::process::CommandExt;
        // This very binary, wherever it came from (the helper's is not on
        // the host's paths).
        let exe = std::path::Path::new("/proc/self/exe");
        let g = &self.global;
        let mut cmd = std::process::Command::new(exe);
        cmd.arg("--address")
            .arg(&g.address)
            .arg("--namespace")
            .arg(&g.namespace)
            .arg("--snapshotter")
            .arg(&g.snapshotter)
            .arg("--data-root")
            .arg(&g.data_root)
            .arg("--cni-netconfpath")
            .arg(&g.cni_netconfpath);
        if let Some(dirs) = &g.cni_path {
            cmd.arg("--cni-path").arg(dirs);
        }
        cmd.arg(crate::REMOVE_ON_EXIT)
            .arg(id)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // SAFETY: setsid is async-signal-safe; it only detaches the child
        // from this terminal's session.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid()
                    .map(drop)
                    .map_err(std::io::Error::from)
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| berth::Error::io("starting berth's remover for --rm", e))?;
        if berth::host::in_helper() {
            berth::host::outlive_helper(child.id());
        }
        Ok(())
    }
}

/// Logging to stderr; `BERTH_LOG` (e.g. `berth=trace`) overrides `--debug`.
/// A `Targets` filter, not `EnvFilter`: no regex to compile at start-up.
pub fn init_tracing(level: tracing::Level) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let debug = level >= tracing::Level::INFO;
    let filter = std::env::var("BERTH_LOG")
        .ok()
        .and_then(|v| v.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_target("berth", level));
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        // No colour where stderr is a pipe or a file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if debug || std::env::var_os("BERTH_LOG").is_some() {
        registry.with(layer).try_init()
    } else {
        registry.with(layer.event_format(Plain)).try_init()
    };
}

/// What berth says to a user (not a developer): docker's `WARNING: ...`
/// lines, no time, no level, no colour.
struct Plain;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for Plain
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let prefix = match *event.metadata().level() {
            tracing::Level::ERROR => "ERROR: ",
            tracing::Level::WARN => "WARNING: ",
            _ => "",
        };
        write!(writer, "{prefix}")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}
