//! `berth run` (attached). The flags are docker's; IMAGE and everything
//! after it is the command, exactly as docker stops parsing at the image.

use std::io::IsTerminal;

use berth::container::attach::{self, AttachIo};
use berth::container::create::{self, CreateOptions};
use berth::container::spec::NetworkMode;
use berth::image::{ImageRef, ResolvedImage, store};
use berth::{Error, ErrorKind};
use clap::{Args as ClapArgs, ValueEnum};
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    /// Assign a name to the container
    #[arg(long)]
    name: Option<String>,
    /// Automatically remove the container when it exits
    #[arg(long)]
    rm: bool,
    /// Set environment variables (KEY=VALUE, or KEY to copy it from berth's environment)
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    env: Vec<String>,
    /// Read in a file of environment variables
    #[arg(long = "env-file", value_name = "FILE")]
    env_file: Vec<String>,
    /// Working directory inside the container
    #[arg(short = 'w', long = "workdir")]
    workdir: Option<String>,
    /// Username or UID (format: <name|uid>[:<group|gid>])
    #[arg(short = 'u', long)]
    user: Option<String>,
    /// Overwrite the default ENTRYPOINT of the image
    #[arg(long)]
    entrypoint: Option<String>,
    /// Keep STDIN open even if not attached
    #[arg(short = 'i', long)]
    interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    tty: bool,
    /// Set meta data on a container (KEY=VALUE)
    #[arg(short = 'l', long = "label")]
    label: Vec<String>,
    /// Container host name
    #[arg(short = 'h', long)]
    hostname: Option<String>,
    /// Connect a container to a network: none or host (bridge networks come later)
    #[arg(long = "network", visible_alias = "net", default_value = "none")]
    network: String,
    /// Pull image before running ("always", "missing", "never")
    #[arg(long, value_enum, default_value_t = PullPolicy::Missing)]
    pull: PullPolicy,
    /// Set platform if server is multi-platform capable
    #[arg(long)]
    platform: Option<String>,
    /// Proxy received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set)]
    sig_proxy: bool,
    /// Suppress the pull output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print usage
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    unsupported: Unsupported,
    /// IMAGE [COMMAND] [ARG...]
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 1..,
        value_names = ["IMAGE", "COMMAND"]
    )]
    image_and_command: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PullPolicy {
    Always,
    Missing,
    Never,
}

crate::unsupported_flags!(Unsupported {
    detach: bool = "detach", 'd';
    publish: Vec<String> = "publish", 'p';
    publish_all: bool = "publish-all", 'P';
    volume: Vec<String> = "volume", 'v';
    mount: Vec<String> = "mount";
    volumes_from: Vec<String> = "volumes-from";
    tmpfs: Vec<String> = "tmpfs";
    restart: Option<String> = "restart";
    attach: Vec<String> = "attach", 'a';
    add_host: Vec<String> = "add-host";
    dns: Vec<String> = "dns";
    dns_search: Vec<String> = "dns-search";
    dns_option: Vec<String> = "dns-option";
    expose: Vec<String> = "expose";
    link: Vec<String> = "link";
    ip: Option<String> = "ip";
    mac_address: Option<String> = "mac-address";
    privileged: bool = "privileged";
    cap_add: Vec<String> = "cap-add";
    cap_drop: Vec<String> = "cap-drop";
    security_opt: Vec<String> = "security-opt";
    device: Vec<String> = "device";
    read_only: bool = "read-only";
    init: bool = "init";
    memory: Option<String> = "memory", 'm';
    memory_swap: Option<String> = "memory-swap";
    cpus: Option<String> = "cpus";
    cpu_shares: Option<String> = "cpu-shares", 'c';
    cpuset_cpus: Option<String> = "cpuset-cpus";
    pids_limit: Option<String> = "pids-limit";
    ulimit: Vec<String> = "ulimit";
    shm_size: Option<String> = "shm-size";
    ipc: Option<String> = "ipc";
    pid: Option<String> = "pid";
    uts: Option<String> = "uts";
    userns: Option<String> = "userns";
    group_add: Vec<String> = "group-add";
    sysctl: Vec<String> = "sysctl";
    stop_signal: Option<String> = "stop-signal";
    stop_timeout: Option<String> = "stop-timeout";
    health_cmd: Option<String> = "health-cmd";
    no_healthcheck: bool = "no-healthcheck";
    log_driver: Option<String> = "log-driver";
    log_opt: Vec<String> = "log-opt";
    cidfile: Option<String> = "cidfile";
    detach_keys: Option<String> = "detach-keys";
    runtime: Option<String> = "runtime";
    label_file: Vec<String> = "label-file";
    gpus: Option<String> = "gpus";
});

fn network_mode(s: &str) -> berth::Result<NetworkMode> {
    match s {
        "none" => Ok(NetworkMode::None),
        "host" => Ok(NetworkMode::Host),
        other => Err(Error::unsupported(format!(
            "network {other:?} is not supported yet: use --network none or --network host"
        ))),
    }
}

/// Turns the flags into create options (no daemon involved).
fn options(args: &Args, image_input: &str, cmd: &[String]) -> berth::Result<CreateOptions> {
    let mut env_entries = Vec::new();
    for f in &args.env_file {
        env_entries.extend(create::read_env_file(f)?);
    }
    env_entries.extend(args.env.iter().cloned());
    let env = create::expand_env(&env_entries, |k| std::env::var(k).ok())?;
    let labels = args
        .label
        .iter()
        .map(|l| create::parse_label(l))
        .collect::<berth::Result<Vec<_>>>()?;
    Ok(CreateOptions {
        name: args.name.clone(),
        image_input: image_input.to_string(),
        cmd: cmd.to_vec(),
        entrypoint: args.entrypoint.clone(),
        env,
        workdir: args.workdir.clone(),
        user: args.user.clone(),
        tty: args.tty,
        labels,
        hostname: args.hostname.clone(),
        network: Some(network_mode(&args.network)?),
        console_size: if args.tty {
            crate::terminal::size()
        } else {
            None
        },
        starting: true,
    })
}

/// Finds the image locally, pulling according to `--pull`.
async fn image_for_run(
    ctx: &Ctx,
    input: &str,
    policy: PullPolicy,
    platform: Option<&str>,
    quiet: bool,
) -> berth::Result<ResolvedImage> {
    let client = ctx.client().await?;
    let want = ctx.platform(platform)?;
    if policy != PullPolicy::Always
        && let Some(img) = store::find(client, input, &want).await?
    {
        return Ok(img);
    }
    if policy == PullPolicy::Never {
        return Err(Error::not_found(format!("No such image: {input}")));
    }
    let reference = ImageRef::parse(input)?;
    if policy == PullPolicy::Missing && !quiet {
        eprintln!("Unable to find image '{}' locally", reference.familiar());
    }
    crate::pull::pull_image(ctx, &reference, want.clone(), quiet, 3).await?;
    store::find(client, &reference.name(), &want)
        .await?
        .ok_or_else(|| Error::not_found(format!("No such image: {input}")))
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let (image_input, cmd) = args
        .image_and_command
        .split_first()
        .ok_or_else(|| Error::invalid("\"berth run\" requires at least 1 argument"))?;
    if image_input.starts_with('-') {
        return Err(
            Error::invalid(format!("unknown flag: {image_input}")).hinted("see 'berth run --help'")
        );
    }
    args.unsupported.check("run")?;
    if args.interactive && args.tty && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY"));
    }
    let opts = options(&args, image_input, cmd)?;
    let image = image_for_run(
        ctx,
        image_input,
        args.pull,
        args.platform.as_deref(),
        args.quiet,
    )
    .await?;
    let client = ctx.client().await?;
    let created = create::create(client, &image, &opts).await?;

    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, args.sig_proxy, args.tty);
    let raw = (args.tty && args.interactive)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = AttachIo {
        stdin: args
            .interactive
            .then(|| Box::new(tokio::io::stdin()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        stdout: Box::new(tokio::io::stdout()),
        stderr: Box::new(tokio::io::stderr()),
    };
    let outcome = attach::run(
        client,
        &created.id,
        created.rootfs.clone(),
        args.tty,
        io,
        rx,
    )
    .await;
    drop(raw);

    let finish = async {
        if args.rm {
            // The task is already gone: only the record, snapshot and name.
            create::delete_record(client, &created.record).await?;
        } else if let Ok(o) = &outcome {
            attach::record_exit(client, &created.id, o).await?;
        }
        Ok::<_, Error>(())
    };
    let cleanup = finish.await;
    let outcome = outcome?;
    if let Err(e) = cleanup {
        tracing::warn!("cleaning up container {}: {e}", created.id);
        if e.kind() != ErrorKind::NotFound {
            eprintln!("Warning: {}", e.message());
        }
    }
    Ok(outcome.exit_code.min(255) as u8)
}
