//! `berth run`. The container's flags and IMAGE [COMMAND] [ARG...] are the
//! library's `ContainerFlags`; this file adds the flags that belong to
//! running attached, and prints.

use std::io::IsTerminal;

use berth::Error;
use berth::container::ContainerFlags;
use berth::container::config::Attach;
use berth::container::ops;
use clap::Args as ClapArgs;
use tokio::sync::mpsc;

use crate::ctx::Ctx;

#[derive(ClapArgs, Debug)]
#[command(disable_help_flag = true)]
pub struct Args {
    #[command(flatten)]
    flags: ContainerFlags,
    /// Run container in background and print container ID
    #[arg(short = 'd', long)]
    detach: bool,
    /// Proxy received signals to the process
    #[arg(long = "sig-proxy", default_value_t = true, action = clap::ArgAction::Set)]
    sig_proxy: bool,
    /// Override the key sequence for detaching a container
    #[arg(long = "detach-keys", value_name = "string")]
    detach_keys: Option<String>,
    /// Suppress the pull output
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print usage
    #[arg(long, action = clap::ArgAction::Help)]
    help: Option<bool>,
    #[command(flatten)]
    container_flags: crate::unsupported::RunFlags,
    #[command(flatten)]
    windows: crate::unsupported::WindowsFlags,
    #[command(flatten)]
    kernel_memory: crate::unsupported::KernelMemory,
}

impl Args {
    /// `-t`: the container gets a terminal.
    pub fn tty(&self) -> bool {
        self.flags.process.tty
    }
}

pub async fn exec(ctx: &Ctx, args: Args) -> berth::Result<u8> {
    let flags = &args.flags;
    if let Some(refusal) = args.windows.refusal() {
        eprintln!("{refusal}");
        return Ok(1);
    }
    args.container_flags.check("run")?;
    let p = &flags.process;
    if p.interactive && p.tty && !args.detach && !std::io::stdin().is_terminal() {
        return Err(Error::invalid("the input device is not a TTY").cli());
    }
    let detach_keys = crate::terminal::detach_keys(args.detach_keys.as_deref())?;
    let mut req = flags.to_request(Attach {
        detached: args.detach,
        console_size: p.tty.then(crate::terminal::size).flatten(),
    })?;
    for w in berth::container::config::host_warnings(&mut req)? {
        eprintln!("WARNING: {w}");
    }
    let image = crate::progress::image_for_container(ctx, flags, args.quiet).await?;
    let client = ctx.client().await?;
    let data = ctx.data_root();
    if args.detach {
        let run = ops::run_detached(client, &data, &image, &req).await?;
        // docker prints the id even when the start then fails.
        println!("{}", run.id);
        if let Some(w) = run.started? {
            eprintln!("WARNING: {w}");
        }
        if req.host_config.auto_remove {
            ctx.spawn_remover(&run.id)?;
        }
        return Ok(0);
    }
    let (tx, rx) = mpsc::channel(16);
    crate::signals::forward(tx, args.sig_proxy, p.tty);
    let raw = (p.tty && p.interactive)
        .then(crate::terminal::RawGuard::stdin)
        .flatten();
    let io = crate::terminal::run_io(&req.config, detach_keys);
    let finished = ops::run_attached(client, &data, &image, &req, io, rx).await;
    drop(raw);
    let finished = finished?;
    if finished.outcome.detached {
        // docker: nothing said, exit 0; the container runs on.
        if req.host_config.auto_remove {
            ctx.spawn_remover(&finished.id)?;
        }
        return Ok(0);
    }
    if let Some(w) = finished.cleanup_warning {
        eprintln!("WARNING: {w}");
    }
    Ok(finished.outcome.exit_code.min(255) as u8)
}
