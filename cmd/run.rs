//! `berth run` (attached). The container's flags and IMAGE [COMMAND]
//! [ARG...] are the library's `ContainerOptions`; this file adds the flags
//! that belong to running attached, and prints.

use std::io::IsTerminal;

use berth::Error;
use berth::container::ContainerOptions;
use berth::container::lifecycle::AttachIo;
use berth::container::run::run_attached;
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[command(flatten)]
    opts: ContainerOptions,
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

pub async fn exec(ctx: &Ctx, mut args: Args) -> berth::Result<u8> {
    let opts = &mut args.opts;
    let image_input = opts
        .image()
        .map_err(|e| e.hinted("see 'berth run --help'"))?
        .to_string();
    args.unsupported.check("run")?;
    if opts.interactive && opts.tty && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY"));
    }
    if opts.tty {
        opts.console_size = crate::terminal::size();
    }
    let image = crate::progress::image_for_container(ctx, &image_input, opts, args.quiet).await?;
    let client = ctx.client().await?;

    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, args.sig_proxy, opts.tty);
    let raw = (opts.tty && opts.interactive)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = AttachIo {
        stdin: opts
            .interactive
            .then(|| Box::new(tokio::io::stdin()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        stdout: Box::new(tokio::io::stdout()),
        stderr: Box::new(tokio::io::stderr()),
    };
    let finished = run_attached(client, &ctx.data_root(), &image, &args.opts, io, rx).await;
    drop(raw);
    let finished = finished?;
    if let Some(w) = finished.cleanup_warning {
        eprintln!("Warning: {w}");
    }
    Ok(finished.outcome.exit_code.min(255) as u8)
}
